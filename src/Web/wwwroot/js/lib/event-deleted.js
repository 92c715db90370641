// @ts-check
// The organizer deleted the event: its screens stop, say so in the page's language, and forget what this device kept of it
// (the agenda, the last state, unsent questions and votes).
import { storage } from './storage.js';

/** Every key a page keeps per event code ("<prefix>.<code>"). */
const PER_EVENT = ['lh.session', 'lh.event', 'lh.state', 'lh.polls', 'lh.outbox', 'lh.votes', 'lh.announcements.read', 'lh.mod.session', 'lh.mod.status'];

/**
 * Removes what this device kept of the event: its keys in localStorage and its pages in the service worker's cache.
 * @param {string} code
 */
export function forgetEvent(code) {
  for (const prefix of PER_EVENT) {
    storage.remove(`${prefix}.${code}`);
  }
  if (typeof caches === 'undefined') {
    return;
  }
  caches.keys().then((names) => Promise.all(names.map(async (name) => {
    const cache = await caches.open(name);
    for (const request of await cache.keys()) {
      const page = /^\/e\/([^/]+)(\/|$)/.exec(new URL(request.url).pathname);
      if (page && decodeURIComponent(page[1]).toUpperCase() === code.toUpperCase()) {
        await cache.delete(request, { ignoreVary: true, ignoreSearch: true });
      }
    }
  }))).catch(() => { /* best effort */ });
}

/** @typedef {import('../../../types/protocol').EventDeletedNotice} EventDeletedNotice */

/**
 * The organizer deleted an event (lib/event.js onEventDeleted): when it is the one with this code, the device forgets
 * it, the connection closes (there is nothing left to follow; later calls about the event would answer not_found) and
 * its status, which would only say "reconnecting", goes away; then show is called with the server's error (not_found,
 * "error.not_found.event_deleted").
 * @param {import('./connection.js').Live} live @param {string} code
 * @param {(error: import('./connection.js').LiveErrorShape) => void} show
 * @param {EventDeletedNotice} notice
 */
export async function eventDeleted(live, code, show, notice) {
  if (!notice || String(notice.code).toUpperCase() !== code.toUpperCase()) {
    return;
  }
  forgetEvent(code);
  // Whatever the page still writes (an outbox that settles, a last saved state) goes when it is left.
  addEventListener('pagehide', () => forgetEvent(code));
  await live.stop();
  const status = document.getElementById('conn');
  if (status) {
    status.hidden = true;
  }
  show(notice.error || { code: 'not_found', messageKey: 'error.not_found.event_deleted' });
}
