// @ts-check
// The audience's reactions in the last minute, by kind: the mood of the room at a glance.
import { $, el } from '/js/lib/dom.js';
import { reactionIcon } from '/js/lib/reactions.js';
import { getLanguage, t } from '/js/lib/strings.js';

const WINDOW_MS = 60000;
const DEFAULT_REACTIONS = { clap: '👏', heart: '❤️', laugh: '😂', wow: '😮', think: '🤔', up: '👍' };

/**
 * @typedef {{ sessionId: number, counts?: Record<string, number> }} ReactionsDelta
 * @typedef {object} ReactionCounter
 * @property {(delta: ReactionsDelta) => void} sent a burst of reactions of the session shown
 * @property {() => void} sessionChanged starts the count afresh
 * @property {() => void} render
 */

/**
 * @param {{ getEvent: () => import('../../../types/protocol').EventSnapshot | null, isShowing: () => boolean }} deps
 * @returns {ReactionCounter}
 */
export function createReactionCounter({ getEvent, isShowing }) {
  const counter = /** @type {HTMLElement & { _sig?: string }} */ ($('#reaction-counter'));
  /** @type {{ at: number, counts: Record<string, number> }[]} */
  let log = [];

  function render() {
    const since = Date.now() - WINDOW_MS;
    log = log.filter((r) => r.at >= since);
    /** @type {Record<string, number>} */
    const totals = {};
    for (const r of log) {
      for (const [key, n] of Object.entries(r.counts)) {
        totals[key] = (totals[key] || 0) + n;
      }
    }
    const event = getEvent();
    const kinds = (event && event.reactions) || DEFAULT_REACTIONS;
    const parts = Object.keys(kinds).filter((k) => totals[k]).map((k) => el('span', {
      class: 'reaction-count', attrs: { 'data-reaction': k },
    }, [reactionIcon(k, 'reaction-count-emoji'), ` ${totals[k]}`]));
    const sig = JSON.stringify([getLanguage(), totals]);
    if (counter._sig === sig) {
      return;
    }
    counter._sig = sig;
    counter.replaceChildren(
      el('span', { class: 'reaction-counter-label', text: t('mod.reactions.label') }),
      ...(parts.length ? parts : [el('span', { class: 'reaction-none', text: t('mod.reactions.none') })]),
    );
  }

  setInterval(() => { if (isShowing()) render(); }, 5000);

  return {
    sent(delta) {
      log.push({ at: Date.now(), counts: delta.counts || {} });
      render();
    },
    sessionChanged() {
      log = [];
    },
    render,
  };
}
