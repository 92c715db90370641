// The moderator's laptop: sign in with the event's passcode, then curate the queues (reply, label, merge duplicates),
// run the session's polls, drive the screen, watch head counts and reactions, post announcements, keep the
// profanity list and read the audit log.
import { applySessionStatus, applySessionView, fillSessionSelect, renderSessionPicker, roomById, untilAgendaChanges, upsertAnnouncement } from '/js/lib/agenda.js';
import { api } from '/js/lib/api.js';
import { bindStatus, connect } from '/js/lib/connection.js';
import { $, append, announce, el, reconcile, replace, toast, userText } from '/js/lib/dom.js';
import { changeSession, eventCodeFromPath, joinEvent, pickSession, rememberSession } from '/js/lib/event.js';
import { onEventDeleted } from '/js/lib/event-deleted.js';
import { applyLimits, clip, textLength, tooLong } from '/js/lib/limits.js';
import { replyBlock } from '/js/lib/question.js';
import { reactionIcon } from '/js/lib/reactions.js';
import { byNewest, byOldest, byPopular, followSessionState, SessionState } from '/js/lib/session-state.js';
import { storage } from '/js/lib/storage.js';
import { applyI18n, errorText, fatalNotice, getLanguage, languageSwitch, onLanguageChange, t } from '/js/lib/strings.js';
import { formatCountdown, formatTime, relativeTime, serverNow, startRelativeTimeTicker } from '/js/lib/time.js';
import { OPTION_KINDS, POLL_KINDS, secondsLeft } from '/js/polls/format.js';
import { createResultsView } from '/js/polls/results.js';
import { createAnnouncements } from '/js/moderator/announcements.js';
import { createAudit } from '/js/moderator/audit.js';
import { createPollForm } from '/js/moderator/poll-form.js';
import { createPolls } from '/js/moderator/polls.js';
import { createProfanity } from '/js/moderator/profanity.js';
import { createReactionCounter } from '/js/moderator/reactions.js';
import { createScreen } from '/js/moderator/screen.js';
import { createSessionHeader } from '/js/moderator/session-header.js';

const code = eventCodeFromPath();
const params = new URLSearchParams(location.search);
const SESSION_KEY = `lh.mod.session.${code}`;
const NAME_KEY = 'lh.mod.name';
const QUEUES = ['pending', 'approved', 'answered', 'dismissed', 'archived'];
const REPLY_MAX = 1000;
const LABELS_MAX = 5;
const LABEL_MAX = 30;

const ui = {
  fatal: $('#fatal'),
  signin: $('#signin'),
  signinForm: $('#signin-form'),
  passcode: $('#passcode'),
  signinError: $('#signin-error'),
  signinButton: $('#sign-in'),
  signout: $('#sign-out'),
  conn: $('#conn'),
  app: $('#app'),
  eventName: $('#event-name'),
  select: $('#session-select'),
  summary: $('#session-summary'),
  projector: $('#projector-link'),
  onScreen: $('#on-screen'),
  next: $('#next'),
  nextPreview: $('#next-preview'),
  tabs: $('#tabs'),
  hint: $('#queue-hint'),
  list: $('#queue-list'),
  empty: $('#queue-empty'),
  name: $('#moderator-name'),
  labelFilterBox: $('#label-filter-box'),
  labelFilter: $('#label-filter'),
};

let event = null;
let sessionId = null;
let queue = 'pending';
let editing = null; // { id, draft, error }
let signedIn = false;
let newPending = 0;
let newPendingTimer = null;
let seenPending = new Set();
let eventTimer = null;
let replying = null; // { id, draft, error }
let labeling = null; // { id, draft, error }
let merging = null; // { id, search }
let labelFilter = '';
const busy = new Set();

applyI18n();
append($('#tools'), languageSwitch());

const state = new SessionState({
  view: 'moderator',
  resync: async (id) => {
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
const audit = createAudit({ code, getEvent: () => event, getSessionId: () => sessionId, onRightsLost: lostModeratorRights });
bindStatus(ui.conn, live);
followSessionState(live, state);
live.on('SessionStatusChanged', (view) => {
  if (!applySessionStatus(event, state, view)) {
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
onEventDeleted(live, code || '', (error) => {
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

let signinError = null;

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

ui.signinForm.addEventListener('submit', async (e) => {
  e.preventDefault();
  const passcode = ui.passcode.value.trim();
  if (!passcode) {
    showSignInError({ messageKey: 'error.wrong_passcode' });
    ui.passcode.focus();
    return;
  }
  ui.signinButton.disabled = true;
  // The name goes into the audit log beside each action; it is optional and kept on this laptop for next time.
  const name = clip(ui.name.value.trim(), 60);
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

/** The server no longer accepts this browser as a moderator (expired cookie, changed passcode). */
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
  if (!event.isModerator) {
    await lostModeratorRights({ messageKey: 'error.forbidden' });
    return;
  }
  const chosen = pickSession(event.sessions, sessionId ?? params.get('session'), storage.getRaw(SESSION_KEY));
  if (chosen) {
    await joinSession(chosen.id);
  }
}

async function joinSession(id) {
  if (id !== sessionId) {
    closeEditors();
    labelFilter = '';
    reactions.sessionChanged();
    audit.sessionChanged();
    seenPending = new Set();
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
  const firstLoad = seenPending.size === 0;
  state.load(r.value);
  if (firstLoad) {
    seenPending = new Set([...state.questions.values()].filter((q) => q.status === 'pending').map((q) => q.id));
  }
}

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

function setEvent(snapshot) {
  event = snapshot;
  applyLimits(snapshot);
  header.load(snapshot);
  announcements.load(snapshot);
  profanity.load(snapshot);
  document.title = `${t('mod.title')} · ${event.name}`;
  ui.eventName.removeAttribute('data-i18n');
  ui.eventName.textContent = event.name;
  state.takeStatus(event.sessions.find((s) => s.id === state.sessionId));
  clearTimeout(eventTimer);
  eventTimer = setTimeout(async () => {
    const r = await live.request('JoinEvent', code);
    if (r.ok) {
      setEvent(r.value);
      render();
    }
  }, untilAgendaChanges(event, 10 * 60 * 1000));
}

// ------------------------------------------------------------ state changes

function onStateChange(change) {
  if (change.kind === 'PollResultsChanged') {
    // Frames come several times a second: only the polls panel changes.
    polls.render();
    return;
  }
  if (change.kind === 'QuestionAsked' && change.delta.question && change.delta.question.status === 'pending') {
    const id = change.delta.question.id;
    if (!seenPending.has(id)) {
      seenPending.add(id);
      newPending += 1;
      // Several questions in a burst make one announcement.
      clearTimeout(newPendingTimer);
      newPendingTimer = setTimeout(() => {
        announce(t('mod.new_pending', { count: newPending }));
        newPending = 0;
      }, 1500);
    }
  }
  for (const open of [editing, replying, labeling, merging]) {
    if (open && !state.questions.has(open.id)) {
      closeEditors();
    }
  }
  if (change.kind !== 'UpvotesChanged') {
    // A moderator's action (here or on another laptop) is a new log line.
    audit.actionTaken();
  }
  render();
}

// ------------------------------------------------------------ actions

const UNDO = { dismiss: 'restore', answer: 'restore', archive: 'restore' };

async function moderate(question, action, { quiet = false } = {}) {
  const previousOnScreen = state.onScreenQuestionId;
  const place = queuePlace(question.id);
  const r = await questionCall(question.id, 'ModerateQuestion', { sessionId, questionId: question.id, action }, toastError);
  if (!r) {
    return;
  }
  // Show the outcome now; the versioned delta that follows carries the same state.
  if (r.value && state.questions.has(r.value.id)) {
    state.questions.set(r.value.id, r.value);
  }
  if (action === 'show' && state.projectorMode !== 'questions') {
    // "Show on screen" means on the projector now, even if it was showing a poll or the holding screen.
    const shown = await live.request('SetProjector', { sessionId, mode: 'questions', pollId: null });
    if (shown.ok) {
      state.projectorMode = shown.value.mode;
      state.projectorPollId = shown.value.pollId ?? null;
    }
  }
  render();
  keepQueuePlace(place, action);
  if (quiet) {
    return;
  }
  let undo = null;
  if (UNDO[action]) {
    undo = () => moderate(r.value, UNDO[action], { quiet: true });
  } else if (action === 'show') {
    const previous = previousOnScreen && state.questions.get(previousOnScreen);
    undo = previous ? () => moderate(previous, 'show', { quiet: true }) : () => moderate(r.value, 'hide', { quiet: true });
  } else if (action === 'hide') {
    undo = () => moderate(r.value, 'show', { quiet: true });
  }
  toast(t(`done.${action}`), undo ? { action: { label: t('action.undo'), run: undo, testid: 'undo' } } : {});
}

async function saveEdit(question) {
  if (!editing || editing.id !== question.id) {
    return;
  }
  const text = editing.draft.trim();
  if (!text) {
    editing.error = { messageKey: 'error.text_empty' };
    render();
    return;
  }
  const r = await questionCall(question.id, 'EditQuestion', { sessionId, questionId: question.id, text }, (error) => {
    if (editing && editing.id === question.id) {
      editing.error = error;
    }
  });
  if (!r) {
    return;
  }
  editing = null;
  if (r.value && state.questions.has(r.value.id)) {
    state.questions.set(r.value.id, r.value);
  }
  render();
  focusIn(question.id, '[data-testid="action-edit"]');
  toast(t('done.edit'));
}

function startEdit(question) {
  closeEditors();
  editing = { id: question.id, draft: question.text, error: null };
  render();
  focusEditor(question.id, '[data-testid="edit-text"]');
}

function closeEditors() {
  editing = null;
  replying = null;
  labeling = null;
  merging = null;
}

/** A failed tool call: lost rights send the moderator back to sign-in; anything else is said where it happened. */
async function failed(r) {
  if (r.error && r.error.messageKey === 'error.forbidden') {
    await lostModeratorRights(r.error);
    return true;
  }
  return false;
}

/** A failed call said in a toast, unless lost rights sent the moderator back to sign-in. */
async function toastFailure(r) {
  if (!(await failed(r))) {
    toastError(r.error);
  }
}

function toastError(error) {
  toast(errorText(error), { kind: 'error' });
}

/**
 * One question's tool call, with its card busy meanwhile (a second call while it is busy is ignored). Resolves to
 * the result when it worked; a failure goes to onError (before the queue is drawn again) and resolves to null.
 */
async function questionCall(questionId, method, args, onError) {
  if (busy.has(questionId)) {
    return null;
  }
  busy.add(questionId);
  render();
  const r = await live.request(method, args);
  busy.delete(questionId);
  if (r.ok) {
    return r;
  }
  if (!(await failed(r))) {
    onError(r.error);
    render();
  }
  return null;
}

/** Where in the queue the focus is, when it is on this question's card: the card's position, else -1. */
function queuePlace(questionId) {
  const cards = [...ui.list.children];
  const index = cards.findIndex((c) => c.dataset.questionId === String(questionId));
  return index >= 0 && cards[index].contains(document.activeElement) ? index : -1;
}

/**
 * A card that left the queue (approved, dismissed…) or lost the pressed button took the keyboard focus with it: give it
 * to the same action on the card now in that place, else to that card's first button, else to the queue's tab.
 */
function keepQueuePlace(index, action) {
  if (index < 0 || (document.activeElement && document.activeElement !== document.body)) {
    return;
  }
  const card = ui.list.children[Math.min(index, ui.list.children.length - 1)];
  const target = card && (card.querySelector(`[data-testid="action-${action}"]`) || card.querySelector('button'));
  (target || ui.tabs.querySelector('[aria-selected="true"]'))?.focus();
}

function focusIn(questionId, selector) {
  document.querySelector(`#queue-list [data-question-id="${questionId}"] ${selector}`)?.focus();
}

/** Focuses a card's open editor with the caret after its text. */
function focusEditor(questionId, selector) {
  const box = document.querySelector(`#queue-list [data-question-id="${questionId}"] ${selector}`);
  if (box) {
    box.focus();
    box.setSelectionRange(box.value.length, box.value.length);
  }
}

function storeQuestion(view) {
  if (view && state.questions.has(view.id)) {
    state.questions.set(view.id, { ...state.questions.get(view.id), ...view });
  }
}

// ---- reply

function startReply(question) {
  closeEditors();
  replying = { id: question.id, draft: question.reply || '', error: null };
  render();
  focusEditor(question.id, '[data-testid="reply-text"]');
}

async function saveReply(question) {
  if (!replying || replying.id !== question.id || busy.has(question.id)) {
    return;
  }
  const text = replying.draft.trim();
  if (tooLong(text, REPLY_MAX)) {
    replying.error = { messageKey: 'error.text_too_long', max: REPLY_MAX };
    render();
    return;
  }
  const r = await questionCall(question.id, 'ReplyToQuestion', { sessionId, questionId: question.id, text }, (error) => {
    if (replying && replying.id === question.id) {
      replying.error = error;
    }
  });
  if (!r) {
    return;
  }
  replying = null;
  storeQuestion(r.value);
  render();
  focusIn(question.id, '[data-testid="action-reply"]');
  toast(t(text ? 'done.reply' : 'done.reply_removed'));
}

// ---- labels

function parseLabels(text) {
  const seen = new Set();
  const labels = [];
  for (const raw of text.split(',')) {
    const label = raw.trim();
    if (label && !seen.has(label.toLowerCase())) {
      seen.add(label.toLowerCase());
      labels.push(label);
    }
  }
  return labels;
}

function startLabels(question) {
  closeEditors();
  labeling = { id: question.id, draft: (question.labels || []).join(', '), error: null };
  render();
  focusEditor(question.id, '[data-testid="labels-input"]');
}

async function saveLabels(question) {
  if (!labeling || labeling.id !== question.id || busy.has(question.id)) {
    return;
  }
  const labels = parseLabels(labeling.draft);
  if (labels.length > LABELS_MAX || labels.some((l) => tooLong(l, LABEL_MAX))) {
    labeling.error = { messageKey: 'error.invalid.labels' };
    render();
    return;
  }
  const r = await questionCall(question.id, 'LabelQuestion', { sessionId, questionId: question.id, labels }, (error) => {
    if (labeling && labeling.id === question.id) {
      labeling.error = error;
    }
  });
  if (!r) {
    return;
  }
  labeling = null;
  storeQuestion(r.value);
  render();
  focusIn(question.id, '[data-testid="action-labels"]');
  toast(t('done.labels'));
}

function sessionLabels() {
  const all = new Map();
  for (const q of state.questions.values()) {
    for (const label of q.labels || []) {
      all.set(label.toLowerCase(), all.get(label.toLowerCase()) || label);
    }
  }
  return [...all.values()].sort((a, b) => a.localeCompare(b, getLanguage()));
}

function hasLabel(q, label) {
  return (q.labels || []).some((l) => l.toLowerCase() === label.toLowerCase());
}

function setLabelFilter(label) {
  labelFilter = label || '';
  render();
}

ui.labelFilter.addEventListener('change', () => setLabelFilter(ui.labelFilter.value));

// ---- merge

const MERGEABLE = ['pending', 'approved', 'answered'];

/** Questions the one being merged can go into: the session's other pending or public ones, found by text or number. */
function mergeCandidates(source, search) {
  const needle = search.trim().toLowerCase().replace(/^#/, '');
  return [...state.questions.values()]
    .filter((q) => q.id !== source.id && !q.mergedIntoId && MERGEABLE.includes(q.status))
    .filter((q) => !needle || q.text.toLowerCase().includes(needle) || String(q.id) === needle
      || (q.authorName || '').toLowerCase().includes(needle))
    .sort((a, b) => (a.status === 'pending') - (b.status === 'pending') || byPopular(a, b))
    .slice(0, 30);
}

function startMerge(question) {
  closeEditors();
  merging = { id: question.id, search: '' };
  render();
  focusIn(question.id, '[data-testid="merge-search"]');
}

async function mergeInto(source, target) {
  const r = await questionCall(source.id, 'MergeQuestions', { sessionId, sourceId: source.id, targetId: target.id }, toastError);
  if (!r) {
    return;
  }
  merging = null;
  storeQuestion(r.value);
  const src = state.questions.get(source.id);
  if (src) {
    state.questions.set(source.id, { ...src, status: 'archived', mergedIntoId: target.id });
  }
  render();
  toast(t('done.merge', { id: target.id }));
  ui.tabs.querySelector('[aria-selected="true"]')?.focus();
}

ui.next.addEventListener('click', () => {
  const next = nextQuestion();
  if (next) {
    moderate(next, 'show');
  }
});

ui.select.addEventListener('change', () => switchSession(Number(ui.select.value)));

ui.tabs.addEventListener('keydown', (e) => {
  const index = QUEUES.indexOf(e.target.closest('[data-queue]')?.dataset.queue || queue);
  let target = null;
  if (e.key === 'ArrowRight') target = QUEUES[(index + 1) % QUEUES.length];
  if (e.key === 'ArrowLeft') target = QUEUES[(index + QUEUES.length - 1) % QUEUES.length];
  if (e.key === 'Home') target = QUEUES[0];
  if (e.key === 'End') target = QUEUES[QUEUES.length - 1];
  if (target) {
    e.preventDefault();
    queue = target;
    render();
    ui.tabs.querySelector(`[data-queue="${target}"]`).focus();
  }
});

// ------------------------------------------------------------ rendering

function showFatal(error) {
  ui.signin.hidden = true;
  ui.app.hidden = true;
  ui.fatal.hidden = false;
  ui.fatal.replaceChildren(...fatalNotice(error));
}

function nextQuestion() {
  return [...state.questions.values()]
    .filter((q) => q.status === 'approved' && q.id !== state.onScreenQuestionId)
    .sort(byPopular)[0] || null;
}

function sorted(status) {
  const list = [...state.questions.values()].filter((q) => q.status === status);
  if (status === 'pending') return list.sort(byOldest);
  if (status === 'approved') return list.sort(byPopular);
  if (status === 'answered') return list.sort((a, b) => (b.answeredAt || 0) - (a.answeredAt || 0) || byNewest(a, b));
  return list.sort(byNewest);
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
  renderOnScreen();
  renderTabs();
  renderQueue();
  projectorControls.render();
  polls.render();
  const pending = sorted('pending').length;
  document.title = `${pending ? `(${pending}) ` : ''}${t('mod.title')} · ${event.name}`;
}

function renderOnScreen() {
  const q = state.onScreenQuestionId ? state.questions.get(state.onScreenQuestionId) : null;
  ui.onScreen.classList.toggle('is-empty', !q);
  if (q) {
    ui.onScreen.dataset.questionId = String(q.id);
  } else {
    delete ui.onScreen.dataset.questionId;
  }
  const sig = JSON.stringify([getLanguage(), q && [q.id, q.text, q.authorName, q.upvotes, q.status, q.reply], q && busy.has(q.id)]);
  if (ui.onScreen._sig !== sig) {
    ui.onScreen._sig = sig;
    const focused = ui.onScreen.contains(document.activeElement) ? document.activeElement.dataset.testid : null;
    replace(ui.onScreen, ...(q
      ? [
        el('p', { class: 'q-text' }, [userText(q.text)]),
        replyBlock(q.reply),
        el('p', { class: 'q-meta' }, [
          el('span', { class: 'q-id', text: `#${q.id}` }),
          el('span', { class: 'author' }, [q.authorName ? userText(q.authorName) : t('question.anonymous')]),
          el('span', { text: t('question.upvotes', { count: q.upvotes }) }),
        ]),
        el('div', { class: 'q-actions mine-actions' }, [
          actionButton(q, 'hide', 'btn-primary'),
          el('button', {
            class: 'btn btn-ok',
            text: t('action.answer'),
            attrs: { type: 'button', 'data-testid': 'on-screen-answer', 'aria-disabled': busy.has(q.id) ? 'true' : null },
            on: { click: () => moderate(q, 'answer') },
          }),
        ]),
      ]
      : [el('p', { text: t('mod.on_screen.none') })]));
    if (focused) {
      ui.onScreen.querySelector(`[data-testid="${focused}"]`)?.focus();
    }
  }
  const next = nextQuestion();
  ui.next.setAttribute('aria-disabled', next ? 'false' : 'true');
  ui.nextPreview.textContent = next ? t('mod.next.preview', { text: next.text }) : t('mod.next.none');
}

function renderTabs() {
  if (!ui.tabs.children.length) {
    for (const name of QUEUES) {
      ui.tabs.append(el('button', {
        class: 'tab',
        attrs: { type: 'button', role: 'tab', id: `tab-${name}`, 'aria-controls': 'queue-panel', 'data-testid': `queue-${name}`, 'data-queue': name },
        on: { click: () => { queue = name; render(); } },
      }));
    }
  }
  for (const button of ui.tabs.children) {
    const name = button.dataset.queue;
    const count = sorted(name).length;
    const selected = name === queue;
    button.setAttribute('aria-selected', selected ? 'true' : 'false');
    button.tabIndex = selected ? 0 : -1;
    button.dataset.count = String(count);
    button.classList.toggle('has-new', name === 'pending' && count > 0 && !selected);
    button.replaceChildren(el('span', { text: t(`queue.${name}`) }), el('span', { class: 'count', text: String(count) }));
  }
  $('#queue-panel').setAttribute('aria-labelledby', `tab-${queue}`);
}

function renderLabelFilter() {
  const labels = sessionLabels();
  if (labelFilter && !labels.some((l) => l.toLowerCase() === labelFilter.toLowerCase())) {
    labelFilter = '';
  }
  ui.labelFilterBox.hidden = labels.length === 0;
  const sig = JSON.stringify([getLanguage(), labels, labelFilter]);
  if (ui.labelFilter._sig === sig) {
    return;
  }
  ui.labelFilter._sig = sig;
  ui.labelFilter.replaceChildren(
    el('option', { text: t('mod.labels.all'), attrs: { value: '' } }),
    ...labels.map((l) => el('option', { text: l, attrs: { value: l, selected: labelFilter.toLowerCase() === l.toLowerCase() } })),
  );
  ui.labelFilter.value = labels.find((l) => l.toLowerCase() === labelFilter.toLowerCase()) || '';
}

function renderQueue() {
  renderLabelFilter();
  const all = sorted(queue);
  const items = labelFilter ? all.filter((q) => hasLabel(q, labelFilter)) : all;
  const order = queue === 'pending' ? t('queue.order.pending') : queue === 'approved' ? t('queue.order.approved') : '';
  ui.hint.textContent = [labelFilter ? t('mod.labels.filtered', { label: labelFilter, count: items.length, total: all.length }) : null, order]
    .filter(Boolean).join(' ');
  ui.hint.hidden = !ui.hint.textContent;
  reconcile(ui.list, items, { key: (q) => q.id, sig: cardSig, build: card });
  ui.empty.hidden = items.length > 0 || !state.loaded;
}

function actionButton(q, action, style = '') {
  return el('button', {
    class: ['btn', style],
    text: t(`action.${action}`),
    attrs: { type: 'button', 'data-testid': `action-${action}`, 'aria-disabled': busy.has(q.id) ? 'true' : null },
    on: {
      click: (e) => {
        if (e.currentTarget.getAttribute('aria-disabled') !== 'true') {
          moderate(q, action);
        }
      },
    },
  });
}

const ACTIONS = {
  pending: ['approve', 'dismiss', 'show', 'archive'],
  approved: ['show', 'answer', 'dismiss', 'archive'],
  answered: ['restore', 'show', 'archive'],
  dismissed: ['restore', 'archive'],
  archived: ['restore'],
};
const TOOLS = {
  pending: ['edit', 'reply', 'labels', 'merge'],
  approved: ['edit', 'reply', 'labels', 'merge'],
  answered: ['edit', 'reply', 'labels', 'merge'],
  dismissed: ['edit', 'labels'],
  archived: ['edit', 'labels'],
};
const STYLE = { approve: 'btn-primary', dismiss: 'btn-danger', show: '', answer: 'btn-ok', restore: 'btn-primary' };
const START = { edit: startEdit, reply: startReply, labels: startLabels, merge: startMerge };

function toolButton(q, tool, open) {
  return el('button', {
    class: ['btn', 'btn-small', open && 'is-open'],
    text: t(`action.${tool}`),
    attrs: {
      type: 'button',
      'data-testid': `action-${tool}`,
      'aria-expanded': tool === 'edit' ? null : (open ? 'true' : 'false'),
      'aria-disabled': busy.has(q.id) ? 'true' : null,
    },
    on: {
      click: (e) => {
        if (e.currentTarget.getAttribute('aria-disabled') === 'true') {
          return;
        }
        if (open) {
          cancelTool(q, tool);
        } else {
          START[tool](q);
        }
      },
    },
  });
}

function editorKeys(onSave, onCancel) {
  return (e) => {
    if (e.key === 'Escape') {
      e.preventDefault();
      onCancel();
    }
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey || e.target.tagName === 'INPUT')) {
      e.preventDefault();
      onSave();
    }
  };
}

function cancelTool(q, tool) {
  closeEditors();
  render();
  focusIn(q.id, `[data-testid="action-${tool}"]`);
}

function replyEditor(q) {
  const id = `reply-${q.id}`;
  const cancel = () => cancelTool(q, 'reply');
  return el('div', { class: 'tool-box reply-box' }, [
    el('label', { attrs: { for: id }, text: t(q.status === 'pending' ? 'mod.reply.label_pending' : 'mod.reply.label') }),
    el('textarea', {
      attrs: { id, rows: 3, 'data-testid': 'reply-text', 'data-fk': 'reply-text', 'aria-describedby': `${id}-hint` },
      props: { value: replying.draft },
      on: { input: (e) => { replying.draft = e.target.value; }, keydown: editorKeys(() => saveReply(q), cancel) },
    }),
    el('p', { class: 'hint', attrs: { id: `${id}-hint` }, text: t('mod.reply.hint', { max: REPLY_MAX }) }),
    replying.error ? el('p', { class: 'field-error', attrs: { role: 'alert' }, text: errorText(replying.error, { max: REPLY_MAX }) }) : null,
    el('div', { class: 'form-actions' }, [
      el('button', { class: 'btn btn-primary', text: t('mod.reply.save'), attrs: { type: 'button', 'data-testid': 'reply-save' }, on: { click: () => saveReply(q) } }),
      el('button', { class: 'btn', text: t('action.cancel'), attrs: { type: 'button', 'data-testid': 'reply-cancel' }, on: { click: cancel } }),
    ]),
  ]);
}

function labelsEditor(q) {
  const id = `labels-${q.id}`;
  const cancel = () => cancelTool(q, 'labels');
  return el('div', { class: 'tool-box labels-box' }, [
    el('label', { attrs: { for: id }, text: t('mod.labels.label') }),
    el('input', {
      attrs: { id, type: 'text', 'data-testid': 'labels-input', 'data-fk': 'labels-input', autocomplete: 'off', 'aria-describedby': `${id}-hint` },
      props: { value: labeling.draft },
      on: { input: (e) => { labeling.draft = e.target.value; }, keydown: editorKeys(() => saveLabels(q), cancel) },
    }),
    el('p', { class: 'hint', attrs: { id: `${id}-hint` }, text: t('mod.labels.hint', { count: LABELS_MAX, max: LABEL_MAX }) }),
    labeling.error ? el('p', { class: 'field-error', attrs: { role: 'alert' }, text: errorText(labeling.error) }) : null,
    el('div', { class: 'form-actions' }, [
      el('button', { class: 'btn btn-primary', text: t('mod.labels.save'), attrs: { type: 'button', 'data-testid': 'labels-save' }, on: { click: () => saveLabels(q) } }),
      el('button', { class: 'btn', text: t('action.cancel'), attrs: { type: 'button', 'data-testid': 'labels-cancel' }, on: { click: cancel } }),
    ]),
  ]);
}

function mergePicker(q) {
  const id = `merge-${q.id}`;
  const candidates = mergeCandidates(q, merging.search);
  return el('div', { class: 'tool-box merge-box', attrs: { role: 'group', 'aria-labelledby': `${id}-title` } }, [
    el('p', { class: 'merge-title', attrs: { id: `${id}-title` }, text: t('mod.merge.title', { id: q.id }) }),
    el('p', { class: 'hint', text: t('mod.merge.hint') }),
    el('label', { attrs: { for: id }, text: t('mod.merge.search') }),
    el('input', {
      attrs: { id, type: 'search', 'data-testid': 'merge-search', 'data-fk': 'merge-search', autocomplete: 'off' },
      props: { value: merging.search },
      on: {
        input: (e) => { merging.search = e.target.value; render(); },
        keydown: (e) => { if (e.key === 'Escape') { e.preventDefault(); cancelTool(q, 'merge'); } },
      },
    }),
    candidates.length
      ? el('ul', { class: 'merge-list' }, candidates.map((c) => el('li', {}, [el('button', {
        class: 'merge-target',
        attrs: { type: 'button', 'data-testid': 'merge-target', 'data-question-id': c.id, 'data-fk': `merge-${c.id}` },
        on: { click: () => mergeInto(q, c) },
      }, [
        el('span', { class: 'merge-target-head' }, [
          el('span', { class: 'q-id', text: `#${c.id}` }),
          el('span', { class: ['badge', `badge-${c.status}`], text: t(`queue.${c.status}`) }),
          el('span', { class: 'merge-votes', text: t('question.upvotes', { count: c.upvotes }) }),
        ]),
        el('span', { class: 'merge-target-text' }, [userText(c.text)]),
      ])])))
      : el('p', { class: 'empty merge-empty', text: t('mod.merge.none') }),
    el('div', { class: 'form-actions' }, [
      el('button', { class: 'btn', text: t('action.cancel'), attrs: { type: 'button', 'data-testid': 'merge-cancel' }, on: { click: () => cancelTool(q, 'merge') } }),
    ]),
  ]);
}

/** The questions merged into this one (moderators see them under their target). */
function mergedInto(q) {
  return [...state.questions.values()].filter((x) => x.mergedIntoId === q.id).sort(byOldest);
}

function card(q) {
  const onScreen = q.id === state.onScreenQuestionId;
  const isEditing = editing && editing.id === q.id;
  const body = [];
  body.push(el('div', { class: 'q-badges' }, [
    onScreen ? el('span', { class: 'badge badge-on-screen', text: t('badge.on_screen') }) : null,
    q.flagged && q.status === 'pending'
      ? el('span', { class: 'badge badge-flagged', attrs: { 'data-testid': 'flagged-badge', title: t('mod.flagged_hint') } }, [
        el('span', { attrs: { 'aria-hidden': 'true' }, text: '⚠ ' }), t('mod.flagged'),
      ])
      : null,
    ...(q.labels || []).map((label) => el('button', {
      class: 'label-chip',
      attrs: {
        type: 'button',
        'data-testid': 'label-chip',
        'data-label': label,
        'data-fk': `chip-${label}`,
        'aria-pressed': labelFilter && labelFilter.toLowerCase() === label.toLowerCase() ? 'true' : 'false',
        'aria-label': t('mod.labels.chip', { label }),
      },
      on: { click: () => setLabelFilter(labelFilter.toLowerCase() === label.toLowerCase() ? '' : label) },
    }, [userText(label)])),
  ]));
  if (isEditing) {
    const box = el('textarea', {
      attrs: { 'data-testid': 'edit-text', 'aria-label': t('mod.edit_label'), rows: 4 },
      props: { value: editing.draft },
      on: {
        input: (e) => { editing.draft = e.target.value; },
        keydown: (e) => {
          if (e.key === 'Escape') { editing = null; render(); }
          if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) { e.preventDefault(); saveEdit(q); }
        },
      },
    });
    body.push(el('div', { class: 'edit-box' }, [
      box,
      editing.error ? el('p', { class: 'field-error', attrs: { role: 'alert' }, text: errorText(editing.error) }) : null,
    ]));
  } else {
    body.push(el('p', { class: 'q-text' }, [userText(q.text)]));
  }
  if (!(replying && replying.id === q.id)) {
    body.push(replyBlock(q.reply));
  }
  body.push(el('div', { class: 'q-meta' }, [
    el('span', { class: 'q-id', text: `#${q.id}` }),
    el('span', { attrs: { 'aria-hidden': 'true' }, text: '·' }),
    el('span', { class: 'author' }, [q.authorName ? userText(q.authorName) : t('question.anonymous')]),
    el('span', { attrs: { 'aria-hidden': 'true' }, text: '·' }),
    el('time', { text: relativeTime(q.createdAt), data: { ts: q.createdAt }, attrs: { datetime: new Date(q.createdAt).toISOString() } }),
    el('span', { attrs: { 'aria-hidden': 'true' }, text: '·' }),
    el('span', { text: t('question.upvotes', { count: q.upvotes }) }),
  ]));
  if (q.mergedIntoId) {
    body.push(el('p', {
      class: 'merged-note',
      attrs: { 'data-testid': 'merged-note', 'data-kind': 'source', 'data-target-id': q.mergedIntoId },
      text: t('mod.merged_into', { id: q.mergedIntoId }),
    }));
  }
  const sources = mergedInto(q);
  if (sources.length) {
    body.push(el('div', { class: 'merged-sources' }, [
      el('p', {
        class: 'merged-note',
        attrs: { 'data-testid': 'merged-note', 'data-kind': 'target' },
        text: t('mod.merged_count', { count: sources.length }),
      }),
      el('ul', { class: 'merged-list' }, sources.map((x) => el('li', { class: 'merged-source', attrs: { 'data-question-id': x.id } }, [
        el('span', { class: 'q-id', text: `#${x.id}` }), ' ', userText(x.text), ' ',
        el('span', { class: 'author' }, ['— ', x.authorName ? userText(x.authorName) : t('question.anonymous')]),
      ]))),
    ]));
  }
  if (isEditing) {
    body.push(el('div', { class: 'q-actions' }, [
      el('button', { class: 'btn btn-primary', text: t('action.save'), attrs: { type: 'button', 'data-testid': 'action-save' }, on: { click: () => saveEdit(q) } }),
      el('button', { class: 'btn', text: t('action.cancel'), attrs: { type: 'button', 'data-testid': 'action-cancel' }, on: { click: () => { editing = null; render(); } } }),
    ]));
  } else {
    // The question on screen is taken down from the "on screen" panel, so each control exists once. A merged
    // duplicate stays archived: its votes already went to the target.
    const actions = ACTIONS[q.status].filter((a) => !(onScreen && a === 'show') && !(q.mergedIntoId && a === 'restore'));
    const tools = TOOLS[q.status].filter((a) => !(q.mergedIntoId && a === 'merge'));
    body.push(el('div', { class: 'q-actions' }, actions.map((a) => actionButton(q, a, STYLE[a]))));
    body.push(el('div', { class: 'q-tools' }, tools.map((a) => toolButton(q, a,
      (a === 'reply' && replying && replying.id === q.id) || (a === 'labels' && labeling && labeling.id === q.id)
      || (a === 'merge' && merging && merging.id === q.id)))));
  }
  if (replying && replying.id === q.id) {
    body.push(replyEditor(q));
  }
  if (labeling && labeling.id === q.id) {
    body.push(labelsEditor(q));
  }
  if (merging && merging.id === q.id) {
    body.push(mergePicker(q));
  }
  return el('li', {
    class: ['q-card', 'mod-card', onScreen && 'is-on-screen', busy.has(q.id) && 'is-busy', q.flagged && q.status === 'pending' && 'is-flagged'],
    attrs: {
      'data-testid': 'mod-question',
      'data-question-id': q.id,
      'data-status': q.status,
      'data-flagged': q.flagged ? 'true' : null,
      'data-merged-into': q.mergedIntoId || null,
      'aria-busy': busy.has(q.id) ? 'true' : null,
    },
  }, body);
}

function cardSig(q) {
  const sources = mergedInto(q).map((x) => [x.id, x.text, x.authorName]);
  return JSON.stringify([getLanguage(), q.text, q.authorName, q.upvotes, q.status, q.reply, q.labels, q.flagged, q.mergedIntoId,
    sources, q.id === state.onScreenQuestionId, busy.has(q.id), labelFilter,
    editing && editing.id === q.id && [editing.error && editing.error.messageKey],
    replying && replying.id === q.id && [replying.error && replying.error.messageKey],
    labeling && labeling.id === q.id && [labeling.error && labeling.error.messageKey],
    merging && merging.id === q.id && [merging.search, mergeCandidates(q, merging.search).map((c) => [c.id, c.status, c.upvotes, c.text])]]);
}

onLanguageChange(() => {
  showSignInError(signinError);
  announcements.languageChanged();
  profanity.languageChanged();
  ui.onScreen._sig = null;
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
