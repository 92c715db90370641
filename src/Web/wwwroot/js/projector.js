// The room's big screen: join code, URL and QR always; the question on screen; the top approved questions.
// Nobody touches it: it follows the live session, keeps the display awake and recovers by itself.
import {
  $, SessionState, VERSIONED_EVENTS, applyI18n, bindStatus, byPopular, connect, el, errorText, eventCodeFromPath,
  getLanguage, onLanguageChange, relativeTime, serverNow, setLanguage, storage, t,
} from '/js/client.js';

const code = eventCodeFromPath();
const params = new URLSearchParams(location.search);
const pinnedSession = params.get('session');
const TOP = 5;

const ui = {
  proj: $('#proj'),
  sessionTitle: $('#session-title'),
  fatal: $('#fatal'),
  onScreen: $('#on-screen'),
  top: $('#top'),
  topList: $('#top-list'),
  holding: $('#holding'),
  holdingTitle: $('#holding-title'),
  holdingEvent: $('#holding-event'),
  url: $('#join-url'),
  qr: $('#qr'),
  code: $('#join-code'),
  fresh: $('#fresh'),
  main: $('#main'),
};

let event = null;
let sessionId = null;
let lastSnapshotAt = 0;
let eventTimer = null;
let languageChosen = false;

// A kiosk nobody touches: ?lang= wins, then a remembered choice, then the event's own language.
if (params.get('lang')) {
  setLanguage(params.get('lang'), { remember: false });
  languageChosen = true;
} else if (storage.getRaw('lh.lang')) {
  languageChosen = true;
}
applyI18n();

const joinUrl = `${location.origin}/e/${code}`;
ui.url.textContent = joinUrl;
ui.code.textContent = code || '';
ui.qr.src = `/api/events/${encodeURIComponent(code)}/qr.svg`;

const state = new SessionState({
  view: 'projector',
  resync: async (id) => {
    const r = await live.call('JoinSession', id, 'projector');
    if (r.ok) {
      lastSnapshotAt = Date.now();
    }
    return r.ok ? r.value : null;
  },
  onChange: render,
});

const live = connect({ onConnected: rejoin });
bindStatus($('#conn'), live);
for (const name of VERSIONED_EVENTS) {
  live.on(name, (delta) => state.handle(name, delta));
}

async function rejoin() {
  const r = await live.call('JoinEvent', code);
  if (!r.ok) {
    if (r.error && r.error.messageKey === 'error.not_found.event') {
      ui.fatal.hidden = false;
      ui.fatal.textContent = errorText(r.error);
      return;
    }
    throw r.error;
  }
  setEvent(r.value);
  await joinSession(chooseSession().id);
}

/** ?session= pins a session; otherwise the first live one, else the first session. */
function chooseSession() {
  const sessions = event.sessions;
  return (pinnedSession && sessions.find((s) => String(s.id) === pinnedSession))
    || sessions.find((s) => s.status === 'live')
    || (sessionId && sessions.find((s) => s.id === sessionId))
    || sessions[0];
}

async function joinSession(id) {
  if (sessionId !== null && sessionId !== id) {
    live.request('LeaveSession', sessionId);
  }
  sessionId = id;
  state.begin(id);
  const r = await live.call('JoinSession', id, 'projector');
  if (id !== sessionId) {
    return;
  }
  if (!r.ok) {
    throw r.error;
  }
  lastSnapshotAt = Date.now();
  state.load(r.value);
}

function setEvent(snapshot) {
  event = snapshot;
  storage.set(`lh.event.${code}`, snapshot);
  document.title = `${event.name} · LiveHub`;
  if (!languageChosen && (event.defaultLanguage === 'id' || event.defaultLanguage === 'en')) {
    setLanguage(event.defaultLanguage, { remember: false });
  }
  // Status is not pushed: look at the agenda again at the next start or end, and follow the live session.
  clearTimeout(eventTimer);
  const now = serverNow();
  const next = event.sessions.flatMap((s) => [s.startsAt, s.endsAt]).filter((ms) => ms > now).sort((a, b) => a - b)[0];
  eventTimer = setTimeout(async () => {
    const r = await live.request('JoinEvent', code);
    if (!r.ok) {
      setEvent(event);
      return;
    }
    setEvent(r.value);
    const wanted = chooseSession();
    if (wanted && wanted.id !== sessionId && live.isConnected()) {
      joinSession(wanted.id).catch(() => {});
    } else {
      render();
    }
  }, Math.min(next ? next - now + 2000 : Infinity, 5 * 60 * 1000));
}

function textSize(text) {
  return text.length > 220 ? 'long' : text.length > 120 ? 'medium' : '';
}

function render() {
  if (!event) {
    return;
  }
  const session = state.session || event.sessions.find((s) => s.id === sessionId);
  ui.sessionTitle.textContent = session ? session.title : '';
  const questions = [...state.questions.values()].filter((q) => q.status === 'approved' || q.status === 'answered');
  const onScreen = state.onScreenQuestionId ? questions.find((q) => q.id === state.onScreenQuestionId) : null;
  const top = questions.filter((q) => q.status === 'approved' && q !== onScreen).sort(byPopular).slice(0, TOP);

  ui.onScreen.hidden = !onScreen;
  if (onScreen) {
    ui.onScreen.dataset.questionId = String(onScreen.id);
    ui.onScreen.replaceChildren(
      el('span', { class: 'label-on-screen', text: t('badge.on_screen') }),
      el('p', { class: ['proj-question-text', textSize(onScreen.text)], attrs: { 'data-testid': 'on-screen-text' }, text: onScreen.text }),
      el('p', { class: 'proj-question-meta' }, [
        el('span', { text: onScreen.authorName || t('question.anonymous') }),
        el('span', { class: 'votes', text: `▲ ${t('question.upvotes', { count: onScreen.upvotes })}` }),
      ]),
    );
  } else {
    delete ui.onScreen.dataset.questionId;
    ui.onScreen.replaceChildren();
  }

  ui.top.hidden = top.length === 0;
  ui.topList.replaceChildren(...top.map((q) => el('li', { attrs: { 'data-question-id': q.id } }, [
    el('span', { class: 'votes', text: new Intl.NumberFormat(getLanguage()).format(q.upvotes) }),
    el('span', { class: 'text' }, [q.text, ' ', el('span', { class: 'author', text: `— ${q.authorName || t('question.anonymous')}` })]),
  ])));
  ui.main.classList.toggle('top-only', !onScreen && top.length > 0);

  const holding = !onScreen && top.length === 0;
  ui.holding.hidden = !holding;
  ui.proj.classList.toggle('holding', holding);
  ui.sessionTitle.hidden = holding;
  if (holding) {
    ui.holdingTitle.textContent = session ? session.title : event.name;
    ui.holdingEvent.textContent = event.name;
  }
  fitTop();
}

/** Shows only the top questions that fit whole below the one on screen; a half-cut line is unreadable from the back. */
function fitTop() {
  const items = [...ui.topList.children];
  if (ui.top.hidden || !items.length) {
    return;
  }
  for (const li of items) {
    li.hidden = false;
  }
  const limit = ui.top.getBoundingClientRect().bottom + 1;
  let overflow = false;
  for (const li of items) {
    overflow = overflow || li.getBoundingClientRect().bottom > limit;
    li.hidden = overflow;
  }
  ui.top.classList.toggle('none-fit', items[0].hidden);
}
window.addEventListener('resize', fitTop);

function renderFreshness() {
  const last = Math.max(live.lastMessageAt, lastSnapshotAt);
  const ago = last ? relativeTime(last, { base: Date.now(), seconds: true }) : '…';
  const connected = live.isConnected();
  ui.fresh.dataset.state = connected ? 'fresh' : live.status === 'offline' ? 'offline' : 'stale';
  ui.fresh.textContent = connected
    ? t('proj.updated', { time: ago })
    : t('proj.stale', { time: ago });
}
setInterval(renderFreshness, 1000);
live.onStatus(renderFreshness);
onLanguageChange(() => { render(); renderFreshness(); });

// ------------------------------------------------------------ kiosk care

let wakeLock = null;
async function keepAwake() {
  if (!('wakeLock' in navigator) || document.visibilityState !== 'visible' || wakeLock) {
    return;
  }
  try {
    wakeLock = await navigator.wakeLock.request('screen');
    wakeLock.addEventListener('release', () => { wakeLock = null; });
  } catch {
    wakeLock = null; // not allowed (no user gesture, insecure origin, battery saver): the screen's own settings apply
  }
}
document.addEventListener('visibilitychange', () => {
  if (document.visibilityState === 'visible') {
    keepAwake();
  }
});
keepAwake();

// Hide the mouse pointer when it rests on the screen.
let idleTimer = null;
document.addEventListener('mousemove', () => {
  document.body.classList.remove('idle');
  clearTimeout(idleTimer);
  idleTimer = setTimeout(() => document.body.classList.add('idle'), 3000);
});

// A missing QR (server hiccup) is tried again rather than left broken on the wall.
ui.qr.addEventListener('error', () => {
  setTimeout(() => { ui.qr.src = `/api/events/${encodeURIComponent(code)}/qr.svg?retry=${Date.now()}`; }, 10000);
});

// Until the server answers, show the agenda seen last (the audience page keeps it) rather than a blank wall.
const cached = storage.get(`lh.event.${code}`);
if (cached && cached.code === code && Array.isArray(cached.sessions) && !event) {
  event = cached;
  sessionId = chooseSession()?.id ?? null;
  render();
}
renderFreshness();
