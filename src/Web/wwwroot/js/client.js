// Shared by the three screens: language and strings, a small DOM builder, times, the hub connection that never
// gives up, the versioned session state (questions and polls), the outboxes that keep questions and votes until the
// server has them, and the poll results charts.
import { dictionaries } from '/js/i18n.js';

/** Input limits; the server sends its own with the event snapshot and those replace these defaults. */
export const limits = { questionMaxLength: 500, nameMaxLength: 60, pollAnswerMaxLength: 280, wordCloudMaxWords: 3 };

export function applyLimits(eventSnapshot) {
  const given = eventSnapshot && eventSnapshot.limits;
  if (!given) {
    return;
  }
  for (const name of Object.keys(limits)) {
    if (Number.isInteger(given[name]) && given[name] > 0) {
      limits[name] = given[name];
    }
  }
}

export const CODE_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
export const PUBLIC_STATUSES = ['approved', 'answered'];

// ---------------------------------------------------------------- storage

// Private browsing or a full quota must never break a page: storage is best effort.
export const storage = {
  get(key, fallback = null) {
    try {
      const raw = localStorage.getItem(key);
      return raw === null ? fallback : JSON.parse(raw);
    } catch {
      return fallback;
    }
  },
  set(key, value) {
    try { localStorage.setItem(key, JSON.stringify(value)); } catch { /* best effort */ }
  },
  getRaw(key) {
    try { return localStorage.getItem(key); } catch { return null; }
  },
  setRaw(key, value) {
    try { localStorage.setItem(key, value); } catch { /* best effort */ }
  },
  remove(key) {
    try { localStorage.removeItem(key); } catch { /* best effort */ }
  },
};

// ---------------------------------------------------------------- language

const LANG_KEY = 'lh.lang';
const langListeners = new Set();
let lang = initialLanguage();

function initialLanguage() {
  const saved = storage.getRaw(LANG_KEY);
  if (saved === 'id' || saved === 'en') {
    return saved;
  }
  const nav = (navigator.language || '').toLowerCase();
  return nav.startsWith('id') || nav.startsWith('in') ? 'id' : 'en';
}

export function getLanguage() {
  return lang;
}

export function setLanguage(next, { remember = true } = {}) {
  if (next !== 'id' && next !== 'en') {
    return;
  }
  if (remember) {
    storage.setRaw(LANG_KEY, next);
  }
  if (next === lang) {
    return;
  }
  lang = next;
  applyI18n(document);
  for (const fn of langListeners) {
    fn(lang);
  }
}

/** ?lang= sets the page's language for this visit only (not remembered); answers whether it was given. */
export function languageFromUrl(params) {
  const asked = params.get('lang');
  if (asked) {
    setLanguage(asked, { remember: false });
  }
  return !!asked;
}

export function onLanguageChange(fn) {
  langListeners.add(fn);
  return () => langListeners.delete(fn);
}

function formatVar(value) {
  return typeof value === 'number' ? new Intl.NumberFormat(lang).format(value) : String(value);
}

/** Looks a key up in the current language (then English); plural keys pick ".one"/".other" by vars.count. */
export function t(key, vars = {}) {
  const d = dictionaries[lang];
  let s = d[key] ?? dictionaries.en[key];
  if (s === undefined && typeof vars.count === 'number') {
    const form = new Intl.PluralRules(lang).select(vars.count);
    s = d[`${key}.${form}`] ?? d[`${key}.other`] ?? dictionaries.en[`${key}.${form}`] ?? dictionaries.en[`${key}.other`];
  }
  if (s === undefined) {
    s = key.startsWith('error.') ? d['error.generic'] : key;
  }
  return s.replace(/\{(\w+)\}/g, (m, name) => (name in vars ? formatVar(vars[name]) : m));
}

/** The translated text of a server or local error; unknown keys get the generic message. vars overrides {max} etc. */
export function errorText(error, vars = {}) {
  const key = error && error.messageKey;
  if (!key || !(key in dictionaries[lang] || key in dictionaries.en)) {
    return t('error.generic');
  }
  let max = limits.questionMaxLength;
  if (key === 'error.name_too_long') {
    max = limits.nameMaxLength;
  } else if (key === 'error.too_many_words') {
    max = limits.wordCloudMaxWords;
  }
  return t(key, { max, seconds: error.retryAfterSeconds ?? '', ...vars });
}

/** Fills static markup: data-i18n="key" sets the text, data-i18n-attr="placeholder:key;aria-label:key" sets attributes. */
export function applyI18n(root = document) {
  if (root === document) {
    document.documentElement.lang = lang;
  }
  for (const node of root.querySelectorAll('[data-i18n]')) {
    node.textContent = t(node.dataset.i18n);
  }
  for (const node of root.querySelectorAll('[data-i18n-attr]')) {
    for (const pair of node.dataset.i18nAttr.split(';')) {
      const [attr, key] = pair.split(':').map((s) => s.trim());
      if (attr && key) {
        node.setAttribute(attr, t(key));
      }
    }
  }
}

/** A visible button that switches between Indonesian and English and remembers the choice. */
export function languageSwitch() {
  const button = el('button', { class: 'lang-switch', attrs: { type: 'button', 'data-testid': 'lang-switch' } });
  const paint = () => {
    button.textContent = t('lang.other');
    button.lang = lang === 'id' ? 'en' : 'id';
    button.setAttribute('aria-label', t('lang.switch_aria'));
  };
  button.addEventListener('click', () => setLanguage(lang === 'id' ? 'en' : 'id'));
  onLanguageChange(paint);
  paint();
  return button;
}

// ---------------------------------------------------------------- DOM

/** Builds an element. Text only ever goes in as text: `text` sets textContent, string children become text nodes. */
export function el(tag, opts = {}, children = []) {
  const node = document.createElement(tag);
  if (opts.class) {
    node.className = Array.isArray(opts.class) ? opts.class.filter(Boolean).join(' ') : opts.class;
  }
  if (opts.text !== undefined && opts.text !== null) {
    node.textContent = String(opts.text);
  }
  for (const [name, value] of Object.entries(opts.attrs || {})) {
    if (value === false || value === null || value === undefined) {
      continue;
    }
    node.setAttribute(name, value === true ? '' : String(value));
  }
  for (const [name, value] of Object.entries(opts.data || {})) {
    if (value !== undefined && value !== null) {
      node.dataset[name] = String(value);
    }
  }
  for (const [type, fn] of Object.entries(opts.on || {})) {
    node.addEventListener(type, fn);
  }
  if (opts.props) {
    Object.assign(node, opts.props);
  }
  for (const child of [].concat(children)) {
    if (child === null || child === undefined || child === false) {
      continue;
    }
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

/** What a page says when it cannot go on (no such event): why, and the way back to the start page. */
export function fatalNotice(error) {
  return [
    el('p', { text: errorText(error) }),
    el('p', {}, [el('a', { text: t('home.link'), attrs: { href: '/' } })]),
  ];
}

export function $(selector, root = document) {
  return root.querySelector(selector);
}

/** How a rebuilt element finds its focused control again: data-fk (unique in the item) first, then data-testid. */
function focusSelector(node) {
  if (node.dataset.fk) {
    return `[data-fk="${CSS.escape(node.dataset.fk)}"]`;
  }
  return node.dataset.testid ? `[data-testid="${CSS.escape(node.dataset.testid)}"]` : null;
}

/**
 * Keyed list update: reuses each item's element, rebuilds it only when its signature changes, and keeps focus on the
 * same control (by data-fk, else data-testid) across a rebuild, so live updates do not steal a keyboard user's place.
 */
export function reconcile(container, items, { key, sig, build }) {
  const existing = new Map();
  for (const child of container.children) {
    if (child.dataset.key !== undefined) {
      existing.set(child.dataset.key, child);
    }
  }
  const keep = new Set();
  let previous = null;
  for (const item of items) {
    const k = String(key(item));
    const s = sig(item);
    let node = existing.get(k);
    if (!node || node._sig !== s) {
      const fresh = build(item, node);
      fresh.dataset.key = k;
      fresh._sig = s;
      if (node) {
        const active = document.activeElement;
        const focusSel = node.contains(active) ? focusSelector(active) : null;
        let selection = null;
        try {
          selection = focusSel && typeof active.selectionStart === 'number' ? [active.selectionStart, active.selectionEnd] : null;
        } catch { /* inputs without a selection */ }
        node.replaceWith(fresh);
        if (focusSel) {
          const target = fresh.querySelector(focusSel);
          if (target) {
            target.focus();
            if (selection && 'setSelectionRange' in target) {
              try { target.setSelectionRange(selection[0], selection[1]); } catch { /* not a text field */ }
            }
          }
        }
      }
      node = fresh;
    }
    keep.add(node);
    const wanted = previous ? previous.nextSibling : container.firstChild;
    if (wanted !== node) {
      container.insertBefore(node, wanted);
    }
    previous = node;
  }
  for (const node of existing.values()) {
    if (!keep.has(node)) {
      node.remove();
    }
  }
}

/** Screen-reader announcement through one polite live region. */
export function announce(text) {
  let region = document.getElementById('lh-announcer');
  if (!region) {
    region = el('div', { class: 'visually-hidden', attrs: { id: 'lh-announcer', 'aria-live': 'polite', role: 'status' } });
    document.body.append(region);
  }
  region.textContent = '';
  setTimeout(() => { region.textContent = text; }, 60);
}

/** A short message at the bottom of the screen, optionally with one action (e.g. Undo). */
export function toast(message, { action, kind = 'info', timeout = 6000 } = {}) {
  let host = document.getElementById('lh-toasts');
  if (!host) {
    host = el('div', { class: 'toasts', attrs: { id: 'lh-toasts', 'aria-live': 'polite', role: 'status' } });
    document.body.append(host);
  }
  const item = el('div', { class: ['toast', `toast-${kind}`] }, [el('span', { text: message })]);
  if (action) {
    item.append(el('button', {
      class: 'btn btn-small btn-inverse',
      text: action.label,
      attrs: { type: 'button', 'data-testid': action.testid || 'toast-action' },
      on: { click: () => { item.remove(); action.run(); } },
    }));
  }
  host.append(item);
  setTimeout(() => item.remove(), timeout);
  return item;
}

// ---------------------------------------------------------------- time

let clockOffset = 0;

/** Aligns relative times with the server's clock (phones are often minutes off). */
export function syncClock(serverTime) {
  if (typeof serverTime === 'number' && serverTime > 0) {
    clockOffset = serverTime - Date.now();
  }
}

export function serverNow() {
  return Date.now() + clockOffset;
}

/** "5 menit yang lalu" / "5 minutes ago" for a server timestamp. */
export function relativeTime(ms, { base = serverNow(), seconds = false } = {}) {
  // Freshness is always in the past; a clock a little ahead must not read "in 0 seconds".
  const diff = Math.min(0, Math.round((ms - base) / 1000));
  const abs = Math.abs(diff);
  const rtf = new Intl.RelativeTimeFormat(lang, { numeric: 'auto' });
  if (abs < 45 && !seconds) {
    return t('time.just_now');
  }
  if (abs < 60) {
    // Intl reads 0 as "in 0 seconds": the freshest data is one second old.
    return new Intl.RelativeTimeFormat(lang, { numeric: 'always' }).format(-Math.max(1, abs), 'second');
  }
  if (abs < 3600) {
    return rtf.format(Math.round(diff / 60), 'minute');
  }
  if (abs < 86400) {
    return rtf.format(Math.round(diff / 3600), 'hour');
  }
  return rtf.format(Math.round(diff / 86400), 'day');
}

function dateFormat(options, timeZone) {
  try {
    return new Intl.DateTimeFormat(lang, { ...options, timeZone: timeZone || undefined });
  } catch {
    return new Intl.DateTimeFormat(lang, options);
  }
}

/** A clock time in the event's time zone, e.g. "10.30". */
export function formatTime(ms, timeZone, { zone = false } = {}) {
  return dateFormat({ hour: '2-digit', minute: '2-digit', timeZoneName: zone ? 'short' : undefined }, timeZone).format(ms);
}

/** A day in the event's time zone, e.g. "Sen, 2 Des". */
export function formatDay(ms, timeZone) {
  return dateFormat({ weekday: 'short', day: 'numeric', month: 'short' }, timeZone).format(ms);
}

/** Keeps every element with data-ts (a server timestamp) showing a fresh relative time. */
export function startRelativeTimeTicker(root = document, everyMs = 30000) {
  const tick = () => {
    for (const node of root.querySelectorAll('[data-ts]')) {
      node.textContent = relativeTime(Number(node.dataset.ts));
    }
  };
  setInterval(tick, everyMs);
  return tick;
}

// ---------------------------------------------------------------- helpers

export function eventCodeFromPath() {
  const parts = location.pathname.split('/').filter(Boolean);
  return parts[0] === 'e' && parts[1] ? decodeURIComponent(parts[1]).toUpperCase() : null;
}

export function normaliseCode(input) {
  return String(input || '').toUpperCase().replace(/[\s\-_.]+/g, '');
}

export function isValidCode(code) {
  return code.length === 6 && [...code].every((c) => CODE_ALPHABET.includes(c));
}

/** Client ids for the outbox. randomUUID needs a secure context; a venue LAN on plain http has only getRandomValues. */
export function newClientId() {
  if (globalThis.crypto && typeof crypto.randomUUID === 'function') {
    return crypto.randomUUID();
  }
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/** Jittered exponential back-off: 0.5–1 s, 1–2 s, 2–4 s … capped at 15 s. */
export function backoff(attempt) {
  const cap = Math.min(15000, 1000 * 2 ** Math.min(attempt, 10));
  return Math.round(cap / 2 + Math.random() * (cap / 2));
}

export const byPopular = (a, b) => b.upvotes - a.upvotes || a.createdAt - b.createdAt || a.id - b.id;
export const byNewest = (a, b) => b.createdAt - a.createdAt || b.id - a.id;
export const byOldest = (a, b) => a.createdAt - b.createdAt || a.id - b.id;

export function isPublic(question) {
  return PUBLIC_STATUSES.includes(question.status);
}

/** The default session: the one asked for, else the first live one, else the first upcoming, else the first. */
export function pickSession(sessions, ...preferred) {
  for (const id of preferred) {
    const found = id !== null && id !== undefined && sessions.find((s) => String(s.id) === String(id));
    if (found) {
      return found;
    }
  }
  return sessions.find((s) => s.status === 'live') || sessions.find((s) => s.status === 'upcoming') || sessions[0] || null;
}

/** Fills a <select> with the event's sessions, grouped by room, each labelled with its status and time. */
export function fillSessionSelect(select, event, selectedId) {
  select.replaceChildren();
  const rooms = event.rooms.length ? event.rooms : [{ id: null, name: '' }];
  for (const room of rooms) {
    const sessions = event.sessions
      .filter((s) => room.id === null || s.roomId === room.id)
      .sort((a, b) => a.startsAt - b.startsAt);
    if (!sessions.length) {
      continue;
    }
    const group = el('optgroup', { attrs: { label: room.name } });
    for (const s of sessions) {
      const label = `${s.title} — ${t(`session.status.${s.status}`)} · ${formatDay(s.startsAt, event.timeZone)} ${formatTime(s.startsAt, event.timeZone)}`;
      group.append(el('option', { text: label, attrs: { value: s.id, selected: String(s.id) === String(selectedId) }, data: { label } }));
    }
    select.append(group);
  }
  select.value = String(selectedId);
}

/**
 * The session picker and the chosen session's summary, rebuilt only when the agenda, the choice or the language
 * changes: rebuilding on every delta would close a picker the user has open.
 */
export function renderSessionPicker(select, summary, event, sessionId, session) {
  const sig = JSON.stringify([lang, sessionId, event.sessions.map((s) => [s.id, s.status, s.title, s.startsAt]),
    session && [session.id, session.status, session.title]]);
  if (select._sig === sig) {
    return;
  }
  select._sig = sig;
  fillSessionSelect(select, event, sessionId);
  summary.replaceChildren(session ? sessionSummary(session, event) : '');
}

/** The session's title, status, time (in the event's zone) and speakers. */
export function sessionSummary(session, event) {
  const room = event.rooms.find((r) => r.id === session.roomId);
  const when = `${formatDay(session.startsAt, event.timeZone)}, ${t('session.time', {
    start: formatTime(session.startsAt, event.timeZone),
    end: formatTime(session.endsAt, event.timeZone, { zone: true }),
  })}`;
  return el('div', { class: 'session-summary' }, [
    el('h2', { class: 'session-title', text: session.title }),
    el('p', { class: 'session-meta' }, [
      el('span', { class: ['badge', `badge-${session.status}`], text: t(`session.status.${session.status}`) }),
      ' ',
      el('span', { text: [room ? room.name : null, when].filter(Boolean).join(' · ') }),
    ]),
    session.speakers && session.speakers.length
      ? el('p', { class: 'session-speakers', text: t('session.speakers', { names: session.speakers.join(', ') }) })
      : null,
  ]);
}

// ---------------------------------------------------------------- agenda, rooms, announcements

/** The calendar day of a moment in the event's time zone, as "2019-10-16": days are counted where the event happens. */
export function dayKey(ms, timeZone) {
  try {
    return new Intl.DateTimeFormat('en-CA', { timeZone: timeZone || undefined, year: 'numeric', month: '2-digit', day: '2-digit' }).format(ms);
  } catch {
    return new Intl.DateTimeFormat('en-CA', { year: 'numeric', month: '2-digit', day: '2-digit' }).format(ms);
  }
}

/** The event's days in order, each with its number (Hari 1, 2, 3) and its sessions by start time. */
export function agendaDays(event) {
  const days = new Map();
  for (const s of [...event.sessions].sort((a, b) => a.startsAt - b.startsAt || a.roomId - b.roomId)) {
    const key = dayKey(s.startsAt, event.timeZone);
    if (!days.has(key)) {
      days.set(key, { key, first: s.startsAt, sessions: [] });
    }
    days.get(key).sessions.push(s);
  }
  return [...days.values()].map((d, i) => ({ ...d, number: i + 1 }));
}

/** "Hari 2 · Sel, 1 Des" for the day a moment falls on. */
export function dayLabel(event, ms) {
  const key = dayKey(ms, event.timeZone);
  const day = agendaDays(event).find((d) => d.key === key);
  const date = formatDay(ms, event.timeZone);
  return day ? t('agenda.day', { n: day.number, date }) : date;
}

export function roomById(event, roomId) {
  return (event && event.rooms.find((r) => r.id === roomId)) || null;
}

export function roomByKey(event, key) {
  return (event && key && event.rooms.find((r) => r.key === key)) || null;
}

/** A room's sessions now: the live one, the next to start, the last that ended. */
export function roomAgenda(event, roomId) {
  const sessions = event.sessions.filter((s) => s.roomId === roomId).sort((a, b) => a.startsAt - b.startsAt || a.id - b.id);
  const live = sessions.find((s) => s.status === 'live') || null;
  const upcoming = sessions.filter((s) => s.status === 'upcoming');
  return {
    live,
    // What comes after the live one (a moderator may have started a session early, ahead of an earlier one).
    next: (live && upcoming.find((s) => s.startsAt >= live.startsAt)) || upcoming[0] || null,
    last: sessions.filter((s) => s.status === 'ended').pop() || null,
  };
}

/** The session a room's door QR leads to: the one live there, else the next one, else the last one. */
export function roomTarget(event, roomId) {
  const a = roomAgenda(event, roomId);
  return a.live || a.next || a.last;
}

/** Puts a pushed SessionView into the event's agenda; answers whether anything a screen shows changed. */
export function applySessionView(event, view) {
  if (!event || !view) {
    return false;
  }
  const index = event.sessions.findIndex((s) => s.id === view.id);
  if (index < 0) {
    return false;
  }
  const before = event.sessions[index];
  event.sessions[index] = { ...before, ...view };
  return before.status !== view.status || before.title !== view.title;
}

/** A pushed SessionStatusChanged: the agenda and the joined session take the new status. False when it is another event's. */
export function applySessionStatus(event, state, view) {
  if (!event || view.eventId !== event.id) {
    return false;
  }
  applySessionView(event, view);
  state.takeStatus(view);
  return true;
}

/** Milliseconds until just after the agenda's next start or end (the schedule is not pushed, so it is read again then). */
export function untilAgendaChanges(event, atMostMs) {
  const now = serverNow();
  const next = event.sessions.flatMap((s) => [s.startsAt, s.endsAt]).filter((ms) => ms > now).sort((a, b) => a - b)[0];
  return Math.min(next ? next - now + 2000 : Infinity, atMostMs);
}

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

/** A moderator's reply under a question, on any screen: "Jawaban moderator" and the text. */
export function replyBlock(reply, className = 'q-reply') {
  if (!reply) {
    return null;
  }
  return el('div', { class: className, attrs: { 'data-testid': 'question-reply' } }, [
    el('span', { class: `${className}-label`, text: t('reply.label') }),
    el('span', { class: `${className}-text`, text: reply }),
  ]);
}

/** fetch() that answers like a hub call: {ok, value} or {ok:false, error:{code, messageKey}}. */
export async function api(method, url, body) {
  let response;
  try {
    response = await fetch(url, {
      method,
      headers: body === undefined ? { Accept: 'application/json' } : { Accept: 'application/json', 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: 'same-origin',
      cache: 'no-store',
    });
  } catch {
    return { ok: false, status: 0, error: offlineError() };
  }
  let data = null;
  try { data = await response.json(); } catch { /* empty or not JSON */ }
  if (response.ok) {
    return { ok: true, status: response.status, value: data };
  }
  if (data && data.messageKey) {
    return { ok: false, status: response.status, error: data };
  }
  const fallback = {
    404: { code: 'not_found', messageKey: 'error.not_found.event' },
    403: { code: 'forbidden', messageKey: 'error.forbidden' },
    429: { code: 'slow_down', messageKey: 'error.slow_down', retryable: true },
    503: { code: 'unavailable', messageKey: 'error.unavailable', retryable: true },
  }[response.status];
  return { ok: false, status: response.status, error: fallback || { code: 'http', messageKey: 'error.generic' } };
}

// ---------------------------------------------------------------- connection

/** A local, typed error for calls that cannot reach the server. */
export class LiveError extends Error {
  constructor(code, messageKey, retryable = true) {
    super(code);
    this.code = code;
    this.messageKey = messageKey;
    this.retryable = retryable;
  }
}

function offlineError() {
  return new LiveError('offline', 'error.offline', true);
}

let current = null;

/** Invokes a hub method on the page's connection. Rejects with {code:'offline', messageKey:'error.offline'} when not connected. */
export function call(method, ...args) {
  return current ? current.call(method, ...args) : Promise.reject(offlineError());
}

/**
 * Opens the hub connection and keeps it open: SignalR's automatic reconnect (never giving up), then our own restart
 * loop if the connection closes anyway, and an immediate retry with a fresh back-off when the tab becomes visible or
 * the network comes back. onConnected runs after every (re)connect, since the server forgets groups.
 */
export function connect({ onConnected, onStatus, autoStart = true } = {}) {
  const signalR = window.signalR;
  const connection = new signalR.HubConnectionBuilder()
    .withUrl('/hub', { skipNegotiation: true, transport: signalR.HttpTransportType.WebSockets })
    .withAutomaticReconnect({ nextRetryDelayInMilliseconds: (ctx) => backoff(ctx.previousRetryCount) })
    .configureLogging(signalR.LogLevel.Warning)
    .build();

  const statusListeners = new Set(onStatus ? [onStatus] : []);
  const connectedListeners = new Set(onConnected ? [onConnected] : []);
  let status = 'connecting';
  let everConnected = false;
  let attempt = 0;
  let timer = null;
  let starting = null;
  let stopped = !autoStart;
  let lostAt = null;
  let kickPending = false;
  let lastMessageAt = 0;

  // Every frame from the server, pings included, proves the data is fresh; the projector shows this.
  const transport = connection.connection;
  if (transport && typeof transport.onreceive === 'function') {
    const inner = transport.onreceive;
    transport.onreceive = (data) => {
      lastMessageAt = Date.now();
      inner(data);
    };
  }

  const isConnected = () => connection.state === signalR.HubConnectionState.Connected;

  function computeStatus() {
    if (isConnected()) {
      return 'connected';
    }
    if (!navigator.onLine) {
      return 'offline';
    }
    if (lostAt === null) {
      return everConnected ? 'reconnecting' : 'connecting';
    }
    return Date.now() - lostAt > 20000 ? 'offline' : 'reconnecting';
  }

  function updateStatus() {
    const next = computeStatus();
    if (next !== status) {
      status = next;
      for (const fn of statusListeners) {
        fn(status);
      }
    }
  }

  async function runConnected() {
    everConnected = true;
    attempt = 0;
    lostAt = null;
    lastMessageAt = Date.now();
    updateStatus();
    for (const fn of connectedListeners) {
      try {
        await fn();
      } catch (error) {
        // A failed rejoin (busy server, rate limit) is retried while the connection stays up.
        console.warn('LiveHub: rejoin failed, retrying', error);
        setTimeout(() => { if (isConnected()) runConnected(); }, backoff(2));
        return;
      }
    }
  }

  function scheduleStart() {
    clearTimeout(timer);
    timer = setTimeout(start, backoff(attempt++));
    updateStatus();
  }

  async function start() {
    stopped = false;
    if (starting || connection.state !== signalR.HubConnectionState.Disconnected) {
      return starting;
    }
    clearTimeout(timer);
    timer = null;
    starting = (async () => {
      try {
        await connection.start();
      } catch {
        lostAt ??= Date.now();
        if (!stopped) {
          scheduleStart();
        }
        return;
      } finally {
        starting = null;
      }
      await runConnected();
    })();
    return starting;
  }

  async function stop() {
    stopped = true;
    clearTimeout(timer);
    await connection.stop();
    updateStatus();
  }

  /** Reset the back-off and try now: used when the tab becomes visible or the network returns. */
  function kick() {
    if (stopped) {
      return;
    }
    attempt = 0;
    if (connection.state === signalR.HubConnectionState.Disconnected) {
      start();
    } else if (connection.state === signalR.HubConnectionState.Reconnecting && !kickPending) {
      // SignalR's own retry may be sleeping for up to 15 s: stop it and start afresh.
      kickPending = true;
      connection.stop().catch(() => {}).finally(() => {
        kickPending = false;
        start();
      });
    }
  }

  connection.onreconnecting(() => {
    lostAt ??= Date.now();
    updateStatus();
  });
  connection.onreconnected(() => runConnected());
  connection.onclose(() => {
    lostAt ??= Date.now();
    updateStatus();
    if (!stopped && !kickPending) {
      scheduleStart();
    }
  });

  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'visible') {
      kick();
    }
  });
  window.addEventListener('online', () => { updateStatus(); kick(); });
  window.addEventListener('offline', updateStatus);
  setInterval(updateStatus, 5000);

  async function invoke(method, ...args) {
    if (!isConnected()) {
      throw offlineError();
    }
    try {
      return await connection.invoke(method, ...args);
    } catch {
      throw isConnected() ? new LiveError('unavailable', 'error.unavailable', true) : offlineError();
    }
  }

  const live = {
    connection,
    call: invoke,
    /** Like call, but always resolves to a HubResult, turning local failures into {ok:false, error}. */
    async request(method, ...args) {
      try {
        return await invoke(method, ...args);
      } catch (error) {
        return { ok: false, value: null, error: { code: error.code || 'unavailable', messageKey: error.messageKey || 'error.generic', retryable: true } };
      }
    },
    on(name, fn) {
      connection.on(name, (...args) => {
        lastMessageAt = Date.now();
        fn(...args);
      });
    },
    onConnected(fn) { connectedListeners.add(fn); },
    onStatus(fn) { statusListeners.add(fn); fn(status); },
    isConnected,
    get status() { return status; },
    get lastMessageAt() { return lastMessageAt; },
    /** Marks a snapshot as fresh data. */
    touch() { lastMessageAt = Date.now(); },
    start,
    stop,
    kick,
  };
  current = live;
  if (autoStart) {
    start();
  }
  return live;
}

/** Keeps an element showing the connection state (text plus data-state for styling and tests). */
export function bindStatus(node, live) {
  const paint = () => {
    const state = live.status;
    node.dataset.state = state;
    node.replaceChildren(el('span', { class: 'dot', attrs: { 'aria-hidden': 'true' } }), el('span', { text: t(`status.${state}`) }));
  };
  live.onStatus(paint);
  onLanguageChange(paint);
  paint();
}

// ---------------------------------------------------------------- joining an event and its sessions

/** The event's snapshot (JoinEvent); null when there is no such event, after onMissing was told. Anything else throws. */
export async function joinEvent(live, code, onMissing) {
  const r = await live.call('JoinEvent', code);
  if (r.ok) {
    return r.value;
  }
  if (r.error && r.error.messageKey === 'error.not_found.event') {
    onMissing(r.error);
    return null;
  }
  throw r.error;
}

/** Feeds the session's versioned deltas and its poll results frames into the page's SessionState. */
export function followSessionState(live, state) {
  for (const name of VERSIONED_EVENTS) {
    live.on(name, (delta) => state.handle(name, delta));
  }
  live.on('PollResultsChanged', (frame) => state.handleResults(frame));
}

/** Keeps a session picked by hand on this device and, with inUrl, in the address (?session=) so a reload keeps it. */
export function rememberSession(storageKey, id, { inUrl = true } = {}) {
  storage.setRaw(storageKey, String(id));
  if (inUrl) {
    const url = new URL(location.href);
    url.searchParams.set('session', String(id));
    history.replaceState(null, '', url);
  }
}

/**
 * Leaves the old session (null: none) for another: join() when connected; offline, show() it and let the reconnect
 * join. A failure is said in a toast.
 */
export async function changeSession(live, oldId, { join, show }) {
  if (oldId !== null) {
    live.request('LeaveSession', oldId);
  }
  try {
    if (live.isConnected()) {
      await join();
    } else {
      show();
    }
  } catch (error) {
    toast(errorText(error), { kind: 'error' });
  }
}

// ---------------------------------------------------------------- versioned session state

export const POLL_EVENTS = ['PollDrafted', 'PollOpened', 'PollClosed', 'PollRevealed', 'PollReset', 'PollDeleted'];

/** Every event that carries the session's next version: questions, polls and the projector share one sequence. */
export const VERSIONED_EVENTS = [
  'QuestionAsked', 'QuestionApproved', 'QuestionDismissed', 'QuestionAnswered', 'QuestionArchived',
  'QuestionRestored', 'QuestionEdited', 'QuestionReplied', 'QuestionLabeled', 'QuestionMerged', 'QuestionOnScreenChanged',
  'UpvotesChanged', 'ModerationModeChanged', ...POLL_EVENTS, 'ProjectorChanged',
];

/**
 * One session as one screen sees it. A snapshot sets the version; each delta must be exactly the next version:
 * older ones are ignored, a gap fetches a fresh snapshot. Deltas that arrive while a snapshot is on its way are
 * held and replayed on top of it. Poll results frames are not versioned with the session: each is whole, and the
 * one with the highest poll results version wins.
 */
export class SessionState {
  constructor({ view, resync, onChange }) {
    this.view = view;
    this.resync = resync;
    this.onChange = onChange;
    this.sessionId = null;
    this.session = null;
    this.version = null;
    this.held = [];
    this.resyncing = false;
    this.clear();
  }

  clear() {
    this.session = null;
    this.questions = new Map();
    this.mine = new Map();
    this.myUpvotes = new Set();
    this.onScreenQuestionId = null;
    this.polls = new Map();
    this.results = new Map();
    this.myVotes = new Map();
    this.projectorMode = 'questions';
    this.projectorPollId = null;
    this.projectorPresence = false;
    this.present = null;
  }

  /** Call before JoinSession: deltas from now on are held until the snapshot arrives. */
  begin(sessionId) {
    if (sessionId !== this.sessionId) {
      this.clear();
    }
    this.sessionId = sessionId;
    this.version = null;
    this.held = [];
  }

  get loaded() {
    return this.session !== null;
  }

  /** The joined session's status as the agenda now has it (a pushed override, a re-read at a schedule boundary). */
  takeStatus(view) {
    if (view && this.session && this.session.id === view.id) {
      this.session = { ...this.session, status: view.status };
    }
  }

  visible(question) {
    return this.view === 'moderator' || isPublic(question);
  }

  /** Drafts are the moderators' alone; a poll reset to draft leaves the audience and the projector. */
  pollVisible(poll) {
    return this.view === 'moderator' || poll.status !== 'draft';
  }

  load(snapshot) {
    syncClock(snapshot.serverTime);
    this.sessionId = snapshot.session.id;
    this.session = snapshot.session;
    this.version = snapshot.version;
    this.questions = new Map(snapshot.questions.filter((q) => this.visible(q)).map((q) => [q.id, q]));
    this.onScreenQuestionId = snapshot.onScreenQuestionId ?? null;
    this.mine = new Map((snapshot.mine || []).filter((q) => q.status !== 'archived').map((q) => [q.id, q]));
    this.myUpvotes = new Set(snapshot.myUpvotes || []);
    this.polls = new Map((snapshot.polls || []).filter((p) => this.pollVisible(p)).map((p) => [p.id, p]));
    const held = this.results;
    this.results = new Map((snapshot.results || []).filter((f) => this.polls.has(f.pollId)).map((f) => [f.pollId, f]));
    // A frame pushed while the snapshot was on its way may be newer than the snapshot's own.
    for (const [pollId, frame] of held) {
      const poll = this.polls.get(pollId);
      const fromSnapshot = this.results.get(pollId);
      if (poll && poll.resultsVisible && (!fromSnapshot || frame.version > fromSnapshot.version)) {
        this.results.set(pollId, frame);
      }
    }
    this.myVotes = new Map((snapshot.myVotes || []).map((v) => [v.pollId, v]));
    this.projectorMode = snapshot.projectorMode || 'questions';
    this.projectorPollId = snapshot.projectorPollId ?? null;
    this.projectorPresence = !!snapshot.projectorPresence;
    this.present = typeof snapshot.present === 'number' ? snapshot.present : null;
    this.onChange?.({ kind: 'snapshot' });
    this.replay();
  }

  handle(kind, delta) {
    if (!delta || delta.sessionId !== this.sessionId) {
      return;
    }
    if (this.version === null || this.resyncing) {
      this.held.push({ kind, delta });
      return;
    }
    if (delta.version <= this.version) {
      return;
    }
    if (delta.version === this.version + 1) {
      this.apply(kind, delta);
      this.replay();
      return;
    }
    this.held.push({ kind, delta });
    this.refetch();
  }

  replay() {
    this.held.sort((a, b) => a.delta.version - b.delta.version);
    while (this.held.length && this.version !== null) {
      const { kind, delta } = this.held[0];
      if (delta.version <= this.version) {
        this.held.shift();
      } else if (delta.version === this.version + 1) {
        this.held.shift();
        this.apply(kind, delta);
      } else {
        this.refetch();
        return;
      }
    }
  }

  apply(kind, delta) {
    this.version = delta.version;
    if (kind === 'UpvotesChanged') {
      for (const c of delta.counts || []) {
        const q = this.questions.get(c.questionId);
        if (q) {
          q.upvotes = c.upvotes;
        }
        const own = this.mine.get(c.questionId);
        if (own) {
          own.upvotes = c.upvotes;
        }
      }
    } else if (kind === 'ModerationModeChanged') {
      this.session = { ...this.session, moderation: delta.moderation };
    } else if (kind === 'ProjectorChanged') {
      this.projectorMode = delta.mode || 'questions';
      this.projectorPollId = delta.pollId ?? null;
      if (typeof delta.showPresence === 'boolean') {
        this.projectorPresence = delta.showPresence;
      }
    } else if (POLL_EVENTS.includes(kind)) {
      this.upsertPoll(delta.poll, kind);
    } else {
      const q = delta.question;
      if (q) {
        if (this.visible(q)) {
          this.questions.set(q.id, q);
        } else {
          this.questions.delete(q.id);
        }
        const own = this.mine.get(q.id);
        if (own) {
          this.mine.set(q.id, { ...own, ...q, clientId: own.clientId });
        }
      }
      this.onScreenQuestionId = delta.onScreenQuestionId ?? null;
    }
    this.onChange?.({ kind, delta });
  }

  /** A poll as the server answered or pushed it. Also used for a moderator's own action, before its delta arrives. */
  upsertPoll(poll, kind = 'PollChanged') {
    if (!poll || poll.sessionId !== this.sessionId) {
      return;
    }
    if (kind === 'PollDeleted' || !this.pollVisible(poll)) {
      this.polls.delete(poll.id);
      this.results.delete(poll.id);
      this.myVotes.delete(poll.id);
      return;
    }
    if (kind === 'PollReset') {
      // Every vote is gone; the next frame (a higher version) brings the empty count.
      this.results.delete(poll.id);
      this.myVotes.delete(poll.id);
    }
    this.polls.set(poll.id, poll);
  }

  /** A results frame: absolute, so only a newer one (higher version) replaces the one held. */
  handleResults(frame) {
    if (!frame || frame.sessionId !== this.sessionId) {
      return;
    }
    const held = this.results.get(frame.pollId);
    if (held && frame.version <= held.version) {
      return;
    }
    this.results.set(frame.pollId, frame);
    this.onChange?.({ kind: 'PollResultsChanged', frame });
  }

  /** The caller's own vote as the server stored it (answer to CastVote). */
  setMyVote(vote) {
    if (vote && this.polls.has(vote.pollId)) {
      this.myVotes.set(vote.pollId, vote);
    }
  }

  /** The author's own question changed (unversioned, sent only to the author). */
  applyMine(question) {
    if (!question || question.sessionId !== this.sessionId) {
      return;
    }
    if (question.status === 'archived') {
      this.mine.delete(question.id);
    } else {
      this.mine.set(question.id, question);
    }
    this.onChange?.({ kind: 'MyQuestionChanged', question });
  }

  async refetch() {
    if (this.resyncing || this.sessionId === null) {
      return;
    }
    this.resyncing = true;
    const sessionId = this.sessionId;
    let snapshot = null;
    try {
      snapshot = await this.resync(sessionId);
    } catch {
      snapshot = null;
    }
    this.resyncing = false;
    if (sessionId !== this.sessionId) {
      return;
    }
    if (snapshot) {
      this.load(snapshot);
    } else {
      setTimeout(() => { if (sessionId === this.sessionId && this.held.length) this.refetch(); }, backoff(2));
    }
  }
}

// ---------------------------------------------------------------- outbox

const DELIVERED_SHOWN_MS = 6000;

/** An outbox's stored list, keeping only entries valid() accepts (the stored copy may be old or edited by hand). */
function readStoredList(key, valid) {
  const stored = storage.get(key, []);
  return Array.isArray(stored) ? stored.filter((i) => i && valid(i)) : [];
}

/** A new outbox entry, stored before its first send. */
function outboxItem(fields) {
  return { clientId: newClientId(), ...fields, state: 'sending', createdAt: Date.now(), error: null, retryAt: 0, attempts: 0 };
}

/** The error a failed send keeps with its entry (stored, so plain data only). */
function plainError(result) {
  const error = (result && result.error) || { code: 'unknown', messageKey: 'error.generic' };
  return { code: error.code, messageKey: error.messageKey, retryable: !!error.retryable, retryAfterSeconds: error.retryAfterSeconds ?? null };
}

/** Counts one more attempt and sets when the entry goes again: after the server's retry-after, else the back-off. Returns the wait. */
function retryLater(item, retryAfterSeconds = null) {
  item.attempts = (item.attempts || 0) + 1;
  const wait = retryAfterSeconds ? retryAfterSeconds * 1000 : backoff(item.attempts);
  item.retryAt = Date.now() + wait;
  return wait;
}

/** A timer for an outbox's next round; setting it again replaces the one waiting. */
function retryTimer(run) {
  let timer = null;
  return (ms) => {
    clearTimeout(timer);
    timer = setTimeout(run, Math.max(250, ms));
  };
}

/** Runs one round at a time: a call during a round asks for exactly one more round after it. */
function oneRoundAtATime(round) {
  let running = false;
  let again = false;
  return async function run() {
    if (running) {
      again = true;
      return;
    }
    running = true;
    try {
      await round();
    } finally {
      running = false;
      if (again) {
        again = false;
        run();
      }
    }
  };
}

/** Another tab of the same event changed the stored list: reload(). Back online: flush() what waits. */
function keepOutboxCurrent(key, live, reload, flush) {
  window.addEventListener('storage', (e) => {
    if (e.key === key) {
      reload();
    }
  });
  live.onConnected(() => { flush(); });
}

/**
 * Questions on their way to the server, kept in localStorage (lh.outbox.{code}) so a reload or a dropped connection
 * loses nothing. Each has a client id; the server is idempotent on it, so resending is always safe.
 * States: sending → delivered (then removed) or failed (non-retryable error; "Try again" resends with the same id).
 */
export function createOutbox(code, live, { onChange, onDelivered, onError } = {}) {
  const key = `lh.outbox.${code}`;
  let items = read().filter((i) => i.state !== 'delivered');
  const inFlight = new Set();
  const flush = oneRoundAtATime(sendWaiting);
  const schedule = retryTimer(flush);

  function read() {
    return readStoredList(key, (i) => typeof i.clientId === 'string' && typeof i.text === 'string');
  }

  function save() {
    storage.set(key, items);
    onChange?.();
  }

  function find(clientId) {
    return items.find((i) => i.clientId === clientId);
  }

  function delivered(item, question) {
    item.state = 'delivered';
    item.error = null;
    item.questionId = question ? question.id : item.questionId;
    save();
    onDelivered?.(question, item);
    setTimeout(() => remove(item.clientId), DELIVERED_SHOWN_MS);
  }

  async function send(item) {
    inFlight.add(item.clientId);
    let result;
    try {
      result = await live.call('AskQuestion', {
        sessionId: item.sessionId,
        clientId: item.clientId,
        text: item.text,
        authorName: item.authorName || null,
      });
    } catch (error) {
      inFlight.delete(item.clientId);
      if (error.code !== 'offline') {
        const wait = retryLater(item);
        save();
        schedule(wait);
      }
      return; // offline: stays queued and goes again after the reconnect
    }
    inFlight.delete(item.clientId);
    if (!find(item.clientId)) {
      return;
    }
    if (result && result.ok) {
      delivered(item, result.value);
      return;
    }
    const plain = plainError(result);
    item.error = plain;
    if (plain.retryable) {
      const wait = retryLater(item, plain.retryAfterSeconds);
      save();
      schedule(wait);
    } else {
      item.state = 'failed';
      save();
    }
    onError?.(plain, item);
  }

  async function sendWaiting() {
    for (const item of [...items]) {
      if (item.state !== 'sending' || inFlight.has(item.clientId) || !find(item.clientId)) {
        continue;
      }
      if (!live.isConnected()) {
        break;
      }
      // Questions go in the order they were asked: one waiting for its retry holds the ones behind it.
      if (item.retryAt && item.retryAt > Date.now()) {
        schedule(item.retryAt - Date.now());
        break;
      }
      await send(item);
      if (item.state === 'sending' && find(item.clientId)) {
        break;
      }
    }
  }

  function add({ sessionId, text, authorName }) {
    const item = outboxItem({ sessionId, text, authorName: authorName || null });
    items.push(item); // stored before the first invoke
    save();
    flush();
    return item;
  }

  function retry(clientId) {
    const item = find(clientId);
    if (!item) {
      return;
    }
    item.state = 'sending';
    item.error = null;
    item.retryAt = 0;
    save();
    flush();
  }

  function remove(clientId) {
    const before = items.length;
    items = items.filter((i) => i.clientId !== clientId);
    if (items.length !== before) {
      save();
    }
  }

  /** Marks items the server already has (found by client id among the caller's own questions) as delivered. */
  function match(questions) {
    for (const q of questions) {
      const item = q && q.clientId ? find(q.clientId) : null;
      if (item && item.state !== 'delivered') {
        delivered(item, q);
      }
    }
  }

  keepOutboxCurrent(key, live, () => {
    items = read();
    onChange?.();
  }, flush);

  return {
    get items() { return items; },
    add,
    retry,
    remove,
    flush,
    match,
  };
}

// ---------------------------------------------------------------- votes outbox

/** Whether two answers to one poll are the same (the caller's stored vote against one waiting in the outbox). */
export function sameVote(a, b) {
  if (!a || !b) {
    return false;
  }
  const list = (x) => JSON.stringify(x || []);
  const sorted = (x) => JSON.stringify([...(x || [])].sort((p, q) => p - q));
  return sorted(a.choices) === sorted(b.choices)
    && (a.rating ?? null) === (b.rating ?? null)
    && list(a.ranking) === list(b.ranking)
    && (a.text || '').trim() === (b.text || '').trim();
}

/**
 * Votes on their way to the server, kept in localStorage (lh.votes.{code}) like questions, but only the latest per
 * poll: a newer answer replaces one not yet acknowledged (with a new client id, since the server is idempotent on it).
 * A resend keeps its client id. One vote per poll is in flight at a time, so an older answer never lands after a newer.
 * States: sending → delivered (kept a moment, then removed). A non-retryable error drops the entry (onError says why).
 */
export function createVoteOutbox(code, live, { onChange, onDelivered, onError } = {}) {
  const key = `lh.votes.${code}`;
  let items = read().filter((i) => i.state === 'sending');
  const inFlight = new Map(); // pollId -> clientId
  const flush = oneRoundAtATime(sendWaiting);
  const schedule = retryTimer(flush);

  function read() {
    return readStoredList(key, (i) => typeof i.clientId === 'string' && typeof i.pollId === 'number' && i.vote && typeof i.vote === 'object');
  }

  function save() {
    storage.set(key, items);
    onChange?.();
  }

  const forPoll = (pollId) => items.find((i) => i.pollId === pollId) || null;
  const current = (item) => items.includes(item);

  function delivered(item, vote) {
    item.state = 'delivered';
    item.error = null;
    save();
    onDelivered?.(vote, item);
    setTimeout(() => {
      if (current(item) && item.state === 'delivered') {
        items = items.filter((i) => i !== item);
        save();
      }
    }, DELIVERED_SHOWN_MS);
  }

  function drop(item, error) {
    items = items.filter((i) => i !== item);
    save();
    onError?.(error, item);
  }

  async function send(item) {
    inFlight.set(item.pollId, item.clientId);
    let result;
    try {
      result = await live.call('CastVote', {
        pollId: item.pollId,
        clientId: item.clientId,
        choices: item.vote.choices ?? null,
        rating: item.vote.rating ?? null,
        ranking: item.vote.ranking ?? null,
        text: item.vote.text ?? null,
        displayName: item.vote.displayName || null,
      });
    } catch (error) {
      inFlight.delete(item.pollId);
      if (current(item) && error.code !== 'offline') {
        const wait = retryLater(item);
        save();
        schedule(wait);
      }
      return; // offline: stays queued and goes again after the reconnect
    }
    inFlight.delete(item.pollId);
    if (!current(item)) {
      // A newer answer replaced this one while it was on its way: that one goes next (one more round) and has the last word.
      flush();
      return;
    }
    if (result && result.ok) {
      delivered(item, result.value);
      return;
    }
    const plain = plainError(result);
    if (plain.retryable) {
      item.error = plain;
      const wait = retryLater(item, plain.retryAfterSeconds);
      save();
      schedule(wait);
      return;
    }
    drop(item, plain);
  }

  async function sendWaiting() {
    for (const item of [...items]) {
      if (item.state !== 'sending' || inFlight.has(item.pollId) || !current(item)) {
        continue;
      }
      if (!live.isConnected()) {
        break;
      }
      if (item.retryAt && item.retryAt > Date.now()) {
        schedule(item.retryAt - Date.now());
        continue;
      }
      await send(item);
    }
  }

  /** Queues an answer; it replaces any unacknowledged answer to the same poll. */
  function add(pollId, sessionId, vote) {
    const item = outboxItem({ pollId, sessionId, vote });
    items = items.filter((i) => i.pollId !== pollId);
    items.push(item); // stored before the first invoke
    save();
    flush();
    return item;
  }

  /**
   * Marks waiting answers that the server already holds (the caller's stored votes from a snapshot) as delivered.
   * The stored vote carries no client id, so the answer itself is compared: an equal answer needs no resend.
   */
  function match(myVotes) {
    for (const vote of myVotes || []) {
      const item = forPoll(vote.pollId);
      if (item && item.state === 'sending' && !inFlight.has(item.pollId) && sameVote(item.vote, vote)) {
        delivered(item, vote);
      }
    }
  }

  function remove(pollId) {
    const before = items.length;
    items = items.filter((i) => i.pollId !== pollId);
    if (items.length !== before) {
      save();
    }
  }

  keepOutboxCurrent(key, live, () => {
    items = read();
    onChange?.();
  }, flush);

  return {
    get items() { return items; },
    forPoll,
    add,
    match,
    remove,
    flush,
  };
}

// ---------------------------------------------------------------- polls: words and charts

export const POLL_KINDS = ['single', 'multiple', 'rating', 'wordcloud', 'text', 'ranking', 'quiz'];
export const OPTION_KINDS = ['single', 'multiple', 'ranking', 'quiz'];
export const CHOICE_KINDS = ['single', 'multiple', 'quiz'];

export function formatNumber(n, options) {
  return new Intl.NumberFormat(lang, options).format(n || 0);
}

/** "42,7%" / "42.7%" from the server's percent of voters (0–100, one decimal). */
export function formatPercent(percent) {
  return new Intl.NumberFormat(lang, { style: 'percent', maximumFractionDigits: 1 }).format((percent || 0) / 100);
}

/** The server's rule for whether the audience and the projector see results now (moderators always do). */
export function resultsPublic(poll) {
  return poll.status !== 'draft'
    && (poll.revealed || poll.visibility === 'live' || (poll.visibility === 'on_close' && poll.status === 'closed'));
}

/** Seconds left of an open quiz (by the server's clock), or null for anything without a running timer. */
export function secondsLeft(poll) {
  if (!poll || poll.status !== 'open' || !poll.closesAt) {
    return null;
  }
  return Math.max(0, Math.ceil((poll.closesAt - serverNow()) / 1000));
}

/** "0:42" for the quiz countdown. */
export function formatCountdown(seconds) {
  const s = Math.max(0, seconds || 0);
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

const CLOUD_SIZES = { screen: [28, 72], phone: [16, 34], mod: [16, 30] };

function choiceBars(poll) {
  const node = el('div', { class: 'bars' });
  const rows = poll.options.map((label, index) => {
    const fill = el('div', { class: 'bar-fill' });
    const count = el('span', { class: 'bar-count' });
    const pct = el('span', { class: 'bar-pct' });
    const mark = el('span', { class: 'bar-mark', attrs: { 'aria-hidden': 'true' } });
    const sr = el('span', { class: 'visually-hidden' });
    const row = el('div', { class: 'bar', attrs: { 'data-testid': 'poll-bar', 'data-index': index } }, [
      el('div', { class: 'bar-head' }, [
        el('span', { class: 'bar-label' }, [mark, label, sr]),
        el('span', { class: 'bar-nums' }, [count, pct]),
      ]),
      el('div', { class: 'bar-track', attrs: { 'aria-hidden': 'true' } }, [fill]),
    ]);
    node.append(row);
    return { row, fill, count, pct, mark, sr };
  });
  return {
    node,
    update(frame, current) {
      const correct = (frame && frame.correct) || current.correct || null;
      rows.forEach((r, index) => {
        const o = frame && frame.options ? frame.options.find((x) => x.index === index) : null;
        const percent = o ? o.percent : 0;
        r.count.textContent = formatNumber(o ? o.votes : 0);
        r.pct.textContent = formatPercent(percent);
        r.fill.style.width = `${Math.min(100, Math.max(0, percent))}%`;
        const isCorrect = !!correct && correct.includes(index);
        r.row.classList.toggle('is-correct', isCorrect);
        r.mark.textContent = isCorrect ? '✓ ' : '';
        r.sr.textContent = isCorrect ? ` (${t('poll.correct_answer')})` : '';
      });
    },
  };
}

function ratingChart(poll) {
  const scale = poll.scale || 5;
  const value = el('span', { class: 'avg-value' });
  const average = el('div', { class: 'rating-avg', attrs: { 'data-testid': 'rating-average' } }, [
    el('span', { class: 'avg-label', text: t('poll.average') }),
    el('span', { class: 'avg-number' }, [value, el('span', { class: 'avg-of', text: ` / ${scale}` })]),
  ]);
  const cols = [];
  const hist = el('div', { class: ['rating-hist', `scale-${scale}`] });
  for (let v = 1; v <= scale; v += 1) {
    const fill = el('div', { class: 'col-fill' });
    const count = el('span', { class: 'col-count' });
    const col = el('div', { class: 'rating-col', attrs: { 'data-testid': 'rating-bar', 'data-value': v } }, [
      count,
      el('div', { class: 'col-track', attrs: { 'aria-hidden': 'true' } }, [fill]),
      el('span', { class: 'col-label', text: formatNumber(v) }),
    ]);
    hist.append(col);
    cols.push({ v, col, fill, count });
  }
  return {
    node: el('div', { class: 'rating' }, [average, hist]),
    update(frame) {
      const options = (frame && frame.options) || [];
      const votesOf = (v) => (options.find((o) => o.index === v) || { votes: 0 }).votes;
      const max = Math.max(0, ...cols.map((c) => votesOf(c.v)));
      for (const c of cols) {
        const votes = votesOf(c.v);
        c.count.textContent = formatNumber(votes);
        c.fill.style.height = `${max ? Math.round((votes / max) * 100) : 0}%`;
        c.col.setAttribute('aria-label', `${formatNumber(c.v)}: ${t('poll.votes', { count: votes })}`);
      }
      const avg = frame && typeof frame.average === 'number' ? frame.average : null;
      value.textContent = avg === null ? '–' : formatNumber(avg, { minimumFractionDigits: 1, maximumFractionDigits: 1 });
    },
  };
}

function rankingList(poll) {
  const node = el('ol', { class: 'ranking' });
  const items = poll.options.map((label, index) => {
    const pos = el('span', { class: 'rank-pos' });
    const points = el('span', { class: 'rank-points' });
    const fill = el('div', { class: 'bar-fill' });
    const li = el('li', { class: 'ranking-item', attrs: { 'data-testid': 'ranking-item', 'data-index': index } }, [
      el('div', { class: 'bar-head' }, [pos, el('span', { class: 'rank-label', text: label }), points]),
      el('div', { class: 'bar-track', attrs: { 'aria-hidden': 'true' } }, [fill]),
    ]);
    node.append(li);
    return { index, li, pos, points, fill, value: 0 };
  });
  return {
    node,
    update(frame) {
      const options = (frame && frame.options) || [];
      for (const item of items) {
        item.value = (options.find((o) => o.index === item.index) || { points: 0 }).points;
      }
      const order = [...items].sort((a, b) => b.value - a.value || a.index - b.index);
      const max = Math.max(1, ...order.map((i) => i.value));
      order.forEach((item, position) => {
        item.pos.textContent = `${formatNumber(position + 1)}.`;
        item.points.textContent = t('poll.points', { count: item.value });
        item.fill.style.width = `${Math.round((item.value / max) * 100)}%`;
        item.li.dataset.rank = String(position + 1);
        // Move only what is out of place: a moved node loses its running transition.
        if (node.children[position] !== item.li) {
          node.insertBefore(item.li, node.children[position] || null);
        }
      });
    },
  };
}

function wordCloud(poll, variant) {
  const node = el('div', { class: 'word-cloud', attrs: { 'data-testid': 'word-cloud' } });
  const [min, max] = CLOUD_SIZES[variant] || CLOUD_SIZES.phone;
  const spans = new Map();
  const empty = el('p', { class: 'results-empty', text: t('poll.no_answers') });
  return {
    node,
    update(frame) {
      const words = [...((frame && frame.words) || [])].sort((a, b) => b.votes - a.votes || a.word.localeCompare(b.word))
        .slice(0, variant === 'screen' ? 40 : 60);
      if (!words.length) {
        node.replaceChildren(empty);
        spans.clear();
        return;
      }
      const top = words[0].votes;
      const low = words[words.length - 1].votes;
      // Largest in the middle, the rest alternating to either side: reads as a cloud, not a list.
      const arranged = [];
      words.forEach((w, i) => (i % 2 ? arranged.unshift(w) : arranged.push(w)));
      const keep = new Set();
      arranged.forEach((w, position) => {
        let span = spans.get(w.word);
        if (!span) {
          span = el('span', { class: 'word' }, [el('span', { class: 'word-text', text: w.word }), el('span', { class: 'visually-hidden' })]);
          spans.set(w.word, span);
        }
        const ratio = top === low ? (words.length === 1 ? 1 : 0.5) : Math.sqrt((w.votes - low) / (top - low));
        span.style.fontSize = `${Math.round(min + (max - min) * ratio)}px`;
        span.dataset.votes = String(w.votes);
        span.hidden = false;
        span.lastChild.textContent = ` (${t('poll.votes', { count: w.votes })})`;
        span.classList.toggle('is-top', w.votes === top);
        keep.add(w.word);
        if (node.children[position] !== span) {
          node.insertBefore(span, node.children[position] || null);
        }
      });
      for (const [word, span] of spans) {
        if (!keep.has(word)) {
          span.remove();
          spans.delete(word);
        }
      }
      if (empty.parentNode) {
        empty.remove();
      }
      if (variant === 'screen') {
        // Words that do not fit whole are left out, smallest first, rather than cut.
        for (let i = words.length - 1; i > 0 && node.scrollHeight > node.clientHeight + 1; i -= 1) {
          spans.get(words[i].word).hidden = true;
        }
      }
    },
  };
}

function answersList(poll, variant, onModerate) {
  const node = el('ul', { class: 'answers' });
  const empty = el('p', { class: 'results-empty', text: t('poll.no_answers') });
  const wrap = el('div', { class: 'answers-box' }, [node, empty]);
  const limit = variant === 'screen' ? 6 : 200;
  const rank = { pending: 0, approved: 1, dismissed: 2 };
  return {
    node: wrap,
    update(frame) {
      const answers = [...((frame && frame.answers) || [])]
        .sort((a, b) => (variant === 'mod' ? rank[a.status] - rank[b.status] : 0) || b.createdAt - a.createdAt || b.id - a.id)
        .slice(0, limit);
      empty.hidden = answers.length > 0;
      reconcile(node, answers, {
        key: (a) => a.id,
        sig: (a) => JSON.stringify([lang, a.status, a.text, a.displayName]),
        build: (a) => {
          const children = [
            el('p', { class: 'answer-text', text: a.text }),
            el('p', { class: 'answer-meta' }, [
              el('span', { class: 'author', text: a.displayName || t('question.anonymous') }),
              variant === 'mod' ? el('span', { class: ['badge', `badge-${a.status}`], text: t(`poll.answer.${a.status}`) }) : null,
            ]),
          ];
          if (variant === 'mod' && onModerate) {
            children.push(el('div', { class: 'answer-actions' }, [
              a.status !== 'approved' ? el('button', {
                class: 'btn btn-primary btn-small',
                text: t('action.approve'),
                attrs: { type: 'button', 'data-testid': 'answer-approve', 'data-fk': `approve-${a.id}` },
                on: { click: () => onModerate(a, 'approve') },
              }) : null,
              a.status !== 'dismissed' ? el('button', {
                class: 'btn btn-danger btn-small',
                text: t('action.dismiss'),
                attrs: { type: 'button', 'data-testid': 'answer-dismiss', 'data-fk': `dismiss-${a.id}` },
                on: { click: () => onModerate(a, 'dismiss') },
              }) : null,
            ]));
          }
          return el('li', { class: ['answer', `answer-${a.status}`], attrs: { 'data-testid': 'poll-answer', 'data-answer-id': a.id, 'data-status': a.status } }, children);
        },
      });
    },
  };
}

function leaderboardBox(size, variant) {
  const list = el('ol', { class: 'leaderboard', attrs: { 'data-testid': 'leaderboard' } });
  const node = el('div', { class: 'leaderboard-box' }, [el('h4', { class: 'leaderboard-title', text: t('poll.leaderboard') }), list]);
  node.hidden = true;
  return {
    node,
    update(frame) {
      const entries = ((frame && frame.leaderboard) || []).slice(0, size);
      node.hidden = entries.length === 0;
      list.replaceChildren(...entries.map((e) => el('li', { class: 'lb-row', attrs: { 'data-rank': e.rank } }, [
        el('span', { class: 'lb-rank', text: formatNumber(e.rank) }),
        el('span', { class: 'lb-name', text: e.name }),
        // On the big screen the bare number leaves the name room; the unit stays for screen readers.
        variant === 'screen'
          ? el('span', { class: 'lb-score' }, [formatNumber(e.score), el('span', { class: 'visually-hidden', text: ` ${t('poll.points_unit')}` })])
          : el('span', { class: 'lb-score', text: t('poll.score', { score: formatNumber(e.score) }) }),
      ])));
    },
  };
}

/**
 * A poll's results, built once per poll and updated in place as frames arrive, so bars and columns animate (CSS
 * transitions on width and height). variant: 'phone' (audience), 'mod' (moderator) or 'screen' (projector).
 * The caller decides whether results may be shown at all; this only draws them.
 */
export function createResultsView(poll, { variant = 'phone', onModerate = null, leaderboardSize = 10 } = {}) {
  const count = el('p', { class: 'results-count', attrs: { 'data-testid': 'poll-count' } });
  let chart;
  if (CHOICE_KINDS.includes(poll.kind)) {
    chart = choiceBars(poll);
  } else if (poll.kind === 'rating') {
    chart = ratingChart(poll);
  } else if (poll.kind === 'ranking') {
    chart = rankingList(poll);
  } else if (poll.kind === 'wordcloud') {
    chart = wordCloud(poll, variant);
  } else {
    chart = answersList(poll, variant, onModerate);
  }
  const board = poll.kind === 'quiz' ? leaderboardBox(leaderboardSize, variant) : null;
  const node = el('div', {
    class: ['results', `results-${variant}`, `results-kind-${poll.kind}`],
    attrs: { 'data-testid': 'poll-results' },
  }, [
    variant === 'screen' ? null : el('h4', { class: 'results-title', text: t('poll.results') }),
    variant === 'screen' ? null : count,
    el('div', { class: 'results-main' }, [chart.node, board ? board.node : null]),
  ]);
  return {
    node,
    count,
    update(frame, current = poll) {
      const voters = frame ? frame.voters : 0;
      count.textContent = ['text', 'wordcloud'].includes(poll.kind)
        ? t('poll.answers_count', { count: voters })
        : t('poll.votes', { count: voters });
      chart.update(frame, current);
      board?.update(frame);
      node.classList.toggle('has-leaderboard', !!board && !board.node.hidden);
    },
  };
}
