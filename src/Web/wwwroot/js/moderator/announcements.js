// @ts-check
// Announcements: post one to the whole event or one room, see the ones posted (newest first), take one down.
import { roomById } from '/js/lib/agenda.js';
import { upsertAnnouncement } from '/js/lib/announcements.js';
import { $, el, reconcile, toast, userText } from '/js/lib/dom.js';
import { limits, textLength, tooLong } from '/js/lib/limits.js';
import { byNewest } from '/js/lib/session-state.js';
import { errorText, getLanguage, t } from '/js/lib/strings.js';
import { relativeTime } from '/js/lib/time.js';

/** @typedef {import('../../../types/protocol').AnnouncementView} Announcement */
/** @typedef {import('/js/lib/connection.js').LiveErrorShape} LiveErrorShape */
/** What the form says: the page's own check (local, a string key) or the server's error. */
/** @typedef {{ messageKey: string, retryAfterSeconds?: number | null, local?: undefined } | { local: string, messageKey?: undefined }} FormError */
/**
 * @typedef {object} Announcements
 * @property {(event: import('../../../types/protocol').EventSnapshot) => void} load takes the event snapshot's announcements
 * @property {(a: Announcement) => void} posted one posted (here or elsewhere)
 * @property {(a: { id: number }) => void} deleted one taken down
 * @property {() => void} render
 * @property {() => void} languageChanged
 */

/**
 * @param {{
 *   live: import('/js/lib/connection.js').Live,
 *   getEvent: () => import('../../../types/protocol').EventSnapshot | null,
 *   failed: (r: { error: import('/js/lib/connection.js').LiveErrorShape }) => Promise<boolean>,
 *   toastError: (error: LiveErrorShape) => void,
 * }} deps
 * @returns {Announcements}
 */
export function createAnnouncements({ live, getEvent, failed, toastError }) {
  const ui = {
    form: /** @type {HTMLFormElement} */ ($('#announcement-form')),
    text: /** @type {HTMLTextAreaElement} */ ($('#announcement-text')),
    counter: $('#announcement-counter'),
    room: /** @type {HTMLSelectElement & { _sig?: string }} */ ($('#announcement-room')),
    error: $('#announcement-error'),
    post: $('#announcement-post'),
    items: $('#announcement-items'),
    empty: $('#announcements-empty'),
  };
  /** @type {Announcement[]} newest first */
  let announcements = [];
  /** @type {FormError | null} */
  let error = null;
  let posting = false;
  /** @type {Set<number>} announcements being taken down */
  const busy = new Set();

  /** @param {number | null} roomId */
  function roomName(roomId) {
    const room = roomId ? roomById(getEvent(), roomId) : null;
    return room ? room.name : t('mod.ann.everyone');
  }

  /** @param {import('../../../types/protocol').EventSnapshot} event */
  function renderRooms(event) {
    const sig = JSON.stringify([getLanguage(), event.rooms.map((r) => [r.id, r.name])]);
    if (ui.room._sig === sig) {
      return;
    }
    ui.room._sig = sig;
    const chosen = ui.room.value;
    ui.room.replaceChildren(
      el('option', { text: t('mod.ann.everyone'), attrs: { value: '' } }),
      ...event.rooms.map((r) => el('option', { text: t('mod.ann.room', { room: r.name }), attrs: { value: r.id } })),
    );
    ui.room.value = chosen;
  }

  // Without a limit from the server the box has no cap here (the server still refuses what is too long).
  function updateCounter() {
    const text = ui.text.value.trim();
    const max = limits.announcementMaxLength;
    ui.counter.textContent = max ? t('ask.counter', { count: textLength(text), max }) : '';
    ui.counter.classList.toggle('over', !!max && tooLong(text, max));
  }

  /** @param {FormError | null} next */
  function showError(next) {
    error = next;
    ui.error.hidden = !next;
    const max = limits.announcementMaxLength;
    ui.error.textContent = next ? (next.local ? t(next.local) : errorText(next, max ? { max } : {})) : '';
    ui.text.setAttribute('aria-invalid', error ? 'true' : 'false');
  }

  function render() {
    const event = getEvent();
    if (!event) {
      return;
    }
    renderRooms(event);
    updateCounter();
    ui.post.setAttribute('aria-disabled', posting ? 'true' : 'false');
    ui.empty.hidden = announcements.length > 0;
    reconcile(ui.items, announcements, {
      key: (a) => a.id,
      sig: (a) => JSON.stringify([getLanguage(), a.text, a.roomId, busy.has(a.id)]),
      build: (a) => el('li', { class: 'announcement-item', attrs: { 'data-testid': 'announcement-item', 'data-announcement-id': a.id } }, [
        el('p', { class: 'announcement-meta' }, [
          el('span', { class: 'badge badge-kind', text: roomName(a.roomId) }),
          ' ',
          el('time', { text: relativeTime(a.createdAt), data: { ts: a.createdAt }, attrs: { datetime: new Date(a.createdAt).toISOString() } }),
        ]),
        el('p', { class: 'announcement-text' }, [userText(a.text)]),
        el('button', {
          class: 'btn btn-small btn-danger',
          text: t('mod.ann.delete'),
          attrs: {
            type: 'button',
            'data-testid': 'announcement-delete',
            'aria-label': t('mod.ann.delete_aria', { text: a.text.slice(0, 60) }),
            'aria-disabled': busy.has(a.id) ? 'true' : null,
          },
          on: { click: () => remove(a) },
        }),
      ]),
    });
  }

  /** @param {Announcement} a */
  async function remove(a) {
    if (busy.has(a.id)) {
      return;
    }
    busy.add(a.id);
    render();
    const event = getEvent();
    if (!event) {
      return;
    }
    const r = await live.request('DeleteAnnouncement', { eventId: event.id, announcementId: a.id });
    busy.delete(a.id);
    if (!r.ok && !(r.error && r.error.messageKey === 'error.not_found.announcement')) {
      if (await failed(r)) {
        return;
      }
      render();
      toastError(r.error);
      return;
    }
    announcements = announcements.filter((x) => x.id !== a.id);
    render();
    ui.text.focus();
    toast(t('mod.ann.done_deleted'));
  }

  ui.text.addEventListener('input', () => {
    updateCounter();
    if (error) {
      showError(null);
    }
  });

  ui.text.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      ui.form.requestSubmit();
    }
  });

  ui.form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const event = getEvent();
    if (posting || !event) {
      return;
    }
    const text = ui.text.value.trim();
    if (!text) {
      showError({ local: 'mod.ann.empty_text' });
      ui.text.focus();
      return;
    }
    if (limits.announcementMaxLength && tooLong(text, limits.announcementMaxLength)) {
      showError({ messageKey: 'error.text_too_long' });
      ui.text.focus();
      return;
    }
    posting = true;
    render();
    const roomId = ui.room.value ? Number(ui.room.value) : null;
    const r = await live.request('PostAnnouncement', { eventId: event.id, roomId, text });
    posting = false;
    if (!r.ok) {
      if (await failed(r)) {
        return;
      }
      showError(r.error);
      render();
      return;
    }
    showError(null);
    ui.text.value = '';
    announcements = upsertAnnouncement(announcements, r.value);
    render();
    toast(t('mod.ann.done_posted', { to: roomName(r.value.roomId) }));
  });

  return {
    load(event) {
      announcements = [...(event.announcements || [])].sort(byNewest);
    },
    posted(a) {
      announcements = upsertAnnouncement(announcements, a);
      render();
    },
    deleted(a) {
      announcements = announcements.filter((x) => x.id !== a.id);
      render();
    },
    render,
    languageChanged() {
      showError(error);
    },
  };
}
