// @ts-check
// Choice and quiz results: one bar per option, the correct ones marked once a quiz closes.
import { el, userText } from '../lib/dom.js';
import { formatNumber, t } from '../lib/strings.js';
import { formatPercent } from './format.js';

/** @param {import('./format.js').PollView} poll @returns {import('./format.js').Chart} */
export function choiceBars(poll) {
  const node = el('div', { class: 'bars' });
  const rows = poll.options.map((label, index) => {
    const fill = el('div', { class: 'bar-fill' });
    const count = el('span', { class: 'bar-count' });
    const pct = el('span', { class: 'bar-pct' });
    const mark = el('span', { class: 'bar-mark', attrs: { 'aria-hidden': 'true' } });
    const sr = el('span', { class: 'visually-hidden' });
    const row = el('div', { class: 'bar', attrs: { 'data-testid': 'poll-bar', 'data-index': index } }, [
      el('div', { class: 'bar-head' }, [
        el('span', { class: 'bar-label' }, [mark, userText(label), sr]),
        el('span', { class: 'bar-nums' }, [count, pct]),
      ]),
      el('div', { class: 'bar-track', attrs: { 'aria-hidden': 'true' } }, [fill]),
    ]);
    node.append(row);
    return { row, fill, count, pct, mark, sr };
  });
  return {
    node,
    update(frame, current) {
      const correct = (frame && frame.correct) || current.correct || null;
      rows.forEach((r, index) => {
        const o = frame && frame.options ? frame.options.find((x) => x.index === index) : null;
        const percent = o ? o.percent : 0;
        r.count.textContent = formatNumber(o ? o.votes : 0);
        r.pct.textContent = formatPercent(percent);
        r.fill.style.width = `${Math.min(100, Math.max(0, percent))}%`;
        const isCorrect = !!correct && correct.includes(index);
        r.row.classList.toggle('is-correct', isCorrect);
        r.mark.textContent = isCorrect ? '✓ ' : '';
        r.sr.textContent = isCorrect ? ` (${t('poll.correct_answer')})` : '';
      });
    },
  };
}
