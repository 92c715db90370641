// @ts-check
// Words and numbers every screen uses for polls.
import { getLanguage } from '../lib/strings.js';
import { serverNow } from '../lib/time.js';

/** @typedef {import('../../../types/protocol').PollView} PollView */
/** @typedef {import('../../../types/protocol').PollResults} PollResults */
/** @typedef {import('../../../types/protocol').PollKind} PollKind */
/** Where results are drawn: the audience's phone, the moderator's page or the projector. */
/** @typedef {'phone' | 'mod' | 'screen'} Variant */
/** One results chart: its element, and how a frame (null before the first) redraws it for the poll as it is now. */
/** @typedef {{ node: HTMLElement, update: (frame: PollResults | null, current: PollView) => void }} Chart */

/** @type {PollKind[]} */
export const POLL_KINDS = ['single', 'multiple', 'rating', 'wordcloud', 'text', 'ranking', 'quiz'];
/** @type {PollKind[]} */
export const OPTION_KINDS = ['single', 'multiple', 'ranking', 'quiz'];
/** @type {PollKind[]} */
export const CHOICE_KINDS = ['single', 'multiple', 'quiz'];

/** "42,7%" / "42.7%" from the server's percent of voters (0–100, one decimal). @param {number | null | undefined} percent */
export function formatPercent(percent) {
  return new Intl.NumberFormat(getLanguage(), { style: 'percent', maximumFractionDigits: 1 }).format((percent || 0) / 100);
}

/** Seconds left of an open quiz (by the server's clock), or null for anything without a running timer. */
export function secondsLeft(/** @type {{ status: string, closesAt?: number | null } | null} */ poll) {
  if (!poll || poll.status !== 'open' || !poll.closesAt) {
    return null;
  }
  return Math.max(0, Math.ceil((poll.closesAt - serverNow()) / 1000));
}
