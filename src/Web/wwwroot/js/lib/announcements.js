// @ts-check
import { byNewest } from './session-state.js';

/** Announcements older than this leave the banners (they stay in the list): yesterday's delay is no news today. */
export const ANNOUNCEMENT_FRESH_MS = 3 * 60 * 60 * 1000;

/** The announcements a screen showing a session in this room should show, newest first. */
export function relevantAnnouncements(list, roomId) {
  return (list || [])
    .filter((a) => a.roomId === null || a.roomId === undefined || a.roomId === roomId)
    .sort(byNewest);
}

/** Adds or replaces one announcement in a list kept newest first (at most 50, like the server's snapshot). */
export function upsertAnnouncement(list, announcement) {
  const rest = (list || []).filter((a) => a.id !== announcement.id);
  return [announcement, ...rest].sort(byNewest).slice(0, 50);
}
