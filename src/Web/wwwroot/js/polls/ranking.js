// @ts-check
// Ranking results: options in Borda order, each with its points.
import { el } from '../lib/dom.js';
import { formatNumber, t } from '../lib/strings.js';

/** @param {import('./format.js').PollView} poll @returns {import('./format.js').Chart} */
export function rankingList(poll) {
  const node = el('ol', { class: 'ranking' });
  const items = poll.options.map((label, index) => {
    const pos = el('span', { class: 'rank-pos' });
    const points = el('span', { class: 'rank-points' });
    const fill = el('div', { class: 'bar-fill' });
    const li = el('li', { class: 'ranking-item', attrs: { 'data-testid': 'ranking-item', 'data-index': index } }, [
      el('div', { class: 'bar-head' }, [pos, el('span', { class: 'rank-label', userText: label }), points]),
      el('div', { class: 'bar-track', attrs: { 'aria-hidden': 'true' } }, [fill]),
    ]);
    node.append(li);
    return { index, li, pos, points, fill, value: 0 };
  });
  return {
    node,
    update(frame) {
      const options = (frame && frame.options) || [];
      for (const item of items) {
        item.value = (options.find((o) => o.index === item.index) || { points: 0 }).points;
      }
      const order = [...items].sort((a, b) => b.value - a.value || a.index - b.index);
      const max = Math.max(1, ...order.map((i) => i.value));
      order.forEach((item, position) => {
        item.pos.textContent = `${formatNumber(position + 1)}.`;
        item.points.textContent = t('poll.points', { count: item.value });
        item.fill.style.width = `${Math.round((item.value / max) * 100)}%`;
        item.li.dataset.rank = String(position + 1);
        // Move only what is out of place: a moved node loses its running transition.
        if (node.children[position] !== item.li) {
          node.insertBefore(item.li, node.children[position] || null);
        }
      });
    },
  };
}
