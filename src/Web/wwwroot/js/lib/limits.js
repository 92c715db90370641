// @ts-check
// Input limits. The server sends its own with the event snapshot (EventSnapshot.limits) and those replace these
// defaults, every key it sends: the pages never decide a limit themselves.

/** @type {Record<string, number>} */
export const limits = { questionMaxLength: 500, nameMaxLength: 60, pollAnswerMaxLength: 280, wordCloudMaxWords: 3 };

/** @param {{ limits?: Record<string, unknown> } | null | undefined} eventSnapshot */
export function applyLimits(eventSnapshot) {
  const given = eventSnapshot && eventSnapshot.limits;
  if (!given) {
    return;
  }
  for (const [name, value] of Object.entries(given)) {
    if (typeof value === 'number' && Number.isInteger(value) && value > 0) {
      limits[name] = value;
    }
  }
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
