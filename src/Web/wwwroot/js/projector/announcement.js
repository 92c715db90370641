// @ts-check
// Announcements on the wall: the newest one for this room fills the width of the screen for 20 seconds, then stays as a
// ticker along the bottom until it is three hours old.
import { roomById } from '/js/lib/agenda.js';
import { ANNOUNCEMENT_FRESH_MS, relevantAnnouncements, upsertAnnouncement } from '/js/lib/announcements.js';
import { $, el, userText } from '/js/lib/dom.js';
import { fitText } from '/js/lib/fit.js';
import { byNewest } from '/js/lib/session-state.js';
import { getLanguage, t } from '/js/lib/strings.js';
import { serverNow } from '/js/lib/time.js';

const BANNER_MS = 20000; // a new announcement fills the screen this long, then stays as a ticker

/** @typedef {import('../../../types/protocol').AnnouncementView} Announcement */

/**
 * @typedef {object} Announcements
 * @property {(list: Announcement[] | undefined) => void} load the event snapshot's announcements
 * @property {(a: Announcement) => void} posted
 * @property {(a: { id: number }) => void} deleted
 * @property {() => void} render shows the newest one for the room on screen, or none
 */

/**
 * @param {{ getEvent: () => any, getRoomId: () => number | null, onLayoutChange: () => void }} deps
 *   getEvent: the event snapshot; getRoomId: the room on screen; onLayoutChange: the ticker took or gave back its strip
 * @returns {Announcements}
 */
export function createAnnouncements({ getEvent, getRoomId, onLayoutChange }) {
  const ui = {
    proj: $('#proj'),
    banner: $('#announcement'),
  };
  /** @type {Announcement[]} */
  let announcements = [];
  /** @type {ReturnType<typeof setTimeout> | undefined} */
  let bannerTimer;
  /** What the banner was built from: it is rebuilt (and refitted) only when that changes. */
  let sig = '';

  /** @param {boolean} ticker */
  function setTicker(ticker) {
    if (ui.proj.classList.contains('has-ticker') !== ticker) {
      ui.proj.classList.toggle('has-ticker', ticker);
      onLayoutChange();
    }
  }

  function render() {
    const event = getEvent();
    if (!event) {
      return;
    }
    const newest = relevantAnnouncements(announcements, getRoomId())[0] || null;
    const now = serverNow();
    const shown = newest && newest.createdAt >= now - ANNOUNCEMENT_FRESH_MS ? newest : null;
    clearTimeout(bannerTimer);
    if (!shown) {
      ui.banner.hidden = true;
      sig = '';
      ui.banner.replaceChildren();
      setTicker(false);
      return;
    }
    const age = Math.max(0, now - shown.createdAt);
    const large = age < BANNER_MS;
    if (large) {
      bannerTimer = setTimeout(render, BANNER_MS - age + 50);
    }
    const room = shown.roomId ? roomById(event, shown.roomId) : null;
    const next = JSON.stringify([getLanguage(), shown.id, shown.text, large, room && room.name]);
    if (sig === next) {
      return;
    }
    sig = next;
    ui.banner.hidden = false;
    ui.banner.dataset.size = large ? 'large' : 'ticker';
    ui.banner.dataset.announcementId = String(shown.id);
    const label = [t('announcement.title'), room ? room.name : null].filter(Boolean).join(' · ');
    if (large) {
      ui.banner.replaceChildren(
        el('p', { class: 'proj-announcement-label', text: label }),
        el('p', { class: 'proj-announcement-text' }, [userText(shown.text)]),
      );
      fitText(ui.banner, '--a-size', { min: 24, max: Math.max(40, Math.round(window.innerWidth * 0.04)) });
    } else {
      const inner = el('span', { class: 'ticker-inner', userText: shown.text, attrs: { 'data-scrolls': 'true' } });
      const track = el('span', { class: 'ticker-track' }, [inner]);
      ui.banner.replaceChildren(el('span', { class: 'proj-announcement-label', text: label }), track);
      // Text longer than the strip glides to its end and back, slowly enough to read from the back row.
      requestAnimationFrame(() => {
        const overflow = inner.scrollWidth - track.clientWidth;
        if (overflow > 4) {
          inner.style.setProperty('--ticker-shift', `${-overflow}px`);
          inner.style.animationDuration = `${Math.max(8, overflow / 60 + 4)}s`;
          inner.classList.add('is-scrolling');
        }
      });
    }
    setTicker(!large);
  }

  window.addEventListener('resize', () => {
    sig = '';
    render();
  });

  /** A pushed change to the list: shown at once. @param {Announcement[]} list */
  function keep(list) {
    announcements = list;
    render();
  }

  return {
    load(list) {
      announcements = [...(list || [])].sort(byNewest);
    },
    posted: (a) => keep(upsertAnnouncement(announcements, a)),
    deleted: (a) => keep(announcements.filter((x) => x.id !== a.id)),
    render,
  };
}
