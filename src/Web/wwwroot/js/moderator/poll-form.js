// @ts-check
// The poll editor: a new poll or a draft's changes, one kind at a time (options, correct answers, picks, scale, timer,
// when the audience sees results). The limits are the server's (lib/limits.js); one it has not sent is not checked
// here, and the server still refuses what breaks it.
import { $, el, toast } from '/js/lib/dom.js';
import { limits, tooLong } from '/js/lib/limits.js';
import { errorText, t } from '/js/lib/strings.js';
import { OPTION_KINDS, POLL_KINDS } from '/js/polls/format.js';

/** @typedef {import('../../../types/protocol').PollView} PollView */
/** @typedef {import('../../../types/protocol').PollKind} PollKind */
/** @typedef {import('../../../types/protocol').PollVisibility} PollVisibility */
/**
 * @typedef {({ mode: 'new', pollId: null } | { mode: 'edit', pollId: number }) & { kind: PollKind, question: string, options: string[],
 *   correct: number[], maxPicks: string, scale: number, timer: number | string, visibility: PollVisibility,
 *   error: import('/js/lib/connection.js').LiveErrorShape | { messageKey: string } | null, busy: boolean }} PollFormState a new poll, or a draft's changes
 * @typedef {object} PollForm
 * @property {(poll: PollView) => void} edit opens the editor on a draft poll
 * @property {() => void} render
 * @property {() => void} reset closes the editor without moving the focus (another session)
 * @property {(ids: Set<number>) => void} pollsShown closes the editor when the draft it edits is gone
 */

/** @type {PollVisibility[]} */
const VISIBILITIES = ['live', 'on_close', 'hidden'];

/** @param {PollKind} [kind] @returns {PollFormState} */
function blankForm(kind = 'single') {
  return {
    mode: 'new', pollId: null, kind, question: '', options: ['', ''], correct: [], maxPicks: '',
    scale: limits.ratingMinScale || 5, timer: 30, visibility: 'live', error: null, busy: false,
  };
}

/** @param {PollView} poll @returns {PollFormState} */
function formFromPoll(poll) {
  return {
    mode: 'edit',
    pollId: poll.id,
    kind: poll.kind,
    question: poll.question,
    options: poll.options.length ? [...poll.options] : ['', ''],
    correct: [...(poll.correct || [])],
    maxPicks: poll.kind === 'multiple' && poll.maxPicks && poll.maxPicks < poll.options.length ? String(poll.maxPicks) : '',
    scale: poll.scale || limits.ratingMinScale || 5,
    timer: poll.timeLimitSeconds || 30,
    visibility: poll.visibility,
    error: null,
    busy: false,
  };
}

/** @param {PollFormState['error']} error */
function formError(error) {
  if (!error) {
    return '';
  }
  if (error.messageKey === 'error.text_empty') {
    return t('mod.poll.question_empty');
  }
  const max = limits.pollQuestionMaxLength;
  return errorText(error, error.messageKey === 'error.text_too_long' && max ? { max } : {});
}

/** Whether one more option may be added. @param {PollFormState} f */
function roomForOption(f) {
  return !limits.pollMaxOptions || f.options.length < limits.pollMaxOptions;
}

/**
 * The draft request from the form. Blank option fields are left out; the correct marks follow their options.
 * @param {PollFormState} f @param {number} sessionId
 */
function draftFromForm(f, sessionId) {
  const withOptions = OPTION_KINDS.includes(f.kind);
  const kept = withOptions ? f.options.map((text, index) => ({ text: text.trim(), index })).filter((o) => o.text) : [];
  const maxPicks = f.kind === 'multiple' && String(f.maxPicks).trim() ? Number(f.maxPicks) : null;
  return {
    sessionId,
    kind: f.kind,
    question: f.question.trim(),
    options: kept.map((o) => o.text),
    maxPicks,
    scale: f.kind === 'rating' ? Number(f.scale) : null,
    correct: f.kind === 'quiz' ? kept.map((o, i) => (f.correct.includes(o.index) ? i : -1)).filter((i) => i >= 0) : null,
    timeLimitSeconds: f.kind === 'quiz' ? Number(f.timer) : null,
    visibility: f.visibility,
  };
}

/** @param {ReturnType<typeof draftFromForm>} d */
function checkDraft(d) {
  if (!d.question) {
    return { messageKey: 'error.text_empty' };
  }
  if (limits.pollQuestionMaxLength && tooLong(d.question, limits.pollQuestionMaxLength)) {
    return { messageKey: 'error.text_too_long' };
  }
  if (OPTION_KINDS.includes(d.kind) && d.options.length < 2) {
    return { messageKey: 'error.invalid.options' };
  }
  if (d.kind === 'multiple' && d.maxPicks !== null && (!Number.isInteger(d.maxPicks) || d.maxPicks < 1 || d.maxPicks > d.options.length)) {
    return { messageKey: 'error.invalid.max_picks' };
  }
  if (d.kind === 'quiz' && !d.correct?.length) {
    return { messageKey: 'error.invalid.correct' };
  }
  const seconds = d.timeLimitSeconds;
  if (d.kind === 'quiz' && (!Number.isInteger(seconds) || (limits.quizMinSeconds && Number(seconds) < limits.quizMinSeconds)
    || (limits.quizMaxSeconds && Number(seconds) > limits.quizMaxSeconds))) {
    return { messageKey: 'error.invalid.time_limit' };
  }
  return null;
}

/**
 * @param {{
 *   live: import('/js/lib/connection.js').Live,
 *   state: import('/js/lib/session-state.js').SessionState,
 *   getSessionId: () => number | null,
 *   failed: (r: { error: import('/js/lib/connection.js').LiveErrorShape }) => Promise<boolean>,
 *   render: () => void,
 *   onOpen: () => void,
 * }} deps
 * @returns {PollForm}
 */
export function createPollForm({ live, state, getSessionId, failed, render: renderPage, onOpen }) {
  const ui = {
    pollNew: $('#poll-new'),
    host: $('#poll-form-host'),
    items: $('#poll-items'),
  };
  /** @type {PollFormState | null} */
  let pollForm = null;

  /** @param {PollFormState} form */
  function open(form) {
    pollForm = form;
    onOpen();
    render();
    /** @type {HTMLElement | null} */ (ui.host.querySelector('[data-testid="poll-question"]'))?.focus();
  }

  function close() {
    const wasEdit = pollForm && pollForm.pollId;
    pollForm = null;
    render();
    if (wasEdit) {
      /** @type {HTMLElement | null} */ (ui.items.querySelector(`[data-poll-id="${wasEdit}"] [data-testid="poll-edit"]`))?.focus();
    } else {
      ui.pollNew.focus();
    }
  }

  /** @param {string} selector */
  function focus(selector) {
    /** @type {HTMLElement | null} */ (ui.host.querySelector(selector))?.focus();
  }

  async function save() {
    const f = pollForm;
    if (!f || f.busy) {
      return;
    }
    const sessionId = getSessionId();
    if (sessionId === null) {
      return;
    }
    const draft = draftFromForm(f, sessionId);
    const local = checkDraft(draft);
    if (local) {
      f.error = local;
      render();
      return;
    }
    f.busy = true;
    f.error = null;
    render();
    const r = f.mode === 'edit'
      ? await live.request('UpdatePoll', { pollId: f.pollId, draft })
      : await live.request('CreatePoll', draft);
    if (pollForm !== f) {
      return;
    }
    f.busy = false;
    if (!r.ok) {
      if (await failed(r)) {
        return;
      }
      f.error = r.error;
      render();
      focus('[data-testid="poll-form-error"]');
      return;
    }
    state.upsertPoll(r.value, 'PollDrafted');
    pollForm = null;
    render();
    renderPage();
    toast(t(f.mode === 'edit' ? 'mod.poll.done.updated' : 'mod.poll.done.created'));
    /** @type {HTMLElement | null} */ (ui.items.querySelector(`[data-poll-id="${r.value.id}"] [data-testid="poll-open"]`))?.focus();
  }

  /** @param {PollFormState} f @param {number} index */
  function optionRow(f, index) {
    return el('li', { class: 'option-row' }, [
      el('label', { class: 'visually-hidden', attrs: { for: `poll-opt-${index}` }, text: t('mod.poll.form.option_n', { n: index + 1 }) }),
      el('input', {
        attrs: {
          id: `poll-opt-${index}`,
          type: 'text',
          'data-testid': 'poll-option-input',
          'data-index': index,
          'data-fk': `opt-${index}`,
          placeholder: t('mod.poll.form.option_n', { n: index + 1 }),
          maxlength: limits.pollOptionMaxLength || null,
        },
        props: { value: f.options[index] },
        on: {
          input: (e) => { f.options[index] = /** @type {HTMLInputElement} */ (e.target).value; },
          keydown: (/** @type {KeyboardEvent} */ e) => {
            if (e.key === 'Enter') {
              e.preventDefault();
              if (index === f.options.length - 1 && roomForOption(f)) {
                f.options.push('');
                render();
              }
              focus(`[data-fk="opt-${index + 1}"]`);
            }
          },
        },
      }),
      f.kind === 'quiz' ? el('label', { class: 'correct-toggle' }, [
        el('input', {
          attrs: { type: 'checkbox', 'data-testid': 'poll-correct', 'data-index': index, 'data-fk': `correct-${index}` },
          props: { checked: f.correct.includes(index) },
          on: {
            change: (e) => {
              f.correct = /** @type {HTMLInputElement} */ (e.target).checked ? [...new Set([...f.correct, index])] : f.correct.filter((i) => i !== index);
            },
          },
        }),
        el('span', { text: t('mod.poll.form.correct') }),
      ]) : null,
      el('button', {
        class: 'btn btn-small btn-danger',
        text: '×',
        attrs: {
          type: 'button',
          'data-testid': 'poll-remove-option',
          'data-fk': `remove-${index}`,
          'aria-label': t('mod.poll.form.remove_option', { n: index + 1 }),
          'aria-disabled': f.options.length <= 2 ? 'true' : null,
        },
        on: {
          click: () => {
            if (f.options.length <= 2) {
              return;
            }
            f.options.splice(index, 1);
            f.correct = f.correct.filter((i) => i !== index).map((i) => (i > index ? i - 1 : i));
            render();
            focus(`[data-fk="opt-${Math.min(index, f.options.length - 1)}"]`);
          },
        },
      }),
    ]);
  }

  /** @param {PollFormState} f */
  function scaleControl(f) {
    const choices = [...new Set([limits.ratingMinScale, limits.ratingMaxScale].filter(Boolean))];
    if (!choices.length) {
      // The server has not said which scales it takes: a plain number, checked there.
      return el('input', {
        attrs: { id: 'poll-scale', type: 'number', min: 1, inputmode: 'numeric', 'data-testid': 'poll-scale', 'data-fk': 'poll-scale' },
        props: { value: f.scale },
        on: { input: (e) => { f.scale = Number(/** @type {HTMLInputElement} */ (e.target).value); } },
      });
    }
    return select('poll-scale', 'poll-scale', f.scale, choices.map((n) => [n, t('mod.poll.form.scale_n', { n })]), (v) => { f.scale = Number(v); });
  }

  /**
   * @param {string} id @param {string} testid @param {string | number} value @param {[string | number, string][]} options
   * @param {(value: string) => void} onChange
   */
  function select(id, testid, value, options, onChange) {
    return el('select', {
      attrs: { id, 'data-testid': testid, 'data-fk': testid },
      on: { change: (e) => onChange(/** @type {HTMLInputElement} */ (e.target).value) },
    }, options.map(([v, label]) => el('option', { text: label, attrs: { value: v, selected: String(v) === String(value) } })));
  }

  /** Rebuilds the form when its shape changes (kind, options); typing only updates the form state. */
  function render() {
    const f = pollForm;
    ui.pollNew.setAttribute('aria-expanded', f && f.mode === 'new' ? 'true' : 'false');
    if (!f) {
      ui.host.replaceChildren();
      return;
    }
    const active = /** @type {HTMLElement | null} */ (document.activeElement);
    const focusKey = active && ui.host.contains(active) ? active.dataset.fk : null;
    const withOptions = OPTION_KINDS.includes(f.kind);
    const field = (/** @type {string} */ id, /** @type {string} */ label, /** @type {Node} */ control, /** @type {string} */ hint = '') => el('div', { class: 'field' }, [
      el('label', { attrs: { for: id }, text: label }),
      control,
      hint ? el('p', { class: 'hint', attrs: { id: `${id}-hint` }, text: hint }) : null,
    ]);
    const questionMax = limits.pollQuestionMaxLength;

    /** @type {HTMLElement[]} */
    const parts = [
      el('h3', { text: t(f.mode === 'edit' ? 'mod.poll.form.edit' : 'mod.poll.form.new') }),
      field('poll-kind', t('mod.poll.form.kind'), select('poll-kind', 'poll-kind', f.kind,
        POLL_KINDS.map((k) => [k, t(`poll.kind.${k}`)]), (v) => {
          f.kind = POLL_KINDS.find((k) => k === v) ?? f.kind;
          f.error = null;
          render();
        }), t(`mod.poll.kind_hint.${f.kind}`)),
      field('poll-question', t('mod.poll.form.question'), el('textarea', {
        attrs: { id: 'poll-question', rows: 2, 'data-testid': 'poll-question', 'data-fk': 'question', 'aria-describedby': questionMax ? 'poll-question-hint' : null },
        props: { value: f.question },
        on: { input: (e) => { f.question = /** @type {HTMLInputElement} */ (e.target).value; } },
      }), questionMax ? t('mod.poll.form.question_hint', { max: questionMax }) : ''),
    ];

    if (withOptions) {
      parts.push(el('fieldset', { class: 'options-fieldset' }, [
        el('legend', { text: t(f.kind === 'quiz' ? 'mod.poll.form.options_quiz' : 'mod.poll.form.options') }),
        el('ol', { class: 'option-rows' }, f.options.map((_, index) => optionRow(f, index))),
        el('button', {
          class: 'btn btn-small',
          text: `+ ${t('mod.poll.form.add_option')}`,
          attrs: { type: 'button', 'data-testid': 'poll-add-option', 'data-fk': 'add', 'aria-disabled': roomForOption(f) ? null : 'true' },
          on: {
            click: () => {
              if (!roomForOption(f)) {
                return;
              }
              f.options.push('');
              render();
              focus(`[data-fk="opt-${f.options.length - 1}"]`);
            },
          },
        }),
      ]));
    }
    if (f.kind === 'multiple') {
      parts.push(field('poll-max-picks', t('mod.poll.form.max_picks'), el('input', {
        attrs: { id: 'poll-max-picks', type: 'number', min: 1, max: limits.pollMaxOptions || null, inputmode: 'numeric', 'data-testid': 'poll-max-picks', 'data-fk': 'max', 'aria-describedby': 'poll-max-picks-hint' },
        props: { value: f.maxPicks },
        on: { input: (e) => { f.maxPicks = /** @type {HTMLInputElement} */ (e.target).value; } },
      }), t('mod.poll.form.max_picks_hint')));
    }
    if (f.kind === 'rating') {
      parts.push(field('poll-scale', t('mod.poll.form.scale'), scaleControl(f)));
    }
    if (f.kind === 'quiz') {
      parts.push(field('poll-timer', t('mod.poll.form.timer'), el('input', {
        attrs: { id: 'poll-timer', type: 'number', min: limits.quizMinSeconds || null, max: limits.quizMaxSeconds || null, step: 5, inputmode: 'numeric', 'data-testid': 'poll-timer', 'data-fk': 'timer', 'aria-describedby': 'poll-timer-hint' },
        props: { value: f.timer },
        on: { input: (e) => { f.timer = /** @type {HTMLInputElement} */ (e.target).value; } },
      }), t('mod.poll.form.timer_hint', { ...limits })));
    }
    parts.push(field('poll-visibility', t('mod.poll.form.visibility'), select('poll-visibility', 'poll-visibility', f.visibility,
      VISIBILITIES.map((v) => [v, t(`poll.visibility.${v}`)]), (v) => {
        f.visibility = VISIBILITIES.find((x) => x === v) ?? f.visibility;
        render();
      }), t(`mod.poll.visibility_hint.${f.visibility}`)));
    parts.push(el('p', {
      class: 'field-error',
      attrs: { role: 'alert', tabindex: '-1', 'data-testid': 'poll-form-error' },
      text: formError(f.error),
      props: { hidden: !f.error },
    }));
    parts.push(el('div', { class: 'form-actions' }, [
      el('button', {
        class: 'btn btn-primary',
        text: t(f.busy ? 'mod.poll.form.saving' : 'mod.poll.form.save'),
        attrs: { type: 'submit', 'data-testid': 'poll-save', 'data-fk': 'save', 'aria-disabled': f.busy ? 'true' : null },
      }),
      el('button', {
        class: 'btn',
        text: t('action.cancel'),
        attrs: { type: 'button', 'data-testid': 'poll-cancel', 'data-fk': 'cancel' },
        on: { click: close },
      }),
    ]));
    const form = el('form', {
      class: 'poll-form',
      attrs: { 'data-testid': 'poll-form', novalidate: true, 'aria-label': t(f.mode === 'edit' ? 'mod.poll.form.edit' : 'mod.poll.form.new') },
      on: {
        submit: (e) => {
          e.preventDefault();
          save();
        },
        keydown: (/** @type {KeyboardEvent} */ e) => {
          if (e.key === 'Escape') {
            close();
          }
        },
      },
    }, parts);
    ui.host.replaceChildren(form);
    if (focusKey) {
      focus(`[data-fk="${focusKey}"]`);
    }
  }

  ui.pollNew.addEventListener('click', () => {
    if (pollForm && pollForm.mode === 'new') {
      close();
      return;
    }
    open(blankForm());
  });

  return {
    edit(poll) {
      open(formFromPoll(poll));
    },
    render,
    reset() {
      pollForm = null;
      render();
    },
    pollsShown(ids) {
      if (pollForm && pollForm.mode === 'edit' && pollForm.pollId !== null && !ids.has(pollForm.pollId)) {
        pollForm = null;
        render();
      }
    },
  };
}
