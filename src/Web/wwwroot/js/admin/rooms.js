// @ts-check
// An event's rooms: each with its join code, QR code and URL, a kiosk link for the room's screen, and its name and
// capacity to edit or the room to delete; and a form that adds one.
import { api } from '/js/lib/api.js';
import { el, toast } from '/js/lib/dom.js';
import { ta } from '/js/admin-i18n.js';
import { copyable, enc, errorLine, eventApi, field, numberInput, setError, textInput } from '/js/admin/form.js';

/**
 * @typedef {object} Rooms
 * @property {() => HTMLElement} section the rooms panel of the event being edited
 * @property {() => void} eventChanged another event is open: its kiosk links are not this one's
 */

/**
 * @param {{ getEvent: () => import('/js/admin/form.js').AdminEvent, reload: () => Promise<void> }} deps
 * @returns {Rooms}
 */
export function createRooms({ getEvent, reload }) {
  /** Room key -> kiosk URL, shown until the page changes event. @type {Map<string, string>} */
  const kioskLinks = new Map();

  const roomApi = (/** @type {string} */ key) => `${eventApi(getEvent().code)}/rooms/${enc(key)}`;

  /** @param {import('/js/admin/form.js').AdminRoom} room */
  function roomItem(room) {
    const base = `room-${room.key}`;
    const name = textInput(room.name, { 'data-testid': 'room-name' });
    const capacity = numberInput(room.capacity);
    const error = errorLine();
    const form = el('form', { class: 'admin-room-form', attrs: { novalidate: true } }, [
      el('div', { class: 'admin-grid' }, [
        field(`${base}-name`, 'admin.rooms.name', name),
        field(`${base}-capacity`, 'admin.rooms.capacity', capacity),
      ]),
      error,
      el('div', { class: 'admin-actions' }, [
        el('button', { class: 'btn', text: ta('admin.rooms.save'), attrs: { type: 'submit' } }),
        el('button', {
          class: 'btn btn-danger',
          text: ta('admin.rooms.delete'),
          attrs: { type: 'button' },
          on: {
            click: async () => {
              if (!confirm(ta('admin.rooms.delete_confirm', { name: room.name }))) {
                return;
              }
              const r = await api('DELETE', roomApi(room.key));
              if (!r.ok) {
                setError(error, r.error);
                return;
              }
              toast(ta('admin.deleted'));
              await reload();
            },
          },
        }),
      ]),
    ]);
    form.addEventListener('submit', async (submit) => {
      submit.preventDefault();
      const r = await api('PUT', roomApi(room.key), { name: name.value, capacity: capacity.value ? Number(capacity.value) : null });
      if (!r.ok) {
        setError(error, r.error);
        return;
      }
      toast(ta('admin.event.saved'));
      await reload();
    });

    const kioskHost = el('div', { class: 'admin-kiosk', attrs: { 'aria-live': 'polite' } });
    const paintKiosk = () => {
      const url = kioskLinks.get(room.key);
      kioskHost.replaceChildren(url
        ? el('p', {}, [el('span', { class: 'hint', text: ta('admin.rooms.kiosk_hint') }), el('br'), copyable(url, 'kiosk-url')])
        : '');
    };
    paintKiosk();
    const kioskButton = el('button', {
      class: 'btn btn-small',
      text: ta('admin.rooms.kiosk'),
      attrs: { type: 'button', 'data-testid': 'make-kiosk-link' },
      on: {
        click: async () => {
          const r = await api('GET', `${roomApi(room.key)}/kiosk-link`);
          if (!r.ok) {
            setError(error, r.error);
            return;
          }
          kioskLinks.set(room.key, r.value.url);
          paintKiosk();
        },
      },
    });

    const roomUrl = room.code ? `${location.origin}/r/${room.code}` : null;
    return el('li', { class: 'admin-room', attrs: { 'data-testid': 'admin-room', 'data-key': room.key } }, [
      el('div', { class: 'admin-room-head' }, [
        el('h3', { text: room.name }),
        el('p', { class: 'hint' }, [`${ta('admin.rooms.key')}: `, el('span', { class: 'mono', text: room.key }),
          room.code ? ` · ${ta('admin.rooms.code')}: ` : '', room.code ? el('span', { class: 'mono', text: room.code, attrs: { 'data-testid': 'room-code' } }) : '']),
      ]),
      el('div', { class: 'admin-room-body' }, [
        room.code ? el('img', {
          class: 'admin-qr',
          attrs: { src: `/api/rooms/${enc(room.code)}/qr.svg`, alt: ta('admin.rooms.qr_alt', { name: room.name }), width: 128, height: 128, 'data-testid': 'room-qr' },
        }) : null,
        el('div', {}, [
          roomUrl ? el('p', {}, [el('span', { class: 'label', text: ta('admin.rooms.url') }), copyable(roomUrl, 'room-url')]) : null,
          kioskButton,
          kioskHost,
        ]),
      ]),
      form,
    ]);
  }

  function addRoomForm() {
    const key = textInput('', { 'data-testid': 'new-room-key', pattern: '[A-Za-z0-9][A-Za-z0-9_-]*' });
    const name = textInput('', { 'data-testid': 'new-room-name' });
    const capacity = numberInput();
    const error = errorLine();
    const form = el('form', { class: 'admin-add', attrs: { novalidate: true } }, [
      el('h3', { text: ta('admin.rooms.add') }),
      el('div', { class: 'admin-grid' }, [
        field('new-room-key', 'admin.rooms.key', key),
        field('new-room-name', 'admin.rooms.name', name),
        field('new-room-capacity', 'admin.rooms.capacity', capacity),
      ]),
      error,
      el('button', { class: 'btn btn-primary', text: ta('admin.rooms.add'), attrs: { type: 'submit', 'data-testid': 'add-room' } }),
    ]);
    form.addEventListener('submit', async (submit) => {
      submit.preventDefault();
      const r = await api('POST', `${eventApi(getEvent().code)}/rooms`,
        { key: key.value.trim(), name: name.value, capacity: capacity.value ? Number(capacity.value) : null });
      if (!r.ok) {
        setError(error, r.error);
        return;
      }
      toast(ta('admin.rooms.added', { name: r.value.name }));
      await reload();
    });
    return form;
  }

  return {
    section() {
      return el('section', { class: 'panel', attrs: { 'aria-labelledby': 'rooms-title' } }, [
        el('h2', { text: ta('admin.rooms.title'), attrs: { id: 'rooms-title' } }),
        el('ul', { class: 'admin-rooms', attrs: { 'data-testid': 'room-list' } }, getEvent().rooms.map(roomItem)),
        addRoomForm(),
      ]);
    },
    eventChanged() {
      kioskLinks.clear();
    },
  };
}
