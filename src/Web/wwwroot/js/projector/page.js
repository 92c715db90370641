// @ts-check
// The room's big screen: join code, URL and QR always; then what the moderator chose to show: the question on screen
// with the top approved questions, a poll with its results, or a holding screen; over it announcements and the
// audience's reactions. Nobody touches it: it follows the live session (of its room with ?room=), keeps the display
// awake and recovers by itself. The screens live beside this module, each owning its own state; this one joins the
// event and the session it follows and tells them what to show.
import { applySessionStatus, roomByKey, roomTarget, untilAgendaChanges } from '/js/lib/agenda.js';
import { bindStatus, connect } from '/js/lib/connection.js';
import { $ } from '/js/lib/dom.js';
import { eventCodeFromPath, joinEvent, onEventDeleted } from '/js/lib/event.js';
import { followSessionState, SessionState } from '/js/lib/session-state.js';
import { storage } from '/js/lib/storage.js';
import { errorText, onLanguageChange } from '/js/lib/strings.js';
import { createAnnouncements } from '/js/projector/announcement.js';
import { createFreshness } from '/js/projector/freshness.js';
import { createJoinInfo } from '/js/projector/join.js';
import { startKioskCare } from '/js/projector/kiosk.js';
import { createPollScreen } from '/js/projector/poll.js';
import { createPresence } from '/js/projector/presence.js';
import { createQuestionScreen } from '/js/projector/questions.js';
import { createReactionFloats } from '/js/projector/reactions.js';

const code = eventCodeFromPath() || '';
const params = new URLSearchParams(location.search);
const pinnedSession = params.get('session');
// ?room= (a room's projector): always the session live in that room. ?session= pins one session and wins.
const followKey = pinnedSession ? null : params.get('room');
const EVENT_KEY = `lh.event.${code}`;

const ui = {
  proj: $('#proj'),
  fatal: $('#fatal'),
};

/** @type {any} the event snapshot (EventSnapshot) */
let event = null;
/** @type {number | null} */
let sessionId = null;
/** @type {ReturnType<typeof setTimeout> | undefined} */
let eventTimer;

const state = new SessionState({
  view: 'projector',
  resync: async (/** @type {number} */ id) => {
    const r = await live.call('JoinSession', id, 'projector');
    if (!r.ok) {
      throw r.error; // retried after the wait it names, if any
    }
    freshness.snapshotLoaded();
    return r.value;
  },
  onChange: (/** @type {{ kind: string, delta?: any, frame?: any }} */ change) => {
    // Results of a poll that is not on screen change nothing here.
    if (change.kind === 'PollResultsChanged' && !(state.projectorMode === 'poll' && change.frame.pollId === state.projectorPollId)) {
      return;
    }
    presence.stateChanged(change);
    render();
  },
});

const live = connect({ onConnected: rejoin });
const join = createJoinInfo(code);
const questions = createQuestionScreen({ state });
const poll = createPollScreen({ state, rerender: render });
const announcements = createAnnouncements({ getEvent: () => event, getRoomId: currentRoomId, onLayoutChange: questions.fit });
const reactions = createReactionFloats({ getEvent: () => event });
const presence = createPresence({ state, getSessionId: () => sessionId });
const freshness = createFreshness({ live });
bindStatus($('#conn'), live);
followSessionState(live, state);
live.on('SessionStatusChanged', (view) => {
  if (applySessionStatus(event, state, view)) {
    followLiveSession();
  }
});
live.on('AnnouncementPosted', (a) => {
  if (event && a.eventId === event.id) {
    announcements.posted(a);
  }
});
live.on('AnnouncementDeleted', (a) => announcements.deleted(a));
live.on('ReactionsSent', (delta) => {
  if (event && delta && delta.sessionId === sessionId) {
    reactions.burst(delta.counts || {});
  }
});
live.on('PresenceChanged', (delta) => {
  if (delta && delta.sessionId === sessionId) {
    presence.countChanged(delta.session);
  }
});

// The organizer deleted the event: the wall says so instead of its last questions.
onEventDeleted(live, code, (error) => {
  event = null;
  for (const section of ui.fatal.parentElement?.children || []) {
    if (section !== ui.fatal && section.tagName !== 'H1') {
      /** @type {HTMLElement} */ (section).hidden = true;
    }
  }
  // Its join address, QR code and code lead nowhere now.
  const side = /** @type {HTMLElement | null} */ (document.querySelector('.proj-side'));
  if (side) {
    side.hidden = true;
  }
  showFatal(error);
});

/** @param {any} error */
function showFatal(error) {
  ui.fatal.hidden = false;
  ui.fatal.textContent = errorText(error);
}

async function rejoin() {
  const snapshot = await joinEvent(live, code, showFatal);
  if (!snapshot) {
    return;
  }
  setEvent(snapshot);
  await joinSession(chooseSession().id);
}

function followedRoom() {
  return followKey ? roomByKey(event, followKey) : null;
}

/** ?session= pins a session; ?room= follows that room's live (else next, else last) session; otherwise the first live one. */
function chooseSession() {
  /** @type {any[]} */
  const sessions = event.sessions;
  const room = followedRoom();
  return (pinnedSession && sessions.find((s) => String(s.id) === pinnedSession))
    || (room && roomTarget(event, room.id))
    || sessions.find((s) => s.status === 'live')
    || (sessionId && sessions.find((s) => s.id === sessionId))
    || sessions[0];
}

/** After the agenda changed (a pushed status or a re-read at a schedule boundary): go where the screen should be. */
function followLiveSession() {
  const wanted = chooseSession();
  if (wanted && wanted.id !== sessionId && live.isConnected()) {
    joinSession(wanted.id).catch(() => {});
  } else {
    render();
  }
}

/** @param {number} id */
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
  freshness.snapshotLoaded();
  state.load(r.value);
  presence.loaded();
}

/** @param {any} snapshot */
function setEvent(snapshot) {
  event = snapshot;
  join.load(snapshot);
  announcements.load(snapshot.announcements);
  storage.set(EVENT_KEY, snapshot);
  document.title = `${event.name} · LiveHub`;
  // A moderator's override is pushed; the schedule is not: look at the agenda again at the next start or end.
  clearTimeout(eventTimer);
  eventTimer = setTimeout(async () => {
    const r = await live.request('JoinEvent', code);
    if (!r.ok) {
      setEvent(event);
      return;
    }
    setEvent(r.value);
    followLiveSession();
  }, untilAgendaChanges(event, 5 * 60 * 1000));
}

function currentSession() {
  return state.session || (event && event.sessions.find((/** @type {any} */ s) => s.id === sessionId));
}

/** The room whose announcements the wall shows: the session's, else the followed room's. */
function currentRoomId() {
  const session = currentSession();
  return session ? session.roomId : followedRoom()?.id ?? null;
}

function render() {
  if (!event) {
    return;
  }
  presence.render();
  announcements.render();
  const session = currentSession();
  const mode = state.loaded ? state.projectorMode : 'questions';
  ui.proj.dataset.mode = mode;
  join.renderIdle(mode === 'idle', session ? session.title : event.name, event.name);
  poll.render(mode === 'poll', session);
  if (mode === 'questions') {
    questions.render(session, followedRoom(), event.name);
  } else {
    questions.hide();
  }
}

onLanguageChange(() => {
  poll.languageChanged();
  render();
  freshness.render();
});
startKioskCare();

// Until the server answers, show the agenda seen last (the audience page keeps it) rather than a blank wall.
const cached = storage.get(EVENT_KEY);
if (cached && cached.code === code && Array.isArray(cached.sessions) && !event) {
  event = cached;
  sessionId = chooseSession()?.id ?? null;
  render();
}
freshness.render();
