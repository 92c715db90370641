// @ts-check
// Announcements on the phone: the newest one for this room as a banner until it is dismissed (or three hours old),
// every one kept in a list to read again.
import { roomById } from '/js/lib/agenda.js';
import { ANNOUNCEMENT_FRESH_MS, relevantAnnouncements, upsertAnnouncement } from '/js/lib/announcements.js';
import { byNewest } from '/js/lib/session-state.js';
import { $, announce, el, reconcile, userText } from '/js/lib/dom.js';
import { storage } from '/js/lib/storage.js';
import { getLanguage, t } from '/js/lib/strings.js';
import { serverNow, timeElement } from '/js/lib/time.js';

/** @param {import('/js/audience.js').AudiencePage} page the phone page's shared context (js/audience.js) */
export function createAnnouncements(page) {
  const READ_KEY = `lh.announcements.read.${page.code}`;
  const ui = {
    banner: $('#announcement-banner'),
    section: $('#announcements'),
    list: $('#announcement-list'),
    eventName: $('#event-name'),
  };
  /** @type {import('../../../types/protocol').AnnouncementView[]} newest first, every room; the screens pick the relevant ones */
  let all = [];
  let read = new Set(storage.get(READ_KEY, []));

  /** @param {import('../../../types/protocol').AnnouncementView} a */
  function isRelevant(a) {
    return a.roomId === null || a.roomId === undefined || a.roomId === page.currentRoomId();
  }

  /** @param {import('../../../types/protocol').AnnouncementView} a */
  function scopeText(a) {
    const room = a.roomId ? roomById(page.event, a.roomId) : null;
    return room ? userText(room.name) : t('announcement.everyone');
  }

  /** Dismissing the banner marks it and every older one for this screen as read; the list keeps them all. @param {import('../../../types/protocol').AnnouncementView} announcement */
  function dismiss(announcement) {
    for (const a of relevantAnnouncements(all, page.currentRoomId())) {
      if (a.createdAt <= announcement.createdAt) {
        read.add(a.id);
      }
    }
    const kept = [...read].slice(-200);
    read = new Set(kept);
    storage.set(READ_KEY, kept);
    render();
    const next = ui.banner.querySelector('[data-testid="announcement-dismiss"]');
    if (next) {
      next.focus();
    } else {
      ui.eventName.tabIndex = -1;
      ui.eventName.focus();
    }
  }

  function render() {
    if (!page.event) {
      return;
    }
    const relevant = relevantAnnouncements(all, page.currentRoomId());
    const freshFrom = serverNow() - ANNOUNCEMENT_FRESH_MS;
    const banner = relevant.find((a) => !read.has(a.id) && a.createdAt >= freshFrom) || null;
    const sig = JSON.stringify([getLanguage(), banner && [banner.id, banner.text, banner.roomId], relevant.length]);
    if (ui.banner._sig !== sig) {
      ui.banner._sig = sig;
      ui.banner.hidden = !banner;
      ui.banner.dataset.announcementId = banner ? String(banner.id) : '';
      ui.banner.replaceChildren(...(banner ? [
        el('p', { class: 'announce-head' }, [
          el('span', { class: 'announce-label', text: t('announcement.title') }),
          el('span', { class: 'announce-scope' }, [scopeText(banner)]),
          timeElement(banner.createdAt, 'announce-time'),
        ]),
        el('p', { class: 'announce-text', attrs: { 'data-testid': 'announcement-text' } }, [userText(banner.text)]),
        el('div', { class: 'announce-actions' }, [
          el('button', {
            class: 'btn btn-small',
            text: t('announcement.dismiss'),
            attrs: { type: 'button', 'data-testid': 'announcement-dismiss' },
            on: { click: () => dismiss(banner) },
          }),
          relevant.length > 1 ? el('button', {
            class: 'btn btn-small btn-link',
            text: t('announcement.all', { count: relevant.length }),
            attrs: { type: 'button', 'data-testid': 'announcement-all' },
            on: {
              click: () => {
                ui.section.scrollIntoView({ block: 'start' });
                ui.section.focus({ preventScroll: true });
              },
            },
          }) : null,
        ]),
      ] : []));
    }
    ui.section.hidden = relevant.length === 0;
    reconcile(ui.list, relevant, {
      key: (a) => a.id,
      sig: (a) => JSON.stringify([getLanguage(), a.text, a.roomId]),
      build: (a) => el('li', { class: 'announcement', attrs: { 'data-testid': 'announcement', 'data-announcement-id': a.id } }, [
        el('p', { class: 'announcement-meta' }, [el('span', { class: 'announce-scope' }, [scopeText(a)]), ' · ', timeElement(a.createdAt, 'announce-time')]),
        el('p', { class: 'announcement-text' }, [userText(a.text)]),
      ]),
    });
  }

  return {
    render,
    /** @param {import('../../../types/protocol').AnnouncementView[]} list */
    load(list) {
      all = [...list].sort(byNewest);
    },
    /** @param {import('../../../types/protocol').AnnouncementView} a */
    posted(a) {
      if (!page.event || a.eventId !== page.event.id) {
        return;
      }
      all = upsertAnnouncement(all, a);
      if (isRelevant(a)) {
        announce(t('announcement.new', { text: a.text }));
      }
      render();
    },
    /** @param {import('../../../types/protocol').AnnouncementView} a */
    deleted(a) {
      all = all.filter((x) => x.id !== a.id);
      render();
    },
  };
}
