// @ts-check
// The poll screen: the poll the moderator put on the wall, with its results drawn by the poll's own kind (polls/*) when
// the server says they may be seen, else its options and "results later", or a running quiz's countdown. With no poll
// to show yet, a waiting screen.
import { $, el, userText } from '/js/lib/dom.js';
import { limits } from '/js/lib/limits.js';
import { getLanguage, t } from '/js/lib/strings.js';
import { formatCountdown } from '/js/lib/time.js';
import { OPTION_KINDS, secondsLeft } from '/js/polls/format.js';
import { countText, createResultsView } from '/js/polls/results.js';

// Layout choices, not input limits: a longer poll question is set smaller, more options take two columns.
const LONG_QUESTION = 120;
const ONE_COLUMN_OPTIONS = 6;
const LETTERS = 'ABCDEFGHIJ';

/**
 * @typedef {import('../../../types/protocol').PollView} Poll
 * @typedef {{ key: string | null, poll: Poll, view: ReturnType<typeof createResultsView> | null, count: HTMLElement, countdown: HTMLElement | null }} Shown
 */

/**
 * @typedef {object} PollScreen
 * @property {(shown: boolean, session: { title: string } | null | undefined) => void} render the poll on screen, if the mode is 'poll'
 * @property {() => void} languageChanged
 */

/**
 * @param {{ state: { polls: Map<number, Poll>, results: Map<number, any>, projectorPollId: number | null }, rerender: () => void }} deps
 *   state: the session's SessionState; rerender: paints the whole screen again (the screen's size changed)
 * @returns {PollScreen}
 */
export function createPollScreen({ state, rerender }) {
  const ui = {
    poll: $('#poll'),
    waiting: $('#poll-waiting'),
    waitingTitle: $('#poll-waiting-title'),
  };
  /** The poll on screen, rebuilt only when its shape changes. @type {Shown | null} */
  let shown = null;

  /** @param {Poll} poll */
  function optionsList(poll) {
    const correct = poll.status === 'closed' && poll.correct ? poll.correct : null;
    return el('ol', { class: ['proj-options', poll.kind === 'quiz' && 'quiz-grid', poll.options.length > ONE_COLUMN_OPTIONS && 'two-columns'] },
      poll.options.map((label, index) => el('li', {
        class: ['proj-option', correct && correct.includes(index) && 'is-correct'],
        attrs: { 'data-index': index },
      }, [
        el('span', { class: 'letter', attrs: { 'aria-hidden': 'true' }, text: LETTERS[index] }),
        el('span', { class: 'label' }, [userText(label)]),
        correct && correct.includes(index) ? el('span', { class: 'tag', text: `✓ ${t('poll.correct_answer')}` }) : null,
      ])));
  }

  /** The server decides (PollView.resultsVisible); a running quiz shows its countdown instead. @param {Poll} poll */
  function build(poll) {
    const results = poll.resultsVisible;
    const quizRunning = poll.kind === 'quiz' && poll.status === 'open';
    const count = el('p', { class: 'proj-poll-count', attrs: { 'data-testid': 'poll-count' } });
    const countdown = quizRunning ? el('p', {
      class: 'proj-countdown',
      attrs: { 'data-testid': 'quiz-countdown', role: 'timer', 'data-deadline': poll.closesAt || '' },
    }, [el('span', { class: 'time' }), el('span', { class: 'unit', text: t('poll.time_left') })]) : null;
    const label = poll.kind === 'quiz' ? t('poll.kind.quiz') : t('poll.label');
    const head = el('div', { class: 'proj-poll-head' }, [
      el('span', { class: 'proj-poll-label' }, [
        label,
        poll.status === 'closed' ? el('span', { class: 'proj-poll-status', text: ` · ${t('poll.status.closed')}` }) : null,
      ]),
      results ? count : null,
    ]);
    const question = el('h2', { class: ['proj-poll-question', poll.question.length > LONG_QUESTION && 'long'] }, [userText(poll.question)]);
    let body;
    let view = null;
    if (results) {
      view = createResultsView(poll, { variant: 'screen', leaderboardSize: 5 });
      body = view.node;
    } else {
      body = el('div', { class: 'proj-poll-pending' }, [
        OPTION_KINDS.includes(poll.kind) ? optionsList(poll) : null,
        poll.kind === 'rating' ? el('p', { class: 'proj-rating-scale', text: t('proj.poll.rating_scale', { scale: poll.scale || limits.ratingMinScale }) }) : null,
        quizRunning ? countdown : el('p', {
          class: 'proj-results-hidden',
          attrs: { 'data-testid': 'results-hidden' },
          text: t(poll.kind === 'quiz' && poll.status === 'open' ? 'poll.quiz.results_after' : 'proj.poll.results_later'),
        }),
      ]);
    }
    ui.poll.replaceChildren(head, question, el('div', { class: 'proj-poll-body' }, [body]));
    ui.poll.dataset.pollId = String(poll.id);
    ui.poll.dataset.kind = poll.kind;
    ui.poll.dataset.status = poll.status;
    ui.poll.dataset.results = results ? 'visible' : 'hidden';
    return { view, count, countdown };
  }

  /** @param {Poll | null} poll */
  function renderPoll(poll) {
    ui.poll.hidden = !poll;
    if (!poll) {
      shown = null;
      ui.poll.replaceChildren();
      return;
    }
    const key = JSON.stringify([poll, poll.resultsVisible, getLanguage()]);
    if (!shown || shown.key !== key) {
      shown = { key, poll, ...build(poll) };
    }
    shown.poll = poll;
    const frame = state.results.get(poll.id) || null;
    if (shown.view) {
      shown.view.update(frame, poll);
      shown.count.textContent = countText(poll, frame, 'screen');
    }
    tickCountdown();
  }

  function tickCountdown() {
    const countdown = shown && shown.countdown;
    if (!shown || !countdown) {
      return;
    }
    const left = secondsLeft(shown.poll);
    const over = left === 0;
    countdown.classList.toggle('is-over', over);
    countdown.classList.toggle('is-ending', !over && left !== null && left <= 5);
    /** @type {HTMLElement} */ (countdown.firstChild).textContent = over ? t('poll.time_up') : formatCountdown(left);
    /** @type {HTMLElement} */ (countdown.lastChild).hidden = over;
  }

  setInterval(tickCountdown, 250);
  window.addEventListener('resize', () => {
    if (shown) {
      shown.key = null;
      rerender();
    }
  });

  return {
    render(on, session) {
      const poll = on ? state.polls.get(/** @type {number} */ (state.projectorPollId)) || null : null;
      renderPoll(poll);
      ui.waiting.hidden = !(on && !poll);
      ui.waitingTitle.textContent = session ? session.title : '';
    },
    languageChanged() {
      shown = null;
    },
  };
}
