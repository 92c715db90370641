// @ts-check
// A poll's results on any screen: the chart of its kind, updated in place as frames arrive.
import { el } from '../lib/dom.js';
import { t } from '../lib/strings.js';
import { answersList } from './answers.js';
import { choiceBars } from './choice.js';
import { CHOICE_KINDS } from './format.js';
import { leaderboardBox } from './quiz.js';
import { rankingList } from './ranking.js';
import { ratingChart } from './rating.js';
import { wordCloud } from './wordcloud.js';

/**
 * A poll's results, built once per poll and updated in place as frames arrive, so bars and columns animate (CSS
 * transitions on width and height). variant: 'phone' (audience), 'mod' (moderator) or 'screen' (projector).
 * The caller decides whether results may be shown at all; this only draws them.
 * @param {import('./format.js').PollView} poll
 * @param {{ variant?: import('./format.js').Variant, onModerate?: Parameters<typeof answersList>[2], leaderboardSize?: number }} [options]
 */
export function createResultsView(poll, { variant = 'phone', onModerate = null, leaderboardSize = 10 } = {}) {
  const count = el('p', { class: 'results-count', attrs: { 'data-testid': 'poll-count' } });
  let chart;
  if (CHOICE_KINDS.includes(poll.kind)) {
    chart = choiceBars(poll);
  } else if (poll.kind === 'rating') {
    chart = ratingChart(poll);
  } else if (poll.kind === 'ranking') {
    chart = rankingList(poll);
  } else if (poll.kind === 'wordcloud') {
    chart = wordCloud(poll, variant);
  } else {
    chart = answersList(poll, variant, onModerate);
  }
  const board = poll.kind === 'quiz' ? leaderboardBox(leaderboardSize, variant) : null;
  const node = el('div', {
    class: ['results', `results-${variant}`, `results-kind-${poll.kind}`],
    attrs: { 'data-testid': 'poll-results' },
  }, [
    variant === 'screen' ? null : el('h4', { class: 'results-title', text: t('poll.results') }),
    variant === 'screen' ? null : count,
    el('div', { class: 'results-main' }, [chart.node, board ? board.node : null]),
  ]);
  return {
    node,
    count,
    /** @param {import('./format.js').PollResults | null} frame @param {import('./format.js').PollView} [current] */
    update(frame, current = poll) {
      count.textContent = countText(poll, frame, variant);
      chart.update(frame, current);
      board?.update(frame);
      node.classList.toggle('has-leaderboard', !!board && !board.node.hidden);
    },
  };
}

/**
 * "12 suara" / "5 jawaban" above a poll's results. Open-text answers reach the audience and the screen only once a
 * moderator approved them, so there the count is of the approved answers listed, never of every answer sent.
 * @param {{ kind: string }} poll @param {import('./format.js').PollResults | null} frame @param {string} variant
 */
export function countText(poll, frame, variant) {
  if (poll.kind === 'text' && variant !== 'mod') {
    return t('poll.answers_count', { count: frame && Array.isArray(frame.answers) ? frame.answers.length : 0 });
  }
  const voters = frame ? frame.voters : 0;
  return ['text', 'wordcloud'].includes(poll.kind) ? t('poll.answers_count', { count: voters }) : t('poll.votes', { count: voters });
}
