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
