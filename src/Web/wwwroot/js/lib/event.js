// @ts-check
// An event and its sessions as a screen joins them: the code in the path, the event's snapshot, the session picked
// (remembered per device) and the switch from one session to another.
import { errorText } from './strings.js';
import { storage } from './storage.js';
import { toast } from './dom.js';
import { applyLimits, limits } from './limits.js';

/**
 * When the organizer deletes the event with this code, js/lib/event-deleted.js comes and closes the page (see there);
 * it is rare enough not to be part of any page's first load.
 * @param {import('./connection.js').Live} live @param {string} code
 * @param {(error: import('./connection.js').LiveErrorShape) => void} show
 */
export function onEventDeleted(live, code, show) {
  live.on('EventDeleted', (notice) => import('/js/lib/event-deleted.js').then((m) => m.eventDeleted(live, code, show, notice)));
}

export function eventCodeFromPath() {
  const parts = location.pathname.split('/').filter(Boolean);
  return parts[0] === 'e' && parts[1] ? decodeURIComponent(parts[1]).toUpperCase() : null;
}

/** @param {unknown} input */
export function normaliseCode(input) {
  return String(input || '').toUpperCase().replace(/[\s\-_.]+/g, '');
}

/**
 * Whether a typed code has an event code's length (the server's, from the page's limits). Which characters make a code is
 * the server's to say: a code of the right length with any other character is simply no event (not_found).
 * @param {string} code
 */
export function isValidCode(code) {
  return code.length === limits.joinCodeLength;
}

/**
 * The event's snapshot (JoinEvent); null when there is no such event, after onMissing was told (and the device forgot
 * what it kept under that code: a phone that was away when the organizer deleted the event learns it here). Anything else throws.
 * The snapshot's input limits replace the page's own copy of them.
 * @param {import('./connection.js').Live} live @param {string} code
 * @param {(error: import('./connection.js').LiveErrorShape) => void} onMissing
 */
export async function joinEvent(live, code, onMissing) {
  const r = await live.call('JoinEvent', code);
  if (r.ok) {
    applyLimits(r.value);
    return r.value;
  }
  if (r.error && r.error.messageKey === 'error.not_found.event') {
    import('/js/lib/event-deleted.js').then((m) => m.forgetEvent(code));
    onMissing(r.error);
    return null;
  }
  throw r.error;
}

/**
 * The default session: the one asked for, else the first live one, else the first upcoming, else the first.
 * @param {import('../../../types/protocol').SessionView[]} sessions @param {...unknown} preferred
 */
export function pickSession(sessions, ...preferred) {
  for (const id of preferred) {
    const found = id !== null && id !== undefined && sessions.find((s) => String(s.id) === String(id));
    if (found) {
      return found;
    }
  }
  return sessions.find((s) => s.status === 'live') || sessions.find((s) => s.status === 'upcoming') || sessions[0] || null;
}

/** Keeps a session picked by hand on this device and, with inUrl, in the address (?session=) so a reload keeps it. */
export function rememberSession(/** @type {string} */ storageKey, /** @type {number} */ id, { inUrl = true } = {}) {
  storage.setRaw(storageKey, String(id));
  if (inUrl) {
    const url = new URL(location.href);
    url.searchParams.set('session', String(id));
    history.replaceState(null, '', url);
  }
}

/**
 * Leaves the old session (null: none) for another: join() when connected; offline, show() it and let the reconnect
 * join. A failure is said in a toast.
 * @param {import('./connection.js').Live} live @param {number | null} oldId
 * @param {{ join: () => Promise<unknown>, show: () => void }} how
 */
export async function changeSession(live, oldId, { join, show }) {
  if (oldId !== null) {
    live.request('LeaveSession', oldId);
  }
  try {
    if (live.isConnected()) {
      await join();
    } else {
      show();
    }
  } catch (error) {
    // A failed JoinSession throws the server's typed error, or the connection's LiveError: both carry a messageKey.
    toast(errorText(/** @type {import('./connection.js').LiveErrorShape} */ (error)), { kind: 'error' });
  }
}
