// @ts-check
// The audience's phone: join the event, follow one session (picked, or a room's via its door QR), and show it with
// the way to ask on the first screen. The parts of the page live in js/audience/: asking and one's own questions,
// the question list, polls (loaded when the session has one), the agenda, announcements and reactions. This module
// joins them to the connection and the session's state, and owns the one session the page shows.
import { applySessionStatus, renderSessionPicker, roomByKey, roomTarget, untilAgendaChanges } from '/js/lib/agenda.js';
import { bindStatus, connect } from '/js/lib/connection.js';
import { $, announce, append } from '/js/lib/dom.js';
import { changeSession, eventCodeFromPath, joinEvent, onEventDeleted, pickSession, rememberSession } from '/js/lib/event.js';
import { applyLimits } from '/js/lib/limits.js';
import { createOutbox } from '/js/lib/outbox.js';
import { loadStyles } from '/js/lib/page.js';
import { followSessionState, SessionState } from '/js/lib/session-state.js';
import { storage } from '/js/lib/storage.js';
import { fatalNotice, languageSwitch, onLanguageChange, t } from '/js/lib/strings.js';
import { startRelativeTimeTicker } from '/js/lib/time.js';
import { createAsk, questionOutbox } from '/js/audience/ask.js';
import { createQuestions } from '/js/audience/questions.js';
import { createReactions } from '/js/audience/reactions.js';

const code = eventCodeFromPath() || '';
const params = new URLSearchParams(location.search);
const SESSION_KEY = `lh.session.${code}`;
const EVENT_CACHE_KEY = `lh.event.${code}`;
const STATE_CACHE_KEY = `lh.state.${code}`;

/** @typedef {import('../../types/protocol').EventSnapshot} EventSnapshot */
/** @typedef {import('/js/lib/connection.js').LiveErrorShape} LiveErrorShape */
/** What every part of the phone's page reads (below). @typedef {typeof page} AudiencePage */

/** @type {EventSnapshot | null} */
let event = null;
// What the page shows came from this device's own copy (a reload without a network): said on the page until the
// server answers.
let showingCached = false;
/** @type {number | null} */
let sessionId = null;
// Opened without a session: the agenda opens unfolded. ?room= (the room's door QR) follows that room's live session.
const homeMode = !params.get('session');
let followKey = params.get('room');
let following = !!followKey;
/** @type {{ room: string, title: string, id: number } | null} */
let followSwitched = null;
// Parts loaded when first needed, so a phone downloads less before it can ask: the polls with the session's first
// poll, the announcements with the first one, the agenda when it is opened (or opens itself, or a room is followed).
/** @typedef {ReturnType<typeof import('/js/audience/announcements.js').createAnnouncements>} Announcements */
/** @typedef {ReturnType<typeof import('/js/audience/agenda.js').createAgenda>} Agenda */
/** @type {ReturnType<typeof import('/js/audience/polls.js').createPolls> | null} */
let polls = null;
/** @type {Announcements | null} */
let announcements = null;
/** @type {Agenda | null} */
let agenda = null;

const ui = {
  app: $('#app'),
  fatal: $('#fatal'),
  stale: $('#stale'),
  eventName: $('#event-name'),
  agenda: $('#agenda-home'),
  select: $('#session-select'),
  summary: $('#session-summary'),
};

append($('#tools'), languageSwitch());

const state = new SessionState({
  view: 'audience',
  resync: async (/** @type {number} */ id) => {
    const r = await live.call('JoinSession', id, 'audience');
    if (!r.ok) {
      throw r.error; // retried after the wait it names, if any
    }
    return r.value;
  },
  onChange: onStateChange,
});

const live = connect({ onConnected: rejoin });
bindStatus($('#conn'), live);
followSessionState(live, state);

/**
 * What every part of the page reads: the connection, the session's state and the one session shown. Each part keeps
 * its own state to itself and draws its own corner of the page.
 */
const page = {
  code,
  live,
  state,
  get event() { return event; },
  get sessionId() { return sessionId; },
  get following() { return following; },
  get followKey() { return followKey; },
  get followSwitched() { return followSwitched; },
  get showingCached() { return showingCached; },
  homeMode,
  currentSession,
  currentRoomId,
  isMine: (/** @type {number} */ id) => state.mine.has(id) || outbox.items.some((i) => i.questionId === id),
  switchSession,
  setFollowing,
  render: renderAll,
};

const outbox = createOutbox(live, questionOutbox(code), {
  onChange: () => { ask.renderMine(); questions.render(); },
  onDelivered: (/** @type {import('../../types/protocol').QuestionView | null} */ question) => {
    if (question && question.sessionId === sessionId && !state.mine.has(question.id)) {
      state.applyMine(question);
    }
    announce(t('announce.sent'));
  },
  onError: (/** @type {LiveErrorShape} */ error, /** @type {{ sessionId: number, clientId: string }} */ item) => {
    if (item.sessionId === sessionId) {
      ask.showError({ ...error, clientId: item.clientId });
    }
  },
});
const ask = createAsk(page, outbox);
const questions = createQuestions(page);
const reactions = createReactions(page);

/** @type {Promise<Announcements> | null} */
let announcementsLoading = null;
function withAnnouncements() {
  announcementsLoading ??= import('/js/audience/announcements.js').then((m) => (announcements = m.createAnnouncements(page)));
  return announcementsLoading;
}

/** @type {Promise<Agenda> | null} */
let agendaLoading = null;
/** @param {{ openedByHand?: boolean }} [options] */
function withAgenda(options = {}) {
  agendaLoading ??= import('/js/audience/agenda.js').then((m) => {
    const made = m.createAgenda(page, options);
    agenda = made;
    made.render();
    return made;
  });
  return agendaLoading;
}
// Opened by hand before its module came: the module arrives and draws it.
ui.agenda.addEventListener('toggle', () => { if (ui.agenda.open && !agenda) withAgenda({ openedByHand: true }); });

live.on('MyQuestionChanged', (question) => {
  const before = state.mine.get(question.id);
  state.applyMine(question);
  outbox.match([question]);
  if (before && before.status !== question.status && question.sessionId === sessionId) {
    if (['approved', 'dismissed', 'answered'].includes(question.status)) {
      announce(t(`announce.my.${question.status}`));
    }
  } else if (before && question.reply && before.reply !== question.reply && question.sessionId === sessionId) {
    announce(t('announce.my.replied'));
  }
});
live.on('SessionStatusChanged', (view) => {
  if (!event || !applySessionStatus(event, state, view)) {
    return;
  }
  storage.set(EVENT_CACHE_KEY, event);
  followRoom();
  renderAll();
});
// The phone answers its own taps at once; the room's bursts belong on the big screen, so here they are let pass.
live.on('ReactionsSent', () => {});
live.on('AnnouncementPosted', async (a) => (await withAnnouncements()).posted(a));
live.on('AnnouncementDeleted', (a) => announcements?.deleted(a));
// The organizer deleted the event: nothing of it is left to show or to send.
onEventDeleted(live, code, (error) => {
  showFatal(error);
});
live.on('MyVoteChanged', (vote) => {
  state.setMyVote(vote);
  polls?.myVoteChanged(vote);
});

// ------------------------------------------------------------ joining

async function rejoin() {
  const snapshot = await joinEvent(live, code, showFatal);
  if (!snapshot) {
    return;
  }
  setEvent(snapshot);
  const chosen = chooseSession();
  if (chosen) {
    await joinSession(chosen.id);
  }
}

/** The room the page follows (?room=), if that room exists. */
function followedRoom() {
  return following ? roomByKey(event, followKey) : null;
}

/** Following a room: its live session (else the next, else the last); otherwise the session chosen before. */
function chooseSession() {
  if (!event) {
    return null;
  }
  const room = followedRoom();
  const target = room && roomTarget(event, room.id);
  return target || pickSession(event.sessions, sessionId ?? params.get('session'), storage.getRaw(SESSION_KEY));
}

/** When the followed room moves on to another session (schedule or moderator), go with it and say so. */
function followRoom() {
  const room = followedRoom();
  const target = event && room && roomTarget(event, room.id);
  if (!room || !target || target.id === sessionId) {
    return;
  }
  followSwitched = { room: room.name, title: target.title, id: target.id };
  announce(t('follow.switched', { room: room.name, title: target.title }));
  switchSession(target.id, { auto: true });
}

/** Start (or stop, with null) following a room: the URL keeps ?room= so a reload follows it too. @param {string | null} key */
function setFollowing(key) {
  followKey = key || followKey;
  following = !!key;
  followSwitched = null;
  const url = new URL(location.href);
  if (following && followKey) {
    url.searchParams.set('room', followKey);
    url.searchParams.delete('session');
  } else {
    url.searchParams.delete('room');
  }
  history.replaceState(null, '', url);
}

/** @param {number} id */
async function joinSession(id) {
  sessionId = id;
  state.begin(id);
  renderAll();
  const r = await live.call('JoinSession', id, 'audience');
  if (id !== sessionId) {
    return;
  }
  if (!r.ok) {
    if (r.error && r.error.messageKey === 'error.not_found.session') {
      const fallback = event && pickSession(event.sessions.filter((s) => s.id !== id));
      if (fallback) {
        await joinSession(fallback.id);
        return;
      }
    }
    throw r.error;
  }
  showingCached = false;
  state.load(r.value);
  outbox.match(r.value.mine || []);
  polls?.matchVotes(r.value.myVotes || []);
}

/** @param {number} id */
async function switchSession(id, { auto = false } = {}) {
  if (!auto && following) {
    // A session picked by hand: the page stops following the room (the note offers to follow it again).
    setFollowing(null);
  }
  if (id === sessionId) {
    renderAll();
    return;
  }
  const old = sessionId;
  rememberSession(SESSION_KEY, id, { inUrl: !following });
  await changeSession(live, old, {
    join: () => joinSession(id),
    show: () => {
      sessionId = id;
      state.begin(id);
      renderAll();
    },
  });
}

/** @param {EventSnapshot} snapshot */
function setEvent(snapshot) {
  event = snapshot;
  applyLimits(snapshot);
  storage.set(EVENT_CACHE_KEY, snapshot);
  showEventName(snapshot);
  loadAnnouncements(snapshot.announcements || []);
  state.takeStatus(snapshot.sessions.find((s) => s.id === state.sessionId));
  scheduleEventRefresh();
  renderAll();
}

/** @param {EventSnapshot} event */
function showEventName(event) {
  document.title = `${event.name} · LiveHub`;
  ui.eventName.removeAttribute('data-i18n');
  ui.eventName.dir = 'auto';
  ui.eventName.textContent = event.name;
}

/** @param {import('../../types/protocol').AnnouncementView[]} list */
function loadAnnouncements(list) {
  if (list.length || announcements) {
    withAnnouncements().then((a) => { a.load(list); a.render(); });
  }
}

/** @type {ReturnType<typeof setTimeout> | undefined} */
let eventTimer;
/** A moderator's override is pushed (SessionStatusChanged); the schedule is not: read the agenda again at the next start or end. */
function scheduleEventRefresh() {
  clearTimeout(eventTimer);
  if (!event) {
    return;
  }
  eventTimer = setTimeout(async () => {
    const r = await live.request('JoinEvent', code);
    if (r.ok) {
      setEvent(r.value);
      followRoom();
    } else {
      scheduleEventRefresh();
    }
  }, untilAgendaChanges(event, 10 * 60 * 1000));
}

// ------------------------------------------------------------ state

function currentSession() {
  return state.session || (event && event.sessions.find((s) => s.id === sessionId)) || null;
}

function currentRoomId() {
  const session = currentSession();
  if (session) {
    return session.roomId;
  }
  const room = followedRoom();
  return room ? room.id : null;
}

/** @type {ReturnType<typeof setTimeout> | undefined} */
let saveTimer;
/** The session as last seen, kept on the device (at most once a second) for a reload without a network. */
function saveState() {
  if (!state.loaded || showingCached || saveTimer) {
    return;
  }
  saveTimer = setTimeout(() => {
    saveTimer = undefined;
    const questions = [...state.questions.values()].sort((a, b) => b.createdAt - a.createdAt).slice(0, 200);
    storage.set(STATE_CACHE_KEY, {
      session: state.session, version: state.version, questions, onScreenQuestionId: state.onScreenQuestionId,
      mine: [...state.mine.values()], myUpvotes: [...state.myUpvotes],
    });
  }, 1000);
}

/** @param {number} id */
function loadSavedState(id) {
  const saved = storage.get(STATE_CACHE_KEY);
  if (saved && saved.session && saved.session.id === id && Array.isArray(saved.questions)) {
    state.load({ ...saved, polls: [], results: [], myVotes: [] });
    showingCached = true;
  }
}

/** @param {import('/js/lib/session-state.js').StateChange} change */
function onStateChange(change) {
  saveState();
  if (change.kind === 'PollResultsChanged') {
    polls?.render();
    return;
  }
  if (polls) {
    polls.announceChange(change);
  } else if (change.kind === 'PollOpened') {
    // The session's first poll: its module comes now, and the poll still calls the person once it is drawn.
    ensurePolls().then(() => polls?.announceChange(change));
  }
  questions.announceChange(change);
  renderAll();
}

// ------------------------------------------------------------ rendering

/** @param {{ messageKey?: string } | null} error */
function showFatal(error) {
  ui.app.hidden = true;
  ui.fatal.hidden = false;
  ui.fatal.replaceChildren(...fatalNotice(error));
}

/** The polls module comes with the first poll: a session without one never loads it. */
async function ensurePolls() {
  const any = [...state.polls.values()].some((p) => p.sessionId === sessionId && p.status !== 'draft');
  if (!polls && (any || ensurePolls.cached)) {
    ensurePolls.cached = false;
    const [module] = await Promise.all([import('/js/audience/polls.js'), loadStyles(['css/results.css', 'css/audience-polls.css'])]);
    polls ??= module.createPolls(page); // a second caller finds it made while it waited
    polls.render();
  }
}
ensurePolls.cached = false;

function renderAll() {
  if (!event) {
    return;
  }
  ui.stale.hidden = !showingCached || live.isConnected();
  ui.agenda.hidden = !event.sessions.length;
  const current = currentSession();
  if (agenda) {
    agenda.render();
  } else if (following || followKey || (homeMode && !(current && current.status === 'live'))) {
    withAgenda();
  }
  announcements?.render();
  renderSession();
  reactions.render();
  ask.render();
  questions.render();
  if (polls) {
    polls.render();
  } else {
    ensurePolls();
  }
}

function renderSession() {
  if (!event) {
    return;
  }
  renderSessionPicker(ui.select, ui.summary, event, sessionId, currentSession());
}

ui.select.addEventListener('change', () => switchSession(Number(ui.select.value)));
onLanguageChange(() => {
  polls?.languageChanged();
  renderAll();
});
live.onStatus(() => {
  ui.stale.hidden = !showingCached || live.isConnected();
  ask.renderMine();
  polls?.render();
});
startRelativeTimeTicker();

// Installable, and openable under dead Wi-Fi (browsers allow a service worker on secure pages only).
if ('serviceWorker' in navigator) {
  navigator.serviceWorker.register('/sw.js').catch(() => {});
  // What this first visit loaded before the worker was there goes into its cache now: the page and its files.
  navigator.serviceWorker.ready.then(async () => {
    const files = performance.getEntriesByType('resource').map((r) => r.name)
      .filter((url) => new URL(url).origin === location.origin && /\.[a-z0-9]{10}\.(js|css|svg)$/.test(new URL(url).pathname));
    const cache = await caches.open('livehub-v1');
    await cache.add(location.pathname);
    await Promise.all(files.map((url) => cache.add(url).catch(() => {})));
  }).catch(() => {});
}

if (!code) {
  showFatal({ messageKey: 'error.not_found.event' });
} else {
  // On a bad network the page still opens with the agenda it saw last, and questions go to the outbox.
  const cached = storage.get(EVENT_CACHE_KEY);
  if (cached && Array.isArray(cached.sessions) && cached.code === code && !event) {
    /** @type {EventSnapshot} this device's copy of the snapshot */
    const snapshot = cached;
    event = snapshot;
    applyLimits(snapshot);
    showEventName(snapshot);
    loadAnnouncements(cached.announcements || []);
    const chosen = chooseSession();
    if (chosen && sessionId === null) {
      sessionId = chosen.id;
      state.begin(chosen.id);
      loadSavedState(chosen.id);
      ensurePolls.cached = storage.get(`lh.polls.${code}`)?.sessionId === chosen.id;
    }
    renderAll();
  }
}

