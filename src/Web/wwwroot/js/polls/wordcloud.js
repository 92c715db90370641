// @ts-check
// Word cloud results: the largest in the middle, sizes by votes; on the projector only words that fit whole.
import { el } from '../lib/dom.js';
import { t } from '../lib/strings.js';

const CLOUD_SIZES = { screen: [28, 72], phone: [16, 34], mod: [16, 30] };

/**
 * @param {import('./format.js').PollView} poll @param {import('./format.js').Variant} variant
 * @returns {import('./format.js').Chart}
 */
export function wordCloud(poll, variant) {
  const node = el('div', { class: 'word-cloud', attrs: { 'data-testid': 'word-cloud' } });
  const [min, max] = CLOUD_SIZES[variant] || CLOUD_SIZES.phone;
  const spans = new Map();
  const empty = el('p', { class: 'results-empty', text: t('poll.no_answers') });
  return {
    node,
    update(frame) {
      const words = [...((frame && frame.words) || [])].sort((a, b) => b.votes - a.votes || a.word.localeCompare(b.word))
        .slice(0, variant === 'screen' ? 40 : 60);
      if (!words.length) {
        node.replaceChildren(empty);
        spans.clear();
        return;
      }
      const top = words[0].votes;
      const low = words[words.length - 1].votes;
      // Largest in the middle, the rest alternating to either side: reads as a cloud, not a list.
      /** @type {import('../../../types/protocol').WordResult[]} */
      const arranged = [];
      words.forEach((w, i) => (i % 2 ? arranged.unshift(w) : arranged.push(w)));
      const keep = new Set();
      arranged.forEach((w, position) => {
        let span = spans.get(w.word);
        if (!span) {
          span = el('span', { class: 'word' }, [el('span', { class: 'word-text', userText: w.word }), el('span', { class: 'visually-hidden' })]);
          spans.set(w.word, span);
        }
        const ratio = top === low ? (words.length === 1 ? 1 : 0.5) : Math.sqrt((w.votes - low) / (top - low));
        span.style.fontSize = `${Math.round(min + (max - min) * ratio)}px`;
        span.dataset.votes = String(w.votes);
        span.hidden = false;
        span.lastChild.textContent = ` (${t('poll.votes', { count: w.votes })})`;
        span.classList.toggle('is-top', w.votes === top);
        keep.add(w.word);
        if (node.children[position] !== span) {
          node.insertBefore(span, node.children[position] || null);
        }
      });
      for (const [word, span] of spans) {
        if (!keep.has(word)) {
          span.remove();
          spans.delete(word);
        }
      }
      if (empty.parentNode) {
        empty.remove();
      }
      if (variant === 'screen') {
        // Words that do not fit whole are left out, smallest first, rather than cut.
        for (let i = words.length - 1; i > 0 && node.scrollHeight > node.clientHeight + 1; i -= 1) {
          spans.get(words[i].word).hidden = true;
        }
      }
    },
  };
}
