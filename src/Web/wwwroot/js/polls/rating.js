// @ts-check
// Rating results: the average and a column per value.
import { el } from '../lib/dom.js';
import { limits } from '../lib/limits.js';
import { formatNumber, t } from '../lib/strings.js';

/** @param {import('./format.js').PollView} poll @returns {import('./format.js').Chart} */
export function ratingChart(poll) {
  const scale = poll.scale || limits.ratingMinScale;
  const value = el('span', { class: 'avg-value' });
  const average = el('div', { class: 'rating-avg', attrs: { 'data-testid': 'rating-average' } }, [
    el('span', { class: 'avg-label', text: t('poll.average') }),
    el('span', { class: 'avg-number' }, [value, el('span', { class: 'avg-of', text: ` / ${scale}` })]),
  ]);
  /** @type {Array<{ v: number, col: HTMLElement, fill: HTMLElement, count: HTMLElement }>} */
  const cols = [];
  const hist = el('div', { class: ['rating-hist', `scale-${scale}`] });
  for (let v = 1; v <= scale; v += 1) {
    const fill = el('div', { class: 'col-fill' });
    const count = el('span', { class: 'col-count' });
    // One picture per value, named by its label below ("4: 12 suara"): a label on a plain div is not read out.
    const col = el('div', { class: 'rating-col', attrs: { role: 'img', 'data-testid': 'rating-bar', 'data-value': v } }, [
      count,
      el('div', { class: 'col-track', attrs: { 'aria-hidden': 'true' } }, [fill]),
      el('span', { class: 'col-label', text: formatNumber(v) }),
    ]);
    hist.append(col);
    cols.push({ v, col, fill, count });
  }
  return {
    node: el('div', { class: 'rating' }, [average, hist]),
    update(frame) {
      const options = (frame && frame.options) || [];
      const votesOf = (/** @type {number} */ v) => (options.find((o) => o.index === v) || { votes: 0 }).votes;
      const max = Math.max(0, ...cols.map((c) => votesOf(c.v)));
      for (const c of cols) {
        const votes = votesOf(c.v);
        c.count.textContent = formatNumber(votes);
        c.fill.style.height = `${max ? Math.round((votes / max) * 100) : 0}%`;
        c.col.setAttribute('aria-label', `${formatNumber(c.v)}: ${t('poll.votes', { count: votes })}`);
      }
      const avg = frame && typeof frame.average === 'number' ? frame.average : null;
      value.textContent = avg === null ? '–' : formatNumber(avg, { minimumFractionDigits: 1, maximumFractionDigits: 1 });
    },
  };
}
