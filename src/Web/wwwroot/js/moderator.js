// The moderator's laptop: sign in with the event's passcode, then curate the queues and drive the screen.
import {
  $, SessionState, VERSIONED_EVENTS, announce, api, applyI18n, bindStatus, byNewest, byOldest, byPopular, connect, el,
  errorText, eventCodeFromPath, getLanguage, languageSwitch, onLanguageChange, pickSession,
  reconcile, relativeTime, renderSessionPicker, serverNow, setLanguage, startRelativeTimeTicker, storage, t, toast,
} from '/js/client.js';

const code = eventCodeFromPath();
const params = new URLSearchParams(location.search);
const SESSION_KEY = `lh.mod.session.${code}`;
const QUEUES = ['pending', 'approved', 'answered', 'dismissed', 'archived'];

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
  mode: $('#mode'),
  modeState: $('#mode-state'),
  modeNote: $('#mode-note'),
  projector: $('#projector-link'),
  onScreen: $('#on-screen'),
  next: $('#next'),
  nextPreview: $('#next-preview'),
  tabs: $('#tabs'),
  hint: $('#queue-hint'),
  list: $('#queue-list'),
  empty: $('#queue-empty'),
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
const busy = new Set();

if (params.get('lang')) {
  setLanguage(params.get('lang'), { remember: false });
}
applyI18n();
$('#tools').append(languageSwitch());

const state = new SessionState({
  view: 'moderator',
  resync: async (id) => {
    const r = await live.call('JoinSession', id, 'moderator');
    return r.ok ? r.value : null;
  },
  onChange: onStateChange,
});

// The moderator cookie rides on the WebSocket handshake, so the hub is started only once signed in.
const live = connect({ onConnected: rejoin, autoStart: false });
bindStatus(ui.conn, live);
for (const name of VERSIONED_EVENTS) {
  live.on(name, (delta) => state.handle(name, delta));
}

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
  const r = await api('POST', `/api/events/${encodeURIComponent(code)}/moderator/session`, { passcode });
  ui.signinButton.disabled = false;
  if (r.ok && r.value && r.value.isModerator) {
    showSignInError(null);
    await enterApp();
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
  const r = await live.call('JoinEvent', code);
  if (!r.ok) {
    if (r.error && r.error.messageKey === 'error.not_found.event') {
      showFatal(r.error);
      return;
    }
    throw r.error;
  }
  setEvent(r.value);
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
    editing = null;
    seenPending = new Set();
  }
  sessionId = id;
  state.begin(id);
  render();
  const r = await live.call('JoinSession', id, 'moderator');
  if (id !== sessionId) {
    return;
  }
  if (!r.ok) {
    if (r.error && r.error.messageKey === 'error.forbidden') {
      await lostModeratorRights(r.error);
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
      render();
    }
  } catch (error) {
    toast(errorText(error), { kind: 'error' });
  }
}

function setEvent(snapshot) {
  event = snapshot;
  document.title = `${t('mod.title')} · ${event.name}`;
  ui.eventName.removeAttribute('data-i18n');
  ui.eventName.textContent = event.name;
  if (state.session) {
    const fresh = event.sessions.find((s) => s.id === state.session.id);
    if (fresh) {
      state.session = { ...state.session, status: fresh.status };
    }
  }
  clearTimeout(eventTimer);
  const now = serverNow();
  const next = event.sessions.flatMap((s) => [s.startsAt, s.endsAt]).filter((ms) => ms > now).sort((a, b) => a - b)[0];
  eventTimer = setTimeout(async () => {
    const r = await live.request('JoinEvent', code);
    if (r.ok) {
      setEvent(r.value);
      render();
    }
  }, Math.min(next ? next - now + 2000 : Infinity, 10 * 60 * 1000));
}

// ------------------------------------------------------------ state changes

function onStateChange(change) {
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
  if (editing && !state.questions.has(editing.id)) {
    editing = null;
  }
  render();
}

// ------------------------------------------------------------ actions

const UNDO = { dismiss: 'restore', answer: 'restore', archive: 'restore' };

async function moderate(question, action, { quiet = false } = {}) {
  if (busy.has(question.id)) {
    return;
  }
  const previousOnScreen = state.onScreenQuestionId;
  busy.add(question.id);
  render();
  const r = await live.request('ModerateQuestion', { sessionId, questionId: question.id, action });
  busy.delete(question.id);
  if (!r.ok) {
    render();
    if (r.error && r.error.messageKey === 'error.forbidden') {
      await lostModeratorRights(r.error);
      return;
    }
    toast(errorText(r.error), { kind: 'error' });
    return;
  }
  // Show the outcome now; the versioned delta that follows carries the same state.
  if (r.value && state.questions.has(r.value.id)) {
    state.questions.set(r.value.id, r.value);
  }
  render();
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
  busy.add(question.id);
  render();
  const r = await live.request('EditQuestion', { sessionId, questionId: question.id, text });
  busy.delete(question.id);
  if (!r.ok) {
    if (r.error && r.error.messageKey === 'error.forbidden') {
      await lostModeratorRights(r.error);
      return;
    }
    if (editing && editing.id === question.id) {
      editing.error = r.error;
    }
    render();
    return;
  }
  editing = null;
  if (r.value && state.questions.has(r.value.id)) {
    state.questions.set(r.value.id, r.value);
  }
  render();
  const card = ui.list.querySelector(`[data-question-id="${question.id}"] [data-testid="action-edit"]`);
  card?.focus();
  toast(t('done.edit'));
}

function startEdit(question) {
  editing = { id: question.id, draft: question.text, error: null };
  render();
  const box = document.querySelector(`[data-question-id="${question.id}"] textarea`);
  if (box) {
    box.focus();
    box.setSelectionRange(box.value.length, box.value.length);
  }
}

ui.mode.addEventListener('click', async () => {
  if (!state.session) {
    return;
  }
  const mode = state.session.moderation === 'pre' ? 'open' : 'pre';
  ui.mode.setAttribute('aria-busy', 'true');
  const r = await live.request('SetModerationMode', { sessionId, mode });
  ui.mode.removeAttribute('aria-busy');
  if (!r.ok) {
    if (r.error && r.error.messageKey === 'error.forbidden') {
      await lostModeratorRights(r.error);
      return;
    }
    toast(errorText(r.error), { kind: 'error' });
    return;
  }
  state.session = { ...state.session, moderation: r.value.moderation };
  render();
  toast(t(`done.mode.${r.value.moderation}`));
});

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
  ui.fatal.replaceChildren(
    el('p', { text: errorText(error) }),
    el('p', {}, [el('a', { text: t('home.link'), attrs: { href: '/' } })]),
  );
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
  renderMode();
  renderOnScreen();
  renderTabs();
  renderQueue();
  const pending = sorted('pending').length;
  document.title = `${pending ? `(${pending}) ` : ''}${t('mod.title')} · ${event.name}`;
}

function renderMode() {
  const pre = !state.session || state.session.moderation === 'pre';
  ui.mode.setAttribute('aria-checked', pre ? 'true' : 'false');
  ui.mode.dataset.mode = state.session ? state.session.moderation : '';
  ui.mode.disabled = !state.session;
  ui.modeState.textContent = t(pre ? 'mod.mode.on' : 'mod.mode.off');
  ui.modeNote.textContent = t(pre ? 'mod.mode.pre_note' : 'mod.mode.open_note');
}

function renderOnScreen() {
  const q = state.onScreenQuestionId ? state.questions.get(state.onScreenQuestionId) : null;
  ui.onScreen.classList.toggle('is-empty', !q);
  if (q) {
    ui.onScreen.dataset.questionId = String(q.id);
  } else {
    delete ui.onScreen.dataset.questionId;
  }
  const sig = JSON.stringify([getLanguage(), q && [q.id, q.text, q.authorName, q.upvotes, q.status], q && busy.has(q.id)]);
  if (ui.onScreen._sig !== sig) {
    ui.onScreen._sig = sig;
    const focused = ui.onScreen.contains(document.activeElement) ? document.activeElement.dataset.testid : null;
    ui.onScreen.replaceChildren(...(q
      ? [
        el('p', { class: 'q-text', text: q.text }),
        el('p', { class: 'q-meta' }, [
          el('span', { class: 'author', text: q.authorName || t('question.anonymous') }),
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

function renderQueue() {
  const items = sorted(queue);
  ui.hint.textContent = queue === 'pending' ? t('queue.order.pending') : queue === 'approved' ? t('queue.order.approved') : '';
  ui.hint.hidden = !ui.hint.textContent;
  reconcile(ui.list, items, {
    key: (q) => q.id,
    sig: (q) => JSON.stringify([getLanguage(), q.text, q.authorName, q.upvotes, q.status, q.id === state.onScreenQuestionId,
      busy.has(q.id), editing && editing.id === q.id && [editing.error && editing.error.messageKey]]),
    build: card,
  });
  ui.empty.hidden = items.length > 0 || !state.loaded;
}

function actionButton(q, action, style = '') {
  return el('button', {
    class: ['btn', style],
    text: t(`action.${action}`),
    attrs: { type: 'button', 'data-testid': `action-${action}`, 'aria-disabled': busy.has(q.id) ? 'true' : null },
    on: { click: () => moderate(q, action) },
  });
}

const ACTIONS = {
  pending: ['approve', 'dismiss', 'show', 'edit', 'archive'],
  approved: ['show', 'answer', 'dismiss', 'edit', 'archive'],
  answered: ['restore', 'show', 'edit', 'archive'],
  dismissed: ['restore', 'edit', 'archive'],
  archived: ['restore', 'edit'],
};
const STYLE = { approve: 'btn-primary', dismiss: 'btn-danger', show: '', answer: 'btn-ok', restore: 'btn-primary' };

function card(q) {
  const onScreen = q.id === state.onScreenQuestionId;
  const isEditing = editing && editing.id === q.id;
  const body = [];
  body.push(el('div', { class: 'q-badges' }, [
    onScreen ? el('span', { class: 'badge badge-on-screen', text: t('badge.on_screen') }) : null,
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
    body.push(el('p', { class: 'q-text', text: q.text }));
  }
  body.push(el('div', { class: 'q-meta' }, [
    el('span', { class: 'author', text: q.authorName || t('question.anonymous') }),
    el('span', { attrs: { 'aria-hidden': 'true' }, text: '·' }),
    el('time', { text: relativeTime(q.createdAt), data: { ts: q.createdAt }, attrs: { datetime: new Date(q.createdAt).toISOString() } }),
    el('span', { attrs: { 'aria-hidden': 'true' }, text: '·' }),
    el('span', { text: t('question.upvotes', { count: q.upvotes }) }),
  ]));
  let actions;
  if (isEditing) {
    actions = [
      el('button', { class: 'btn btn-primary', text: t('action.save'), attrs: { type: 'button', 'data-testid': 'action-save' }, on: { click: () => saveEdit(q) } }),
      el('button', { class: 'btn', text: t('action.cancel'), attrs: { type: 'button', 'data-testid': 'action-cancel' }, on: { click: () => { editing = null; render(); } } }),
    ];
  } else {
    // The question on screen is taken down from the "on screen" panel, so each control exists once.
    actions = ACTIONS[q.status].filter((a) => !(onScreen && a === 'show')).map((a) => (a === 'edit'
      ? el('button', { class: 'btn', text: t('action.edit'), attrs: { type: 'button', 'data-testid': 'action-edit' }, on: { click: () => startEdit(q) } })
      : actionButton(q, a, STYLE[a])));
  }
  body.push(el('div', { class: 'q-actions' }, actions));
  return el('li', {
    class: ['q-card', 'mod-card', onScreen && 'is-on-screen', busy.has(q.id) && 'is-busy'],
    attrs: { 'data-testid': 'mod-question', 'data-question-id': q.id, 'data-status': q.status, 'aria-busy': busy.has(q.id) ? 'true' : null },
  }, body);
}

onLanguageChange(() => {
  showSignInError(signinError);
  ui.onScreen._sig = null;
  render();
});
startRelativeTimeTicker();

if (!code) {
  showFatal({ messageKey: 'error.not_found.event' });
} else {
  checkSignIn();
}
