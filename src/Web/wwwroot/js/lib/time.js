// @ts-check
// Times as people read them: relative to the server's clock (phones are often minutes off), and clock times and days
// in the event's time zone, in the page's language.
import { getLanguage, t } from './strings.js';

let clockOffset = 0;

/** Aligns relative times with the server's clock. @param {number | undefined} serverTime */
export function syncClock(serverTime) {
  if (typeof serverTime === 'number' && serverTime > 0) {
    clockOffset = serverTime - Date.now();
  }
}

export function serverNow() {
  return Date.now() + clockOffset;
}

/**
 * "5 menit yang lalu" / "5 minutes ago" for a server timestamp.
 * @param {number} ms @param {{ base?: number, seconds?: boolean }} [options]
 */
export function relativeTime(ms, { base = serverNow(), seconds = false } = {}) {
  const lang = getLanguage();
  // Freshness is always in the past; a clock a little ahead must not read "in 0 seconds".
  const diff = Math.min(0, Math.round((ms - base) / 1000));
  const abs = Math.abs(diff);
  const rtf = new Intl.RelativeTimeFormat(lang, { numeric: 'auto' });
  if (abs < 45 && !seconds) {
    return t('time.just_now');
  }
  if (abs < 60) {
    // Intl reads 0 as "in 0 seconds": the freshest data is one second old.
    return new Intl.RelativeTimeFormat(lang, { numeric: 'always' }).format(-Math.max(1, abs), 'second');
  }
  if (abs < 3600) {
    return rtf.format(Math.round(diff / 60), 'minute');
  }
  if (abs < 86400) {
    return rtf.format(Math.round(diff / 3600), 'hour');
  }
  return rtf.format(Math.round(diff / 86400), 'day');
}

/** @param {Intl.DateTimeFormatOptions} options @param {string | undefined} timeZone */
function dateFormat(options, timeZone) {
  try {
    return new Intl.DateTimeFormat(getLanguage(), { ...options, timeZone: timeZone || undefined });
  } catch {
    return new Intl.DateTimeFormat(getLanguage(), options);
  }
}

/** A clock time in the event's time zone, e.g. "10.30". @param {number} ms @param {string} [timeZone] */
export function formatTime(ms, timeZone, { zone = false } = {}) {
  return dateFormat({ hour: '2-digit', minute: '2-digit', timeZoneName: zone ? 'short' : undefined }, timeZone).format(ms);
}

/** A day in the event's time zone, e.g. "Sen, 2 Des". @param {number} ms @param {string} [timeZone] */
export function formatDay(ms, timeZone) {
  return dateFormat({ weekday: 'short', day: 'numeric', month: 'short' }, timeZone).format(ms);
}

/** A relative time that keeps itself fresh (see startRelativeTimeTicker). @param {number} ms */
export function timeElement(ms, className = '') {
  const node = document.createElement('time');
  if (className) {
    node.className = className;
  }
  node.textContent = relativeTime(ms);
  node.dataset.ts = String(ms);
  node.dateTime = new Date(ms).toISOString();
  return node;
}

/** Keeps every element with data-ts (a server timestamp) showing a fresh relative time. */
export function startRelativeTimeTicker(root = document, everyMs = 30000) {
  const tick = () => {
    for (const node of /** @type {NodeListOf<HTMLElement>} */ (root.querySelectorAll('[data-ts]'))) {
      node.textContent = relativeTime(Number(node.dataset.ts));
    }
  };
  setInterval(tick, everyMs);
  return tick;
}

/** "0:42" for the quiz countdown. @param {number | null} seconds */
export function formatCountdown(seconds) {
  const s = Math.max(0, seconds || 0);
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}
