// @ts-check
// The organizer deleted the event: its screens stop, say so in the page's language, and forget what this device kept of it
// (the agenda, the last state, unsent questions and votes).
import { storage } from './storage.js';

/** Every key a page keeps per event code ("<prefix>.<code>"). */
const PER_EVENT = ['lh.session', 'lh.event', 'lh.state', 'lh.polls', 'lh.outbox', 'lh.votes', 'lh.announcements.read', 'lh.mod.session', 'lh.mod.status'];

/** Removes what this device kept of the event. @param {string} code */
export function forgetEvent(code) {
  for (const prefix of PER_EVENT) {
    storage.remove(`${prefix}.${code}`);
  }
}

/**
 * @typedef {{ eventId: number, code: string, error: import('./connection.js').LiveErrorShape }} EventDeletedNotice
 */

/**
 * Calls show with the server's error (not_found, "error.not_found.event_deleted") when the organizer deletes the event
 * with this code, after the device has forgotten it. Later calls about the event answer not_found.
 * @param {import('./connection.js').Live} live @param {string} code
 * @param {(error: import('./connection.js').LiveErrorShape) => void} show
 */
export function onEventDeleted(live, code, show) {
  live.on('EventDeleted', (/** @type {EventDeletedNotice} */ notice) => {
    if (!notice || String(notice.code).toUpperCase() !== code.toUpperCase()) {
      return;
    }
    forgetEvent(code);
    show(notice.error || { code: 'not_found', messageKey: 'error.not_found.event_deleted' });
  });
}
