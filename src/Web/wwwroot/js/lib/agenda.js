// @ts-check
// The event's agenda: rooms and what is on in each now, the session picker, and the statuses that moderators override
// (pushed) or the schedule moves on (read again at the next start or end). The phone's day-by-day agenda is in
// audience/agenda.js, the announcements a screen shows in lib/announcements.js.
import { el } from './dom.js';
import { getLanguage, t } from './strings.js';
import { formatDay, formatTime, serverNow } from './time.js';

/** @import { EventSnapshot, SessionView, RoomView } from '../../../types/protocol' */

/**
 * Fills a <select> with the event's sessions, grouped by room, each labelled with its status and time.
 * @param {HTMLSelectElement} select @param {EventSnapshot} event @param {number | null} selectedId
 */
export function fillSessionSelect(select, event, selectedId) {
  select.replaceChildren();
  /** @type {Array<{ id: number | null, name: string }>} an event without rooms lists its sessions in one group */
  const rooms = event.rooms.length ? event.rooms : [{ id: null, name: '' }];
  for (const room of rooms) {
    const sessions = event.sessions
      .filter((s) => room.id === null || s.roomId === room.id)
      .sort((a, b) => a.startsAt - b.startsAt);
    if (!sessions.length) {
      continue;
    }
    const group = el('optgroup', { attrs: { label: room.name } });
    for (const s of sessions) {
      const label = `${s.title} — ${t(`session.status.${s.status}`)} · ${formatDay(s.startsAt, event.timeZone)} ${formatTime(s.startsAt, event.timeZone)}`;
      group.append(el('option', { text: label, attrs: { value: s.id, selected: String(s.id) === String(selectedId) }, data: { label } }));
    }
    select.append(group);
  }
  select.value = String(selectedId);
}

/**
 * The session picker and the chosen session's summary, rebuilt only when the agenda, the choice or the language
 * changes: rebuilding on every delta would close a picker the user has open.
 * @param {HTMLSelectElement & { _sig?: string }} select @param {HTMLElement} summary @param {EventSnapshot} event
 * @param {number | null} sessionId @param {SessionView | null | undefined} session
 */
export function renderSessionPicker(select, summary, event, sessionId, session) {
  const sig = JSON.stringify([getLanguage(), sessionId, event.sessions.map((s) => [s.id, s.status, s.title, s.startsAt]),
    session && [session.id, session.status, session.title]]);
  if (select._sig === sig) {
    return;
  }
  select._sig = sig;
  fillSessionSelect(select, event, sessionId);
  summary.replaceChildren(session ? sessionSummary(session, event) : '');
}

/** The session's title, status, time (in the event's zone) and speakers. @param {SessionView} session @param {EventSnapshot} event */
export function sessionSummary(session, event) {
  const room = event.rooms.find((r) => r.id === session.roomId);
  const when = `${formatDay(session.startsAt, event.timeZone)}, ${t('session.time', {
    start: formatTime(session.startsAt, event.timeZone),
    end: formatTime(session.endsAt, event.timeZone, { zone: true }),
  })}`;
  return el('div', { class: 'session-summary' }, [
    el('h2', { class: 'session-title', userText: session.title }),
    el('p', { class: 'session-meta' }, [
      el('span', { class: ['badge', `badge-${session.status}`], text: t(`session.status.${session.status}`) }),
      ' ',
      el('span', { text: [room ? room.name : null, when].filter(Boolean).join(' · ') }),
    ]),
    session.speakers && session.speakers.length
      ? el('p', { class: 'session-speakers', text: t('session.speakers', { names: session.speakers.join(', ') }) })
      : null,
  ]);
}

/** @param {EventSnapshot | null | undefined} event @param {number | null | undefined} roomId @returns {RoomView | null} */
export function roomById(event, roomId) {
  return (event && event.rooms.find((r) => r.id === roomId)) || null;
}

/** @param {EventSnapshot | null | undefined} event @param {string | null | undefined} key @returns {RoomView | null} */
export function roomByKey(event, key) {
  return (event && key && event.rooms.find((r) => r.key === key)) || null;
}

/** A room's sessions now: the live one, the next to start, the last that ended. @param {EventSnapshot} event @param {number} roomId */
export function roomAgenda(event, roomId) {
  const sessions = event.sessions.filter((s) => s.roomId === roomId).sort((a, b) => a.startsAt - b.startsAt || a.id - b.id);
  const live = sessions.find((s) => s.status === 'live') || null;
  const upcoming = sessions.filter((s) => s.status === 'upcoming');
  return {
    live,
    // What comes after the live one (a moderator may have started a session early, ahead of an earlier one).
    next: (live && upcoming.find((s) => s.startsAt >= live.startsAt)) || upcoming[0] || null,
    last: sessions.filter((s) => s.status === 'ended').pop() || null,
  };
}

/** The session a room's door QR leads to: the one live there, else the next one, else the last one. @param {EventSnapshot} event @param {number} roomId */
export function roomTarget(event, roomId) {
  const a = roomAgenda(event, roomId);
  return a.live || a.next || a.last;
}

/**
 * Puts a pushed SessionView into the event's agenda; answers whether anything a screen shows changed.
 * @param {EventSnapshot | null | undefined} event @param {SessionView | null | undefined} view
 */
export function applySessionView(event, view) {
  if (!event || !view) {
    return false;
  }
  const index = event.sessions.findIndex((s) => s.id === view.id);
  if (index < 0) {
    return false;
  }
  const before = event.sessions[index];
  event.sessions[index] = { ...before, ...view };
  return before.status !== view.status || before.title !== view.title;
}

/**
 * A pushed SessionStatusChanged: the agenda and the joined session take the new status. False when it is another event's.
 * @param {EventSnapshot | null | undefined} event @param {import('./session-state.js').SessionState} state @param {SessionView} view
 */
export function applySessionStatus(event, state, view) {
  if (!event || view.eventId !== event.id) {
    return false;
  }
  applySessionView(event, view);
  state.takeStatus(view);
  return true;
}

/**
 * Milliseconds until just after the agenda's next start or end (the schedule is not pushed, so it is read again then).
 * @param {EventSnapshot} event @param {number} atMostMs
 */
export function untilAgendaChanges(event, atMostMs) {
  const now = serverNow();
  const next = event.sessions.flatMap((s) => [s.startsAt, s.endsAt]).filter((ms) => ms > now).sort((a, b) => a - b)[0];
  return Math.min(next ? next - now + 2000 : Infinity, atMostMs);
}
