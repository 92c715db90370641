// @ts-check
// The quiz leaderboard.
import { el } from '../lib/dom.js';
import { formatNumber, t } from '../lib/strings.js';

/**
 * @param {number} size @param {import('./format.js').Variant} variant
 * @returns {{ node: HTMLElement, update: (frame: import('./format.js').PollResults | null) => void }}
 */
export function leaderboardBox(size, variant) {
  const list = el('ol', { class: 'leaderboard', attrs: { 'data-testid': 'leaderboard' } });
  const node = el('div', { class: 'leaderboard-box' }, [el(variant === 'screen' ? 'h3' : 'h4', { class: 'leaderboard-title', text: t('poll.leaderboard') }), list]);
  node.hidden = true;
  return {
    node,
    update(frame) {
      const entries = ((frame && frame.leaderboard) || []).slice(0, size);
      node.hidden = entries.length === 0;
      list.replaceChildren(...entries.map((e) => el('li', { class: 'lb-row', attrs: { 'data-rank': e.rank } }, [
        el('span', { class: 'lb-rank', text: formatNumber(e.rank) }),
        el('span', { class: 'lb-name', userText: e.name }),
        // On the big screen the bare number leaves the name room; the unit stays for screen readers.
        variant === 'screen'
          ? el('span', { class: 'lb-score' }, [formatNumber(e.score), el('span', { class: 'visually-hidden', text: ` ${t('poll.points_unit')}` })])
          : el('span', { class: 'lb-score', text: t('poll.score', { score: formatNumber(e.score) }) }),
      ])));
    },
  };
}
