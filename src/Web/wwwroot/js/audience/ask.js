// @ts-check
// Asking: the form (checked against the server's limits before it goes), and one's own questions with their way
// through the outbox (Mengirim… / Terkirim / Pengiriman gagal — Coba lagi) and the moderator (waiting, approved…).
import { $, el, reconcile, userText } from '/js/lib/dom.js';
import { limits, textLength, tooLong } from '/js/lib/limits.js';
import { replyBlock } from '/js/lib/question.js';
import { storage } from '/js/lib/storage.js';
import { errorText, getLanguage, t } from '/js/lib/strings.js';

const NAME_KEY = 'lh.name';

/** @typedef {ReturnType<typeof import('/js/lib/outbox.js').createOutbox>['items'][number]} OutboxItem */
/** What the form says: the page's own check, or the server's error (with the question's client id once it was sent). */
/** @typedef {{ messageKey: string, code?: string, retryAfterSeconds?: number | null, clientId?: string }} FormError */

/** Questions waiting to be sent: first in, first out. @param {string} code @returns {import('/js/lib/outbox.js').OutboxPolicy} */
export const questionOutbox = (code) => ({
  storage: `lh.outbox.${code}`,
  order: 'fifo',
  valid: (i) => typeof i.text === 'string',
  send: (live, { sessionId, clientId, text, authorName }) => live.call('AskQuestion', { sessionId, clientId, text, authorName: authorName || null }),
  holds: (i, q) => q.clientId === i.clientId,
  acknowledged: (i, q) => { i.questionId = q ? q.id : i.questionId; },
});

/**
 * One of one's own questions: still in the outbox (item), known to the server (q), or both.
 * @typedef {{ key: string, item: OutboxItem | null, q: import('../../../types/protocol').QuestionView | null, at: number }} MineEntry
 */

/**
 * @param {import('/js/audience.js').AudiencePage} page the phone page's shared context (js/audience.js)
 * @param {ReturnType<typeof import('/js/lib/outbox.js').createOutbox>} outbox
 */
export function createAsk(page, outbox) {
  const ui = {
    note: $('#ask-note'),
    form: $('#ask-form'),
    text: $('#ask-text'),
    name: $('#ask-name'),
    counter: $('#ask-counter'),
    error: $('#ask-error'),
    send: $('#ask-send'),
    mineSection: $('#mine-section'),
    mine: $('#my-questions'),
  };
  /** @type {FormError | null} */
  let formError = null;

  ui.name.value = storage.getRaw(NAME_KEY) || '';

  /** @param {FormError | null} error null clears it; an error with a clientId belongs to a question already sent */
  function showError(error) {
    formError = error;
    ui.error.textContent = error ? errorText(error) : '';
    ui.error.hidden = !error;
    const aboutField = error && !error.clientId && ['error.text_empty', 'error.text_too_long'].includes(error.messageKey);
    ui.text.setAttribute('aria-invalid', aboutField ? 'true' : 'false');
  }

  function updateCounter() {
    const text = ui.text.value.trim();
    ui.counter.textContent = t('ask.counter', { count: textLength(text), max: limits.questionMaxLength });
    ui.counter.classList.toggle('over', tooLong(text, limits.questionMaxLength));
  }

  ui.text.addEventListener('input', () => {
    updateCounter();
    if (formError && ['error.text_empty', 'error.text_too_long', 'error.slow_down'].includes(formError.messageKey)) {
      showError(null);
    }
  });
  ui.text.addEventListener('keydown', (/** @type {KeyboardEvent} */ e) => {
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      ui.form.requestSubmit();
    }
  });
  ui.name.addEventListener('change', () => storage.setRaw(NAME_KEY, ui.name.value.trim()));

  ui.form.addEventListener('submit', (/** @type {SubmitEvent} */ e) => {
    e.preventDefault();
    const session = page.currentSession();
    if (!session || session.status === 'ended') {
      return;
    }
    const text = ui.text.value.trim();
    const name = ui.name.value.trim();
    if (!text) {
      showError({ messageKey: 'error.text_empty' });
      ui.text.focus();
      return;
    }
    if (tooLong(text, limits.questionMaxLength)) {
      showError({ messageKey: 'error.text_too_long' });
      ui.text.focus();
      return;
    }
    if (tooLong(name, limits.nameMaxLength)) {
      showError({ messageKey: 'error.name_too_long' });
      ui.name.focus();
      return;
    }
    showError(null);
    storage.setRaw(NAME_KEY, name);
    outbox.add({ sessionId: session.id, text, authorName: name || null });
    ui.text.value = '';
    updateCounter();
  });

  /** The form follows the session: closed when it ended, a note when questions are reviewed or it has not begun. */
  function render() {
    const session = page.currentSession();
    const ended = !!session && session.status === 'ended';
    for (const field of [ui.text, ui.name, ui.send]) {
      field.disabled = ended || !session;
    }
    let note = null;
    let kind = 'info';
    if (ended) {
      note = t('ask.ended');
      kind = 'warn';
    } else if (session && session.moderation === 'pre') {
      note = t('ask.premoderated');
    }
    if (session && session.status === 'upcoming') {
      note = [t('ask.upcoming'), note].filter(Boolean).join(' ');
    }
    ui.note.hidden = !note;
    ui.note.textContent = note || '';
    ui.note.dataset.kind = kind;
    updateCounter();
    if (formError) {
      ui.error.textContent = errorText(formError);
    }
    renderMine();
  }

  /** One's own questions in this session: those still in the outbox, then those the server has. */
  function renderMine() {
    const { state, live } = page;
    const sessionId = page.sessionId;
    const own = [...state.mine.values()].filter((q) => q.sessionId === sessionId);
    const forThisSession = (/** @type {OutboxItem} */ item) => sessionId === null || item.sessionId === sessionId;
    const byClientId = new Map(own.filter((q) => q.clientId).map((q) => [q.clientId, q]));
    const matched = new Set();
    /** @type {MineEntry[]} */
    const entries = [];
    for (const item of outbox.items.filter(forThisSession)) {
      const q = byClientId.get(item.clientId) || (item.questionId && state.mine.get(item.questionId)) || null;
      if (q) {
        matched.add(q.id);
      }
      entries.push({ key: `c:${item.clientId}`, item, q, at: q ? q.createdAt : item.createdAt });
    }
    for (const q of own) {
      if (!matched.has(q.id)) {
        entries.push({ key: `q:${q.id}`, item: null, q, at: q.createdAt });
      }
    }
    entries.sort((a, b) => b.at - a.at);
    const sentError = formError && formError.clientId;
    if (sentError) {
      const item = outbox.items.find((i) => i.clientId === sentError);
      if (!item || item.state === 'delivered' || (item.state === 'sending' && !item.error)) {
        showError(null);
      }
    }
    reconcile(ui.mine, entries, {
      key: (e) => e.key,
      sig: (e) => JSON.stringify([getLanguage(), live.isConnected(), e.item && [e.item.state, e.item.error, e.item.text],
        e.q && [e.q.status, e.q.text, e.q.authorName, e.q.reply]]),
      build: (e) => mineCard(e),
    });
    ui.mineSection.hidden = entries.length === 0;
  }

  /** @param {MineEntry} entry */
  function mineCard({ item, q }) {
    const text = q ? q.text : item?.text;
    const author = (q ? q.authorName : item?.authorName) || null;
    const status = el('div', { class: 'mine-state' });
    if (item) {
      status.append(el('span', { class: ['badge', `badge-${item.state}`], attrs: { 'data-testid': 'outbox-state' } }, [
        item.state === 'delivered' ? '✓ ' : '',
        t(`outbox.${item.state}`),
      ]));
    }
    if (q) {
      status.append(el('span', { class: ['badge', `badge-${q.status}`], attrs: { 'data-testid': 'my-question-status' }, text: t(`mine.status.${q.status}`) }));
    }
    const children = [
      el('p', { class: 'q-text' }, [userText(text)]),
      el('p', { class: 'q-meta' }, [el('span', { class: 'author' }, [author ? userText(author) : t('question.anonymous')])]),
      status,
      q ? replyBlock(q.reply) : null,
    ];
    if (item && item.state === 'sending' && !page.live.isConnected()) {
      children.push(el('p', { class: 'hint', text: t('outbox.waiting') }));
    } else if (item && item.state === 'sending' && item.error) {
      children.push(el('p', { class: 'mine-error', text: errorText(item.error) }));
      children.push(el('p', { class: 'hint', text: t('outbox.auto_retry') }));
    }
    if (item && item.state === 'failed') {
      children.push(el('p', { class: 'mine-error', text: errorText(item.error) }));
      children.push(el('div', { class: 'mine-actions' }, [
        el('button', {
          class: 'btn btn-primary',
          text: t('outbox.retry'),
          attrs: { type: 'button', 'data-testid': 'outbox-retry' },
          on: { click: () => outbox.retry(item.clientId) },
        }),
        el('button', {
          class: 'btn btn-danger',
          text: t('outbox.remove'),
          attrs: { type: 'button', 'data-testid': 'outbox-remove' },
          on: { click: () => outbox.remove(item.clientId) },
        }),
      ]));
    }
    return el('li', {
      class: ['q-card', 'mine-item'],
      attrs: {
        'data-testid': item ? 'outbox-item' : 'my-question',
        'data-state': item ? item.state : null,
        'data-client-id': item ? item.clientId : (q && q.clientId) || null,
        'data-question-id': q ? q.id : null,
        'data-status': q ? q.status : null,
      },
    }, children);
  }

  updateCounter();
  return { render, renderMine, showError };
}
