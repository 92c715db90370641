// @ts-check
// The session's header: the audience's head count in the session and its room (also beside each session in the
// picker), the session's status (the schedule's, or an override), and whether questions wait for review.
import { applySessionView } from '/js/lib/agenda.js';
import { $, toast } from '/js/lib/dom.js';
import { storage } from '/js/lib/storage.js';
import { t } from '/js/lib/strings.js';
import { formatTime, serverNow } from '/js/lib/time.js';

/** @typedef {import('../../../types/protocol').PresenceDelta} PresenceDelta */
/** @typedef {import('../../../types/protocol').SessionView} SessionView */
/** @typedef {import('../../../types/protocol').SessionStatus} SessionStatus */
/** @typedef {import('../../../types/protocol').EventSnapshot} EventSnapshot */
/** @typedef {import('/js/lib/connection.js').LiveErrorShape} LiveErrorShape */
/** @type {SessionStatus[]} what a moderator may set; none returns the session to its schedule */
const STATUSES = ['upcoming', 'live', 'ended'];

/**
 * @typedef {object} SessionHeader
 * @property {(event: EventSnapshot) => void} load takes the event snapshot's head counts
 * @property {(delta: PresenceDelta) => void} presenceChanged
 * @property {() => void} render
 */

/**
 * @param {{
 *   live: import('/js/lib/connection.js').Live,
 *   state: import('/js/lib/session-state.js').SessionState,
 *   code: string,
 *   getEvent: () => EventSnapshot | null,
 *   getSessionId: () => number | null,
 *   failed: (r: { error: LiveErrorShape }) => Promise<boolean>,
 *   toastError: (error: LiveErrorShape) => void,
 *   toastFailure: (r: { error: LiveErrorShape }) => Promise<void>,
 *   render: () => void,
 * }} deps
 * @returns {SessionHeader}
 */
export function createSessionHeader({ live, state, code, getEvent, getSessionId, failed, toastError, toastFailure, render: renderPage }) {
  const overridesKey = `lh.mod.status.${code}`;
  const ui = {
    select: /** @type {HTMLSelectElement} */ ($('#session-select')),
    here: $('#presence-session'),
    room: $('#presence-room'),
    status: /** @type {HTMLSelectElement} */ ($('#session-status')),
    statusHint: $('#session-status-hint'),
    mode: /** @type {HTMLButtonElement} */ ($('#mode')),
    modeState: $('#mode-state'),
    modeNote: $('#mode-note'),
  };
  /** @type {Map<number, number>} sessionId -> audience head count */
  let presence = new Map();
  /** @type {Map<number, number>} roomId -> head count over the room's sessions */
  let roomPresence = new Map();

  function currentSessionView() {
    const event = getEvent();
    const sessionId = getSessionId();
    return state.session || (event && event.sessions.find((s) => s.id === sessionId)) || null;
  }

  /** Head counts in the header and beside each session in the picker (changed in place: a rebuild would close it). */
  function renderPresence() {
    const sessionId = getSessionId();
    if (!getEvent()) {
      return;
    }
    const session = currentSessionView();
    const here = sessionId !== null ? (presence.get(sessionId) ?? state.present ?? 0) : 0;
    const room = session ? (roomPresence.get(session.roomId) ?? here) : here;
    ui.here.textContent = t('mod.presence.session', { count: here });
    ui.room.textContent = t('mod.presence.room', { count: room });
    ui.here.dataset.count = String(here);
    ui.room.dataset.count = String(room);
    for (const option of ui.select.options) {
      const label = option.dataset.label;
      if (!label) {
        continue;
      }
      const count = presence.get(Number(option.value)) || 0;
      const text = count ? `${label} · ${t('mod.presence.short', { count })}` : label;
      if (option.textContent !== text) {
        option.textContent = text;
      }
    }
  }

  /** What the schedule alone would say now. @param {SessionView} session @returns {SessionStatus} */
  function scheduledStatus(session) {
    const now = serverNow();
    return now < session.startsAt ? 'upcoming' : now < session.endsAt ? 'live' : 'ended';
  }

  /**
   * The override in force, as well as the client can tell: SessionView carries only the resulting status, so a status
   * the schedule would not give is an override, and this laptop remembers what it set itself.
   * @param {SessionView} session @returns {SessionStatus | null}
   */
  function overrideOf(session) {
    const mine = storage.get(overridesKey, {}) || {};
    const remembered = Object.prototype.hasOwnProperty.call(mine, session.id) ? mine[session.id] : undefined;
    const scheduled = scheduledStatus(session);
    if (remembered !== undefined && (remembered === null ? session.status === scheduled : session.status === remembered)) {
      return remembered;
    }
    return session.status === scheduled ? null : session.status;
  }

  function renderStatus() {
    const session = currentSessionView();
    ui.status.disabled = !session;
    if (!session) {
      return;
    }
    const override = overrideOf(session);
    if (ui.status.getAttribute('aria-busy') !== 'true') {
      ui.status.value = override || '';
    }
    ui.status.dataset.status = session.status;
    const zone = getEvent()?.timeZone;
    const when = t('session.time', { start: formatTime(session.startsAt, zone), end: formatTime(session.endsAt, zone) });
    ui.statusHint.textContent = override
      ? t('mod.status.overridden', { scheduled: t(`session.status.${scheduledStatus(session)}`), when })
      : t('mod.status.following', { when });
  }

  ui.status.addEventListener('change', async () => {
    const session = currentSessionView();
    if (!session) {
      return;
    }
    const status = STATUSES.find((s) => s === ui.status.value) ?? null;
    ui.status.setAttribute('aria-busy', 'true');
    const r = await live.request('SetSessionStatus', { sessionId: session.id, status });
    ui.status.removeAttribute('aria-busy');
    if (!r.ok) {
      if (await failed(r)) {
        return;
      }
      toastError(r.error);
      renderStatus();
      return;
    }
    const mine = storage.get(overridesKey, {}) || {};
    mine[session.id] = status;
    storage.set(overridesKey, mine);
    applySessionView(getEvent(), r.value);
    state.takeStatus(r.value);
    renderPage();
    toast(status ? t('mod.status.done', { status: t(`session.status.${status}`) }) : t('mod.status.done_schedule'));
  });

  function renderMode() {
    const pre = !state.session || state.session.moderation === 'pre';
    ui.mode.setAttribute('aria-checked', pre ? 'true' : 'false');
    ui.mode.dataset.mode = state.session ? state.session.moderation : '';
    ui.mode.disabled = !state.session;
    ui.modeState.textContent = t(pre ? 'mod.mode.on' : 'mod.mode.off');
    ui.modeNote.textContent = t(pre ? 'mod.mode.pre_note' : 'mod.mode.open_note');
  }

  ui.mode.addEventListener('click', async () => {
    if (!state.session) {
      return;
    }
    const mode = state.session.moderation === 'pre' ? 'open' : 'pre';
    const sessionId = getSessionId();
    if (sessionId === null) {
      return;
    }
    ui.mode.setAttribute('aria-busy', 'true');
    const r = await live.request('SetModerationMode', { sessionId, mode });
    ui.mode.removeAttribute('aria-busy');
    if (!r.ok) {
      await toastFailure(r);
      return;
    }
    if (state.session) {
      state.session = { ...state.session, moderation: r.value.moderation };
    }
    renderPage();
    toast(t(`done.mode.${r.value.moderation}`));
  });

  return {
    load(event) {
      presence = new Map(Object.entries(event.presence || {}).map(([id, n]) => [Number(id), Number(n)]));
      roomPresence = new Map();
      for (const s of event.sessions) {
        roomPresence.set(s.roomId, (roomPresence.get(s.roomId) || 0) + (presence.get(s.id) || 0));
      }
    },
    presenceChanged(delta) {
      presence.set(delta.sessionId, delta.session);
      roomPresence.set(delta.roomId, delta.room);
      if (delta.sessionId === getSessionId()) {
        state.present = delta.session;
      }
      renderPresence();
    },
    render() {
      renderPresence();
      renderStatus();
      renderMode();
    },
  };
}
