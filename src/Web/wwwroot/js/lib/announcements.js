// @ts-check
// The announcements a screen in a room shows: those for its room and for the whole event, newest first, and which are
// still news.
import { byNewest } from './session-state.js';

/** @typedef {import('../../../types/protocol').AnnouncementView} AnnouncementView */

/** Announcements older than this leave the banners (they stay in the list): yesterday's delay is no news today. */
export const ANNOUNCEMENT_FRESH_MS = 3 * 60 * 60 * 1000;

/**
 * The announcements a screen showing a session in this room should show, newest first.
 * @param {AnnouncementView[] | null | undefined} list @param {number | null | undefined} roomId
 */
export function relevantAnnouncements(list, roomId) {
  return (list || [])
    .filter((a) => a.roomId === null || a.roomId === undefined || a.roomId === roomId)
    .sort(byNewest);
}

/**
 * Adds or replaces one announcement in a list kept newest first (at most 50, like the server's snapshot).
 * @param {AnnouncementView[] | null | undefined} list @param {AnnouncementView} announcement
 */
export function upsertAnnouncement(list, announcement) {
  const rest = (list || []).filter((a) => a.id !== announcement.id);
  return [announcement, ...rest].sort(byNewest).slice(0, 50);
}
