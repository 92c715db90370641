// @ts-check
// The question queues (Menunggu, Disetujui, Sudah dijawab, Ditolak, Arsip) as tabs, the question on screen with the
// next one by priority, the label filter, and each question's moderation in one click with an undo.
import { $, announce, el, reconcile, replace, toast, userText } from '/js/lib/dom.js';
import { replyBlock } from '/js/lib/question.js';
import { byNewest, byOldest, byPopular } from '/js/lib/session-state.js';
import { getLanguage, t } from '/js/lib/strings.js';
import { createCard } from '/js/moderator/card.js';
import { createEditors } from '/js/moderator/editors.js';

/** @typedef {import('../../../types/protocol').QuestionView} QuestionView */
/** @typedef {import('../../../types/protocol').QuestionStatus} QuestionStatus */
/** @typedef {import('../../../types/protocol').QuestionAction} QuestionAction */
/** @typedef {import('/js/lib/connection.js').LiveErrorShape} LiveErrorShape */

/** The queues in tab order, one per question status the server keeps (QuestionStatus); the audit log names them too. */
/** @type {QuestionStatus[]} */
export const QUEUES = ['pending', 'approved', 'answered', 'dismissed', 'archived'];

/**
 * @typedef {object} Queue
 * @property {() => void} render the tabs, the queue shown, the question on screen and the next one
 * @property {() => number} pendingCount
 * @property {(change: import('/js/lib/session-state.js').StateChange) => void} stateChanged says new pending questions, closes editors of gone ones
 * @property {() => void} sessionChanged closes the editors and the label filter of the session left
 * @property {() => void} loaded the session's first state: its pending questions are not new
 * @property {() => void} languageChanged
 */

/**
 * @param {{
 *   live: import('/js/lib/connection.js').Live,
 *   state: import('/js/lib/session-state.js').SessionState,
 *   getSessionId: () => number | null,
 *   failed: (r: { error: LiveErrorShape }) => Promise<boolean>,
 *   toastError: (error: LiveErrorShape) => void,
 *   render: () => void,
 * }} deps
 * @returns {Queue}
 */
export function createQueue({ live, state, getSessionId, failed, toastError, render: renderPage }) {
  const ui = {
    onScreen: /** @type {HTMLElement & { _sig?: string | null }} */ ($('#on-screen')),
    next: $('#next'),
    nextPreview: $('#next-preview'),
    tabs: $('#tabs'),
    panel: $('#queue-panel'),
    hint: $('#queue-hint'),
    list: $('#queue-list'),
    empty: $('#queue-empty'),
    labelFilterBox: $('#label-filter-box'),
    labelFilter: /** @type {HTMLSelectElement & { _sig?: string }} */ ($('#label-filter')),
  };
  /** @type {QuestionStatus} */
  let queue = 'pending';
  let labelFilter = '';
  /** @type {Set<number>} questions with a call under way */
  const busy = new Set();
  /** @type {Set<number>} pending questions already counted as new */
  let seenPending = new Set();
  let newPending = 0;
  /** @type {ReturnType<typeof setTimeout> | undefined} */
  let newPendingTimer;

  const editors = createEditors({
    state,
    getSessionId,
    questionCall,
    isBusy: (id) => busy.has(id),
    toastError,
    focusIn,
    focusQueueTab: () => /** @type {HTMLElement | null} */ (ui.tabs.querySelector('[aria-selected="true"]'))?.focus(),
    render: renderPage,
  });
  const card = createCard({
    state,
    editors,
    isBusy: (id) => busy.has(id),
    moderate: (q, action) => moderate(q, action),
    getLabelFilter: () => labelFilter,
    setLabelFilter,
  });

  /** @type {Partial<Record<QuestionAction, QuestionAction>>} */
  const UNDO = { dismiss: 'restore', answer: 'restore', archive: 'restore' };

  /** @param {QuestionView} question @param {QuestionAction} action @param {{ quiet?: boolean }} [options] */
  async function moderate(question, action, { quiet = false } = {}) {
    const previousOnScreen = state.onScreenQuestionId;
    const place = queuePlace(question.id);
    const sessionId = getSessionId();
    if (sessionId === null) {
      return;
    }
    const r = await questionCall(question.id, 'ModerateQuestion', { sessionId, questionId: question.id, action }, toastError);
    if (!r) {
      return;
    }
    // Show the outcome now; the versioned delta that follows carries the same state.
    if (r.value && state.questions.has(r.value.id)) {
      state.questions.set(r.value.id, r.value);
    }
    if (action === 'show' && state.projectorMode !== 'questions') {
      // "Show on screen" means on the projector now, even if it was showing a poll or the holding screen.
      const shown = await live.request('SetProjector', { sessionId, mode: 'questions', pollId: null });
      if (shown.ok) {
        state.projectorMode = shown.value.mode;
        state.projectorPollId = shown.value.pollId ?? null;
      }
    }
    renderPage();
    keepQueuePlace(place, action);
    if (quiet) {
      return;
    }
    /** @type {(() => void) | null} */
    let undo = null;
    const reverse = UNDO[action];
    if (reverse) {
      undo = () => moderate(r.value, reverse, { quiet: true });
    } else if (action === 'show') {
      const previous = previousOnScreen && state.questions.get(previousOnScreen);
      undo = previous ? () => moderate(previous, 'show', { quiet: true }) : () => moderate(r.value, 'hide', { quiet: true });
    } else if (action === 'hide') {
      undo = () => moderate(r.value, 'show', { quiet: true });
    }
    toast(t(`done.${action}`), undo ? { action: { label: t('action.undo'), run: undo, testid: 'undo' } } : {});
  }

  /**
   * One question's tool call, with its card busy meanwhile (a second call while it is busy is ignored). Resolves to
   * the result when it worked; a failure goes to onError (before the queue is drawn again) and resolves to null.
   * @template {import('/js/moderator/editors.js').QuestionMethod} M
   * @param {number} questionId @param {M} method @param {Parameters<import('../../../types/protocol').HubMethods[M]>[0]} args
   * @param {(error: LiveErrorShape) => void} onError
   * @returns {Promise<{ value: QuestionView } | null>}
   */
  async function questionCall(questionId, method, args, onError) {
    if (busy.has(questionId)) {
      return null;
    }
    busy.add(questionId);
    renderPage();
    // Each of these methods takes its one request; TypeScript cannot see that a generic method's arguments are that one.
    const r = await live.request(method, .../** @type {Parameters<import('../../../types/protocol').HubMethods[M]>} */ ([args]));
    busy.delete(questionId);
    if (r.ok) {
      return r;
    }
    if (!(await failed(r))) {
      onError(r.error);
      renderPage();
    }
    return null;
  }

  /** Where in the queue the focus is, when it is on this question's card: the card's position, else -1. */
  /** @param {number} questionId */
  function queuePlace(questionId) {
    const cards = [...ui.list.children];
    const index = cards.findIndex((c) => c.dataset.questionId === String(questionId));
    return index >= 0 && cards[index].contains(document.activeElement) ? index : -1;
  }

  /**
   * A card that left the queue (approved, dismissed…) or lost the pressed button took the keyboard focus with it: give it
   * to the same action on the card now in that place, else to that card's first button, else to the queue's tab.
   */
  /** @param {number} index @param {string} action */
  function keepQueuePlace(index, action) {
    if (index < 0 || (document.activeElement && document.activeElement !== document.body)) {
      return;
    }
    const card = ui.list.children[Math.min(index, ui.list.children.length - 1)];
    const target = card && (card.querySelector(`[data-testid="action-${action}"]`) || card.querySelector('button'));
    (target || ui.tabs.querySelector('[aria-selected="true"]'))?.focus();
  }

  /** @param {number} questionId @param {string} selector */
  function focusIn(questionId, selector) {
    /** @type {HTMLElement | null} */ (document.querySelector(`#queue-list [data-question-id="${questionId}"] ${selector}`))?.focus();
  }

  function sessionLabels() {
    /** @type {Map<string, string>} */
    const all = new Map();
    for (const q of state.questions.values()) {
      for (const label of q.labels || []) {
        all.set(label.toLowerCase(), all.get(label.toLowerCase()) || label);
      }
    }
    return [...all.values()].sort((a, b) => a.localeCompare(b, getLanguage()));
  }

  /** @param {QuestionView} q @param {string} label */
  function hasLabel(q, label) {
    return (q.labels || []).some((l) => l.toLowerCase() === label.toLowerCase());
  }

  /** @param {string | null} label */
  function setLabelFilter(label) {
    labelFilter = label || '';
    renderPage();
  }

  ui.next.addEventListener('click', () => {
    const next = nextQuestion();
    if (next) {
      moderate(next, 'show');
    }
  });

  ui.tabs.addEventListener('keydown', (/** @type {KeyboardEvent} */ e) => {
    const tab = /** @type {HTMLElement | null} */ (/** @type {Element} */ (e.target).closest('[data-queue]'));
    const index = QUEUES.indexOf(/** @type {QuestionStatus} */ (tab?.dataset.queue) || queue);
    let target = null;
    if (e.key === 'ArrowRight') target = QUEUES[(index + 1) % QUEUES.length];
    if (e.key === 'ArrowLeft') target = QUEUES[(index + QUEUES.length - 1) % QUEUES.length];
    if (e.key === 'Home') target = QUEUES[0];
    if (e.key === 'End') target = QUEUES[QUEUES.length - 1];
    if (target) {
      e.preventDefault();
      queue = target;
      renderPage();
      ui.tabs.querySelector(`[data-queue="${target}"]`).focus();
    }
  });

  function nextQuestion() {
    return [...state.questions.values()]
      .filter((q) => q.status === 'approved' && q.id !== state.onScreenQuestionId)
      .sort(byPopular)[0] || null;
  }

  /** @param {QuestionStatus} status */
  function sorted(status) {
    const list = [...state.questions.values()].filter((q) => q.status === status);
    if (status === 'pending') return list.sort(byOldest);
    if (status === 'approved') return list.sort(byPopular);
    if (status === 'answered') return list.sort((a, b) => (b.answeredAt || 0) - (a.answeredAt || 0) || byNewest(a, b));
    return list.sort(byNewest);
  }

  function renderOnScreen() {
    const q = state.onScreenQuestionId ? state.questions.get(state.onScreenQuestionId) : null;
    ui.onScreen.classList.toggle('is-empty', !q);
    if (q) {
      ui.onScreen.dataset.questionId = String(q.id);
    } else {
      delete ui.onScreen.dataset.questionId;
    }
    const sig = JSON.stringify([getLanguage(), q && [q.id, q.text, q.authorName, q.upvotes, q.status, q.reply], q && busy.has(q.id)]);
    if (ui.onScreen._sig !== sig) {
      ui.onScreen._sig = sig;
      const active = /** @type {HTMLElement | null} */ (document.activeElement);
      const focused = active && ui.onScreen.contains(active) ? active.dataset.testid : null;
      replace(ui.onScreen, ...(q
        ? [
          el('p', { class: 'q-text' }, [userText(q.text)]),
          replyBlock(q.reply),
          el('p', { class: 'q-meta' }, [
            el('span', { class: 'q-id', text: `#${q.id}` }),
            el('span', { class: 'author' }, [q.authorName ? userText(q.authorName) : t('question.anonymous')]),
            el('span', { text: t('question.upvotes', { count: q.upvotes }) }),
          ]),
          el('div', { class: 'q-actions mine-actions' }, [
            card.actionButton(q, 'hide', 'btn-primary'),
            el('button', {
              class: 'btn btn-ok',
              text: t('action.answer'),
              attrs: { type: 'button', 'data-testid': 'on-screen-answer', 'aria-disabled': busy.has(q.id) ? 'true' : null },
              on: { click: () => moderate(q, 'answer') },
            }),
          ]),
        ]
        : [el('p', { text: t('mod.on_screen.none') })]));
      if (focused) {
        /** @type {HTMLElement | null} */ (ui.onScreen.querySelector(`[data-testid="${focused}"]`))?.focus();
      }
    }
    const next = nextQuestion();
    ui.next.setAttribute('aria-disabled', next ? 'false' : 'true');
    ui.nextPreview.textContent = next ? t('mod.next.preview', { text: next.text }) : t('mod.next.none');
  }

  function renderTabs() {
    if (!ui.tabs.children.length) {
      for (const name of QUEUES) {
        ui.tabs.append(el('button', {
          class: 'tab',
          attrs: { type: 'button', role: 'tab', id: `tab-${name}`, 'aria-controls': 'queue-panel', 'data-testid': `queue-${name}`, 'data-queue': name },
          on: { click: () => { queue = name; renderPage(); } },
        }));
      }
    }
    for (const button of ui.tabs.children) {
      const name = button.dataset.queue;
      const count = sorted(name).length;
      const selected = name === queue;
      button.setAttribute('aria-selected', selected ? 'true' : 'false');
      button.tabIndex = selected ? 0 : -1;
      button.dataset.count = String(count);
      button.classList.toggle('has-new', name === 'pending' && count > 0 && !selected);
      button.replaceChildren(el('span', { text: t(`queue.${name}`) }), el('span', { class: 'count', text: String(count) }));
    }
    ui.panel.setAttribute('aria-labelledby', `tab-${queue}`);
  }

  function renderLabelFilter() {
    const labels = sessionLabels();
    if (labelFilter && !labels.some((l) => l.toLowerCase() === labelFilter.toLowerCase())) {
      labelFilter = '';
    }
    ui.labelFilterBox.hidden = labels.length === 0;
    const sig = JSON.stringify([getLanguage(), labels, labelFilter]);
    if (ui.labelFilter._sig === sig) {
      return;
    }
    ui.labelFilter._sig = sig;
    ui.labelFilter.replaceChildren(
      el('option', { text: t('mod.labels.all'), attrs: { value: '' } }),
      ...labels.map((l) => el('option', { text: l, attrs: { value: l, selected: labelFilter.toLowerCase() === l.toLowerCase() } })),
    );
    ui.labelFilter.value = labels.find((l) => l.toLowerCase() === labelFilter.toLowerCase()) || '';
  }

  function renderQueue() {
    renderLabelFilter();
    const all = sorted(queue);
    const items = labelFilter ? all.filter((q) => hasLabel(q, labelFilter)) : all;
    const order = queue === 'pending' ? t('queue.order.pending') : queue === 'approved' ? t('queue.order.approved') : '';
    ui.hint.textContent = [labelFilter ? t('mod.labels.filtered', { label: labelFilter, count: items.length, total: all.length }) : null, order]
      .filter(Boolean).join(' ');
    ui.hint.hidden = !ui.hint.textContent;
    reconcile(ui.list, items, { key: (q) => q.id, sig: card.sig, build: card.build });
    ui.empty.hidden = items.length > 0 || !state.loaded;
  }

  ui.labelFilter.addEventListener('change', () => setLabelFilter(ui.labelFilter.value));

  return {
    render() {
      renderOnScreen();
      renderTabs();
      renderQueue();
    },
    pendingCount: () => sorted('pending').length,
    stateChanged(change) {
      if (change.kind === 'QuestionAsked' && change.delta.question && change.delta.question.status === 'pending') {
        const id = change.delta.question.id;
        if (!seenPending.has(id)) {
          seenPending.add(id);
          newPending += 1;
          // Several questions in a burst make one announcement.
          clearTimeout(newPendingTimer);
          newPendingTimer = setTimeout(() => {
            announce(t('mod.new_pending', { count: newPending }));
            newPending = 0;
          }, 1500);
        }
      }
      editors.dropGone();
    },
    sessionChanged() {
      editors.close();
      labelFilter = '';
      seenPending = new Set();
    },
    loaded() {
      if (seenPending.size === 0) {
        seenPending = new Set([...state.questions.values()].filter((q) => q.status === 'pending').map((q) => q.id));
      }
    },
    languageChanged() {
      ui.onScreen._sig = null;
    },
  };
}
