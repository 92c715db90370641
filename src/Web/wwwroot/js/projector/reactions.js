// @ts-check
// The audience's reactions float up from the bottom of the main area (never over the join code and QR at the side).
import { $, el } from '/js/lib/dom.js';
import { reactionIcon } from '/js/lib/reactions.js';

const MAX_BURST = 30; // emoji floated per reaction burst, however many came
const MAX_FLOATING = 90; // emoji on screen at once: a kiosk browser must not drown in nodes
/** @type {Record<string, string>} */
const DEFAULT_REACTIONS = { clap: '👏', heart: '❤️', laugh: '😂', wow: '😮', think: '🤔', up: '👍' };

/**
 * @param {{ getEvent: () => { reactions?: Record<string, string> } | null }} deps
 * @returns {{ burst: (counts: Record<string, number>) => void }}
 */
export function createReactionFloats({ getEvent }) {
  const host = $('#reactions');

  /** @param {string} key @param {number} delay ms */
  function spawnFloat(key, delay) {
    if (host.childElementCount >= MAX_FLOATING) {
      return;
    }
    const node = el('span', { class: 'reaction-float', attrs: { 'data-testid': 'reaction-float', 'data-reaction': key } }, [reactionIcon(key, 'reaction-float-icon')]);
    const duration = 3200 + Math.round(Math.random() * 1600);
    node.style.left = `${(3 + Math.random() * 90).toFixed(1)}%`;
    node.style.animationDelay = `${delay}ms`;
    node.style.animationDuration = `${duration}ms`;
    node.style.setProperty('--drift', `${(Math.random() * 8 - 4).toFixed(1)}vw`);
    node.style.setProperty('--scale', (0.8 + Math.random() * 0.6).toFixed(2));
    host.append(node);
    const done = () => node.remove();
    node.addEventListener('animationend', done, { once: true });
    setTimeout(done, delay + duration + 500);
  }

  return {
    /** One burst: the server's counts of the last half second, as a stream of at most MAX_BURST emoji. */
    burst(counts) {
      const event = getEvent();
      const kinds = (event && event.reactions && Object.keys(event.reactions).length) ? event.reactions : DEFAULT_REACTIONS;
      const entries = Object.entries(counts).filter(([key, n]) => kinds[key] && n > 0);
      const total = entries.reduce((sum, [, n]) => sum + n, 0);
      if (!total) {
        return;
      }
      const share = Math.min(1, MAX_BURST / total);
      /** @type {string[]} */
      const emoji = [];
      for (const [key, n] of entries) {
        for (let i = 0, count = Math.max(1, Math.round(n * share)); i < count; i += 1) {
          emoji.push(key);
        }
      }
      for (let i = emoji.length - 1; i > 0; i -= 1) {
        const j = Math.floor(Math.random() * (i + 1));
        [emoji[i], emoji[j]] = [emoji[j], emoji[i]];
      }
      // Spread over the half second the server counted them in, so a burst reads as a stream.
      emoji.slice(0, MAX_BURST).forEach((e) => spawnFloat(e, Math.round(Math.random() * 500)));
    },
  };
}
