// The organizer's page: sign in with the admin key, then create events from JSON, edit their rooms, sessions and
// passcode, and reach every link, QR code, kiosk link, export and report. Everything goes through /api/admin.
import { api } from '/js/lib/api.js';
import { $, el, toast } from '/js/lib/dom.js';
import { applyI18n, languageSwitch, onLanguageChange, t } from '/js/lib/strings.js';
import { formatDay } from '/js/lib/time.js';
import { adminErrorText, applyAdminI18n, ta } from '/js/admin-i18n.js';
import { deleteEventSection } from '/js/admin/delete-event.js';

const params = new URLSearchParams(location.search);
const STATUSES = ['upcoming', 'live', 'ended'];
const MODERATION = ['pre', 'open'];
const LANGUAGES = ['id', 'en'];

const ui = {
  notice: $('#notice'),
  signin: $('#signin'),
  signinForm: $('#signin-form'),
  key: $('#admin-key'),
  signinError: $('#signin-error'),
  signout: $('#sign-out'),
  app: $('#app'),
  events: $('#events'),
  eventList: $('#event-list'),
  eventsEmpty: $('#events-empty'),
  newEvent: $('#new-event'),
  create: $('#create'),
  createForm: $('#create-form'),
  createFile: $('#create-file'),
  createJson: $('#create-json'),
  createCode: $('#create-code'),
  createPasscode: $('#create-passcode'),
  createError: $('#create-error'),
  createCancel: $('#create-cancel'),
  detail: $('#detail'),
  detailBody: $('#detail-body'),
  back: $('#back'),
};

let events = [];
let current = null; // the event being edited (AdminEventDetail)
let sessionForm = null; // null, { key: null } for a new session, or { key } of the one being edited
const kioskLinks = new Map(); // room key -> kiosk URL, shown until the page changes event

applyI18n();
applyAdminI18n();
document.title = ta('admin.doc_title');
$('#tools').prepend(...[languageSwitch()].filter((b) => b !== null));
onLanguageChange(() => {
  applyAdminI18n();
  document.title = ta('admin.doc_title');
  renderEvents();
  if (current) {
    renderDetail();
  }
});

// ------------------------------------------------------------ helpers

const enc = encodeURIComponent;

function eventApi(code = current.code) {
  return `/api/admin/events/${enc(code)}`;
}

function showNotice(text, kind = 'info') {
  ui.notice.className = `notice notice-${kind}`;
  ui.notice.textContent = text;
  ui.notice.hidden = !text;
}

function setError(node, error) {
  node.textContent = error ? adminErrorText(error) : '';
  node.hidden = !error;
}

function field(id, labelKey, input, hintKey) {
  input.id = id;
  const hint = hintKey ? el('p', { class: 'hint', text: ta(hintKey), attrs: { id: `${id}-hint` } }) : null;
  if (hint) {
    input.setAttribute('aria-describedby', `${id}-hint`);
  }
  return el('div', { class: 'field' }, [el('label', { text: ta(labelKey), attrs: { for: id } }), input, hint]);
}

function textInput(value, attrs = {}) {
  return el('input', { attrs: { type: 'text', autocomplete: 'off', ...attrs }, props: { value: value ?? '' } });
}

function select(options, value, attrs = {}) {
  const node = el('select', { attrs });
  for (const [optionValue, label] of options) {
    node.append(el('option', { text: label, attrs: { value: optionValue }, props: { selected: optionValue === value } }));
  }
  return node;
}

function link(href, text, attrs = {}) {
  return el('a', { text, attrs: { href, ...attrs } });
}

/** A URL shown as text with a button that copies it. */
function copyable(url, testid) {
  const code = el('code', { class: 'admin-url', text: url, attrs: { 'data-testid': testid } });
  const button = el('button', {
    class: 'btn btn-small',
    text: ta('admin.copy'),
    attrs: { type: 'button' },
    on: {
      click: async () => {
        try {
          await navigator.clipboard.writeText(url);
          toast(ta('admin.copied'));
        } catch {
          // No clipboard on plain http: select the text so Ctrl+C works.
          getSelection().selectAllChildren(code);
        }
      },
    },
  });
  return el('span', { class: 'admin-copy' }, [code, ' ', button]);
}

/** Day n of the event as a date label, e.g. "Rab, 16 Okt". */
function dayLabel(day) {
  const [y, m, d] = (current.startDate || '1970-01-01').split('-').map(Number);
  return formatDay(Date.UTC(y, m - 1, d + day - 1, 12), 'UTC');
}

function eventDays() {
  const start = current.startDate ? Date.parse(`${current.startDate}T00:00:00Z`) : NaN;
  const end = current.endDate ? Date.parse(`${current.endDate}T00:00:00Z`) : start;
  const span = Number.isFinite(start) && Number.isFinite(end) ? Math.round((end - start) / 86400000) + 1 : 1;
  return Math.max(1, span, ...current.sessions.map((s) => s.day));
}

// ------------------------------------------------------------ sign-in

async function checkSignIn() {
  const r = await api('GET', '/api/admin/session');
  if (r.ok && r.value && r.value.isAdmin) {
    await enter();
  } else {
    showSignIn();
    if (!r.ok) {
      setError(ui.signinError, r.error);
    }
  }
}

function showSignIn() {
  ui.signin.hidden = false;
  ui.app.hidden = true;
  ui.signout.hidden = true;
  ui.key.value = '';
  ui.key.focus();
}

ui.signinForm.addEventListener('submit', async (event) => {
  event.preventDefault();
  const key = ui.key.value.trim();
  if (!key) {
    ui.key.focus();
    return;
  }
  const button = ui.signinForm.querySelector('button[type="submit"]');
  button.disabled = true;
  const r = await api('POST', '/api/admin/session', { key });
  button.disabled = false;
  if (!r.ok) {
    setError(ui.signinError, r.error);
    ui.key.setAttribute('aria-invalid', 'true');
    ui.key.select();
    return;
  }
  setError(ui.signinError, null);
  ui.key.removeAttribute('aria-invalid');
  await enter();
});

ui.signout.addEventListener('click', async () => {
  await api('DELETE', '/api/admin/session');
  current = null;
  history.replaceState(null, '', location.pathname + location.search);
  showSignIn();
});

async function enter() {
  ui.signin.hidden = true;
  ui.app.hidden = false;
  ui.signout.hidden = false;
  await loadEvents();
  const code = new URLSearchParams(location.hash.slice(1)).get('event');
  if (code) {
    await openEvent(code);
  }
}

// ------------------------------------------------------------ event list

async function loadEvents() {
  const r = await api('GET', '/api/admin/events');
  if (r.status === 401) {
    showSignIn();
    return;
  }
  if (!r.ok) {
    showNotice(adminErrorText(r.error), 'error');
    return;
  }
  events = r.value;
  renderEvents();
}

function renderEvents() {
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
      on: { click: () => openEvent(e.code) },
    }),
  ])));
  ui.eventsEmpty.hidden = events.length > 0;
}

ui.newEvent.addEventListener('click', () => toggleCreate(ui.create.hidden));
ui.createCancel.addEventListener('click', () => toggleCreate(false));

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

ui.createFile.addEventListener('change', async () => {
  const file = ui.createFile.files[0];
  if (!file) {
    return;
  }
  ui.createJson.value = await file.text();
  prefillFromJson();
});
ui.createJson.addEventListener('change', prefillFromJson);

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

ui.createForm.addEventListener('submit', async (event) => {
  event.preventDefault();
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
  await loadEvents();
  await openEvent(r.value.code);
});

ui.back.addEventListener('click', () => {
  current = null;
  ui.detail.hidden = true;
  ui.events.hidden = false;
  history.replaceState(null, '', location.pathname + location.search);
  loadEvents();
  ui.eventList.querySelector('button')?.focus();
});

// ------------------------------------------------------------ one event

async function openEvent(code) {
  const r = await api('GET', `/api/admin/events/${enc(code)}`);
  if (!r.ok) {
    showNotice(adminErrorText(r.error), 'error');
    return;
  }
  if (!current || current.code !== r.value.code) {
    kioskLinks.clear();
    sessionForm = null;
    showNotice('');
  }
  current = r.value;
  ui.events.hidden = true;
  ui.create.hidden = true;
  ui.detail.hidden = false;
  history.replaceState(null, '', `#event=${enc(current.code)}`);
  renderDetail();
  ui.detailBody.querySelector('h2')?.focus();
}

async function reload() {
  const r = await api('GET', eventApi());
  if (r.ok) {
    current = r.value;
    renderDetail();
  }
}

function renderDetail() {
  ui.detailBody.replaceChildren(
    eventSection(),
    linksSection(),
    passcodeSection(),
    roomsSection(),
    sessionsSection(),
    deleteEventSection(current, async (deleted) => {
      current = null;
      ui.detail.hidden = true;
      ui.events.hidden = false;
      history.replaceState(null, '', location.pathname + location.search);
      showNotice(ta('admin.delete.done', deleted), 'info');
      await loadEvents();
      ui.eventList.querySelector('button')?.focus();
    }),
  );
}

function eventSection() {
  const name = textInput(current.name, { required: true, 'data-testid': 'event-name' });
  const theme = textInput(current.theme);
  const host = textInput(current.host);
  const city = textInput(current.city);
  const zone = textInput(current.timeZone, { list: 'time-zones', 'data-testid': 'event-time-zone' });
  const zones = el('datalist', { attrs: { id: 'time-zones' } },
    ['Asia/Jakarta', 'Asia/Makassar', 'Asia/Jayapura', 'UTC'].map((z) => el('option', { attrs: { value: z } })));
  const language = select(LANGUAGES.map((l) => [l, ta(`admin.event.language_${l}`)]), current.defaultLanguage,
    { 'data-testid': 'event-language' });
  const followBrowser = el('input', {
    attrs: { type: 'checkbox', 'data-testid': 'event-follow-browser', 'aria-describedby': 'event-follow-browser-hint' },
    props: { checked: !!current.followBrowserLanguage },
  });
  const error = el('p', { class: 'field-error', attrs: { role: 'alert' }, props: { hidden: true } });
  const form = el('form', { attrs: { novalidate: true } }, [
    el('div', { class: 'admin-grid' }, [
      field('event-name', 'admin.event.name', name),
      field('event-theme', 'admin.event.theme', theme),
      field('event-host', 'admin.event.host', host),
      field('event-city', 'admin.event.city', city),
      field('event-zone', 'admin.event.time_zone', zone, 'admin.event.time_zone_hint'),
      field('event-language', 'admin.event.language', language),
    ]),
    el('div', { class: 'field' }, [
      el('label', { class: 'admin-toggle' }, [followBrowser, el('span', { text: ta('admin.event.follow_browser') })]),
      el('p', { class: 'hint', text: ta('admin.event.follow_browser_hint'), attrs: { id: 'event-follow-browser-hint' } }),
    ]),
    zones,
    error,
    el('button', { class: 'btn btn-primary', text: ta('admin.event.save'), attrs: { type: 'submit', 'data-testid': 'event-save' } }),
  ]);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const r = await api('PUT', eventApi(), {
      name: name.value, theme: theme.value, host: host.value, city: city.value, timeZone: zone.value,
      defaultLanguage: language.value, followBrowserLanguage: followBrowser.checked,
    });
    if (!r.ok) {
      setError(error, r.error);
      return;
    }
    current = r.value;
    renderDetail();
    toast(ta('admin.event.saved'));
  });
  return el('section', { class: 'panel', attrs: { 'aria-labelledby': 'event-title' } }, [
    el('h2', { text: current.name, attrs: { id: 'event-title', tabindex: '-1', 'data-testid': 'event-title' } }),
    el('p', { class: 'hint' }, [
      el('span', { class: 'mono', text: current.code }),
      ` · ${ta('admin.event.dates', { start: current.startDate ?? '', end: current.endDate ?? current.startDate ?? '' })}`,
    ]),
    el('h3', { text: ta('admin.event.details') }),
    form,
  ]);
}

function linksSection() {
  const code = enc(current.code);
  const origin = location.origin;
  const exportLink = (file, key) => el('li', {}, [link(`/api/events/${code}/export/${file}`, ta(key), { download: '', 'data-testid': `export-${file}` })]);
  const openModerator = el('button', {
    class: 'btn',
    text: ta('admin.links.open_moderator'),
    attrs: { type: 'button', 'data-testid': 'open-moderator' },
    on: {
      click: async () => {
        const r = await api('POST', `${eventApi()}/moderator-session`);
        if (r.ok) {
          location.assign(`/e/${code}/moderator`);
        } else {
          showNotice(adminErrorText(r.error), 'error');
        }
      },
    },
  });
  return el('section', { class: 'panel', attrs: { 'aria-labelledby': 'links-title' } }, [
    el('h2', { text: ta('admin.links.title'), attrs: { id: 'links-title' } }),
    el('div', { class: 'admin-links' }, [
      el('dl', { class: 'admin-dl' }, [
        el('dt', { text: ta('admin.links.audience') }), el('dd', {}, [copyable(`${origin}/e/${code}`, 'audience-url')]),
        el('dt', { text: ta('admin.links.moderator') }), el('dd', {}, [link(`/e/${code}/moderator`, `${origin}/e/${code}/moderator`)]),
        el('dt', { text: ta('admin.links.projector') }), el('dd', {}, [link(`/e/${code}/projector`, `${origin}/e/${code}/projector`)]),
      ]),
      el('img', { class: 'admin-qr', attrs: { src: `/api/events/${code}/qr.svg`, alt: `QR ${current.code}`, width: 128, height: 128 } }),
    ]),
    el('div', { class: 'admin-actions' }, [
      openModerator,
      link(`${eventApi()}/scenario.json`, ta('admin.links.event_json'), { class: 'btn', download: '', 'data-testid': 'download-event-json' }),
    ]),
    el('h3', { text: ta('admin.links.exports') }),
    el('ul', { class: 'admin-inline-list' }, [
      exportLink('questions.csv', 'admin.links.questions_csv'),
      exportLink('questions.json', 'admin.links.questions_json'),
      exportLink('polls.csv', 'admin.links.polls_csv'),
      exportLink('polls.json', 'admin.links.polls_json'),
      exportLink('reactions.csv', 'admin.links.reactions_csv'),
    ]),
  ]);
}

function passcodeSection() {
  const input = el('input', { attrs: { type: 'text', autocomplete: 'new-password', 'data-testid': 'new-passcode' } });
  const error = el('p', { class: 'field-error', attrs: { role: 'alert' }, props: { hidden: true } });
  const form = el('form', { attrs: { novalidate: true } }, [
    field('new-passcode', 'admin.passcode.new', input, 'admin.passcode.new_hint'),
    error,
    el('button', { class: 'btn btn-danger', text: ta('admin.passcode.rotate'), attrs: { type: 'submit', 'data-testid': 'rotate-passcode' } }),
  ]);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (!confirm(ta('admin.passcode.confirm'))) {
      return;
    }
    const r = await api('POST', `${eventApi()}/passcode`, { passcode: input.value.trim() || null });
    if (!r.ok) {
      setError(error, r.error);
      return;
    }
    input.value = '';
    setError(error, null);
    showNotice(ta('admin.passcode.done', { passcode: r.value.passcode }), 'warn');
    ui.notice.scrollIntoView({ block: 'nearest' });
  });
  return el('section', { class: 'panel', attrs: { 'aria-labelledby': 'passcode-title' } }, [
    el('h2', { text: ta('admin.passcode.title'), attrs: { id: 'passcode-title' } }),
    el('p', { class: 'hint', text: ta('admin.passcode.help') }),
    form,
  ]);
}

// ------------------------------------------------------------ rooms

function roomsSection() {
  return el('section', { class: 'panel', attrs: { 'aria-labelledby': 'rooms-title' } }, [
    el('h2', { text: ta('admin.rooms.title'), attrs: { id: 'rooms-title' } }),
    el('ul', { class: 'admin-rooms', attrs: { 'data-testid': 'room-list' } }, current.rooms.map(roomItem)),
    addRoomForm(),
  ]);
}

function roomItem(room) {
  const base = `room-${room.key}`;
  const name = textInput(room.name, { 'data-testid': 'room-name' });
  const capacity = el('input', { attrs: { type: 'number', min: 1, inputmode: 'numeric' }, props: { value: room.capacity ?? '' } });
  const error = el('p', { class: 'field-error', attrs: { role: 'alert' }, props: { hidden: true } });
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
            const r = await api('DELETE', `${eventApi()}/rooms/${enc(room.key)}`);
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
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const r = await api('PUT', `${eventApi()}/rooms/${enc(room.key)}`, { name: name.value, capacity: capacity.value ? Number(capacity.value) : null });
    if (!r.ok) {
      setError(error, r.error);
      return;
    }
    toast(ta('admin.event.saved'));
    await reload();
  });

  const kioskHost = el('div', { class: 'admin-kiosk', attrs: { 'aria-live': 'polite' } });
  const paintKiosk = () => kioskHost.replaceChildren(kioskLinks.has(room.key)
    ? el('p', {}, [el('span', { class: 'hint', text: ta('admin.rooms.kiosk_hint') }), el('br'), copyable(kioskLinks.get(room.key), 'kiosk-url')])
    : '');
  paintKiosk();
  const kioskButton = el('button', {
    class: 'btn btn-small',
    text: ta('admin.rooms.kiosk'),
    attrs: { type: 'button', 'data-testid': 'make-kiosk-link' },
    on: {
      click: async () => {
        const r = await api('GET', `${eventApi()}/rooms/${enc(room.key)}/kiosk-link`);
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
  const capacity = el('input', { attrs: { type: 'number', min: 1, inputmode: 'numeric' } });
  const error = el('p', { class: 'field-error', attrs: { role: 'alert' }, props: { hidden: true } });
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
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const r = await api('POST', `${eventApi()}/rooms`, { key: key.value.trim(), name: name.value, capacity: capacity.value ? Number(capacity.value) : null });
    if (!r.ok) {
      setError(error, r.error);
      return;
    }
    toast(ta('admin.rooms.added', { name: r.value.name }));
    await reload();
  });
  return form;
}

// ------------------------------------------------------------ sessions

function sessionsSection() {
  const rows = current.sessions.map((s) => {
    const room = current.rooms.find((r) => r.key === s.room);
    return el('tr', { attrs: { 'data-testid': 'admin-session', 'data-key': s.key } }, [
      el('td', {}, [el('span', { class: 'nowrap', text: dayLabel(s.day) }), el('br'), el('span', { class: 'nowrap', text: `${s.start}–${s.end}` })]),
      el('td', { text: room ? room.name : s.room }),
      el('td', {}, [
        el('strong', { text: s.title }),
        el('br'),
        el('span', { class: 'hint', text: [s.kind, s.speakers.join(', '), s.polls ? ta('admin.sessions.polls', { count: s.polls }) : ''].filter(Boolean).join(' · ') }),
      ]),
      el('td', {}, [
        el('span', { class: ['badge', `badge-${s.status}`], text: t(`session.status.${s.status}`) }),
        s.statusOverride ? el('span', { class: 'hint', text: ` (${ta('admin.sessions.override')})` }) : '',
        el('br'),
        el('span', { class: 'hint', text: ta(`admin.sessions.moderation.${s.moderation}`) }),
      ]),
      el('td', {}, [el('div', { class: 'admin-row-actions' }, [
        el('button', {
          class: 'btn btn-small',
          text: ta('admin.sessions.edit'),
          attrs: { type: 'button', 'aria-label': `${ta('admin.sessions.edit')}: ${s.title}`, 'data-testid': 'edit-session' },
          on: { click: () => { sessionForm = { key: s.key }; renderDetail(); $('#session-title-input')?.focus(); } },
        }),
        link(`/e/${enc(current.code)}/report?session=${s.id}`, ta('admin.sessions.report'), { class: 'btn btn-small', 'data-testid': 'session-report' }),
        link(`/api/sessions/${s.id}/export/questions.csv`, ta('admin.sessions.export'), { class: 'btn btn-small', download: '' }),
        el('button', {
          class: 'btn btn-small btn-danger',
          text: ta('admin.sessions.delete'),
          attrs: { type: 'button', 'aria-label': `${ta('admin.sessions.delete')}: ${s.title}` },
          on: { click: () => deleteSession(s) },
        }),
      ])]),
    ]);
  });
  const table = el('div', { class: 'admin-table-wrap' }, [el('table', { class: 'admin-table' }, [
    el('thead', {}, [el('tr', {}, ['admin.sessions.when', 'admin.sessions.room', 'admin.sessions.session', 'admin.sessions.status', 'admin.sessions.actions']
      .map((key) => el('th', { text: ta(key), attrs: { scope: 'col' } })))]),
    el('tbody', {}, rows),
  ])]);
  const error = el('p', { class: 'field-error', attrs: { role: 'alert', id: 'sessions-error' }, props: { hidden: true } });
  return el('section', { class: 'panel', attrs: { 'aria-labelledby': 'sessions-title' } }, [
    el('div', { class: 'admin-head' }, [
      el('h2', { text: ta('admin.sessions.title'), attrs: { id: 'sessions-title' } }),
      el('button', {
        class: 'btn btn-primary',
        text: ta('admin.sessions.add'),
        attrs: { type: 'button', 'data-testid': 'add-session' },
        on: { click: () => { sessionForm = { key: null }; renderDetail(); $('#session-key-input')?.focus(); } },
      }),
    ]),
    error,
    sessionForm ? sessionEditor() : null,
    table,
  ]);
}

async function deleteSession(s) {
  if (!confirm(ta('admin.sessions.delete_confirm', { title: s.title }))) {
    return;
  }
  const r = await api('DELETE', `${eventApi()}/sessions/${enc(s.key)}`);
  if (!r.ok) {
    setError($('#sessions-error'), r.error);
    return;
  }
  toast(ta('admin.deleted'));
  await reload();
}

function sessionEditor() {
  const editing = sessionForm.key ? current.sessions.find((s) => s.key === sessionForm.key) : null;
  const s = editing || { key: '', title: '', kind: '', room: current.rooms[0]?.key, day: 1, start: '09:00', end: '10:00', speakers: [], moderation: 'pre', statusOverride: null };
  const key = textInput(s.key, { readonly: !!editing, 'data-testid': 'session-key' });
  const title = textInput(s.title, { 'data-testid': 'session-title' });
  const kind = textInput(s.kind, { 'data-testid': 'session-kind' });
  const room = select(current.rooms.map((r) => [r.key, r.name]), s.room);
  const days = Array.from({ length: eventDays() + 1 }, (_, i) => i + 1);
  const day = select(days.map((d) => [String(d), ta('admin.session.day_option', { day: d, date: dayLabel(d) })]), String(s.day));
  const start = el('input', { attrs: { type: 'time', required: true, 'data-testid': 'session-start' }, props: { value: s.start } });
  const end = el('input', { attrs: { type: 'time', required: true, 'data-testid': 'session-end' }, props: { value: s.end } });
  const speakers = el('textarea', { attrs: { rows: 3 }, props: { value: s.speakers.join('\n') } });
  const moderation = select(MODERATION.map((m) => [m, ta(`admin.sessions.moderation.${m}`)]), s.moderation);
  const status = select([['', ta('admin.session.status.auto')], ...STATUSES.map((x) => [x, t(`session.status.${x}`)])], s.statusOverride ?? '',
    { 'data-testid': 'session-status' });
  const error = el('p', { class: 'field-error', attrs: { role: 'alert', 'data-testid': 'session-error' }, props: { hidden: true } });
  const close = () => { sessionForm = null; renderDetail(); };
  const form = el('form', { class: 'admin-session-form', attrs: { novalidate: true, 'aria-labelledby': 'session-form-title' } }, [
    el('h3', { text: ta(editing ? 'admin.session.form_edit' : 'admin.session.form_new'), attrs: { id: 'session-form-title' } }),
    el('div', { class: 'admin-grid' }, [
      field('session-key-input', 'admin.session.key', key, 'admin.session.key_hint'),
      field('session-title-input', 'admin.session.title', title),
      field('session-kind-input', 'admin.session.kind', kind),
      field('session-room-input', 'admin.session.room', room),
      field('session-day-input', 'admin.session.day', day),
      field('session-start-input', 'admin.session.start', start),
      field('session-end-input', 'admin.session.end', end),
      field('session-moderation-input', 'admin.session.moderation', moderation),
      field('session-status-input', 'admin.session.status', status),
    ]),
    field('session-speakers-input', 'admin.session.speakers', speakers),
    error,
    el('div', { class: 'admin-actions' }, [
      el('button', { class: 'btn btn-primary', text: ta('admin.session.save'), attrs: { type: 'submit', 'data-testid': 'session-save' } }),
      el('button', { class: 'btn', text: ta('admin.session.cancel'), attrs: { type: 'button' }, on: { click: close } }),
    ]),
  ]);
  form.addEventListener('keydown', (event) => {
    if (event.key === 'Escape') {
      close();
    }
  });
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const body = {
      key: key.value.trim(),
      title: title.value,
      kind: kind.value,
      room: room.value,
      day: Number(day.value),
      start: start.value,
      end: end.value,
      speakers: speakers.value.split('\n').map((x) => x.trim()).filter(Boolean),
      moderation: moderation.value,
      status: status.value || null,
    };
    const r = editing
      ? await api('PUT', `${eventApi()}/sessions/${enc(editing.key)}`, body)
      : await api('POST', `${eventApi()}/sessions`, body);
    if (!r.ok) {
      setError(error, r.error);
      return;
    }
    sessionForm = null;
    toast(ta('admin.session.saved'));
    await reload();
  });
  return form;
}

checkSignIn();
