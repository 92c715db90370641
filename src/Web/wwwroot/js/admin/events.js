// @ts-check
// The organizer's list of events, and the form that creates one from a JSON file (an export of another event, or one
// written by hand), with its code and moderator passcode when the organizer chooses them.
import { api } from '/js/lib/api.js';
import { $, el, toast } from '/js/lib/dom.js';
import { adminErrorText, ta } from '/js/admin-i18n.js';
import { setError } from '/js/admin/form.js';

/** @typedef {{ code: string, name: string, startDate: string | null, endDate: string | null, rooms: number, sessions: number }} AdminEventSummary */

/**
 * @typedef {object} EventList
 * @property {() => Promise<void>} load reads the events again and lists them
 * @property {() => void} render lists the events read last (after a language switch)
 * @property {() => void} focusFirst puts the focus on the first event's button
 */

/**
 * @param {{
 *   showNotice: (text: string, kind?: string) => void,
 *   onOpen: (code: string) => Promise<void>,
 *   onSignedOut: () => void,
 * }} deps onOpen: opens one event; onSignedOut: the server no longer takes this browser for the organizer
 * @returns {EventList}
 */
export function createEventList({ showNotice, onOpen, onSignedOut }) {
  const ui = {
    eventList: $('#event-list'),
    eventsEmpty: $('#events-empty'),
    newEvent: $('#new-event'),
    create: $('#create'),
    createForm: /** @type {HTMLFormElement} */ ($('#create-form')),
    createFile: /** @type {HTMLInputElement} */ ($('#create-file')),
    createJson: /** @type {HTMLTextAreaElement} */ ($('#create-json')),
    createCode: /** @type {HTMLInputElement} */ ($('#create-code')),
    createPasscode: /** @type {HTMLInputElement} */ ($('#create-passcode')),
    createError: $('#create-error'),
    createCancel: $('#create-cancel'),
  };

  /** @type {AdminEventSummary[]} */
  let events = [];

  async function load() {
    const r = await api('GET', '/api/admin/events');
    if (r.status === 401) {
      onSignedOut();
      return;
    }
    if (!r.ok) {
      showNotice(adminErrorText(r.error), 'error');
      return;
    }
    events = r.value;
    render();
  }

  function render() {
    ui.eventList.replaceChildren(...events.map((e) => el('li', { class: 'admin-event', attrs: { 'data-testid': 'admin-event', 'data-code': e.code } }, [
      el('div', {}, [
        el('p', { class: 'admin-event-name', text: e.name }),
        el('p', { class: 'hint' }, [
          el('span', { class: 'mono', text: e.code }),
          ` · ${[e.startDate, e.endDate].filter(Boolean).join(' – ')} · ${ta('admin.events.summary', { rooms: e.rooms, sessions: e.sessions })}`,
        ]),
      ]),
      el('button', {
        class: 'btn',
        text: ta('admin.events.manage'),
        attrs: { type: 'button', 'data-testid': `manage-${e.code}`, 'aria-label': `${ta('admin.events.manage')}: ${e.name}` },
        on: { click: () => onOpen(e.code) },
      }),
    ])));
    ui.eventsEmpty.hidden = events.length > 0;
  }

  /** @param {boolean} open */
  function toggleCreate(open) {
    ui.create.hidden = !open;
    ui.newEvent.setAttribute('aria-expanded', String(open));
    setError(ui.createError, null);
    if (open) {
      ui.createJson.focus();
    } else {
      ui.newEvent.focus();
    }
  }

  /** An exported file carries no code or passcode; a hand-written one may. Fill the fields from it when they are empty. */
  function prefillFromJson() {
    try {
      const body = JSON.parse(ui.createJson.value);
      if (body.code && !ui.createCode.value) {
        ui.createCode.value = body.code;
      }
      if (body.moderatorPasscode && !ui.createPasscode.value) {
        ui.createPasscode.value = body.moderatorPasscode;
      }
    } catch {
      // Reported on submit.
    }
  }

  ui.newEvent.addEventListener('click', () => toggleCreate(ui.create.hidden));
  ui.createCancel.addEventListener('click', () => toggleCreate(false));
  ui.createFile.addEventListener('change', async () => {
    const file = ui.createFile.files?.[0];
    if (!file) {
      return;
    }
    ui.createJson.value = await file.text();
    prefillFromJson();
  });
  ui.createJson.addEventListener('change', prefillFromJson);

  ui.createForm.addEventListener('submit', async (submit) => {
    submit.preventDefault();
    let body;
    try {
      body = JSON.parse(ui.createJson.value);
    } catch {
      body = null;
    }
    if (!body || typeof body !== 'object' || Array.isArray(body)) {
      ui.createError.textContent = ta('admin.create.bad_json');
      ui.createError.hidden = false;
      ui.createJson.focus();
      return;
    }
    if (ui.createCode.value.trim()) {
      body.code = ui.createCode.value.trim();
    }
    if (ui.createPasscode.value.trim()) {
      body.moderatorPasscode = ui.createPasscode.value.trim();
    }
    const r = await api('POST', '/api/admin/events', body);
    if (!r.ok) {
      setError(ui.createError, r.error);
      return;
    }
    ui.createForm.reset();
    toggleCreate(false);
    toast(ta('admin.create.done', { code: r.value.code }));
    await load();
    await onOpen(r.value.code);
  });

  return {
    load,
    render,
    focusFirst() {
      ui.eventList.querySelector('button')?.focus();
    },
  };
}
