// @ts-check
// The session's public questions: the one on screen pinned on top, then the approved ones by popularity or time,
// answered ones in their own list; upvotes toggle at once and are corrected by the server's answer.
import { $, announce, el, reconcile, toast, userText } from '/js/lib/dom.js';
import { replyBlock } from '/js/lib/question.js';
import { byNewest, byPopular } from '/js/lib/session-state.js';
import { storage } from '/js/lib/storage.js';
import { errorText, getLanguage, t } from '/js/lib/strings.js';
import { timeElement } from '/js/lib/time.js';

const SORT_KEY = 'lh.sort';

/** @param {import('/js/audience.js').AudiencePage} page the phone page's shared context (js/audience.js) */
export function createQuestions(page) {
  const { state, live } = page;
  const ui = {
    list: $('#question-list'),
    empty: $('#empty'),
    answeredSection: $('#answered-section'),
    answered: $('#answered-list'),
    sort: $('#sort'),
  };
  let sort = storage.getRaw(SORT_KEY) === 'newest' ? 'newest' : 'popular';
  let lastNewAnnounce = 0;
  const busy = new Set();

  for (const button of ui.sort.querySelectorAll('button')) {
    button.addEventListener('click', () => {
      sort = button.dataset.sort;
      storage.setRaw(SORT_KEY, sort);
      render();
    });
  }

  /** @param {number} id */
  async function toggleUpvote(id) {
    const q = state.questions.get(id);
    if (!q || busy.has(id)) {
      return;
    }
    const on = !state.myUpvotes.has(id);
    busy.add(id);
    setUpvoted(id, on);
    q.upvotes = Math.max(0, q.upvotes + (on ? 1 : -1));
    render();
    const r = await live.request('Upvote', { questionId: id, on });
    busy.delete(id);
    const current = state.questions.get(id);
    if (r.ok) {
      setUpvoted(id, r.value.upvoted);
      if (current) {
        current.upvotes = r.value.upvotes;
      }
    } else {
      setUpvoted(id, !on);
      if (current) {
        current.upvotes = Math.max(0, current.upvotes + (on ? -1 : 1));
      }
      toast(errorText(r.error), { kind: 'error' });
    }
    render();
  }

  /** @param {number} id @param {boolean} on */
  function setUpvoted(id, on) {
    if (on) {
      state.myUpvotes.add(id);
    } else {
      state.myUpvotes.delete(id);
    }
  }

  /** @param {import('../../../types/protocol').QuestionView} q */
  function card(q) {
    const onScreen = q.id === state.onScreenQuestionId;
    const upvoted = state.myUpvotes.has(q.id);
    const mine = page.isMine(q.id);
    const badges = el('div', { class: 'q-badges' }, [
      onScreen ? el('span', { class: 'badge badge-on-screen', text: t('badge.on_screen') }) : null,
      q.status === 'answered' ? el('span', { class: 'badge badge-answered', text: t('badge.answered') }) : null,
      mine ? el('span', { class: 'badge badge-mine', text: t('badge.mine') }) : null,
    ]);
    return el('li', {
      class: ['q-card', onScreen && 'is-on-screen', mine && 'is-mine'],
      attrs: { 'data-testid': 'question', 'data-question-id': q.id, 'data-status': q.status, 'data-on-screen': onScreen ? 'true' : null },
    }, [
      badges,
      el('p', { class: 'q-text' }, [userText(q.text)]),
      replyBlock(q.reply),
      el('div', { class: 'q-foot' }, [
        el('div', { class: 'q-meta' }, [
          el('span', { class: 'author' }, [q.authorName ? userText(q.authorName) : t('question.anonymous')]),
          el('span', { attrs: { 'aria-hidden': 'true' }, text: '·' }),
          timeElement(q.createdAt),
        ]),
        el('div', { class: 'q-votes' }, [
          el('span', { class: 'q-count', attrs: { 'data-testid': 'upvote-count' }, text: t('question.upvotes', { count: q.upvotes }) }),
          el('button', {
            class: 'upvote',
            attrs: {
              type: 'button',
              'data-testid': 'upvote',
              'aria-pressed': upvoted ? 'true' : 'false',
              'aria-label': `${t('question.upvote')} (${t('question.upvotes', { count: q.upvotes })})`,
            },
            on: { click: () => toggleUpvote(q.id) },
          }, [el('span', { class: 'icon', attrs: { 'aria-hidden': 'true' }, text: upvoted ? '✓' : '▲' }), t('question.upvote')]),
        ]),
      ]),
    ]);
  }

  /** @param {import('../../../types/protocol').QuestionView} q */
  function sig(q) {
    return JSON.stringify([getLanguage(), q.text, q.authorName, q.upvotes, q.status, q.reply, q.id === state.onScreenQuestionId,
      state.myUpvotes.has(q.id), page.isMine(q.id)]);
  }

  function render() {
    for (const button of ui.sort.querySelectorAll('button')) {
      button.setAttribute('aria-pressed', button.dataset.sort === sort ? 'true' : 'false');
    }
    const all = [...state.questions.values()];
    const onScreen = all.find((q) => q.id === state.onScreenQuestionId);
    const open = all.filter((q) => q.status === 'approved' && q !== onScreen).sort(sort === 'newest' ? byNewest : byPopular);
    const answered = all.filter((q) => q.status === 'answered' && q !== onScreen).sort((a, b) => (b.answeredAt || 0) - (a.answeredAt || 0));
    const options = { key: (/** @type {import('../../../types/protocol').QuestionView} */ q) => q.id, sig, build: card };
    reconcile(ui.list, onScreen ? [onScreen, ...open] : open, options);
    reconcile(ui.answered, answered, options);
    ui.empty.hidden = !state.loaded || all.length > 0;
    ui.answeredSection.hidden = answered.length === 0;
  }

  /** Screen readers hear of new questions (at most every ten seconds) and of the one put on screen. @param {import('/js/lib/session-state.js').StateChange} change */
  function announceChange(change) {
    if (change.kind === 'QuestionAsked' || change.kind === 'QuestionApproved' || change.kind === 'QuestionRestored') {
      const q = change.delta.question;
      if (q && state.questions.has(q.id) && !page.isMine(q.id) && Date.now() - lastNewAnnounce > 10000) {
        lastNewAnnounce = Date.now();
        announce(t('announce.new_questions'));
      }
    }
    if (change.kind === 'QuestionOnScreenChanged' && state.onScreenQuestionId) {
      const q = state.questions.get(state.onScreenQuestionId);
      if (q) {
        announce(t('announce.on_screen', { text: q.text }));
      }
    }
  }

  return { render, announceChange };
}
