// The audience's phone: pick a session, ask (through the outbox), upvote, follow one's own questions.
import {
  $, MAX_NAME_LENGTH, MAX_QUESTION_LENGTH, SessionState, VERSIONED_EVENTS, announce, applyI18n, bindStatus,
  byNewest, byPopular, connect, createOutbox, el, errorText, eventCodeFromPath, getLanguage,
  languageSwitch, onLanguageChange, pickSession, relativeTime, reconcile, renderSessionPicker, serverNow, setLanguage,
  startRelativeTimeTicker, storage, t, toast,
} from '/js/client.js';

const code = eventCodeFromPath();
const params = new URLSearchParams(location.search);
const SESSION_KEY = `lh.session.${code}`;
const NAME_KEY = 'lh.name';
const SORT_KEY = 'lh.sort';
const EVENT_CACHE_KEY = `lh.event.${code}`;

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
};

let event = null;
let sessionId = null;
let sort = storage.getRaw(SORT_KEY) === 'newest' ? 'newest' : 'popular';
let formError = null;
let lastNewAnnounce = 0;
let eventTimer = null;
const upvoteBusy = new Set();

if (params.get('lang')) {
  setLanguage(params.get('lang'), { remember: false });
}
applyI18n();
$('#tools').append(languageSwitch());
ui.name.value = storage.getRaw(NAME_KEY) || '';

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

for (const name of VERSIONED_EVENTS) {
  live.on(name, (delta) => state.handle(name, delta));
}
live.on('MyQuestionChanged', (question) => {
  const before = state.mine.get(question.id);
  state.applyMine(question);
  outbox.match([question]);
  if (before && before.status !== question.status && question.sessionId === sessionId) {
    const key = `announce.my.${question.status}`;
    if (['approved', 'dismissed', 'answered'].includes(question.status)) {
      announce(t(key));
    }
  }
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
  const r = await live.call('JoinEvent', code);
  if (!r.ok) {
    if (r.error && r.error.messageKey === 'error.not_found.event') {
      showFatal(r.error);
      return;
    }
    throw r.error;
  }
  setEvent(r.value);
  const chosen = pickSession(event.sessions, sessionId ?? params.get('session'), storage.getRaw(SESSION_KEY));
  if (!chosen) {
    return;
  }
  await joinSession(chosen.id);
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
}

async function switchSession(id) {
  if (id === sessionId) {
    return;
  }
  const old = sessionId;
  storage.setRaw(SESSION_KEY, String(id));
  const url = new URL(location.href);
  url.searchParams.set('session', String(id));
  history.replaceState(null, '', url);
  if (old !== null) {
    live.request('LeaveSession', old);
  }
  try {
    if (live.isConnected()) {
      await joinSession(id);
    } else {
      sessionId = id;
      state.begin(id);
      renderAll();
    }
  } catch (error) {
    toast(errorText(error), { kind: 'error' });
  }
}

function setEvent(snapshot) {
  event = snapshot;
  storage.set(EVENT_CACHE_KEY, snapshot);
  document.title = `${event.name} · LiveHub`;
  ui.eventName.removeAttribute('data-i18n');
  ui.eventName.textContent = event.name;
  if (state.session) {
    const fresh = event.sessions.find((s) => s.id === state.session.id);
    if (fresh) {
      state.session = { ...state.session, status: fresh.status };
    }
  }
  scheduleEventRefresh();
  renderAll();
}

/** Session status is not pushed: read the agenda again when the next session starts or ends. */
function scheduleEventRefresh() {
  clearTimeout(eventTimer);
  const now = serverNow();
  const next = event.sessions.flatMap((s) => [s.startsAt, s.endsAt]).filter((ms) => ms > now).sort((a, b) => a - b)[0];
  const wait = Math.min(next ? next - now + 2000 : Infinity, 10 * 60 * 1000);
  eventTimer = setTimeout(async () => {
    const r = await live.request('JoinEvent', code);
    if (r.ok) {
      setEvent(r.value);
    } else {
      scheduleEventRefresh();
    }
  }, wait);
}

// ------------------------------------------------------------ state changes

function onStateChange(change) {
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
  ui.counter.textContent = t('ask.counter', { count: n, max: MAX_QUESTION_LENGTH });
  ui.counter.classList.toggle('over', n > MAX_QUESTION_LENGTH);
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
  if (text.length > MAX_QUESTION_LENGTH) {
    showFormError({ messageKey: 'error.text_too_long' });
    ui.text.focus();
    return;
  }
  if (name.length > MAX_NAME_LENGTH) {
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

// ------------------------------------------------------------ rendering

function showFatal(error) {
  ui.app.hidden = true;
  ui.fatal.hidden = false;
  ui.fatal.replaceChildren(
    el('p', { text: errorText(error) }),
    el('p', {}, [el('a', { text: t('home.link'), attrs: { href: '/' } })]),
  );
}

function renderAll() {
  if (!event) {
    return;
  }
  renderSession();
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
  return JSON.stringify([getLanguage(), q.text, q.authorName, q.upvotes, q.status, q.id === state.onScreenQuestionId,
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
      e.q && [e.q.status, e.q.text, e.q.authorName]]),
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

onLanguageChange(() => renderAll());
live.onStatus(() => renderMine());
startRelativeTimeTicker();
updateCounter();

if (!code) {
  showFatal({ messageKey: 'error.not_found.event' });
} else {
  // On a bad network the page still opens with the agenda it saw last, and questions go to the outbox.
  const cached = storage.get(EVENT_CACHE_KEY);
  if (cached && Array.isArray(cached.sessions) && cached.code === code && !event) {
    event = cached;
    document.title = `${event.name} · LiveHub`;
    ui.eventName.removeAttribute('data-i18n');
    ui.eventName.textContent = event.name;
    const chosen = pickSession(event.sessions, params.get('session'), storage.getRaw(SESSION_KEY));
    if (chosen && sessionId === null) {
      sessionId = chosen.id;
      state.begin(chosen.id);
    }
    renderAll();
  }
}
