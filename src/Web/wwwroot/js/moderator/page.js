// @ts-check
// The moderator's laptop: sign in with the event's passcode, then curate the queues (reply, label, merge duplicates),
// run the session's polls, drive the screen, watch head counts and reactions, post announcements, keep the
// profanity list and read the audit log. The parts live beside this module, each owning its own state; this one signs
// in, joins the event and the session, and wires the parts to the connection and the session's state.
import { applySessionStatus, renderSessionPicker, untilAgendaChanges } from '/js/lib/agenda.js';
import { api } from '/js/lib/api.js';
import { bindStatus, connect } from '/js/lib/connection.js';
import { $, append, toast } from '/js/lib/dom.js';
import { changeSession, eventCodeFromPath, joinEvent, onEventDeleted, pickSession, rememberSession } from '/js/lib/event.js';
import { applyLimits, clip, limits } from '/js/lib/limits.js';
import { followSessionState, SessionState } from '/js/lib/session-state.js';
import { storage } from '/js/lib/storage.js';
import { applyI18n, errorText, fatalNotice, languageSwitch, onLanguageChange, t } from '/js/lib/strings.js';
import { startRelativeTimeTicker } from '/js/lib/time.js';
import { createAnnouncements } from '/js/moderator/announcements.js';
import { createAudit } from '/js/moderator/audit.js';
import { createPollForm } from '/js/moderator/poll-form.js';
import { createPolls } from '/js/moderator/polls.js';
import { createProfanity } from '/js/moderator/profanity.js';
import { createQueue } from '/js/moderator/queue.js';
import { createReactionCounter } from '/js/moderator/reactions.js';
import { createScreen } from '/js/moderator/screen.js';
import { createSessionHeader } from '/js/moderator/session-header.js';

const code = eventCodeFromPath() || '';
const params = new URLSearchParams(location.search);
const SESSION_KEY = `lh.mod.session.${code}`;
const NAME_KEY = 'lh.mod.name';

const ui = {
  fatal: $('#fatal'),
  signin: $('#signin'),
  signinForm: $('#signin-form'),
  passcode: /** @type {HTMLInputElement} */ ($('#passcode')),
  signinError: $('#signin-error'),
  signinButton: /** @type {HTMLButtonElement} */ ($('#sign-in')),
  signout: $('#sign-out'),
  conn: $('#conn'),
  app: $('#app'),
  eventName: $('#event-name'),
  select: /** @type {HTMLSelectElement} */ ($('#session-select')),
  summary: $('#session-summary'),
  projector: /** @type {HTMLAnchorElement} */ ($('#projector-link')),
  name: /** @type {HTMLInputElement} */ ($('#moderator-name')),
};

/** @typedef {import('../../../types/protocol').EventSnapshot} EventSnapshot */
/** @typedef {import('/js/lib/connection.js').LiveErrorShape} LiveErrorShape */

/** @type {EventSnapshot | null} */
let event = null;
/** @type {number | null} */
let sessionId = null;
let signedIn = false;
/** @type {ReturnType<typeof setTimeout> | undefined} */
let eventTimer;

applyI18n();
append($('#tools'), languageSwitch());

const state = new SessionState({
  view: 'moderator',
  resync: async (/** @type {number} */ id) => {
    const r = await live.call('JoinSession', id, 'moderator');
    if (!r.ok) {
      throw r.error; // retried after the wait it names, if any
    }
    return r.value;
  },
  onChange: onStateChange,
});

// The moderator cookie rides on the WebSocket handshake, so the hub is started only once signed in.
const live = connect({ onConnected: rejoin, autoStart: false });
const announcements = createAnnouncements({ live, getEvent: () => event, failed, toastError });
const profanity = createProfanity({ live, getEvent: () => event, failed });
const pollForm = createPollForm({
  live, state, getSessionId: () => sessionId, failed, render, onOpen: () => polls.closeCopy(),
});
const polls = createPolls({
  live,
  state,
  getEvent: () => event,
  getSessionId: () => sessionId,
  isShowing: () => signedIn && !!event,
  toastFailure,
  render,
  editPoll: (poll) => pollForm.edit(poll),
  onPollsShown: (ids) => pollForm.pollsShown(ids),
});
const projectorControls = createScreen({ live, state, getSessionId: () => sessionId, toastFailure, render });
const header = createSessionHeader({
  live, state, code, getEvent: () => event, getSessionId: () => sessionId, failed, toastError, toastFailure, render,
});
const reactions = createReactionCounter({ getEvent: () => event, isShowing: () => signedIn && !!event });
const queue = createQueue({ live, state, getSessionId: () => sessionId, failed, toastError, render });
const audit = createAudit({ code, getEvent: () => event, getSessionId: () => sessionId, onRightsLost: lostModeratorRights });
bindStatus(ui.conn, live);
followSessionState(live, state);
live.on('SessionStatusChanged', (view) => {
  if (!event || !applySessionStatus(event, state, view)) {
    return;
  }
  render();
});
live.on('PresenceChanged', (delta) => {
  if (!event || delta.eventId !== event.id) {
    return;
  }
  header.presenceChanged(delta);
});
live.on('ReactionsSent', (delta) => {
  if (delta && delta.sessionId === sessionId) {
    reactions.sent(delta);
  }
});
live.on('AnnouncementPosted', (a) => {
  if (event && a.eventId === event.id) {
    announcements.posted(a);
  }
});
live.on('AnnouncementDeleted', (a) => announcements.deleted(a));
// The organizer rotated the passcode: the server took this connection out of the moderator groups; sign in again.
live.on('ModeratorRightsLost', (lost) => {
  if (event && lost.eventId === event.id) {
    lostModeratorRights(lost.error);
  }
});

// The organizer deleted the event, with every question, poll and log entry in it.
onEventDeleted(live, code, (error) => {
  event = null;
  showFatal(error);
});

// ------------------------------------------------------------ sign-in

async function checkSignIn() {
  const r = await api('GET', `/api/events/${encodeURIComponent(code)}/moderator/session`);
  if (!r.ok) {
    if (r.status === 404) {
      showFatal({ messageKey: 'error.not_found.event' });
      return;
    }
    // Cannot tell: offer the form; signing in will answer properly.
    showSignIn();
    showSignInError(r.error);
    return;
  }
  if (r.value && r.value.isModerator) {
    await enterApp();
  } else {
    showSignIn();
  }
}

function showSignIn() {
  signedIn = false;
  ui.signin.hidden = false;
  ui.app.hidden = true;
  ui.signout.hidden = true;
  ui.conn.hidden = true;
  ui.passcode.value = '';
  ui.name.value = storage.getRaw(NAME_KEY) || '';
  ui.passcode.focus();
}

/** @typedef {{ messageKey?: string, retryAfterSeconds?: number | null } | null | undefined} SignInError */
/** @type {SignInError} */
let signinError = null;

/** @param {SignInError} error */
function showSignInError(error) {
  signinError = error;
  ui.signinError.textContent = error ? errorText(error) : '';
  ui.signinError.hidden = !error;
  ui.passcode.setAttribute('aria-invalid', error && error.messageKey === 'error.wrong_passcode' ? 'true' : 'false');
}

async function enterApp() {
  signedIn = true;
  ui.signin.hidden = true;
  ui.app.hidden = false;
  ui.signout.hidden = false;
  ui.conn.hidden = false;
  if (live.isConnected()) {
    // Connected before this sign-in: reconnect so the handshake carries the new cookie.
    await live.stop();
  }
  live.start();
}

ui.signinForm.addEventListener('submit', async (/** @type {SubmitEvent} */ e) => {
  e.preventDefault();
  const passcode = ui.passcode.value.trim();
  if (!passcode) {
    showSignInError({ messageKey: 'error.wrong_passcode' });
    ui.passcode.focus();
    return;
  }
  ui.signinButton.disabled = true;
  // The name goes into the audit log beside each action; it is optional and kept on this laptop for next time.
  const typed = ui.name.value.trim();
  const name = limits.nameMaxLength ? clip(typed, limits.nameMaxLength) : typed;
  storage.setRaw(NAME_KEY, name);
  const r = await api('POST', `/api/events/${encodeURIComponent(code)}/moderator/session`, { passcode, name: name || null });
  ui.signinButton.disabled = false;
  if (r.ok && r.value && r.value.isModerator) {
    showSignInError(null);
    await enterApp();
    // The form that had the focus is gone: go on from the top of the moderator's screen.
    ui.select.focus();
    return;
  }
  showSignInError(r.error || { messageKey: 'error.wrong_passcode' });
  ui.passcode.select();
});

ui.signout.addEventListener('click', async () => {
  await api('DELETE', `/api/events/${encodeURIComponent(code)}/moderator/session`);
  await live.stop();
  state.begin(null);
  showSignIn();
  toast(t('mod.signed_out'));
});

/** The server no longer accepts this browser as a moderator (expired cookie, changed passcode). @param {SignInError} error */
async function lostModeratorRights(error) {
  await live.stop();
  showSignIn();
  showSignInError(error);
}

// ------------------------------------------------------------ joining

async function rejoin() {
  const snapshot = await joinEvent(live, code, showFatal);
  if (!snapshot) {
    return;
  }
  setEvent(snapshot);
  if (!snapshot.isModerator) {
    await lostModeratorRights({ messageKey: 'error.forbidden' });
    return;
  }
  const chosen = pickSession(snapshot.sessions, sessionId ?? params.get('session'), storage.getRaw(SESSION_KEY));
  if (chosen) {
    await joinSession(chosen.id);
  }
}

/** @param {number} id */
async function joinSession(id) {
  if (id !== sessionId) {
    queue.sessionChanged();
    reactions.sessionChanged();
    audit.sessionChanged();
    polls.sessionChanged();
    pollForm.reset();
  }
  sessionId = id;
  state.begin(id);
  render();
  const r = await live.call('JoinSession', id, 'moderator');
  if (id !== sessionId) {
    return;
  }
  if (!r.ok) {
    if (await failed(r)) {
      return;
    }
    throw r.error;
  }
  state.load(r.value);
  queue.loaded();
}

/** @param {number} id */
async function switchSession(id) {
  if (id === sessionId) {
    return;
  }
  const old = sessionId;
  rememberSession(SESSION_KEY, id);
  await changeSession(live, old, {
    join: () => joinSession(id),
    show: () => {
      sessionId = id;
      state.begin(id);
      render();
    },
  });
}

/** @param {EventSnapshot} snapshot */
function setEvent(snapshot) {
  event = snapshot;
  applyLimits(snapshot);
  header.load(snapshot);
  announcements.load(snapshot);
  profanity.load(snapshot);
  document.title = `${t('mod.title')} · ${snapshot.name}`;
  ui.eventName.removeAttribute('data-i18n');
  ui.eventName.textContent = snapshot.name;
  state.takeStatus(snapshot.sessions.find((s) => s.id === state.sessionId));
  clearTimeout(eventTimer);
  eventTimer = setTimeout(async () => {
    const r = await live.request('JoinEvent', code);
    if (r.ok) {
      setEvent(r.value);
      render();
    }
  }, untilAgendaChanges(snapshot, 10 * 60 * 1000));
}

// ------------------------------------------------------------ state changes

/** @param {import('/js/lib/session-state.js').StateChange} change */
function onStateChange(change) {
  if (change.kind === 'PollResultsChanged') {
    // Frames come several times a second: only the polls panel changes.
    polls.render();
    return;
  }
  queue.stateChanged(change);
  if (change.kind !== 'UpvotesChanged') {
    // A moderator's action (here or on another laptop) is a new log line.
    audit.actionTaken();
  }
  render();
}

/**
 * A failed tool call: lost rights send the moderator back to sign-in; anything else is said where it happened.
 * @param {{ error: LiveErrorShape }} r
 */
async function failed(r) {
  if (r.error && r.error.messageKey === 'error.forbidden') {
    await lostModeratorRights(r.error);
    return true;
  }
  return false;
}

/** A failed call said in a toast, unless lost rights sent the moderator back to sign-in. @param {{ error: LiveErrorShape }} r */
async function toastFailure(r) {
  if (!(await failed(r))) {
    toastError(r.error);
  }
}

/** @param {LiveErrorShape} error */
function toastError(error) {
  toast(errorText(error), { kind: 'error' });
}

ui.select.addEventListener('change', () => switchSession(Number(ui.select.value)));

// ------------------------------------------------------------ rendering

/** @param {{ messageKey?: string } | null} error */
function showFatal(error) {
  ui.signin.hidden = true;
  ui.app.hidden = true;
  ui.fatal.hidden = false;
  ui.fatal.replaceChildren(...fatalNotice(error));
}

function render() {
  if (!signedIn || !event) {
    return;
  }
  renderSessionPicker(ui.select, ui.summary, event, sessionId, state.session || event.sessions.find((s) => s.id === sessionId));
  ui.projector.href = `/e/${encodeURIComponent(code)}/projector${sessionId ? `?session=${sessionId}` : ''}`;
  header.render();
  reactions.render();
  announcements.render();
  audit.render();
  queue.render();
  projectorControls.render();
  polls.render();
  const pending = queue.pendingCount();
  document.title = `${pending ? `(${pending}) ` : ''}${t('mod.title')} · ${event.name}`;
}

onLanguageChange(() => {
  showSignInError(signinError);
  announcements.languageChanged();
  profanity.languageChanged();
  queue.languageChanged();
  polls.languageChanged();
  pollForm.render();
  render();
});
startRelativeTimeTicker();

if (!code) {
  showFatal({ messageKey: 'error.not_found.event' });
} else {
  checkSignIn();
}
