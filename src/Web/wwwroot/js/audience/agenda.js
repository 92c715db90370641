// @ts-check
// The event's agenda on the phone: what is on in each room now, the whole programme by day, and the note when the
// page follows a room's live session. It opens unfolded only when nothing is live where the person is: with a live
// session the first screen belongs to its poll and the way to ask.
import { roomAgenda, roomById, roomByKey, roomTarget } from '/js/lib/agenda.js';
import { $, el, reconcile, userText } from '/js/lib/dom.js';
import { getLanguage, t, tParts } from '/js/lib/strings.js';
import { formatDay, formatTime } from '/js/lib/time.js';

/** @typedef {import('../../../types/protocol').EventSnapshot} EventSnapshot */
/** @typedef {import('../../../types/protocol').SessionView} SessionView */
/** @typedef {import('../../../types/protocol').RoomView} RoomView */

/**
 * The calendar day of a moment in the event's time zone, as "2019-10-16": days are counted where the event happens.
 * @param {number} ms @param {string | null | undefined} timeZone
 */
function dayKey(ms, timeZone) {
  try {
    return new Intl.DateTimeFormat('en-CA', { timeZone: timeZone || undefined, year: 'numeric', month: '2-digit', day: '2-digit' }).format(ms);
  } catch {
    return new Intl.DateTimeFormat('en-CA', { year: 'numeric', month: '2-digit', day: '2-digit' }).format(ms);
  }
}

/** The event's days in order, each with its number (Hari 1, 2, 3) and its sessions by start time. @param {EventSnapshot} event */
function agendaDays(event) {
  /** @type {Map<string, { key: string, first: number, sessions: SessionView[] }>} */
  const days = new Map();
  for (const s of [...event.sessions].sort((a, b) => a.startsAt - b.startsAt || a.roomId - b.roomId)) {
    const key = dayKey(s.startsAt, event.timeZone);
    let day = days.get(key);
    if (!day) {
      day = { key, first: s.startsAt, sessions: [] };
      days.set(key, day);
    }
    day.sessions.push(s);
  }
  return [...days.values()].map((d, i) => ({ ...d, number: i + 1 }));
}

/** "Hari 2 · Sel, 1 Des" for the day a moment falls on. @param {EventSnapshot} event @param {number} ms */
function dayLabel(event, ms) {
  const key = dayKey(ms, event.timeZone);
  const day = agendaDays(event).find((d) => d.key === key);
  const date = formatDay(ms, event.timeZone);
  return day ? t('agenda.day', { n: day.number, date }) : date;
}

/**
 * @param {import('/js/audience.js').AudiencePage} page the phone page's shared context (js/audience.js)
 * @param {{ openedByHand?: boolean }} [options] openedByHand: the person opened it before this module came
 */
export function createAgenda(page, { openedByHand = false } = {}) {
  const ui = {
    agenda: $('#agenda-home'),
    rooms: $('#agenda-rooms'),
    fullToggle: $('#agenda-full-toggle'),
    full: $('#agenda-full'),
    followNote: $('#follow-note'),
  };
  let fullOpen = false;
  let toggledByHand = openedByHand;
  let opening = false;

  ui.agenda.addEventListener('toggle', () => {
    if (!opening) {
      toggledByHand = true;
    }
  });
  ui.fullToggle.addEventListener('click', () => {
    fullOpen = !fullOpen;
    render();
  });

  /**
   * "Hari 2 · Sel, 1 Des · 09.00 WITA": the day and time in the event's time zone, in the reader's language.
   * @param {EventSnapshot} event @param {SessionView} session
   */
  function whenText(event, session) {
    return `${dayLabel(event, session.startsAt)} · ${formatTime(session.startsAt, event.timeZone, { zone: true })}`;
  }

  /** @param {SessionView} session */
  function speakersText(session) {
    return session.speakers && session.speakers.length ? session.speakers.join(', ') : null;
  }

  /** @param {EventSnapshot} event @param {RoomView} room */
  function roomRow(event, room) {
    const a = roomAgenda(event, room.id);
    const target = a.live || a.next || a.last;
    const shown = a.live || a.next;
    const here = page.currentRoomId() === room.id;
    const parts = [
      el('span', { class: 'agenda-room-head' }, [
        el('span', { class: 'agenda-room-name', userText: room.name }),
        shown ? el('span', { class: ['badge', a.live ? 'badge-live' : 'badge-upcoming'], text: t(a.live ? 'session.status.live' : 'session.status.upcoming') }) : null,
        here ? el('span', { class: 'badge badge-here', text: t('agenda.here') }) : null,
      ]),
    ];
    if (shown) {
      if (!a.live && a.next) {
        parts.push(el('span', { class: 'agenda-time', text: whenText(event, a.next) }));
      }
      parts.push(el('span', { class: 'agenda-title', userText: shown.title }));
      const speakers = speakersText(shown);
      if (speakers) {
        parts.push(el('span', { class: 'agenda-speakers', userText: speakers }));
      }
      if (a.live && a.next) {
        parts.push(el('span', { class: 'agenda-next' }, tParts('agenda.next', { when: whenText(event, a.next), title: userText(a.next.title) })));
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

  /** @param {EventSnapshot} event @param {SessionView} session @param {SessionView | null} current */
  function sessionRow(event, session, current) {
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
      el('span', { class: 'agenda-title', userText: session.title }),
      el('span', { class: 'agenda-meta' }, [
        room ? userText(room.name) : null,
        room && speakers ? ' · ' : null,
        speakers ? userText(speakers) : null,
      ]),
    ])]);
  }

  /** @param {RoomView} room */
  function chooseRoom(room) {
    const target = page.event && roomTarget(page.event, room.id);
    if (!target) {
      return;
    }
    if (page.following && room.key !== page.followKey) {
      // A room picked from the agenda while following another: follow that one.
      page.setFollowing(room.key);
    }
    page.switchSession(target.id, { auto: page.following });
    fold();
  }

  /** @param {SessionView} session */
  function pickFromAgenda(session) {
    page.switchSession(session.id);
    fullOpen = false;
    fold();
  }

  /** After a pick the session's own content matters: fold the agenda and hand focus to its summary line. */
  function fold() {
    opening = true;
    ui.agenda.open = false;
    opening = false;
    toggledByHand = true;
    ui.agenda.querySelector('summary')?.focus();
    render();
  }

  function render() {
    const event = page.event;
    ui.agenda.hidden = !event || !event.sessions.length;
    renderFollow();
    if (!event || ui.agenda.hidden) {
      return;
    }
    const current = page.currentSession();
    if (!toggledByHand) {
      // Unfolded on the event's front door while nothing is live here; folded away once a live session is shown.
      opening = true;
      ui.agenda.open = page.homeMode && !page.following && !(current && current.status === 'live');
      opening = false;
    }
    const sig = JSON.stringify([getLanguage(), event.rooms, event.sessions.map((s) => [s.id, s.roomId, s.status, s.title, s.startsAt, s.endsAt, s.speakers]),
      page.currentRoomId(), current && current.id, fullOpen]);
    if (ui.agenda._sig === sig) {
      return;
    }
    ui.agenda._sig = sig;
    reconcile(ui.rooms, event.rooms, { key: (r) => r.id, sig: () => sig, build: (r) => roomRow(event, r) });
    ui.fullToggle.textContent = t(fullOpen ? 'agenda.full_hide' : 'agenda.full_show');
    ui.fullToggle.setAttribute('aria-expanded', fullOpen ? 'true' : 'false');
    ui.full.hidden = !fullOpen;
    if (!fullOpen) {
      ui.full.replaceChildren();
      return;
    }
    const focused = ui.full.contains(document.activeElement) ? /** @type {HTMLElement} */ (document.activeElement).dataset.sessionId : null;
    ui.full.replaceChildren(...agendaDays(event).map((day) => el('section', {
      class: 'agenda-day',
      attrs: { 'aria-labelledby': `agenda-day-${day.number}`, 'data-testid': 'agenda-day' },
    }, [
      el('h3', { class: 'agenda-day-title', attrs: { id: `agenda-day-${day.number}` }, text: dayLabel(event, day.first) }),
      el('ul', { class: 'agenda-sessions' }, day.sessions.map((s) => sessionRow(event, s, current))),
    ])));
    if (focused) {
      ui.full.querySelector(`[data-session-id="${CSS.escape(focused)}"]`)?.focus();
    }
  }

  function renderFollow() {
    const event = page.event;
    const room = event && page.followKey ? roomByKey(event, page.followKey) : null;
    ui.followNote.hidden = !room;
    if (!event || !room) {
      return;
    }
    const switched = page.followSwitched;
    const sig = JSON.stringify([getLanguage(), room.name, page.following, switched]);
    if (ui.followNote._sig === sig) {
      return;
    }
    ui.followNote._sig = sig;
    if (page.following) {
      ui.followNote.replaceChildren(switched
        ? el('span', {}, tParts('follow.switched', { room: userText(switched.room), title: userText(switched.title) }))
        : el('span', {}, tParts('follow.on', { room: userText(room.name) })));
      return;
    }
    ui.followNote.replaceChildren(
      el('span', {}, tParts('follow.off', { room: userText(room.name) })),
      ' ',
      el('button', {
        class: 'btn btn-small',
        attrs: { type: 'button', 'data-testid': 'follow-resume' },
        on: {
          click: () => {
            page.setFollowing(room.key);
            const target = roomTarget(event, room.id);
            render();
            if (target) {
              page.switchSession(target.id, { auto: true });
            }
          },
        },
      }, tParts('follow.resume', { room: userText(room.name) })),
    );
  }

  return { render };
}
