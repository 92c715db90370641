// @ts-check
// Polls on the phone, loaded with the session's first poll: one card per poll (the open ones and the latest closed one
// on top), each with its kind's body (poll-choice.js, poll-rating.js, poll-ranking.js, poll-text.js, poll-quiz.js) and
// the answer's way to the server (poll-votes.js), results when the server says the audience may see them, and a
// visible call when a poll opens while the person is elsewhere on the page.
import { $, announce, el, reconcile, userText } from '/js/lib/dom.js';
import { limits } from '/js/lib/limits.js';
import { storage } from '/js/lib/storage.js';
import { getLanguage, t } from '/js/lib/strings.js';
import { formatCountdown } from '/js/lib/time.js';
import { secondsLeft } from '/js/polls/format.js';
import { createResultsView } from '/js/polls/results.js';
import { choiceBody } from '/js/audience/poll-choice.js';
import { quizExtras } from '/js/audience/poll-quiz.js';
import { rankingBody } from '/js/audience/poll-ranking.js';
import { ratingBody } from '/js/audience/poll-rating.js';
import { textBody } from '/js/audience/poll-text.js';
import { createVotes } from '/js/audience/poll-votes.js';

/** Each kind's body on the card: what the person answers with. */
const BODIES = {
  single: choiceBody,
  multiple: choiceBody,
  quiz: choiceBody,
  rating: ratingBody,
  ranking: rankingBody,
  wordcloud: textBody,
  text: textBody,
};

/**
 * The panel's markup comes with this module (a session without polls never needs it): above the question form, and
 * the call bar at the foot of the screen.
 */
function mountPanel() {
  const hidden = { hidden: true };
  const ui = {
    pollList: el('div', { class: 'poll-list', attrs: { id: 'poll-list' } }),
    pollWaiting: el('p', {
      class: 'poll-waiting',
      text: t('poll.waiting'),
      attrs: { id: 'poll-waiting', 'data-testid': 'poll-waiting', 'data-i18n': 'poll.waiting' },
      props: hidden,
    }),
    pollEarlierTitle: el('summary', { attrs: { id: 'poll-earlier-title' } }),
    pollEarlierList: el('div', { class: 'poll-list', attrs: { id: 'poll-earlier-list' } }),
    alert: el('div', { class: 'poll-alert', attrs: { id: 'poll-alert', 'data-testid': 'poll-alert', role: 'status' }, props: hidden }),
  };
  const earlier = el('details', { class: 'poll-earlier', attrs: { id: 'poll-earlier', 'data-testid': 'poll-earlier' }, props: hidden },
    [ui.pollEarlierTitle, ui.pollEarlierList]);
  const polls = el('section', { class: 'polls', attrs: { id: 'polls', 'aria-labelledby': 'polls-title' }, props: hidden }, [
    el('h2', { class: 'visually-hidden', text: t('poll.section'), attrs: { id: 'polls-title', 'data-i18n': 'poll.section' } }),
    ui.pollList,
    ui.pollWaiting,
    earlier,
  ]);
  $('#ask-form').closest('section')?.before(polls);
  $('main').after(ui.alert);
  return { ...ui, polls, pollEarlier: earlier };
}

/** @typedef {import('../../../types/protocol').PollView} PollView */
/** @typedef {import('/js/lib/session-state.js').StateChange} StateChange */
/** @typedef {{ openCount: number, newestClosedId: number | null }} ListContext */

/** @param {import('/js/audience.js').AudiencePage} page the phone page's shared context (js/audience.js) */
export function createPolls(page) {
  const { state, code } = page;
  const POLL_CACHE_KEY = `lh.polls.${code}`;
  const ui = mountPanel();

  const resultsViews = new Map(); // pollId -> { sig, view }: kept across card rebuilds so the bars animate
  const expanded = new Map(); // pollId -> whether a closed poll's card is open
  const justClosed = new Set();
  const lastStatus = new Map(); // pollId -> status last drawn, to notice a close that came with a fresh snapshot
  const votes = createVotes(page, () => renderPolls());

  /** @param {StateChange} change */
  function announcePollChange(change) {
    const poll = 'delta' in change && 'poll' in change.delta ? change.delta.poll : null;
    if (!poll || poll.sessionId !== page.sessionId) {
      return;
    }
    if (change.kind === 'PollOpened') {
      justClosed.delete(poll.id);
      announce(t(poll.kind === 'quiz' ? 'poll.announce.quiz_opened' : 'poll.announce.opened', { question: poll.question }));
      callAttention(poll);
    } else if (change.kind === 'PollClosed') {
      justClosed.add(poll.id);
      expanded.delete(poll.id);
      announce(t('poll.announce.closed', { question: poll.question }));
    } else if (change.kind === 'PollRevealed' && poll.resultsVisible) {
      announce(t('poll.announce.revealed', { question: poll.question }));
    }
  }

  /** @param {PollView} poll */
  function kindLabel(poll) {
    return t(`poll.kind.${poll.kind}`);
  }

  /** The server decides (PollView.resultsVisible): a running quiz, for one, never shows its spread of answers. */
  /** @param {PollView} poll */
  function showsResults(poll) {
    return poll.resultsVisible;
  }

  /** @param {PollView} poll */
  function hiddenNote(poll) {
    if (showsResults(poll)) {
      return null;
    }
    if (poll.kind === 'quiz' && poll.status === 'open') {
      return el('p', { class: 'hint results-later', text: t('poll.quiz.results_after') });
    }
    const key = poll.visibility === 'on_close' && poll.status === 'open' ? 'poll.results_after_close' : 'poll.results_later';
    return el('p', { class: 'hint results-later', attrs: { 'data-testid': 'results-hidden' }, text: t(key) });
  }

  /** @param {PollView} poll @param {number} openCount @param {number | null} newestClosedId */
  function defaultExpanded(poll, openCount, newestClosedId) {
    return justClosed.has(poll.id) || votes.failed(poll.id) || (openCount === 0 && poll.id === newestClosedId);
  }

  /** @param {PollView} poll @param {ListContext} ctx */
  function pollCard(poll, ctx) {
    const locked = votes.isLocked(poll);
    const body = (BODIES[/** @type {keyof BODIES} */ (poll.kind)] || textBody)(poll, locked, votes);
    const head = el('div', { class: 'poll-head' }, [
      el('span', { class: 'badge badge-kind', text: poll.kind === 'quiz' ? t('poll.kind.quiz') : `${t('poll.label')} · ${kindLabel(poll)}` }),
      el('span', { class: ['badge', poll.status === 'open' ? 'badge-live' : 'badge-ended'], text: t(`poll.status.${poll.status}`) }),
    ]);
    const question = el(poll.status === 'open' ? 'h3' : 'span', { class: 'poll-question', attrs: { id: `poll-${poll.id}-q` } }, [userText(poll.question)]);
    const content = [
      ...(poll.kind === 'quiz' ? quizExtras(poll, locked, votes) : []),
      ...body,
      votes.stateLine(poll),
      hiddenNote(poll),
      el('div', { class: 'poll-results-slot' }),
    ];
    const attrs = {
      'data-testid': 'poll',
      'data-poll-id': poll.id,
      'data-kind': poll.kind,
      'data-status': poll.status,
      'data-locked': locked ? 'true' : null,
      'aria-labelledby': `poll-${poll.id}-q`,
    };
    if (poll.status === 'open') {
      return el('article', { class: ['poll-card', 'panel', `poll-kind-${poll.kind}`, 'is-open'], attrs }, [head, question, ...content]);
    }
    const details = el('details', {
      class: 'poll-details',
      props: { open: expanded.get(poll.id) ?? defaultExpanded(poll, ctx.openCount, ctx.newestClosedId) },
      on: { toggle: (/** @type {Event} */ e) => expanded.set(poll.id, /** @type {HTMLDetailsElement} */ (e.target).open) },
    }, [
      el('summary', { class: 'poll-summary' }, [head, question]),
      el('div', { class: 'poll-details-body' }, content),
    ]);
    return el('article', { class: ['poll-card', 'panel', `poll-kind-${poll.kind}`, 'is-closed'], attrs }, [details]);
  }

  /** @param {PollView} poll @param {ListContext} ctx */
  function pollSig(poll, ctx) {
    return JSON.stringify([
      getLanguage(), poll, ...votes.sig(poll), poll.status === 'closed' && defaultExpanded(poll, ctx.openCount, ctx.newestClosedId),
      limits,
    ]);
  }

  /** @param {PollView} poll */
  function resultsViewFor(poll) {
    const sig = JSON.stringify([poll.kind, poll.options, poll.scale, getLanguage()]);
    let entry = resultsViews.get(poll.id);
    if (!entry || entry.sig !== sig) {
      entry = { sig, view: createResultsView(poll, { variant: 'phone', leaderboardSize: 10 }) };
      resultsViews.set(poll.id, entry);
    }
    return entry.view;
  }

  let savedSig = '';
  /** The session's polls and own votes as last seen, so a reload without a connection still shows them. */
  function savePollCache() {
    if (!state.loaded) {
      return;
    }
    const polls = [...state.polls.values()];
    const sig = JSON.stringify([state.sessionId, polls, [...state.myVotes.values()]]);
    if (sig !== savedSig) {
      savedSig = sig;
      storage.set(POLL_CACHE_KEY, { sessionId: state.sessionId, polls, myVotes: [...state.myVotes.values()] });
    }
  }

  /** @param {number | null} id */
  function loadPollCache(id) {
    const cached = storage.get(POLL_CACHE_KEY);
    if (!cached || cached.sessionId !== id || !Array.isArray(cached.polls) || (state.loaded && !page.showingCached)) {
      return;
    }
    for (const poll of cached.polls) {
      if (poll && poll.sessionId === id && poll.status !== 'draft') {
        state.polls.set(poll.id, poll);
      }
    }
    for (const vote of Array.isArray(cached.myVotes) ? cached.myVotes : []) {
      if (vote && state.polls.has(vote.pollId)) {
        state.myVotes.set(vote.pollId, vote);
      }
    }
  }

  function renderPolls() {
    if (!ui.pollList) {
      return;
    }
    savePollCache();
    const all = [...state.polls.values()].filter((p) => p.sessionId === page.sessionId && p.status !== 'draft');
    for (const p of all) {
      if (lastStatus.get(p.id) === 'open' && p.status === 'closed') {
        justClosed.add(p.id);
      }
      lastStatus.set(p.id, p.status);
    }
    const newest = (/** @type {PollView} */ a, /** @type {PollView} */ b) => (b.openedAt || 0) - (a.openedAt || 0) || b.id - a.id;
    const open = all.filter((p) => p.status === 'open').sort(newest);
    const closed = all.filter((p) => p.status === 'closed').sort(newest);
    const ctx = { openCount: open.length, newestClosedId: closed.length ? closed[0].id : null };
    // The open polls and the latest closed one stay on top; older ones wait in one collapsed group below them.
    const recent = closed.filter((p, i) => i === 0 || justClosed.has(p.id));
    const earlier = closed.filter((p) => !recent.includes(p));
    const list = [...open, ...recent];
    ui.polls.hidden = list.length === 0;
    ui.pollWaiting.hidden = open.length > 0 || closed.length === 0;
    const options = { key: (/** @type {PollView} */ p) => p.id, sig: (/** @type {PollView} */ p) => pollSig(p, ctx), build: (/** @type {PollView} */ p) => pollCard(p, ctx) };
    reconcile(ui.pollList, list, options);
    reconcile(ui.pollEarlierList, earlier, options);
    ui.pollEarlier.hidden = earlier.length === 0;
    ui.pollEarlierTitle.textContent = t('poll.earlier', { count: earlier.length });
    const ids = new Set([...list, ...earlier].map((p) => p.id));
    for (const card of /** @type {HTMLElement[]} */ ([...ui.pollList.children, ...ui.pollEarlierList.children])) {
      const poll = state.polls.get(Number(card.dataset.pollId));
      const slot = card.querySelector('.poll-results-slot');
      if (!poll || !slot) {
        continue;
      }
      if (showsResults(poll)) {
        const view = resultsViewFor(poll);
        if (view.node.parentNode !== slot) {
          slot.replaceChildren(view.node);
        }
        view.update(state.results.get(poll.id) || null, poll);
      } else if (slot.firstChild) {
        slot.replaceChildren();
      }
    }
    votes.keepOnly(ids);
    for (const map of [resultsViews, expanded, lastStatus]) {
      for (const id of map.keys()) {
        if (!ids.has(id)) {
          map.delete(id);
        }
      }
    }
  }

  /**
   * A poll that opens while the person is elsewhere on the page (writing a question, reading the list) says so in a
   * bar at the bottom of the screen with one tap to reach it; screen readers hear it too (announcePollChange).
   * @param {any} poll
   */
  function callAttention(poll) {
    requestAnimationFrame(() => {
      const card = ui.pollList.querySelector(`[data-poll-id="${poll.id}"]`);
      if (!card) {
        return;
      }
      const box = card.getBoundingClientRect();
      if (box.top >= 0 && box.top < window.innerHeight - 80) {
        return; // in view already
      }
      ui.alert.replaceChildren(el('button', {
        class: 'poll-alert-button',
        attrs: { type: 'button', 'data-testid': 'poll-alert-go' },
        on: {
          click: () => {
            ui.alert.hidden = true;
            // The card may have been redrawn since: find the one on the page now.
            const now = ui.pollList.querySelector(`[data-poll-id="${poll.id}"]`) || card;
            now.scrollIntoView({ block: 'start' });
            /** @type {HTMLElement | null} */ (now.querySelector('button, input, textarea, summary'))?.focus({ preventScroll: true });
          },
        },
      }, [
        el('span', { class: 'poll-alert-label', text: t(poll.kind === 'quiz' ? 'poll.alert.quiz' : 'poll.alert.poll') }),
        el('span', { class: 'poll-alert-question' }, [userText(poll.question)]),
        el('span', { class: 'poll-alert-go', text: t('poll.alert.go') }),
      ]));
      ui.alert.hidden = false;
      ui.alert.dataset.pollId = String(poll.id);
      // Once the poll comes into view by any means, the call has done its job.
      const seen = new IntersectionObserver((entries) => {
        if (entries.some((e) => e.isIntersecting)) {
          ui.alert.hidden = true;
          seen.disconnect();
        }
      }, { threshold: 0.3 });
      seen.observe(card);
      setTimeout(() => seen.disconnect(), 60000);
    });
  }

  /** The quiz countdown ticks on its own; at the deadline the card locks (the server's close follows within a second). */
  setInterval(() => {
    let expired = false;
    for (const node of ui.pollList.querySelectorAll('[data-testid="quiz-countdown"][data-deadline]')) {
      const card = /** @type {HTMLElement | null} */ (node.closest('[data-testid="poll"]'));
      const poll = card && state.polls.get(Number(card.dataset.pollId));
      if (!poll || poll.status !== 'open') {
        continue;
      }
      if (votes.isLocked(poll) !== (card.dataset.locked === 'true')) {
        expired = true;
      } else if (!node.classList.contains('is-over')) {
        /** @type {ChildNode} */ (node.firstChild).textContent = formatCountdown(secondsLeft(poll));
      }
    }
    if (expired) {
      renderPolls();
    }
  }, 250);


  /** A moderator approved or dismissed one's open-text answer (MyVoteChanged): the card says so at once. @param {any} vote */
  function myVoteChanged(vote) {
    if (vote && vote.status && state.polls.get(vote.pollId)?.sessionId === page.sessionId) {
      announce(t(`poll.my_answer.${vote.status}`));
    }
    renderPolls();
  }

  loadPollCache(page.sessionId);
  return {
    render: renderPolls,
    announceChange: announcePollChange,
    matchVotes: (/** @type {any[]} */ myVotes) => votes.match(myVotes),
    myVoteChanged,
    languageChanged: () => resultsViews.clear(),
  };
}
