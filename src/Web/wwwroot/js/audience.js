// The audience's phone: see what is on in each room, pick a session (or follow a room's door QR), vote in its live
// poll, ask (through the outbox), upvote, react, read announcements, follow one's own questions. Votes go through
// their own outbox, so a tap on a flaky network is never lost.
import {
  $, ANNOUNCEMENT_FRESH_MS, CHOICE_KINDS, SessionState, agendaDays, announce, applyI18n, applyLimits,
  applySessionStatus, bindStatus, byNewest, byPopular, changeSession, connect, createOutbox, createResultsView,
  createVoteOutbox, dayLabel, el, errorText, eventCodeFromPath, fatalNotice, followSessionState, formatCountdown,
  formatTime, getLanguage, joinEvent, languageFromUrl, languageSwitch, limits, onLanguageChange, pickSession,
  reconcile, relativeTime, relevantAnnouncements, rememberSession, renderSessionPicker, replyBlock, roomAgenda,
  roomById, roomByKey, roomTarget, sameVote, secondsLeft, serverNow, startRelativeTimeTicker, storage, t, toast,
  untilAgendaChanges, upsertAnnouncement,
} from '/js/client.js';

const code = eventCodeFromPath();
const params = new URLSearchParams(location.search);
const SESSION_KEY = `lh.session.${code}`;
const NAME_KEY = 'lh.name';
const SORT_KEY = 'lh.sort';
const EVENT_CACHE_KEY = `lh.event.${code}`;
const POLL_CACHE_KEY = `lh.polls.${code}`;
const READ_KEY = `lh.announcements.read.${code}`;
// Opened without a session: the page starts with what is on in each room. ?room= (the room's door QR) follows that room.
const homeMode = !params.get('session');
let followKey = params.get('room');
let following = !!followKey;

const ui = {
  app: $('#app'),
  fatal: $('#fatal'),
  eventName: $('#event-name'),
  select: $('#session-select'),
  summary: $('#session-summary'),
  note: $('#ask-note'),
  form: $('#ask-form'),
  text: $('#ask-text'),
  name: $('#ask-name'),
  counter: $('#ask-counter'),
  error: $('#ask-error'),
  send: $('#ask-send'),
  mineSection: $('#mine-section'),
  mine: $('#my-questions'),
  list: $('#question-list'),
  empty: $('#empty'),
  answeredSection: $('#answered-section'),
  answered: $('#answered-list'),
  sort: $('#sort'),
  polls: $('#polls'),
  pollList: $('#poll-list'),
  pollWaiting: $('#poll-waiting'),
  pollEarlier: $('#poll-earlier'),
  pollEarlierTitle: $('#poll-earlier-title'),
  pollEarlierList: $('#poll-earlier-list'),
  banner: $('#announcement-banner'),
  announcements: $('#announcements'),
  announcementList: $('#announcement-list'),
  agenda: $('#agenda-home'),
  agendaRooms: $('#agenda-rooms'),
  agendaFullToggle: $('#agenda-full-toggle'),
  agendaFull: $('#agenda-full'),
  followNote: $('#follow-note'),
  reactions: $('#reactions'),
  reactionRow: $('#reaction-row'),
  reactionNote: $('#reaction-note'),
};

let event = null;
let sessionId = null;
let sort = storage.getRaw(SORT_KEY) === 'newest' ? 'newest' : 'popular';
let formError = null;
let lastNewAnnounce = 0;
let eventTimer = null;
let announcements = []; // newest first, every room; the screens pick the relevant ones
let readAnnouncements = new Set(storage.get(READ_KEY, []));
let agendaFullOpen = false;
let followSwitched = null; // the last automatic switch, said in the follow note
const upvoteBusy = new Set();

languageFromUrl(params);
applyI18n();
$('#tools').append(languageSwitch());
ui.name.value = storage.getRaw(NAME_KEY) || '';
// The agenda opens unfolded on the event's front door; a room's door QR goes straight to the room's session.
ui.agenda.open = !following;

const state = new SessionState({
  view: 'audience',
  resync: async (id) => {
    const r = await live.call('JoinSession', id, 'audience');
    return r.ok ? r.value : null;
  },
  onChange: onStateChange,
});

const live = connect({ onConnected: rejoin });
bindStatus($('#conn'), live);

followSessionState(live, state);
live.on('MyQuestionChanged', (question) => {
  const before = state.mine.get(question.id);
  state.applyMine(question);
  outbox.match([question]);
  if (before && before.status !== question.status && question.sessionId === sessionId) {
    const key = `announce.my.${question.status}`;
    if (['approved', 'dismissed', 'answered'].includes(question.status)) {
      announce(t(key));
    }
  } else if (before && question.reply && before.reply !== question.reply && question.sessionId === sessionId) {
    announce(t('announce.my.replied'));
  }
});

live.on('SessionStatusChanged', (view) => {
  if (!applySessionStatus(event, state, view)) {
    return;
  }
  storage.set(EVENT_CACHE_KEY, event);
  followRoom();
  renderAll();
});
// The phone answers its own taps at once; the room's bursts belong on the big screen, so here they are let pass.
live.on('ReactionsSent', () => {});
live.on('AnnouncementPosted', (a) => {
  if (!event || a.eventId !== event.id) {
    return;
  }
  announcements = upsertAnnouncement(announcements, a);
  if (isRelevant(a)) {
    announce(t('announcement.new', { text: a.text }));
  }
  renderAnnouncements();
});
live.on('AnnouncementDeleted', (a) => {
  announcements = announcements.filter((x) => x.id !== a.id);
  renderAnnouncements();
});

const outbox = createOutbox(code, live, {
  onChange: renderMine,
  onDelivered: (question) => {
    if (question && question.sessionId === sessionId && !state.mine.has(question.id)) {
      state.applyMine(question);
    }
    announce(t('announce.sent'));
  },
  onError: (error, item) => {
    if (item.sessionId === sessionId) {
      showFormError({ ...error, clientId: item.clientId });
    }
  },
});

// ------------------------------------------------------------ joining

async function rejoin() {
  const snapshot = await joinEvent(live, code, showFatal);
  if (!snapshot) {
    return;
  }
  setEvent(snapshot);
  const chosen = chooseSession();
  if (!chosen) {
    return;
  }
  await joinSession(chosen.id);
}

/** The room the page follows (?room=), if that room exists. */
function followedRoom() {
  return following ? roomByKey(event, followKey) : null;
}

/** Following a room: its live session (else the next, else the last); otherwise the session chosen before. */
function chooseSession() {
  const room = followedRoom();
  if (room) {
    const target = roomTarget(event, room.id);
    if (target) {
      return target;
    }
  }
  return pickSession(event.sessions, sessionId ?? params.get('session'), storage.getRaw(SESSION_KEY));
}

/** When the followed room moves on to another session (schedule or moderator), go with it and say so. */
function followRoom() {
  const room = followedRoom();
  const target = room && roomTarget(event, room.id);
  if (!target || target.id === sessionId) {
    return;
  }
  followSwitched = { room: room.name, title: target.title, id: target.id };
  announce(t('follow.switched', { room: room.name, title: target.title }));
  switchSession(target.id, { auto: true });
}

/** Start (or stop) following a room: the URL keeps ?room= so a reload follows it too. */
function setFollowing(key) {
  followKey = key || followKey;
  following = !!key;
  followSwitched = null;
  const url = new URL(location.href);
  if (following) {
    url.searchParams.set('room', followKey);
    url.searchParams.delete('session');
  } else {
    url.searchParams.delete('room');
  }
  history.replaceState(null, '', url);
}

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
      const fallback = pickSession(event.sessions.filter((s) => s.id !== id));
      if (fallback) {
        await joinSession(fallback.id);
        return;
      }
    }
    throw r.error;
  }
  state.load(r.value);
  outbox.match(r.value.mine || []);
  votes.match(r.value.myVotes || []);
}

async function switchSession(id, { auto = false } = {}) {
  if (!auto && following) {
    // A session picked by hand: the page stops following the room (the note offers to follow it again).
    setFollowing(null);
    renderFollow();
  }
  if (id === sessionId) {
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

function setEvent(snapshot) {
  event = snapshot;
  announcements = [...(snapshot.announcements || [])].sort(byNewest);
  applyLimits(snapshot);
  ui.name.maxLength = limits.nameMaxLength;
  storage.set(EVENT_CACHE_KEY, snapshot);
  document.title = `${event.name} · LiveHub`;
  ui.eventName.removeAttribute('data-i18n');
  ui.eventName.textContent = event.name;
  state.takeStatus(event.sessions.find((s) => s.id === state.sessionId));
  scheduleEventRefresh();
  renderAll();
}

/** A moderator's override is pushed (SessionStatusChanged); the schedule is not: read the agenda again at the next start or end. */
function scheduleEventRefresh() {
  clearTimeout(eventTimer);
  const wait = untilAgendaChanges(event, 10 * 60 * 1000);
  eventTimer = setTimeout(async () => {
    const r = await live.request('JoinEvent', code);
    if (r.ok) {
      setEvent(r.value);
      followRoom();
    } else {
      scheduleEventRefresh();
    }
  }, wait);
}

// ------------------------------------------------------------ state changes

function onStateChange(change) {
  if (change.kind === 'PollResultsChanged') {
    renderPolls();
    return;
  }
  announcePollChange(change);
  if (change.kind === 'QuestionAsked' || change.kind === 'QuestionApproved' || change.kind === 'QuestionRestored') {
    const q = change.delta.question;
    if (q && state.questions.has(q.id) && !isMine(q.id) && Date.now() - lastNewAnnounce > 10000) {
      lastNewAnnounce = Date.now();
      announce(t('announce.new_questions'));
    }
  }
  if (change.kind === 'QuestionOnScreenChanged' && state.onScreenQuestionId) {
    const q = state.questions.get(state.onScreenQuestionId);
    if (q) {
      announce(t('announce.on_screen', { text: q.text }));
    }
  }
  renderAll();
}

function isMine(questionId) {
  return state.mine.has(questionId) || outbox.items.some((i) => i.questionId === questionId);
}

// ------------------------------------------------------------ asking

function currentSession() {
  return state.session || (event && event.sessions.find((s) => s.id === sessionId)) || null;
}

function showFormError(error) {
  formError = error;
  ui.error.textContent = error ? errorText(error) : '';
  ui.error.hidden = !error;
  // An outbox error belongs to a question already sent, not to what is in the text box now.
  const aboutField = error && !error.clientId && ['error.text_empty', 'error.text_too_long'].includes(error.messageKey);
  ui.text.setAttribute('aria-invalid', aboutField ? 'true' : 'false');
}

function updateCounter() {
  const n = ui.text.value.trim().length;
  ui.counter.textContent = t('ask.counter', { count: n, max: limits.questionMaxLength });
  ui.counter.classList.toggle('over', n > limits.questionMaxLength);
}

ui.text.addEventListener('input', () => {
  updateCounter();
  if (formError && ['error.text_empty', 'error.text_too_long', 'error.slow_down'].includes(formError.messageKey)) {
    showFormError(null);
  }
});
ui.text.addEventListener('keydown', (e) => {
  if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
    e.preventDefault();
    ui.form.requestSubmit();
  }
});
ui.name.addEventListener('change', () => storage.setRaw(NAME_KEY, ui.name.value.trim()));

ui.form.addEventListener('submit', (e) => {
  e.preventDefault();
  const session = currentSession();
  if (!session || session.status === 'ended') {
    return;
  }
  const text = ui.text.value.trim();
  const name = ui.name.value.trim();
  if (!text) {
    showFormError({ messageKey: 'error.text_empty' });
    ui.text.focus();
    return;
  }
  if (text.length > limits.questionMaxLength) {
    showFormError({ messageKey: 'error.text_too_long' });
    ui.text.focus();
    return;
  }
  if (name.length > limits.nameMaxLength) {
    showFormError({ messageKey: 'error.name_too_long' });
    ui.name.focus();
    return;
  }
  showFormError(null);
  storage.setRaw(NAME_KEY, name);
  outbox.add({ sessionId: session.id, text, authorName: name || null });
  ui.text.value = '';
  updateCounter();
});

ui.select.addEventListener('change', () => switchSession(Number(ui.select.value)));

for (const button of ui.sort.querySelectorAll('button')) {
  button.addEventListener('click', () => {
    sort = button.dataset.sort;
    storage.setRaw(SORT_KEY, sort);
    renderQuestions();
  });
}

// ------------------------------------------------------------ upvotes

async function toggleUpvote(id) {
  const q = state.questions.get(id);
  if (!q || upvoteBusy.has(id)) {
    return;
  }
  const on = !state.myUpvotes.has(id);
  upvoteBusy.add(id);
  setUpvoted(id, on);
  q.upvotes = Math.max(0, q.upvotes + (on ? 1 : -1));
  renderQuestions();
  const r = await live.request('Upvote', { questionId: id, on });
  upvoteBusy.delete(id);
  const current = state.questions.get(id);
  if (r.ok) {
    setUpvoted(id, r.value.upvoted);
    if (current) {
      current.upvotes = r.value.upvotes;
    }
  } else {
    setUpvoted(id, !on);
    if (current) {
      current.upvotes = Math.max(0, current.upvotes + (on ? -1 : 1));
    }
    toast(errorText(r.error), { kind: 'error' });
  }
  renderQuestions();
}

function setUpvoted(id, on) {
  if (on) {
    state.myUpvotes.add(id);
  } else {
    state.myUpvotes.delete(id);
  }
}

// ------------------------------------------------------------ polls

const resultsViews = new Map(); // pollId -> { sig, view }: kept across card rebuilds so the bars animate
const drafts = new Map(); // pollId -> { choices, ranking, text }: what is picked but not yet sent
const failures = new Map(); // pollId -> the error that dropped the last answer
const expanded = new Map(); // pollId -> whether a closed poll's card is open
const justClosed = new Set();
const lastStatus = new Map(); // pollId -> status last drawn, to notice a close that came with a fresh snapshot
let maxPicksNote = null; // pollId whose "at most N" hint was just hit

const votes = createVoteOutbox(code, live, {
  onChange: () => renderPolls(),
  onDelivered: (vote, item) => {
    state.setMyVote(vote);
    failures.delete(item.pollId);
    if (item.sessionId === sessionId) {
      announce(t('poll.announce.sent'));
    }
    renderPolls();
  },
  onError: (error, item) => {
    // The answer may have landed before the poll closed, with its acknowledgement lost on the way back.
    if (['poll_closed', 'poll_time_up'].includes(error.code) && sameVote(state.myVotes.get(item.pollId), item.vote)) {
      renderPolls();
      return;
    }
    failures.set(item.pollId, { error, vote: item.vote });
    if (item.sessionId === sessionId) {
      announce(pollErrorText(error));
    }
    renderPolls();
  },
});

function announcePollChange(change) {
  const poll = change.delta && change.delta.poll;
  if (!poll || poll.sessionId !== sessionId) {
    return;
  }
  if (change.kind === 'PollOpened') {
    justClosed.delete(poll.id);
    announce(t(poll.kind === 'quiz' ? 'poll.announce.quiz_opened' : 'poll.announce.opened', { question: poll.question }));
  } else if (change.kind === 'PollClosed') {
    justClosed.add(poll.id);
    expanded.delete(poll.id);
    announce(t('poll.announce.closed', { question: poll.question }));
  } else if (change.kind === 'PollRevealed' && poll.resultsVisible) {
    announce(t('poll.announce.revealed', { question: poll.question }));
  }
}

function pollErrorText(error) {
  if (error && error.messageKey === 'error.text_empty') {
    return t('poll.answer_empty');
  }
  return errorText(error, error && error.messageKey === 'error.text_too_long' ? { max: limits.pollAnswerMaxLength } : {});
}

/** The answer on the card: the one waiting in the outbox, else the one the server holds. */
function chosenVote(poll) {
  const item = votes.forPoll(poll.id);
  if (item && item.state === 'sending') {
    return item.vote;
  }
  return state.myVotes.get(poll.id) || (item ? item.vote : null);
}

function voteState(poll) {
  const item = votes.forPoll(poll.id);
  if (item) {
    return { state: item.state, error: item.error, offline: !live.isConnected() };
  }
  if (failures.has(poll.id)) {
    return { state: 'failed', error: failures.get(poll.id).error };
  }
  return state.myVotes.has(poll.id) ? { state: 'delivered' } : null;
}

/** A quiz takes no answer after its deadline, even before the server's close arrives. */
function isLocked(poll) {
  if (poll.status !== 'open') {
    return true;
  }
  return poll.kind === 'quiz' && !!poll.closesAt && poll.closesAt <= serverNow();
}

function needsSubmit(poll) {
  return poll.kind === 'multiple' || poll.kind === 'ranking' || (poll.kind === 'quiz' && (poll.maxPicks || 1) > 1);
}

function draftOf(poll) {
  let d = drafts.get(poll.id);
  if (!d) {
    const chosen = chosenVote(poll);
    const ranking = chosen && Array.isArray(chosen.ranking) && chosen.ranking.length === poll.options.length
      ? [...chosen.ranking]
      : poll.options.map((_, i) => i);
    d = { choices: chosen && chosen.choices ? [...chosen.choices] : [], ranking, text: '' };
    drafts.set(poll.id, d);
  }
  return d;
}

function quizName() {
  return (storage.getRaw(NAME_KEY) || '').trim().slice(0, limits.nameMaxLength);
}

function castVote(poll, vote) {
  if (isLocked(poll)) {
    return;
  }
  failures.delete(poll.id);
  if (poll.kind === 'quiz') {
    vote.displayName = quizName() || null;
  }
  votes.add(poll.id, poll.sessionId, vote);
  renderPolls();
}

function submitDraft(poll, card) {
  const d = draftOf(poll);
  if (poll.kind === 'ranking') {
    castVote(poll, { ranking: [...d.ranking] });
    return;
  }
  if (poll.kind === 'multiple' || poll.kind === 'quiz') {
    if (d.choices.length) {
      castVote(poll, { choices: [...d.choices].sort((a, b) => a - b) });
    }
    return;
  }
  // Word cloud and open text: check here what the server would refuse anyway.
  const field = card.querySelector('[data-testid="poll-text"]');
  const text = (field ? field.value : d.text).trim();
  let error = null;
  if (!text) {
    error = { messageKey: 'error.text_empty' };
  } else if (poll.kind === 'wordcloud' && text.split(/\s+/).length > limits.wordCloudMaxWords) {
    error = { messageKey: 'error.too_many_words' };
  } else if (poll.kind === 'text' && text.length > limits.pollAnswerMaxLength) {
    error = { messageKey: 'error.text_too_long' };
  }
  if (error) {
    failures.set(poll.id, { error, local: true });
    renderPolls();
    card.querySelector('[data-testid="poll-text"]')?.focus();
    return;
  }
  d.text = '';
  castVote(poll, { text });
}

function toggleChoice(poll, index) {
  if (isLocked(poll)) {
    return;
  }
  const d = draftOf(poll);
  const max = poll.maxPicks || poll.options.length;
  if (d.choices.includes(index)) {
    d.choices = d.choices.filter((i) => i !== index);
    maxPicksNote = null;
  } else if (max === 1) {
    d.choices = [index];
  } else if (d.choices.length >= max) {
    maxPicksNote = poll.id;
    announce(t('poll.max_picks', { count: max }));
  } else {
    d.choices = [...d.choices, index];
    maxPicksNote = null;
  }
  renderPolls();
}

function moveRank(poll, position, step) {
  const d = draftOf(poll);
  const target = position + step;
  if (isLocked(poll) || target < 0 || target >= d.ranking.length) {
    return;
  }
  const order = [...d.ranking];
  [order[position], order[target]] = [order[target], order[position]];
  d.ranking = order;
  announce(t('poll.rank_moved', { label: poll.options[order[target]], position: target + 1 }));
  renderPolls();
}

function kindLabel(poll) {
  return t(`poll.kind.${poll.kind}`);
}

function optionButton(poll, index, { pressed, locked, correct, onClick }) {
  const isCorrect = !!correct && correct.includes(index);
  return el('button', {
    class: ['poll-option', pressed && 'is-chosen', correct && isCorrect && 'is-correct', correct && pressed && !isCorrect && 'is-wrong'],
    attrs: {
      type: 'button',
      'data-testid': 'poll-option',
      'data-index': index,
      'data-fk': `opt-${index}`,
      'aria-pressed': pressed ? 'true' : 'false',
      'aria-disabled': locked ? 'true' : null,
    },
    on: { click: onClick },
  }, [
    el('span', { class: 'check', attrs: { 'aria-hidden': 'true' }, text: pressed ? '✓' : '' }),
    el('span', { class: 'label', text: poll.options[index] }),
    correct && isCorrect ? el('span', { class: 'tag', text: t('poll.correct_answer') }) : null,
  ]);
}

function submitButton(poll, { disabled, label = 'poll.submit' }) {
  return el('button', {
    class: 'btn btn-primary btn-block poll-submit',
    text: t(label),
    attrs: { type: 'button', 'data-testid': 'poll-submit', 'data-fk': 'submit', 'aria-disabled': disabled ? 'true' : null },
    on: {
      click: (e) => {
        if (e.currentTarget.getAttribute('aria-disabled') !== 'true') {
          submitDraft(poll, e.currentTarget.closest('[data-testid="poll"]'));
        }
      },
    },
  });
}

function choiceBody(poll, locked) {
  const chosen = chosenVote(poll);
  const multi = needsSubmit(poll);
  const d = draftOf(poll);
  const picked = multi && !locked ? d.choices : (chosen && chosen.choices) || [];
  const correct = poll.status === 'closed' && poll.correct ? poll.correct : null;
  const parts = [];
  if (multi) {
    const max = poll.maxPicks || poll.options.length;
    parts.push(el('p', {
      class: ['hint', maxPicksNote === poll.id && 'hint-strong'],
      attrs: { id: `poll-${poll.id}-hint` },
      text: t('poll.max_picks', { count: max }),
    }));
  }
  parts.push(el('div', { class: 'poll-options', attrs: { role: 'group', 'aria-labelledby': `poll-${poll.id}-q` } },
    poll.options.map((_, index) => optionButton(poll, index, {
      pressed: picked.includes(index),
      locked,
      correct,
      onClick: () => (multi ? toggleChoice(poll, index) : castVote(poll, { choices: [index] })),
    }))));
  if (multi && !locked) {
    const same = chosen && sameVote(chosen, { choices: d.choices });
    parts.push(submitButton(poll, { disabled: d.choices.length === 0 || same }));
  }
  return parts;
}

function ratingBody(poll, locked) {
  const chosen = chosenVote(poll);
  const scale = poll.scale || 5;
  const buttons = [];
  for (let v = 1; v <= scale; v += 1) {
    const pressed = !!chosen && chosen.rating === v;
    buttons.push(el('button', {
      class: ['poll-rating-btn', pressed && 'is-chosen'],
      text: String(v),
      attrs: {
        type: 'button',
        'data-testid': 'poll-rating',
        'data-value': v,
        'data-fk': `rate-${v}`,
        'aria-pressed': pressed ? 'true' : 'false',
        'aria-disabled': locked ? 'true' : null,
        'aria-label': t('poll.rating_aria', { value: v, scale }),
      },
      on: { click: () => castVote(poll, { rating: v }) },
    }));
  }
  return [
    el('div', { class: ['poll-rating', `scale-${scale}`], attrs: { role: 'group', 'aria-labelledby': `poll-${poll.id}-q` } }, buttons),
    el('p', { class: 'hint poll-rating-legend' }, [
      el('span', { text: t('poll.rating_low') }),
      el('span', { text: t('poll.rating_high', { scale }) }),
    ]),
  ];
}

function rankingBody(poll, locked) {
  const d = draftOf(poll);
  const chosen = chosenVote(poll);
  const hasRanking = chosen && Array.isArray(chosen.ranking) && chosen.ranking.length === poll.options.length;
  if (locked && !hasRanking) {
    return [];
  }
  const order = locked ? chosen.ranking : d.ranking;
  const last = order.length - 1;
  const list = el('ol', { class: 'poll-rank', attrs: { 'aria-labelledby': `poll-${poll.id}-q` } }, order.map((index, position) => {
    const label = poll.options[index];
    return el('li', { class: 'poll-rank-item', attrs: { 'data-index': index } }, [
      el('span', { class: 'pos', attrs: { 'aria-hidden': 'true' }, text: String(position + 1) }),
      el('span', { class: 'label', text: label }),
      locked ? null : el('span', { class: 'moves' }, [
        el('button', {
          class: 'btn btn-small rank-move',
          text: '▲',
          attrs: {
            type: 'button',
            'data-testid': 'poll-rank-up',
            'data-fk': `up-${index}`,
            'aria-label': t('poll.rank_up', { label }),
            'aria-disabled': position === 0 ? 'true' : null,
          },
          on: { click: () => moveRank(poll, d.ranking.indexOf(index), -1) },
        }),
        el('button', {
          class: 'btn btn-small rank-move',
          text: '▼',
          attrs: {
            type: 'button',
            'data-testid': 'poll-rank-down',
            'data-fk': `down-${index}`,
            'aria-label': t('poll.rank_down', { label }),
            'aria-disabled': position === last ? 'true' : null,
          },
          on: { click: () => moveRank(poll, d.ranking.indexOf(index), 1) },
        }),
      ]),
    ]);
  }));
  const parts = [el('p', { class: 'hint', text: t(locked ? 'poll.your_ranking' : 'poll.rank_hint') }), list];
  if (!locked) {
    const same = chosen && sameVote(chosen, { ranking: d.ranking });
    parts.push(submitButton(poll, { disabled: same }));
  }
  return parts;
}

function textBody(poll, locked) {
  const chosen = chosenVote(poll);
  const d = draftOf(poll);
  const cloud = poll.kind === 'wordcloud';
  const fieldId = `poll-${poll.id}-text`;
  const parts = [];
  if (chosen && chosen.text) {
    parts.push(el('p', { class: 'poll-my-answer' }, [
      el('span', { class: 'label', text: t('poll.your_answer') }),
      ' ',
      el('span', { class: 'my-answer-text', text: chosen.text }),
    ]));
    if (!cloud && chosen.status) {
      parts.push(el('p', { class: 'hint', text: t(`poll.my_answer.${chosen.status}`) }));
    }
  }
  if (locked) {
    return parts;
  }
  const counter = cloud ? null : el('span', { class: 'counter', attrs: { id: `${fieldId}-counter` } });
  const paintCounter = (value) => {
    if (counter) {
      const n = value.trim().length;
      counter.textContent = t('ask.counter', { count: n, max: limits.pollAnswerMaxLength });
      counter.classList.toggle('over', n > limits.pollAnswerMaxLength);
    }
  };
  const failure = failures.get(poll.id);
  const field = el(cloud ? 'input' : 'textarea', {
    attrs: {
      id: fieldId,
      type: cloud ? 'text' : null,
      rows: cloud ? null : 3,
      'data-testid': 'poll-text',
      'data-fk': 'text',
      autocomplete: 'off',
      enterkeyhint: cloud ? 'send' : null,
      'aria-describedby': cloud ? `${fieldId}-hint` : `${fieldId}-hint ${fieldId}-counter`,
      'aria-invalid': failure && failure.local ? 'true' : 'false',
    },
    props: { value: d.text },
    on: {
      input: (e) => {
        d.text = e.target.value;
        paintCounter(d.text);
        if (failures.get(poll.id)?.local) {
          failures.delete(poll.id);
          e.target.setAttribute('aria-invalid', 'false');
          e.target.closest('[data-testid="poll"]')?.querySelector('.poll-vote-state[data-state="failed"]')?.remove();
        }
      },
      keydown: (e) => {
        if (e.key === 'Enter' && (cloud || e.ctrlKey || e.metaKey)) {
          e.preventDefault();
          submitDraft(poll, e.target.closest('[data-testid="poll"]'));
        }
      },
    },
  });
  paintCounter(d.text);
  parts.push(el('div', { class: 'field' }, [
    el('label', { attrs: { for: fieldId }, text: t(chosen && chosen.text ? 'poll.change_answer' : (cloud ? 'poll.wordcloud_label' : 'poll.text_label')) }),
    field,
    counter,
    el('p', {
      class: 'hint',
      attrs: { id: `${fieldId}-hint` },
      text: cloud ? t('poll.wordcloud_hint', { max: limits.wordCloudMaxWords }) : t('poll.text_hint'),
    }),
  ]));
  parts.push(submitButton(poll, { disabled: false }));
  return parts;
}

function quizExtras(poll, locked) {
  const parts = [];
  if (poll.status === 'open') {
    const left = secondsLeft(poll);
    parts.push(el('p', {
      class: ['quiz-countdown', locked && 'is-over'],
      attrs: { 'data-testid': 'quiz-countdown', role: 'timer', 'data-deadline': poll.closesAt || '' },
    }, [
      el('span', { class: 'time', text: locked ? t('poll.time_up') : formatCountdown(left) }),
      locked ? null : el('span', { class: 'unit', text: ` ${t('poll.time_left')}` }),
    ]));
    if (!locked) {
      const nameId = `poll-${poll.id}-name`;
      parts.push(el('div', { class: 'field quiz-name' }, [
        el('label', { attrs: { for: nameId }, text: t('poll.quiz_name') }),
        el('input', {
          attrs: { id: nameId, type: 'text', 'data-testid': 'poll-name', 'data-fk': 'name', autocomplete: 'nickname', maxlength: limits.nameMaxLength },
          props: { value: storage.getRaw(NAME_KEY) || '' },
          on: {
            input: (e) => {
              storage.setRaw(NAME_KEY, e.target.value.trim());
              ui.name.value = e.target.value.trim();
            },
          },
        }),
      ]));
    }
  } else if (poll.correct) {
    const chosen = chosenVote(poll);
    const right = chosen && sameVote({ choices: chosen.choices }, { choices: poll.correct });
    parts.push(el('p', {
      class: ['quiz-outcome', chosen ? (right ? 'is-right' : 'is-wrong') : ''],
      attrs: { 'data-testid': 'quiz-outcome', 'data-correct': chosen ? String(!!right) : null },
      text: t(!chosen ? 'poll.quiz.no_answer' : right ? 'poll.quiz.right' : 'poll.quiz.wrong'),
    }));
  }
  return parts;
}

function voteStateLine(poll) {
  const s = voteState(poll);
  if (!s) {
    return null;
  }
  const chosen = chosenVote(poll);
  let text;
  if (s.state === 'sending') {
    text = t('outbox.sending');
  } else if (s.state === 'delivered') {
    text = `✓ ${t(poll.kind === 'text' && chosen && chosen.status === 'pending' ? 'poll.delivered_review' : 'outbox.delivered')}`;
  } else {
    text = `${t('outbox.failed')}: ${pollErrorText(s.error)}`;
  }
  const children = [el('span', { class: ['badge', `badge-${s.state}`], text })];
  if (s.state === 'sending' && s.offline) {
    children.push(el('span', { class: 'hint', text: t('poll.waiting_connection') }));
  } else if (s.state === 'sending' && s.error) {
    children.push(el('span', { class: 'hint', text: `${pollErrorText(s.error)} ${t('poll.auto_retry')}` }));
  }
  return el('div', {
    class: 'poll-vote-state',
    attrs: { 'data-testid': 'poll-vote-state', 'data-state': s.state, role: s.state === 'failed' ? 'alert' : 'status' },
  }, children);
}

function showsResults(poll) {
  // A quiz's spread of answers would give the answer away while it runs.
  return poll.resultsVisible && (poll.kind !== 'quiz' || poll.status === 'closed');
}

function hiddenNote(poll) {
  if (showsResults(poll)) {
    return null;
  }
  if (poll.kind === 'quiz' && poll.status === 'open') {
    return el('p', { class: 'hint results-later', text: t('poll.quiz.results_after') });
  }
  const key = poll.visibility === 'on_close' && poll.status === 'open' ? 'poll.results_after_close' : 'poll.results_later';
  return el('p', { class: 'hint results-later', attrs: { 'data-testid': 'results-hidden' }, text: t(key) });
}

function defaultExpanded(poll, openCount, newestClosedId) {
  return justClosed.has(poll.id) || failures.has(poll.id) || (openCount === 0 && poll.id === newestClosedId);
}

function pollCard(poll, ctx) {
  const locked = isLocked(poll);
  let body;
  if (CHOICE_KINDS.includes(poll.kind)) {
    body = choiceBody(poll, locked);
  } else if (poll.kind === 'rating') {
    body = ratingBody(poll, locked);
  } else if (poll.kind === 'ranking') {
    body = rankingBody(poll, locked);
  } else {
    body = textBody(poll, locked);
  }
  const head = el('div', { class: 'poll-head' }, [
    el('span', { class: 'badge badge-kind', text: poll.kind === 'quiz' ? t('poll.kind.quiz') : `${t('poll.label')} · ${kindLabel(poll)}` }),
    el('span', { class: ['badge', poll.status === 'open' ? 'badge-live' : 'badge-ended'], text: t(`poll.status.${poll.status}`) }),
  ]);
  const question = el(poll.status === 'open' ? 'h3' : 'span', { class: 'poll-question', attrs: { id: `poll-${poll.id}-q` }, text: poll.question });
  const content = [
    ...(poll.kind === 'quiz' ? quizExtras(poll, locked) : []),
    ...body,
    voteStateLine(poll),
    hiddenNote(poll),
    el('div', { class: 'poll-results-slot' }),
  ];
  const attrs = {
    'data-testid': 'poll',
    'data-poll-id': poll.id,
    'data-kind': poll.kind,
    'data-status': poll.status,
    'data-locked': locked ? 'true' : null,
    'aria-labelledby': `poll-${poll.id}-q`,
  };
  if (poll.status === 'open') {
    return el('article', { class: ['poll-card', 'panel', `poll-kind-${poll.kind}`, 'is-open'], attrs }, [head, question, ...content]);
  }
  const details = el('details', {
    class: 'poll-details',
    props: { open: expanded.get(poll.id) ?? defaultExpanded(poll, ctx.openCount, ctx.newestClosedId) },
    on: { toggle: (e) => expanded.set(poll.id, e.target.open) },
  }, [
    el('summary', { class: 'poll-summary' }, [head, question]),
    el('div', { class: 'poll-details-body' }, content),
  ]);
  return el('article', { class: ['poll-card', 'panel', `poll-kind-${poll.kind}`, 'is-closed'], attrs }, [details]);
}

function pollSig(poll, ctx) {
  const d = drafts.get(poll.id);
  return JSON.stringify([
    getLanguage(), poll, isLocked(poll), chosenVote(poll), voteState(poll), live.isConnected(),
    d && [d.choices, d.ranking], maxPicksNote === poll.id, poll.status === 'closed' && defaultExpanded(poll, ctx.openCount, ctx.newestClosedId),
    limits,
  ]);
}

function resultsViewFor(poll) {
  const sig = JSON.stringify([poll.kind, poll.options, poll.scale, getLanguage()]);
  let entry = resultsViews.get(poll.id);
  if (!entry || entry.sig !== sig) {
    entry = { sig, view: createResultsView(poll, { variant: 'phone', leaderboardSize: 10 }) };
    resultsViews.set(poll.id, entry);
  }
  return entry.view;
}

/** The session's polls and own votes as last seen, so a reload without a connection still shows them. */
function savePollCache() {
  if (!state.loaded) {
    return;
  }
  const polls = [...state.polls.values()];
  const sig = JSON.stringify([state.sessionId, polls, [...state.myVotes.values()]]);
  if (sig !== savePollCache.sig) {
    savePollCache.sig = sig;
    storage.set(POLL_CACHE_KEY, { sessionId: state.sessionId, polls, myVotes: [...state.myVotes.values()] });
  }
}

function loadPollCache(id) {
  const cached = storage.get(POLL_CACHE_KEY);
  if (!cached || cached.sessionId !== id || !Array.isArray(cached.polls) || state.loaded) {
    return;
  }
  for (const poll of cached.polls) {
    if (poll && poll.sessionId === id && poll.status !== 'draft') {
      state.polls.set(poll.id, poll);
    }
  }
  for (const vote of Array.isArray(cached.myVotes) ? cached.myVotes : []) {
    if (vote && state.polls.has(vote.pollId)) {
      state.myVotes.set(vote.pollId, vote);
    }
  }
}

function renderPolls() {
  if (!ui.pollList) {
    return;
  }
  savePollCache();
  const all = [...state.polls.values()].filter((p) => p.sessionId === sessionId && p.status !== 'draft');
  for (const p of all) {
    if (lastStatus.get(p.id) === 'open' && p.status === 'closed') {
      justClosed.add(p.id);
    }
    lastStatus.set(p.id, p.status);
  }
  const newest = (a, b) => (b.openedAt || 0) - (a.openedAt || 0) || b.id - a.id;
  const open = all.filter((p) => p.status === 'open').sort(newest);
  const closed = all.filter((p) => p.status === 'closed').sort(newest);
  const ctx = { openCount: open.length, newestClosedId: closed.length ? closed[0].id : null };
  // The open polls and the latest closed one stay on top; older ones wait in one collapsed group below them.
  const recent = closed.filter((p, i) => i === 0 || justClosed.has(p.id));
  const earlier = closed.filter((p) => !recent.includes(p));
  const list = [...open, ...recent];
  ui.polls.hidden = list.length === 0;
  ui.pollWaiting.hidden = open.length > 0 || closed.length === 0;
  const options = { key: (p) => p.id, sig: (p) => pollSig(p, ctx), build: (p) => pollCard(p, ctx) };
  reconcile(ui.pollList, list, options);
  reconcile(ui.pollEarlierList, earlier, options);
  ui.pollEarlier.hidden = earlier.length === 0;
  ui.pollEarlierTitle.textContent = t('poll.earlier', { count: earlier.length });
  const ids = new Set([...list, ...earlier].map((p) => p.id));
  for (const card of [...ui.pollList.children, ...ui.pollEarlierList.children]) {
    const poll = state.polls.get(Number(card.dataset.pollId));
    const slot = card.querySelector('.poll-results-slot');
    if (!poll || !slot) {
      continue;
    }
    if (showsResults(poll)) {
      const view = resultsViewFor(poll);
      if (view.node.parentNode !== slot) {
        slot.replaceChildren(view.node);
      }
      view.update(state.results.get(poll.id) || null, poll);
    } else if (slot.firstChild) {
      slot.replaceChildren();
    }
  }
  for (const map of [resultsViews, drafts, expanded, lastStatus]) {
    for (const id of map.keys()) {
      if (!ids.has(id)) {
        map.delete(id);
      }
    }
  }
}

/** The quiz countdown ticks on its own; at the deadline the card locks (the server's close follows within a second). */
setInterval(() => {
  let expired = false;
  for (const node of ui.pollList.querySelectorAll('[data-testid="quiz-countdown"][data-deadline]')) {
    const card = node.closest('[data-testid="poll"]');
    const poll = card && state.polls.get(Number(card.dataset.pollId));
    if (!poll || poll.status !== 'open') {
      continue;
    }
    if (isLocked(poll) !== (card.dataset.locked === 'true')) {
      expired = true;
    } else if (!node.classList.contains('is-over')) {
      node.firstChild.textContent = formatCountdown(secondsLeft(poll));
    }
  }
  if (expired) {
    renderPolls();
  }
}, 250);

// ------------------------------------------------------------ agenda and rooms

function currentRoomId() {
  const session = currentSession();
  if (session) {
    return session.roomId;
  }
  const room = followedRoom();
  return room ? room.id : null;
}

/** "Hari 2 · Sel, 1 Des · 09.00 WITA": the day and time in the event's time zone, in the reader's language. */
function whenText(session) {
  return `${dayLabel(event, session.startsAt)} · ${formatTime(session.startsAt, event.timeZone, { zone: true })}`;
}

function speakersText(session) {
  return session.speakers && session.speakers.length ? session.speakers.join(', ') : null;
}

function roomRow(room) {
  const a = roomAgenda(event, room.id);
  const target = a.live || a.next || a.last;
  const shown = a.live || a.next;
  const here = currentRoomId() === room.id;
  const parts = [
    el('span', { class: 'agenda-room-head' }, [
      el('span', { class: 'agenda-room-name', text: room.name }),
      shown ? el('span', { class: ['badge', a.live ? 'badge-live' : 'badge-upcoming'], text: t(a.live ? 'session.status.live' : 'session.status.upcoming') }) : null,
      here ? el('span', { class: 'badge badge-here', text: t('agenda.here') }) : null,
    ]),
  ];
  if (shown) {
    if (!a.live) {
      parts.push(el('span', { class: 'agenda-time', text: whenText(a.next) }));
    }
    parts.push(el('span', { class: 'agenda-title', text: shown.title }));
    const speakers = speakersText(shown);
    if (speakers) {
      parts.push(el('span', { class: 'agenda-speakers', text: speakers }));
    }
    if (a.live && a.next) {
      parts.push(el('span', { class: 'agenda-next', text: t('agenda.next', { when: whenText(a.next), title: a.next.title }) }));
    }
  } else {
    parts.push(el('span', { class: 'agenda-when agenda-none', text: t('agenda.no_more') }));
  }
  const attrs = { 'data-testid': 'agenda-room', 'data-room-key': room.key, 'data-session-id': target ? target.id : null };
  return el('li', { class: 'agenda-room-item' }, [target
    ? el('button', {
      class: ['agenda-room', here && 'is-here', a.live && 'is-live'],
      attrs: { type: 'button', ...attrs, 'aria-current': here ? 'true' : null },
      on: { click: () => chooseRoom(room) },
    }, parts)
    : el('div', { class: 'agenda-room is-empty', attrs }, parts)]);
}

function sessionRow(session, current) {
  const here = !!current && current.id === session.id;
  const room = roomById(event, session.roomId);
  const speakers = speakersText(session);
  return el('li', {}, [el('button', {
    class: ['agenda-session', `is-${session.status}`, here && 'is-here'],
    attrs: { type: 'button', 'data-testid': 'agenda-session', 'data-session-id': session.id, 'data-status': session.status, 'aria-current': here ? 'true' : null },
    on: { click: () => pickFromAgenda(session) },
  }, [
    el('span', { class: 'agenda-session-head' }, [
      el('span', {
        class: 'agenda-time',
        text: t('session.time', { start: formatTime(session.startsAt, event.timeZone), end: formatTime(session.endsAt, event.timeZone) }),
      }),
      el('span', { class: ['badge', `badge-${session.status}`], text: t(`session.status.${session.status}`) }),
      here ? el('span', { class: 'badge badge-here', text: t('agenda.here') }) : null,
    ]),
    el('span', { class: 'agenda-title', text: session.title }),
    el('span', { class: 'agenda-meta', text: [room ? room.name : null, speakers].filter(Boolean).join(' · ') }),
  ])]);
}

function chooseRoom(room) {
  const target = roomTarget(event, room.id);
  if (!target) {
    return;
  }
  if (following && room.key !== followKey) {
    // A room picked from the agenda while following another: follow that one.
    setFollowing(room.key);
    renderFollow();
  }
  switchSession(target.id, { auto: following });
  closeAgenda();
}

function pickFromAgenda(session) {
  switchSession(session.id);
  agendaFullOpen = false;
  closeAgenda();
}

/** After a pick the session's own content matters: fold the agenda and hand focus to its summary line. */
function closeAgenda() {
  ui.agenda.open = false;
  ui.agenda.querySelector('summary')?.focus();
  renderAgenda();
}

function renderAgenda() {
  ui.agenda.hidden = !event || !homeMode || !event.sessions.length;
  if (ui.agenda.hidden) {
    return;
  }
  const current = currentSession();
  const sig = JSON.stringify([getLanguage(), event.rooms, event.sessions.map((s) => [s.id, s.roomId, s.status, s.title, s.startsAt, s.endsAt, s.speakers]),
    currentRoomId(), current && current.id, agendaFullOpen]);
  if (ui.agenda._sig === sig) {
    return;
  }
  ui.agenda._sig = sig;
  reconcile(ui.agendaRooms, event.rooms, { key: (r) => r.id, sig: () => sig, build: roomRow });
  ui.agendaFullToggle.textContent = t(agendaFullOpen ? 'agenda.full_hide' : 'agenda.full_show');
  ui.agendaFullToggle.setAttribute('aria-expanded', agendaFullOpen ? 'true' : 'false');
  ui.agendaFull.hidden = !agendaFullOpen;
  if (!agendaFullOpen) {
    ui.agendaFull.replaceChildren();
    return;
  }
  const focused = ui.agendaFull.contains(document.activeElement) ? document.activeElement.dataset.sessionId : null;
  ui.agendaFull.replaceChildren(...agendaDays(event).map((day) => el('section', {
    class: 'agenda-day',
    attrs: { 'aria-labelledby': `agenda-day-${day.number}`, 'data-testid': 'agenda-day' },
  }, [
    el('h3', { class: 'agenda-day-title', attrs: { id: `agenda-day-${day.number}` }, text: dayLabel(event, day.first) }),
    el('ul', { class: 'agenda-sessions' }, day.sessions.map((s) => sessionRow(s, current))),
  ])));
  if (focused) {
    ui.agendaFull.querySelector(`[data-session-id="${CSS.escape(focused)}"]`)?.focus();
  }
}

ui.agendaFullToggle.addEventListener('click', () => {
  agendaFullOpen = !agendaFullOpen;
  renderAgenda();
});

function renderFollow() {
  const room = event && followKey ? roomByKey(event, followKey) : null;
  ui.followNote.hidden = !room;
  if (!room) {
    return;
  }
  const sig = JSON.stringify([getLanguage(), room.name, following, followSwitched]);
  if (ui.followNote._sig === sig) {
    return;
  }
  ui.followNote._sig = sig;
  if (following) {
    ui.followNote.replaceChildren(el('span', {
      text: followSwitched ? t('follow.switched', { room: followSwitched.room, title: followSwitched.title }) : t('follow.on', { room: room.name }),
    }));
    return;
  }
  ui.followNote.replaceChildren(
    el('span', { text: t('follow.off', { room: room.name }) }),
    ' ',
    el('button', {
      class: 'btn btn-small',
      text: t('follow.resume', { room: room.name }),
      attrs: { type: 'button', 'data-testid': 'follow-resume' },
      on: {
        click: () => {
          setFollowing(room.key);
          const target = roomTarget(event, room.id);
          renderFollow();
          if (target) {
            switchSession(target.id, { auto: true });
          }
        },
      },
    }),
  );
}

// ------------------------------------------------------------ announcements

function isRelevant(announcement) {
  return announcement.roomId === null || announcement.roomId === undefined || announcement.roomId === currentRoomId();
}

function scopeText(announcement) {
  const room = announcement.roomId ? roomById(event, announcement.roomId) : null;
  return room ? room.name : t('announcement.everyone');
}

function timeOf(ms) {
  return el('time', { class: 'announce-time', text: relativeTime(ms), data: { ts: ms }, attrs: { datetime: new Date(ms).toISOString() } });
}

/** Dismissing the banner marks it and every older one for this screen as read; the list keeps them all. */
function dismissAnnouncement(announcement) {
  for (const a of relevantAnnouncements(announcements, currentRoomId())) {
    if (a.createdAt <= announcement.createdAt) {
      readAnnouncements.add(a.id);
    }
  }
  const kept = [...readAnnouncements].slice(-200);
  readAnnouncements = new Set(kept);
  storage.set(READ_KEY, kept);
  renderAnnouncements();
  const next = ui.banner.querySelector('[data-testid="announcement-dismiss"]');
  if (next) {
    next.focus();
  } else {
    ui.eventName.tabIndex = -1;
    ui.eventName.focus();
  }
}

function renderAnnouncements() {
  if (!event) {
    return;
  }
  const relevant = relevantAnnouncements(announcements, currentRoomId());
  const freshFrom = serverNow() - ANNOUNCEMENT_FRESH_MS;
  const banner = relevant.find((a) => !readAnnouncements.has(a.id) && a.createdAt >= freshFrom) || null;
  const sig = JSON.stringify([getLanguage(), banner && [banner.id, banner.text, banner.roomId], relevant.length]);
  if (ui.banner._sig !== sig) {
    ui.banner._sig = sig;
    ui.banner.hidden = !banner;
    ui.banner.dataset.announcementId = banner ? String(banner.id) : '';
    ui.banner.replaceChildren(...(banner ? [
      el('p', { class: 'announce-head' }, [
        el('span', { class: 'announce-icon', attrs: { 'aria-hidden': 'true' }, text: '📢' }),
        el('span', { class: 'announce-label', text: t('announcement.title') }),
        el('span', { class: 'announce-scope', text: scopeText(banner) }),
        timeOf(banner.createdAt),
      ]),
      el('p', { class: 'announce-text', attrs: { 'data-testid': 'announcement-text' }, text: banner.text }),
      el('div', { class: 'announce-actions' }, [
        el('button', {
          class: 'btn btn-small',
          text: t('announcement.dismiss'),
          attrs: { type: 'button', 'data-testid': 'announcement-dismiss' },
          on: { click: () => dismissAnnouncement(banner) },
        }),
        relevant.length > 1 ? el('button', {
          class: 'btn btn-small btn-link',
          text: t('announcement.all', { count: relevant.length }),
          attrs: { type: 'button', 'data-testid': 'announcement-all' },
          on: {
            click: () => {
              ui.announcements.scrollIntoView({ block: 'start' });
              ui.announcements.focus({ preventScroll: true });
            },
          },
        }) : null,
      ]),
    ] : []));
  }
  ui.announcements.hidden = relevant.length === 0;
  reconcile(ui.announcementList, relevant, {
    key: (a) => a.id,
    sig: (a) => JSON.stringify([getLanguage(), a.text, a.roomId]),
    build: (a) => el('li', { class: 'announcement', attrs: { 'data-testid': 'announcement', 'data-announcement-id': a.id } }, [
      el('p', { class: 'announcement-meta' }, [el('span', { class: 'announce-scope', text: scopeText(a) }), ' · ', timeOf(a.createdAt)]),
      el('p', { class: 'announcement-text', text: a.text }),
    ]),
  });
}

// ------------------------------------------------------------ reactions

const DEFAULT_REACTIONS = { clap: '👏', heart: '❤️', laugh: '😂', wow: '😮', think: '🤔', up: '👍' };
let reactionNoteTimer = null;

function reactionName(key) {
  const name = t(`reaction.${key}`);
  return name === `reaction.${key}` ? key : name;
}

function showReactionNote(text) {
  ui.reactionNote.textContent = text;
  clearTimeout(reactionNoteTimer);
  reactionNoteTimer = setTimeout(() => { ui.reactionNote.textContent = ''; }, 4000);
}

/** The tap answers at once on the phone itself: the emoji rises from the button. */
function floatLocal(emoji, button) {
  const pop = el('span', { class: 'reaction-pop', attrs: { 'aria-hidden': 'true' }, text: emoji });
  pop.style.left = `${button.offsetLeft + button.offsetWidth / 2}px`;
  pop.style.top = `${button.offsetTop}px`;
  ui.reactionRow.append(pop);
  const done = () => pop.remove();
  pop.addEventListener('animationend', done, { once: true });
  setTimeout(done, 1600);
}

async function sendReaction(key, emoji, button) {
  if (sessionId === null) {
    return;
  }
  floatLocal(emoji, button);
  const r = await live.request('SendReaction', { sessionId, reaction: key });
  if (!r.ok) {
    // Reactions are light: a refusal is said quietly under the row, never as an alert.
    showReactionNote(r.error && r.error.code === 'slow_down' ? t('reaction.slow_down') : errorText(r.error));
  }
}

function renderReactions() {
  const session = currentSession();
  ui.reactions.hidden = !session || session.status !== 'live';
  const kinds = (event && event.reactions && Object.keys(event.reactions).length) ? event.reactions : DEFAULT_REACTIONS;
  const sig = JSON.stringify([getLanguage(), kinds]);
  if (ui.reactionRow._sig === sig) {
    return;
  }
  ui.reactionRow._sig = sig;
  ui.reactionRow.replaceChildren(...Object.entries(kinds).map(([key, emoji]) => el('button', {
    class: 'reaction-btn',
    attrs: { type: 'button', 'data-testid': 'reaction', 'data-reaction': key, 'aria-label': reactionName(key), title: reactionName(key) },
    on: { click: (e) => sendReaction(key, emoji, e.currentTarget) },
  }, [el('span', { class: 'reaction-emoji', attrs: { 'aria-hidden': 'true' }, text: emoji })])));
}

// ------------------------------------------------------------ rendering

function showFatal(error) {
  ui.app.hidden = true;
  ui.fatal.hidden = false;
  ui.fatal.replaceChildren(...fatalNotice(error));
}

function renderAll() {
  if (!event) {
    return;
  }
  renderAgenda();
  renderFollow();
  renderAnnouncements();
  renderPolls();
  renderSession();
  renderReactions();
  renderForm();
  renderMine();
  renderQuestions();
}

function renderSession() {
  renderSessionPicker(ui.select, ui.summary, event, sessionId, currentSession());
}

function renderForm() {
  const session = currentSession();
  const ended = !!session && session.status === 'ended';
  ui.text.disabled = ended || !session;
  ui.name.disabled = ended || !session;
  ui.send.disabled = ended || !session;
  let note = null;
  let kind = 'info';
  if (ended) {
    note = t('ask.ended');
    kind = 'warn';
  } else if (session && session.moderation === 'pre') {
    note = t('ask.premoderated');
  }
  if (session && session.status === 'upcoming') {
    note = [t('ask.upcoming'), note].filter(Boolean).join(' ');
  }
  ui.note.hidden = !note;
  ui.note.textContent = note || '';
  ui.note.className = `notice notice-${kind} note`;
  ui.note.dataset.testid = 'ask-note';
  updateCounter();
  if (formError) {
    ui.error.textContent = errorText(formError);
  }
}

function authorOf(q) {
  return q.authorName || t('question.anonymous');
}

function questionCard(q) {
  const onScreen = q.id === state.onScreenQuestionId;
  const upvoted = state.myUpvotes.has(q.id);
  const mine = isMine(q.id);
  const badges = el('div', { class: 'q-badges' }, [
    onScreen ? el('span', { class: 'badge badge-on-screen', text: t('badge.on_screen') }) : null,
    q.status === 'answered' ? el('span', { class: 'badge badge-answered', text: t('badge.answered') }) : null,
    mine ? el('span', { class: 'badge badge-mine', text: t('badge.mine') }) : null,
  ]);
  return el('li', {
    class: ['q-card', onScreen && 'is-on-screen', mine && 'is-mine'],
    attrs: { 'data-testid': 'question', 'data-question-id': q.id, 'data-status': q.status, 'data-on-screen': onScreen ? 'true' : null },
  }, [
    badges,
    el('p', { class: 'q-text', text: q.text }),
    replyBlock(q.reply),
    el('div', { class: 'q-foot' }, [
      el('div', { class: 'q-meta' }, [
        el('span', { class: 'author', text: authorOf(q) }),
        el('span', { attrs: { 'aria-hidden': 'true' }, text: '·' }),
        el('time', { text: relativeTime(q.createdAt), attrs: { datetime: new Date(q.createdAt).toISOString() }, data: { ts: q.createdAt } }),
      ]),
      el('div', { class: 'q-votes' }, [
        el('span', { class: 'q-count', attrs: { 'data-testid': 'upvote-count' }, text: t('question.upvotes', { count: q.upvotes }) }),
        el('button', {
          class: 'upvote',
          attrs: {
            type: 'button',
            'data-testid': 'upvote',
            'aria-pressed': upvoted ? 'true' : 'false',
            'aria-label': `${t('question.upvote')} (${t('question.upvotes', { count: q.upvotes })})`,
          },
          on: { click: () => toggleUpvote(q.id) },
        }, [el('span', { class: 'icon', attrs: { 'aria-hidden': 'true' }, text: upvoted ? '✓' : '▲' }), t('question.upvote')]),
      ]),
    ]),
  ]);
}

function questionSig(q) {
  return JSON.stringify([getLanguage(), q.text, q.authorName, q.upvotes, q.status, q.reply, q.id === state.onScreenQuestionId,
    state.myUpvotes.has(q.id), isMine(q.id)]);
}

function renderQuestions() {
  for (const button of ui.sort.querySelectorAll('button')) {
    button.setAttribute('aria-pressed', button.dataset.sort === sort ? 'true' : 'false');
  }
  const all = [...state.questions.values()];
  const onScreen = all.find((q) => q.id === state.onScreenQuestionId);
  const open = all.filter((q) => q.status === 'approved' && q !== onScreen).sort(sort === 'newest' ? byNewest : byPopular);
  const answered = all.filter((q) => q.status === 'answered' && q !== onScreen).sort((a, b) => (b.answeredAt || 0) - (a.answeredAt || 0));
  const main = onScreen ? [onScreen, ...open] : open;
  const options = { key: (q) => q.id, sig: questionSig, build: questionCard };
  reconcile(ui.list, main, options);
  reconcile(ui.answered, answered, options);
  ui.empty.hidden = !state.loaded || all.length > 0;
  ui.answeredSection.hidden = answered.length === 0;
}

function renderMine() {
  const own = [...state.mine.values()].filter((q) => q.sessionId === sessionId);
  const forThisSession = (item) => sessionId === null || item.sessionId === sessionId;
  const byClientId = new Map(own.filter((q) => q.clientId).map((q) => [q.clientId, q]));
  const matched = new Set();
  const entries = [];
  for (const item of outbox.items.filter(forThisSession)) {
    const q = byClientId.get(item.clientId) || (item.questionId && state.mine.get(item.questionId)) || null;
    if (q) {
      matched.add(q.id);
    }
    entries.push({ key: `c:${item.clientId}`, item, q, at: q ? q.createdAt : item.createdAt });
  }
  for (const q of own) {
    if (!matched.has(q.id)) {
      entries.push({ key: `q:${q.id}`, item: null, q, at: q.createdAt });
    }
  }
  entries.sort((a, b) => b.at - a.at);
  if (formError && formError.clientId) {
    const item = outbox.items.find((i) => i.clientId === formError.clientId);
    if (!item || item.state === 'delivered' || (item.state === 'sending' && !item.error)) {
      showFormError(null);
    }
  }
  reconcile(ui.mine, entries, {
    key: (e) => e.key,
    sig: (e) => JSON.stringify([getLanguage(), live.isConnected(), e.item && [e.item.state, e.item.error, e.item.text],
      e.q && [e.q.status, e.q.text, e.q.authorName, e.q.reply]]),
    build: mineCard,
  });
  ui.mineSection.hidden = entries.length === 0;
  // Own public questions carry a "your question" badge in the main list.
  renderQuestions();
}

function mineCard({ item, q }) {
  const text = q ? q.text : item.text;
  const status = el('div', { class: 'mine-state' });
  if (item) {
    const label = { sending: 'outbox.sending', delivered: 'outbox.delivered', failed: 'outbox.failed' }[item.state];
    status.append(el('span', { class: ['badge', `badge-${item.state}`], attrs: { 'data-testid': 'outbox-state' } }, [
      item.state === 'delivered' ? '✓ ' : '',
      t(label),
    ]));
  }
  if (q) {
    status.append(el('span', { class: ['badge', `badge-${q.status}`], attrs: { 'data-testid': 'my-question-status' }, text: t(`mine.status.${q.status}`) }));
  }
  const children = [
    el('p', { class: 'q-text', text }),
    el('p', { class: 'q-meta' }, [el('span', { class: 'author', text: (q ? q.authorName : item.authorName) || t('question.anonymous') })]),
    status,
    q ? replyBlock(q.reply) : null,
  ];
  if (item && item.state === 'sending' && !live.isConnected()) {
    children.push(el('p', { class: 'hint', text: t('outbox.waiting') }));
  } else if (item && item.state === 'sending' && item.error) {
    children.push(el('p', { class: 'mine-error', text: errorText(item.error) }));
    children.push(el('p', { class: 'hint', text: t('outbox.auto_retry') }));
  }
  if (item && item.state === 'failed') {
    children.push(el('p', { class: 'mine-error', text: errorText(item.error) }));
    children.push(el('div', { class: 'mine-actions' }, [
      el('button', {
        class: 'btn btn-primary',
        text: t('outbox.retry'),
        attrs: { type: 'button', 'data-testid': 'outbox-retry' },
        on: { click: () => outbox.retry(item.clientId) },
      }),
      el('button', {
        class: 'btn btn-danger',
        text: t('outbox.remove'),
        attrs: { type: 'button', 'data-testid': 'outbox-remove' },
        on: { click: () => outbox.remove(item.clientId) },
      }),
    ]));
  }
  return el('li', {
    class: ['q-card', 'mine-item'],
    attrs: {
      'data-testid': item ? 'outbox-item' : 'my-question',
      'data-state': item ? item.state : null,
      'data-client-id': item ? item.clientId : (q && q.clientId) || null,
      'data-question-id': q ? q.id : null,
      'data-status': q ? q.status : null,
    },
  }, children);
}

onLanguageChange(() => {
  resultsViews.clear();
  renderAll();
});
live.onStatus(() => {
  renderMine();
  renderPolls();
});
startRelativeTimeTicker();
updateCounter();

if (!code) {
  showFatal({ messageKey: 'error.not_found.event' });
} else {
  // On a bad network the page still opens with the agenda it saw last, and questions go to the outbox.
  const cached = storage.get(EVENT_CACHE_KEY);
  if (cached && Array.isArray(cached.sessions) && cached.code === code && !event) {
    event = cached;
    applyLimits(cached);
    ui.name.maxLength = limits.nameMaxLength;
    document.title = `${event.name} · LiveHub`;
    ui.eventName.removeAttribute('data-i18n');
    ui.eventName.textContent = event.name;
    announcements = [...(cached.announcements || [])].sort((a, b) => b.createdAt - a.createdAt || b.id - a.id);
    const chosen = chooseSession();
    if (chosen && sessionId === null) {
      sessionId = chosen.id;
      state.begin(chosen.id);
      loadPollCache(chosen.id);
    }
    renderAll();
  }
}
