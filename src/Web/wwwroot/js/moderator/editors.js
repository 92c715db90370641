// @ts-check
// A question's editors, one open at a time: fix its text, reply to it (the reply shows under it everywhere), label it
// (labels only moderators see), or merge it into a duplicate (its votes go to the one kept).
import { el, toast, userText } from '/js/lib/dom.js';
import { limits, tooLong } from '/js/lib/limits.js';
import { byPopular } from '/js/lib/session-state.js';
import { errorText, t } from '/js/lib/strings.js';

const MERGEABLE = ['pending', 'approved', 'answered'];

/** @typedef {import('../../../types/protocol').QuestionView} QuestionView */
/** @typedef {import('../../../types/protocol').HubMethods} HubMethods */
/** @typedef {import('/js/lib/connection.js').LiveErrorShape} LiveErrorShape */
/** An error under an editor: the server's, or the page's own check before sending. */
/** @typedef {LiveErrorShape | { messageKey: string, max?: number }} FieldError */
/** @typedef {{ id: number, draft: string, error: FieldError | null }} Draft */
/** The hub methods that act on one question and answer with it. */
/** @typedef {'ModerateQuestion' | 'EditQuestion' | 'ReplyToQuestion' | 'LabelQuestion' | 'MergeQuestions'} QuestionMethod */
/**
 * One question's tool call (js/moderator/queue.js): the result when it worked, else null after onError heard why.
 * @typedef {<M extends QuestionMethod>(questionId: number, method: M, args: Parameters<HubMethods[M]>[0],
 *   onError: (error: LiveErrorShape) => void) => Promise<{ value: QuestionView } | null>} QuestionCall
 */

/**
 * @typedef {'edit' | 'reply' | 'labels' | 'merge'} Tool
 * @typedef {object} Editors
 * @property {(tool: Tool, q: QuestionView) => void} start opens a tool on a question (closing any other)
 * @property {(q: QuestionView, tool: Tool) => void} cancel closes it and gives the focus back to its button
 * @property {() => void} close closes whatever is open
 * @property {(tool: Tool, q: QuestionView) => boolean} isOpen
 * @property {(q: QuestionView) => Node | null} editBox the text editor in place of the question's text, when editing
 * @property {(q: QuestionView) => Node | null} editActions save and cancel, in place of the card's actions, when editing
 * @property {(q: QuestionView) => Node | null} toolBox the reply, labels or merge box under the card
 * @property {(q: QuestionView) => unknown} sig what of the editors a card shows, to tell when to draw it again
 * @property {() => void} dropGone closes an editor whose question left the session
 */

/**
 * @param {{
 *   state: import('/js/lib/session-state.js').SessionState,
 *   getSessionId: () => number | null,
 *   questionCall: QuestionCall,
 *   isBusy: (questionId: number) => boolean,
 *   toastError: (error: LiveErrorShape) => void,
 *   focusIn: (questionId: number, selector: string) => void,
 *   focusQueueTab: () => void,
 *   render: () => void,
 * }} deps
 * @returns {Editors}
 */
export function createEditors({ state, getSessionId, questionCall, isBusy, toastError, focusIn, focusQueueTab, render }) {
  /** @type {Draft | null} */
  let editing = null;
  /** @type {Draft | null} */
  let replying = null;
  /** @type {Draft | null} */
  let labeling = null;
  /** @type {{ id: number, search: string } | null} */
  let merging = null;
  const START = { edit: startEdit, reply: startReply, labels: startLabels, merge: startMerge };

  /** @param {QuestionView} question */
  async function saveEdit(question) {
    if (!editing || editing.id !== question.id) {
      return;
    }
    const text = editing.draft.trim();
    if (!text) {
      editing.error = { messageKey: 'error.text_empty' };
      render();
      return;
    }
    await submit(editing, question, 'EditQuestion', (sessionId) => ({ sessionId, questionId: question.id, text }), 'action-edit', 'done.edit');
  }

  /**
   * Sends an open editor's change for its question: taken, the editor closes, the card shows the server's view and the
   * focus goes back to the button that opened it; refused, the server's error shows under the editor.
   * @template {QuestionMethod} M
   * @param {Draft} draft @param {QuestionView} question @param {M} method
   * @param {(sessionId: number) => Parameters<HubMethods[M]>[0]} payload @param {string} button @param {string} doneKey
   */
  async function submit(draft, question, method, payload, button, doneKey) {
    const sessionId = getSessionId();
    if (sessionId === null) {
      return;
    }
    const r = await questionCall(question.id, method, payload(sessionId), (error) => { draft.error = error; });
    if (!r) {
      return;
    }
    editing = editing === draft ? null : editing;
    replying = replying === draft ? null : replying;
    labeling = labeling === draft ? null : labeling;
    storeQuestion(r.value);
    render();
    focusIn(question.id, `[data-testid="${button}"]`);
    toast(t(doneKey));
  }

  /** @param {QuestionView} question */
  function startEdit(question) {
    closeEditors();
    editing = { id: question.id, draft: question.text, error: null };
    render();
    focusEditor(question.id, '[data-testid="edit-text"]');
  }

  function closeEditors() {
    editing = null;
    replying = null;
    labeling = null;
    merging = null;
  }

  /** @param {number} questionId @param {string} selector */
  function focusEditor(questionId, selector) {
    const box = /** @type {HTMLTextAreaElement | null} */ (document.querySelector(`#queue-list [data-question-id="${questionId}"] ${selector}`));
    if (box) {
      box.focus();
      box.setSelectionRange(box.value.length, box.value.length);
    }
  }

  /** @param {QuestionView} view */
  function storeQuestion(view) {
    const held = view && state.questions.get(view.id);
    if (held) {
      state.questions.set(view.id, { ...held, ...view });
    }
  }

  /** @param {QuestionView} question */
  function startReply(question) {
    closeEditors();
    replying = { id: question.id, draft: question.reply || '', error: null };
    render();
    focusEditor(question.id, '[data-testid="reply-text"]');
  }

  /** @param {QuestionView} question */
  async function saveReply(question) {
    if (!replying || replying.id !== question.id || isBusy(question.id)) {
      return;
    }
    const text = replying.draft.trim();
    const max = limits.replyMaxLength;
    if (max && tooLong(text, max)) {
      replying.error = { messageKey: 'error.text_too_long', max };
      render();
      return;
    }
    await submit(replying, question, 'ReplyToQuestion', (sessionId) => ({ sessionId, questionId: question.id, text }), 'action-reply',
      text ? 'done.reply' : 'done.reply_removed');
  }

  /** @param {string} text */
  function parseLabels(text) {
    const seen = new Set();
    const labels = [];
    for (const raw of text.split(',')) {
      const label = raw.trim();
      if (label && !seen.has(label.toLowerCase())) {
        seen.add(label.toLowerCase());
        labels.push(label);
      }
    }
    return labels;
  }

  /** @param {QuestionView} question */
  function startLabels(question) {
    closeEditors();
    labeling = { id: question.id, draft: (question.labels || []).join(', '), error: null };
    render();
    focusEditor(question.id, '[data-testid="labels-input"]');
  }

  /** @param {QuestionView} question */
  async function saveLabels(question) {
    if (!labeling || labeling.id !== question.id || isBusy(question.id)) {
      return;
    }
    const labels = parseLabels(labeling.draft);
    if ((limits.maxLabels && labels.length > limits.maxLabels)
      || (limits.labelMaxLength && labels.some((l) => tooLong(l, limits.labelMaxLength)))) {
      labeling.error = { messageKey: 'error.invalid.labels' };
      render();
      return;
    }
    await submit(labeling, question, 'LabelQuestion', (sessionId) => ({ sessionId, questionId: question.id, labels }), 'action-labels', 'done.labels');
  }

  /** @param {QuestionView} source @param {string} search */
  function mergeCandidates(source, search) {
    const needle = search.trim().toLowerCase().replace(/^#/, '');
    return [...state.questions.values()]
      .filter((q) => q.id !== source.id && !q.mergedIntoId && MERGEABLE.includes(q.status))
      .filter((q) => !needle || q.text.toLowerCase().includes(needle) || String(q.id) === needle
        || (q.authorName || '').toLowerCase().includes(needle))
      .sort((a, b) => Number(a.status === 'pending') - Number(b.status === 'pending') || byPopular(a, b))
      .slice(0, 30);
  }

  /** @param {QuestionView} question */
  function startMerge(question) {
    closeEditors();
    merging = { id: question.id, search: '' };
    render();
    focusIn(question.id, '[data-testid="merge-search"]');
  }

  /** @param {QuestionView} source @param {QuestionView} target */
  async function mergeInto(source, target) {
    const sessionId = getSessionId();
    if (sessionId === null) {
      return;
    }
    const r = await questionCall(source.id, 'MergeQuestions', { sessionId, sourceId: source.id, targetId: target.id }, toastError);
    if (!r) {
      return;
    }
    merging = null;
    storeQuestion(r.value);
    const src = state.questions.get(source.id);
    if (src) {
      state.questions.set(source.id, { ...src, status: 'archived', mergedIntoId: target.id });
    }
    render();
    toast(t('done.merge', { id: target.id }));
    focusQueueTab();
  }

  /**
   * Escape cancels; Enter saves a one-line box, Ctrl+Enter a text area.
   * @param {() => void} onSave @param {() => void} onCancel @returns {(e: KeyboardEvent) => void}
   */
  function editorKeys(onSave, onCancel) {
    return (e) => {
      if (e.key === 'Escape') {
        e.preventDefault();
        onCancel();
      }
      if (e.key === 'Enter' && (e.ctrlKey || e.metaKey || /** @type {HTMLElement} */ (e.target).tagName === 'INPUT')) {
        e.preventDefault();
        onSave();
      }
    };
  }

  /** @param {QuestionView} q @param {Tool} tool */
  function cancelTool(q, tool) {
    closeEditors();
    render();
    focusIn(q.id, `[data-testid="action-${tool}"]`);
  }

  /** @param {QuestionView} q @param {Draft} replying */
  function replyEditor(q, replying) {
    const id = `reply-${q.id}`;
    const cancel = () => cancelTool(q, 'reply');
    return el('div', { class: 'tool-box reply-box' }, [
      el('label', { attrs: { for: id }, text: t(q.status === 'pending' ? 'mod.reply.label_pending' : 'mod.reply.label') }),
      el('textarea', {
        attrs: { id, rows: 3, 'data-testid': 'reply-text', 'data-fk': 'reply-text', 'aria-describedby': `${id}-hint` },
        props: { value: replying.draft },
        on: { input: (e) => { replying.draft = /** @type {HTMLInputElement} */ (e.target).value; }, keydown: editorKeys(() => saveReply(q), cancel) },
      }),
      limits.replyMaxLength ? el('p', { class: 'hint', attrs: { id: `${id}-hint` }, text: t('mod.reply.hint', { max: limits.replyMaxLength }) }) : null,
      replying.error ? el('p', { class: 'field-error', attrs: { role: 'alert' }, text: errorText(replying.error, limits.replyMaxLength ? { max: limits.replyMaxLength } : {}) }) : null,
      el('div', { class: 'form-actions' }, [
        el('button', { class: 'btn btn-primary', text: t('mod.reply.save'), attrs: { type: 'button', 'data-testid': 'reply-save' }, on: { click: () => saveReply(q) } }),
        el('button', { class: 'btn', text: t('action.cancel'), attrs: { type: 'button', 'data-testid': 'reply-cancel' }, on: { click: cancel } }),
      ]),
    ]);
  }

  /** @param {QuestionView} q @param {Draft} labeling */
  function labelsEditor(q, labeling) {
    const id = `labels-${q.id}`;
    const cancel = () => cancelTool(q, 'labels');
    return el('div', { class: 'tool-box labels-box' }, [
      el('label', { attrs: { for: id }, text: t('mod.labels.label') }),
      el('input', {
        attrs: { id, type: 'text', 'data-testid': 'labels-input', 'data-fk': 'labels-input', autocomplete: 'off', 'aria-describedby': `${id}-hint` },
        props: { value: labeling.draft },
        on: { input: (e) => { labeling.draft = /** @type {HTMLInputElement} */ (e.target).value; }, keydown: editorKeys(() => saveLabels(q), cancel) },
      }),
      limits.maxLabels && limits.labelMaxLength
        ? el('p', { class: 'hint', attrs: { id: `${id}-hint` }, text: t('mod.labels.hint', { count: limits.maxLabels, max: limits.labelMaxLength }) })
        : null,
      labeling.error ? el('p', { class: 'field-error', attrs: { role: 'alert' }, text: errorText(labeling.error) }) : null,
      el('div', { class: 'form-actions' }, [
        el('button', { class: 'btn btn-primary', text: t('mod.labels.save'), attrs: { type: 'button', 'data-testid': 'labels-save' }, on: { click: () => saveLabels(q) } }),
        el('button', { class: 'btn', text: t('action.cancel'), attrs: { type: 'button', 'data-testid': 'labels-cancel' }, on: { click: cancel } }),
      ]),
    ]);
  }

  /** @param {QuestionView} q @param {{ search: string }} merging */
  function mergePicker(q, merging) {
    const id = `merge-${q.id}`;
    const candidates = mergeCandidates(q, merging.search);
    return el('div', { class: 'tool-box merge-box', attrs: { role: 'group', 'aria-labelledby': `${id}-title` } }, [
      el('p', { class: 'merge-title', attrs: { id: `${id}-title` }, text: t('mod.merge.title', { id: q.id }) }),
      el('p', { class: 'hint', text: t('mod.merge.hint') }),
      el('label', { attrs: { for: id }, text: t('mod.merge.search') }),
      el('input', {
        attrs: { id, type: 'search', 'data-testid': 'merge-search', 'data-fk': 'merge-search', autocomplete: 'off' },
        props: { value: merging.search },
        on: {
          input: (e) => { merging.search = /** @type {HTMLInputElement} */ (e.target).value; render(); },
          keydown: (/** @type {KeyboardEvent} */ e) => { if (e.key === 'Escape') { e.preventDefault(); cancelTool(q, 'merge'); } },
        },
      }),
      candidates.length
        ? el('ul', { class: 'merge-list' }, candidates.map((c) => el('li', {}, [el('button', {
          class: 'merge-target',
          attrs: { type: 'button', 'data-testid': 'merge-target', 'data-question-id': c.id, 'data-fk': `merge-${c.id}` },
          on: { click: () => mergeInto(q, c) },
        }, [
          el('span', { class: 'merge-target-head' }, [
            el('span', { class: 'q-id', text: `#${c.id}` }),
            el('span', { class: ['badge', `badge-${c.status}`], text: t(`queue.${c.status}`) }),
            el('span', { class: 'merge-votes', text: t('question.upvotes', { count: c.upvotes }) }),
          ]),
          el('span', { class: 'merge-target-text' }, [userText(c.text)]),
        ])])))
        : el('p', { class: 'empty merge-empty', text: t('mod.merge.none') }),
      el('div', { class: 'form-actions' }, [
        el('button', { class: 'btn', text: t('action.cancel'), attrs: { type: 'button', 'data-testid': 'merge-cancel' }, on: { click: () => cancelTool(q, 'merge') } }),
      ]),
    ]);
  }

  /** @param {QuestionView} q */
  function editBox(q) {
    if (!editing || editing.id !== q.id) {
      return null;
    }
    const box = el('textarea', {
      attrs: { 'data-testid': 'edit-text', 'aria-label': t('mod.edit_label'), rows: 4 },
      props: { value: editing.draft },
      on: {
        input: (e) => { if (editing) editing.draft = /** @type {HTMLInputElement} */ (e.target).value; },
        keydown: (/** @type {KeyboardEvent} */ e) => {
          if (e.key === 'Escape') { editing = null; render(); }
          if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) { e.preventDefault(); saveEdit(q); }
        },
      },
    });
    return el('div', { class: 'edit-box' }, [
      box,
      editing.error ? el('p', { class: 'field-error', attrs: { role: 'alert' }, text: errorText(editing.error) }) : null,
    ]);
  }

  /** @param {QuestionView} q */
  function editActions(q) {
    if (!editing || editing.id !== q.id) {
      return null;
    }
    return el('div', { class: 'q-actions' }, [
      el('button', { class: 'btn btn-primary', text: t('action.save'), attrs: { type: 'button', 'data-testid': 'action-save' }, on: { click: () => saveEdit(q) } }),
      el('button', { class: 'btn', text: t('action.cancel'), attrs: { type: 'button', 'data-testid': 'action-cancel' }, on: { click: () => { editing = null; render(); } } }),
    ]);
  }

  /** @param {Tool} tool @param {QuestionView} q */
  function isOpen(tool, q) {
    const open = { edit: editing, reply: replying, labels: labeling, merge: merging }[tool];
    return !!open && open.id === q.id;
  }

  return {
    start(tool, q) {
      START[tool](q);
    },
    cancel: cancelTool,
    close: closeEditors,
    isOpen,
    editBox,
    editActions,
    toolBox(q) {
      if (replying && replying.id === q.id) {
        return replyEditor(q, replying);
      }
      if (labeling && labeling.id === q.id) {
        return labelsEditor(q, labeling);
      }
      return merging && merging.id === q.id ? mergePicker(q, merging) : null;
    },
    sig(q) {
      return [
        editing && editing.id === q.id && [editing.error && editing.error.messageKey],
        replying && replying.id === q.id && [replying.error && replying.error.messageKey],
        labeling && labeling.id === q.id && [labeling.error && labeling.error.messageKey],
        merging && merging.id === q.id && [merging.search, mergeCandidates(q, merging.search).map((c) => [c.id, c.status, c.upvotes, c.text])],
      ];
    },
    dropGone() {
      for (const open of [editing, replying, labeling, merging]) {
        if (open && !state.questions.has(open.id)) {
          closeEditors();
        }
      }
    },
  };
}
