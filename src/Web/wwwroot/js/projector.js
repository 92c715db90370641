// The room's big screen: join code, URL and QR always; then what the moderator chose to show: the question on screen
// with the top approved questions, a poll with its results, or a holding screen; over it announcements and the
// audience's reactions. Nobody touches it: it follows the live session (of its room with ?room=), keeps the display
// awake and recovers by itself.
import { ANNOUNCEMENT_FRESH_MS, applySessionStatus, relevantAnnouncements, roomById, roomByKey, roomTarget, untilAgendaChanges, upsertAnnouncement } from '/js/lib/agenda.js';
import { api } from '/js/lib/api.js';
import { bindStatus, connect } from '/js/lib/connection.js';
import { $, el, replace, userText } from '/js/lib/dom.js';
import { eventCodeFromPath, joinEvent } from '/js/lib/event.js';
import { onEventDeleted } from '/js/lib/event-deleted.js';
import { byNewest, byPopular, followSessionState, SessionState } from '/js/lib/session-state.js';
import { storage } from '/js/lib/storage.js';
import { errorText, formatNumber, getLanguage, onLanguageChange, t } from '/js/lib/strings.js';
import { limits } from '/js/lib/limits.js';
import { fitsWhole, fitText } from '/js/lib/fit.js';
import { reactionIcon } from '/js/lib/reactions.js';
import { formatCountdown, relativeTime, serverNow } from '/js/lib/time.js';
import { OPTION_KINDS, secondsLeft } from '/js/polls/format.js';
import { countText, createResultsView } from '/js/polls/results.js';

const code = eventCodeFromPath();
const params = new URLSearchParams(location.search);
const pinnedSession = params.get('session');
// ?room= (a room's projector): always the session live in that room. ?session= pins one session and wins.
const followKey = pinnedSession ? null : params.get('room');
const TOP = 5;
const BANNER_MS = 20000; // a new announcement fills the screen this long, then stays as a ticker
const MAX_BURST = 30; // emoji floated per reaction burst, however many came
const MAX_FLOATING = 90; // emoji on screen at once: a kiosk browser must not drown in nodes
// Layout choices, not input limits: a longer poll question is set smaller, more options take two columns.
const LONG_QUESTION = 120;
const ONE_COLUMN_OPTIONS = 6;
const DEFAULT_REACTIONS = { clap: '👏', heart: '❤️', laugh: '😂', wow: '😮', think: '🤔', up: '👍' };

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
  joinWarning: $('#join-warning'),
  qr: $('#qr'),
  code: $('#join-code'),
  fresh: $('#fresh'),
  main: $('#main'),
  poll: $('#poll'),
  pollWaiting: $('#poll-waiting'),
  pollWaitingTitle: $('#poll-waiting-title'),
  idle: $('#idle'),
  idleTitle: $('#idle-title'),
  idleEvent: $('#idle-event'),
  idleUrl: $('#idle-url'),
  idleCode: $('#idle-code'),
  reactions: $('#reactions'),
  announcement: $('#announcement'),
  presence: $('#presence'),
  wakeNotice: $('#wake-notice'),
  heading: $('#proj-heading'),
};

let event = null;
let sessionId = null;
let lastSnapshotAt = 0;
let eventTimer = null;
let announcements = [];
let bannerTimer = null;

ui.code.textContent = code || '';
ui.qr.src = `/api/events/${encodeURIComponent(code)}/qr.svg`;
ui.idleCode.textContent = code || '';

const state = new SessionState({
  view: 'projector',
  resync: async (id) => {
    const r = await live.call('JoinSession', id, 'projector');
    if (!r.ok) {
      throw r.error; // retried after the wait it names, if any
    }
    lastSnapshotAt = Date.now();
    return r.value;
  },
  onChange: (change) => {
    // Results of a poll that is not on screen change nothing here.
    if (change.kind === 'PollResultsChanged' && !(state.projectorMode === 'poll' && change.frame.pollId === state.projectorPollId)) {
      return;
    }
    if (change.kind === 'ProjectorChanged' && change.delta.showPresence && !presenceWasShown) {
      refreshPresence();
    }
    presenceWasShown = state.projectorPresence;
    render();
  },
});
let presenceWasShown = false;

const live = connect({ onConnected: rejoin });
bindStatus($('#conn'), live);
followSessionState(live, state);
live.on('SessionStatusChanged', (view) => {
  if (applySessionStatus(event, state, view)) {
    followLiveSession();
  }
});
live.on('AnnouncementPosted', (a) => {
  if (event && a.eventId === event.id) {
    announcements = upsertAnnouncement(announcements, a);
    renderAnnouncement();
  }
});
live.on('AnnouncementDeleted', (a) => {
  announcements = announcements.filter((x) => x.id !== a.id);
  renderAnnouncement();
});
live.on('ReactionsSent', (delta) => {
  if (event && delta && delta.sessionId === sessionId) {
    floatBurst(delta.counts || {});
  }
});
live.on('PresenceChanged', (delta) => {
  if (delta && delta.sessionId === sessionId) {
    state.present = delta.session;
    renderPresence();
  }
});

// The organizer deleted the event: the wall says so instead of its last questions.
onEventDeleted(live, code || '', (error) => {
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
  ui.fatal.hidden = false;
  ui.fatal.textContent = errorText(error);
});

async function rejoin() {
  const snapshot = await joinEvent(live, code, (error) => {
    ui.fatal.hidden = false;
    ui.fatal.textContent = errorText(error);
  });
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
  presenceWasShown = state.projectorPresence;
}

function setEvent(snapshot) {
  event = snapshot;
  // The server decides where phones join (the URL its QR code encodes) and says when phones cannot open it.
  const joinUrl = snapshot.joinUrl || `${location.origin}/e/${code}`;
  ui.url.textContent = joinUrl;
  ui.idleUrl.textContent = joinUrl;
  ui.joinWarning.hidden = !snapshot.joinUrlWarning;
  announcements = [...(snapshot.announcements || [])].sort(byNewest);
  storage.set(`lh.event.${code}`, snapshot);
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

function render() {
  if (!event) {
    return;
  }
  renderPresence();
  renderAnnouncement();
  const session = state.session || event.sessions.find((s) => s.id === sessionId);
  const mode = state.loaded ? state.projectorMode : 'questions';
  ui.proj.dataset.mode = mode;
  ui.idle.hidden = mode !== 'idle';
  if (mode === 'idle') {
    ui.idleTitle.textContent = session ? session.title : event.name;
    ui.idleEvent.textContent = event.name;
  }
  const poll = mode === 'poll' ? state.polls.get(state.projectorPollId) || null : null;
  renderPoll(poll);
  ui.pollWaiting.hidden = !(mode === 'poll' && !poll);
  ui.pollWaitingTitle.textContent = session ? session.title : '';
  if (mode !== 'questions') {
    for (const node of [ui.onScreen, ui.top, ui.holding, ui.sessionTitle]) {
      node.hidden = true;
    }
    ui.proj.classList.remove('holding');
    ui.main.classList.remove('top-only');
    return;
  }
  ui.sessionTitle.hidden = false;
  const room = followedRoom();
  ui.sessionTitle.textContent = [room ? room.name : null, session ? session.title : null].filter(Boolean).join(' · ');
  const questions = [...state.questions.values()].filter((q) => q.status === 'approved' || q.status === 'answered');
  const onScreen = state.onScreenQuestionId ? questions.find((q) => q.id === state.onScreenQuestionId) : null;
  const top = questions.filter((q) => q.status === 'approved' && q !== onScreen).sort(byPopular).slice(0, TOP);

  ui.onScreen.hidden = !onScreen;
  if (onScreen) {
    ui.onScreen.dataset.questionId = String(onScreen.id);
    const sig = JSON.stringify([getLanguage(), onScreen.id, onScreen.text, onScreen.authorName, onScreen.upvotes, onScreen.reply]);
    if (ui.onScreen._sig !== sig) {
      ui.onScreen._sig = sig;
      replace(ui.onScreen,
        el('span', { class: 'label-on-screen', text: t('badge.on_screen') }),
        el('p', { class: 'proj-question-text', attrs: { 'data-testid': 'on-screen-text' } }, [userText(onScreen.text)]),
        el('p', { class: 'proj-question-meta' }, [
          el('span', { class: 'author' }, [onScreen.authorName ? userText(onScreen.authorName) : t('question.anonymous')]),
          el('span', { class: 'votes', text: `▲ ${t('question.upvotes', { count: onScreen.upvotes })}` }),
        ]),
        onScreen.reply ? el('div', { class: 'proj-reply', attrs: { 'data-testid': 'question-reply' } }, [
          el('span', { class: 'proj-reply-label', text: t('reply.label') }),
          el('span', { class: 'proj-reply-text' }, [userText(onScreen.reply)]),
          el('span', { class: 'proj-reply-elsewhere', text: t('proj.reply_elsewhere') }),
        ]) : null,
      );
    }
  } else {
    delete ui.onScreen.dataset.questionId;
    ui.onScreen._sig = null;
    ui.onScreen.replaceChildren();
  }

  ui.top.hidden = top.length === 0;
  ui.topList.replaceChildren(...top.map((q) => el('li', { attrs: { 'data-question-id': q.id } }, [
    el('span', { class: 'votes', text: formatNumber(q.upvotes) }),
    el('span', { class: 'text' }, [
      userText(q.text), ' ',
      el('span', { class: 'author' }, ['— ', q.authorName ? userText(q.authorName) : t('question.anonymous')]),
    ]),
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
  fitQuestion();
}

/**
 * The question on screen is drawn as large as fits whole with its author line and reply, from the back of the hall:
 * from 5.2 % of the screen's width down to 24 px for the longest question; the top questions take what is left.
 */
function fitQuestion() {
  if (!ui.onScreen.hidden) {
    const range = { min: 24, max: Math.max(48, Math.round(window.innerWidth * 0.052)) };
    ui.onScreen.dataset.reply = 'full';
    let size = fitText(ui.onScreen, '--q-size', range);
    if (!fitsWhole(ui.onScreen) && ui.onScreen.querySelector('.proj-reply')) {
      // A long reply under a long question cannot fit at a size the back row reads: the question keeps the screen and
      // the reply is pointed to on the phones, rather than cut.
      ui.onScreen.dataset.reply = 'elsewhere';
      size = fitText(ui.onScreen, '--q-size', range);
    }
    ui.onScreen.dataset.fit = String(size);
  }
  fitTop();
}

// ------------------------------------------------------------ presence, announcements, reactions

function renderPresence() {
  const show = state.loaded && state.projectorPresence && typeof state.present === 'number';
  ui.presence.hidden = !show;
  if (show) {
    ui.presence.textContent = t('proj.presence', { count: state.present });
  }
}

/** Head counts reach the projector only when they change: when the moderator turns them on, read the count now. */
async function refreshPresence() {
  const id = sessionId;
  const r = await api('GET', `/api/sessions/${id}?view=projector`);
  if (r.ok && r.value && id === sessionId && typeof r.value.present === 'number') {
    state.present = r.value.present;
    renderPresence();
  }
}

function currentRoomId() {
  const session = state.session || (event && event.sessions.find((s) => s.id === sessionId));
  if (session) {
    return session.roomId;
  }
  const room = followedRoom();
  return room ? room.id : null;
}

/** The newest announcement for this room: the whole width of the screen for 20 seconds, then a ticker along the bottom. */
function renderAnnouncement() {
  if (!event) {
    return;
  }
  const newest = relevantAnnouncements(announcements, currentRoomId())[0] || null;
  const now = serverNow();
  const shown = newest && newest.createdAt >= now - ANNOUNCEMENT_FRESH_MS ? newest : null;
  clearTimeout(bannerTimer);
  if (!shown) {
    ui.announcement.hidden = true;
    ui.announcement._sig = null;
    ui.announcement.replaceChildren();
    if (ui.proj.classList.contains('has-ticker')) {
      ui.proj.classList.remove('has-ticker');
      fitQuestion();
    }
    return;
  }
  const age = Math.max(0, now - shown.createdAt);
  const large = age < BANNER_MS;
  if (large) {
    bannerTimer = setTimeout(renderAnnouncement, BANNER_MS - age + 50);
  }
  const room = shown.roomId ? roomById(event, shown.roomId) : null;
  const sig = JSON.stringify([getLanguage(), shown.id, shown.text, large, room && room.name]);
  if (ui.announcement._sig === sig) {
    return;
  }
  ui.announcement._sig = sig;
  ui.announcement.hidden = false;
  ui.announcement.dataset.size = large ? 'large' : 'ticker';
  ui.announcement.dataset.announcementId = String(shown.id);
  const label = [t('announcement.title'), room ? room.name : null].filter(Boolean).join(' · ');
  if (large) {
    ui.announcement.replaceChildren(
      el('p', { class: 'proj-announcement-label', text: label }),
      el('p', { class: 'proj-announcement-text' }, [userText(shown.text)]),
    );
    fitText(ui.announcement, '--a-size', { min: 24, max: Math.max(40, Math.round(window.innerWidth * 0.04)) });
  } else {
    const inner = el('span', { class: 'ticker-inner', userText: shown.text, attrs: { 'data-scrolls': 'true' } });
    const track = el('span', { class: 'ticker-track' }, [inner]);
    ui.announcement.replaceChildren(el('span', { class: 'proj-announcement-label', text: label }), track);
    // Text longer than the strip glides to its end and back, slowly enough to read from the back row.
    requestAnimationFrame(() => {
      const overflow = inner.scrollWidth - track.clientWidth;
      if (overflow > 4) {
        inner.style.setProperty('--ticker-shift', `${-overflow}px`);
        inner.style.animationDuration = `${Math.max(8, overflow / 60 + 4)}s`;
        inner.classList.add('is-scrolling');
      }
    });
  }
  const ticker = !large;
  if (ui.proj.classList.contains('has-ticker') !== ticker) {
    ui.proj.classList.toggle('has-ticker', ticker);
    fitQuestion();
  }
}

/** One burst of reactions floats up from the bottom of the main area (never over the join code and QR at the side). */
function floatBurst(counts) {
  const kinds = (event && event.reactions && Object.keys(event.reactions).length) ? event.reactions : DEFAULT_REACTIONS;
  const entries = Object.entries(counts).filter(([key, n]) => kinds[key] && n > 0);
  const total = entries.reduce((sum, [, n]) => sum + n, 0);
  if (!total) {
    return;
  }
  const share = Math.min(1, MAX_BURST / total);
  const emoji = [];
  for (const [key, n] of entries) {
    for (let i = 0, count = Math.max(1, Math.round(n * share)); i < count; i += 1) {
      emoji.push(key);
    }
  }
  for (let i = emoji.length - 1; i > 0; i -= 1) {
    const j = Math.floor(Math.random() * (i + 1));
    [emoji[i], emoji[j]] = [emoji[j], emoji[i]];
  }
  // Spread over the half second the server counted them in, so a burst reads as a stream.
  emoji.slice(0, MAX_BURST).forEach((e) => spawnFloat(e, Math.round(Math.random() * 500)));
}

function spawnFloat(key, delay) {
  if (ui.reactions.childElementCount >= MAX_FLOATING) {
    return;
  }
  const node = el('span', { class: 'reaction-float', attrs: { 'data-testid': 'reaction-float', 'data-reaction': key } }, [reactionIcon(key, 'reaction-float-icon')]);
  const duration = 3200 + Math.round(Math.random() * 1600);
  node.style.left = `${(3 + Math.random() * 90).toFixed(1)}%`;
  node.style.animationDelay = `${delay}ms`;
  node.style.animationDuration = `${duration}ms`;
  node.style.setProperty('--drift', `${(Math.random() * 8 - 4).toFixed(1)}vw`);
  node.style.setProperty('--scale', (0.8 + Math.random() * 0.6).toFixed(2));
  ui.reactions.append(node);
  const done = () => node.remove();
  node.addEventListener('animationend', done, { once: true });
  setTimeout(done, delay + duration + 500);
}

// ------------------------------------------------------------ poll

let shown = null; // { key, poll, view, count, countdown }: the poll on screen, rebuilt only when its shape changes

/** The server decides (PollView.resultsVisible); a running quiz shows its countdown instead. */
function showsResults(poll) {
  return poll.resultsVisible;
}

const LETTERS = 'ABCDEFGHIJ';

function optionsList(poll) {
  const correct = poll.status === 'closed' && poll.correct ? poll.correct : null;
  return el('ol', { class: ['proj-options', poll.kind === 'quiz' && 'quiz-grid', poll.options.length > ONE_COLUMN_OPTIONS && 'two-columns'] },
    poll.options.map((label, index) => el('li', {
      class: ['proj-option', correct && correct.includes(index) && 'is-correct'],
      attrs: { 'data-index': index },
    }, [
      el('span', { class: 'letter', attrs: { 'aria-hidden': 'true' }, text: LETTERS[index] }),
      el('span', { class: 'label' }, [userText(label)]),
      correct && correct.includes(index) ? el('span', { class: 'tag', text: `✓ ${t('poll.correct_answer')}` }) : null,
    ])));
}

function buildPoll(poll) {
  const results = showsResults(poll);
  const quizRunning = poll.kind === 'quiz' && poll.status === 'open';
  const count = el('p', { class: 'proj-poll-count', attrs: { 'data-testid': 'poll-count' } });
  const countdown = quizRunning ? el('p', {
    class: 'proj-countdown',
    attrs: { 'data-testid': 'quiz-countdown', role: 'timer', 'data-deadline': poll.closesAt || '' },
  }, [el('span', { class: 'time' }), el('span', { class: 'unit', text: t('poll.time_left') })]) : null;
  const label = poll.kind === 'quiz' ? t('poll.kind.quiz') : t('poll.label');
  const head = el('div', { class: 'proj-poll-head' }, [
    el('span', { class: 'proj-poll-label' }, [
      label,
      poll.status === 'closed' ? el('span', { class: 'proj-poll-status', text: ` · ${t('poll.status.closed')}` }) : null,
    ]),
    results ? count : null,
  ]);
  const question = el('h2', { class: ['proj-poll-question', poll.question.length > LONG_QUESTION && 'long'] }, [userText(poll.question)]);
  let body;
  let view = null;
  if (results) {
    view = createResultsView(poll, { variant: 'screen', leaderboardSize: 5 });
    body = view.node;
  } else {
    body = el('div', { class: 'proj-poll-pending' }, [
      OPTION_KINDS.includes(poll.kind) ? optionsList(poll) : null,
      poll.kind === 'rating' ? el('p', { class: 'proj-rating-scale', text: t('proj.poll.rating_scale', { scale: poll.scale || limits.ratingMinScale }) }) : null,
      quizRunning ? countdown : el('p', {
        class: 'proj-results-hidden',
        attrs: { 'data-testid': 'results-hidden' },
        text: t(poll.kind === 'quiz' && poll.status === 'open' ? 'poll.quiz.results_after' : 'proj.poll.results_later'),
      }),
    ]);
  }
  ui.poll.replaceChildren(head, question, el('div', { class: 'proj-poll-body' }, [body]));
  ui.poll.dataset.pollId = String(poll.id);
  ui.poll.dataset.kind = poll.kind;
  ui.poll.dataset.status = poll.status;
  ui.poll.dataset.results = results ? 'visible' : 'hidden';
  return { view, count, countdown };
}

function renderPoll(poll) {
  ui.poll.hidden = !poll;
  if (!poll) {
    shown = null;
    ui.poll.replaceChildren();
    return;
  }
  const key = JSON.stringify([poll, showsResults(poll), getLanguage()]);
  if (!shown || shown.key !== key) {
    shown = { key, poll, ...buildPoll(poll) };
  }
  shown.poll = poll;
  const frame = state.results.get(poll.id) || null;
  if (shown.view) {
    shown.view.update(frame, poll);
    shown.count.textContent = countText(poll, frame, 'screen');
  }
  tickCountdown();
}

function tickCountdown() {
  if (!shown || !shown.countdown) {
    return;
  }
  const left = secondsLeft(shown.poll);
  const over = left === 0;
  shown.countdown.classList.toggle('is-over', over);
  shown.countdown.classList.toggle('is-ending', !over && left !== null && left <= 5);
  shown.countdown.firstChild.textContent = over ? t('poll.time_up') : formatCountdown(left);
  shown.countdown.lastChild.hidden = over;
}
setInterval(tickCountdown, 250);
window.addEventListener('resize', () => {
  if (shown) {
    shown.key = null;
    render();
  }
});

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
window.addEventListener('resize', () => {
  ui.announcement._sig = null;
  renderAnnouncement();
  fitQuestion();
});

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
onLanguageChange(() => {
  shown = null;
  render();
  renderFreshness();
});

// ------------------------------------------------------------ kiosk care

let wakeLock = null;
/**
 * Keeps the display awake. Browsers grant the Screen Wake Lock only to secure pages (HTTPS or this machine's own
 * address): opened over a venue LAN on plain HTTP the screen may go to sleep, and the projector says so, with what to do.
 */
async function keepAwake() {
  if (document.visibilityState !== 'visible' || wakeLock) {
    return;
  }
  if (!('wakeLock' in navigator)) {
    showWakeNotice();
    return;
  }
  try {
    wakeLock = await navigator.wakeLock.request('screen');
    wakeLock.addEventListener('release', () => { wakeLock = null; });
    ui.wakeNotice.hidden = true;
  } catch {
    wakeLock = null; // not allowed (insecure origin, battery saver, no permission): the screen's own settings apply
    showWakeNotice();
  }
}

function showWakeNotice() {
  ui.wakeNotice.hidden = false;
  ui.wakeNotice.dataset.reason = window.isSecureContext ? 'refused' : 'insecure';
  ui.wakeNotice.textContent = t(window.isSecureContext ? 'proj.wake.refused' : 'proj.wake.insecure');
}
onLanguageChange(() => { if (!ui.wakeNotice.hidden) showWakeNotice(); });
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
