// @ts-check
// Input limits: the server's, never the page's own. The page's data block (#lh-page) carries them from the first paint, and
// the event snapshot's (EventSnapshot.limits) replace them when it arrives. docs/protocol.md describes each key.

import { page } from './page.js';

/** The server's ClientLimits (docs/protocol.md); lengths are characters as people see them (textLength). */
/** @typedef {import('../../../types/protocol').ClientLimits} Limits */

/** @type {Limits} */
export const limits = /** @type {Limits} */ ({});
take(page.limits);

/** @param {object | null | undefined} given */
function take(given) {
  for (const [name, value] of Object.entries(given || {})) {
    if (typeof value === 'number' && Number.isInteger(value) && value > 0) {
      Object.assign(limits, { [name]: value });
    }
  }
}

/** The snapshot's limits replace the page's. @param {{ limits?: object } | null | undefined} eventSnapshot */
export function applyLimits(eventSnapshot) {
  take(eventSnapshot && eventSnapshot.limits);
}

// The server counts what a person sees as characters: grapheme clusters (an emoji with its skin tone, a letter with its
// accent, a flag: one each). Without Intl.Segmenter (older browsers) code points are counted: never fewer than the
// server counts, so such a page may refuse a text the server would take, never the other way round.
const graphemes = typeof Intl !== 'undefined' && typeof Intl.Segmenter === 'function'
  ? new Intl.Segmenter(undefined, { granularity: 'grapheme' })
  : null;

/** @param {string} text @returns {string[]} the characters as people see them */
function characters(text) {
  return graphemes ? Array.from(graphemes.segment(text), (s) => s.segment) : Array.from(text);
}

/** The length of a text by the server's rule. @param {string} text */
export function textLength(text) {
  return characters(text).length;
}

/**
 * Whether a text is over a limit of max characters: more characters than that, or more than four UTF-16 code units per
 * character of the limit (a flood of family emoji or stacked accents), as the server decides (TextLength.Exceeds).
 * @param {string} text @param {number} max
 */
export function tooLong(text, max) {
  return text.length > max && (text.length > max * 4 || textLength(text) > max);
}

/**
 * The longest start of a text that is not too long for max (see tooLong), never cutting an emoji or an accent off its letter.
 * @param {string} text @param {number} max
 */
export function clip(text, max) {
  if (!tooLong(text, max)) {
    return text;
  }
  let kept = '';
  for (const c of characters(text).slice(0, max)) {
    if (kept.length + c.length > max * 4) {
      break;
    }
    kept += c;
  }
  return kept;
}
