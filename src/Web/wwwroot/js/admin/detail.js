// @ts-check
// One event open for editing: its details, links, passcode, rooms and sessions, and the control that deletes it. This
// module owns the event as the server last returned it; each panel reads it and asks for a reload after a change.
import { api } from '/js/lib/api.js';
import { $ } from '/js/lib/dom.js';
import { adminErrorText, ta } from '/js/admin-i18n.js';
import { deleteEventSection } from '/js/admin/delete-event.js';
import { eventSection } from '/js/admin/event-form.js';
import { enc, eventApi } from '/js/admin/form.js';
import { linksSection } from '/js/admin/links.js';
import { passcodeSection } from '/js/admin/passcode.js';
import { createRooms } from '/js/admin/rooms.js';
import { createSessions } from '/js/admin/sessions.js';

/** @typedef {import('/js/admin/form.js').AdminEvent} AdminEvent */

/**
 * @typedef {object} EventDetail
 * @property {(code: string) => Promise<void>} open reads one event and shows it instead of the list
 * @property {() => void} render paints the open event again, if any (after a language switch)
 * @property {() => void} close no event is open any more (signed out): the list shows again after the next sign-in
 */

/**
 * @param {{
 *   showNotice: (text: string, kind?: string, options?: { reveal?: boolean }) => void,
 *   loadList: () => Promise<void>,
 *   focusList: () => void,
 * }} deps loadList: reads the list of events again, shown when the event is closed
 * @returns {EventDetail}
 */
export function createEventDetail({ showNotice, loadList, focusList }) {
  const ui = {
    events: $('#events'),
    create: $('#create'),
    detail: $('#detail'),
    detailBody: $('#detail-body'),
    back: $('#back'),
  };

  /** The event being edited (AdminEventDetail). @type {AdminEvent | null} */
  let current = null;
  const getEvent = () => /** @type {AdminEvent} */ (current);
  const rooms = createRooms({ getEvent, reload });
  const sessions = createSessions({ getEvent, reload, render });

  /** @param {string} code */
  async function open(code) {
    const r = await api('GET', eventApi(code));
    if (!r.ok) {
      showNotice(adminErrorText(r.error), 'error');
      return;
    }
    if (!current || current.code !== r.value.code) {
      rooms.eventChanged();
      sessions.eventChanged();
      showNotice('');
    }
    current = r.value;
    ui.events.hidden = true;
    ui.create.hidden = true;
    ui.detail.hidden = false;
    history.replaceState(null, '', `#event=${enc(getEvent().code)}`);
    render();
    ui.detailBody.querySelector('h2')?.focus();
  }

  async function reload() {
    const r = await api('GET', eventApi(getEvent().code));
    if (r.ok) {
      current = r.value;
      render();
    }
  }

  function render() {
    const event = getEvent();
    ui.detailBody.replaceChildren(
      eventSection(event, (saved) => {
        current = saved;
        render();
      }),
      linksSection(event, showNotice),
      passcodeSection(event, showNotice),
      rooms.section(),
      sessions.section(),
      deleteEventSection(event, async (deleted) => {
        close();
        showNotice(ta('admin.delete.done', deleted), 'info');
        await loadList();
        focusList();
      }),
    );
  }

  function forget() {
    current = null;
    history.replaceState(null, '', location.pathname + location.search);
  }

  function close() {
    forget();
    ui.detail.hidden = true;
    ui.events.hidden = false;
  }

  ui.back.addEventListener('click', () => {
    close();
    loadList();
    focusList();
  });

  return {
    open,
    render() {
      if (current) {
        render();
      }
    },
    close,
  };
}
