// @ts-check
// An event's agenda: the sessions in a table (when, where, what, status, with links to each one's report and export),
// and the form that adds a session or edits one: its room, day, times, speakers, moderation and status override.
import { api } from '/js/lib/api.js';
import { $, el, toast } from '/js/lib/dom.js';
import { t } from '/js/lib/strings.js';
import { formatDay } from '/js/lib/time.js';
import { ta } from '/js/admin-i18n.js';
import { enc, errorLine, eventApi, field, link, select, setError, textInput } from '/js/admin/form.js';

const STATUSES = ['upcoming', 'live', 'ended'];
const MODERATION = ['pre', 'open'];

/**
 * @typedef {import('/js/admin/form.js').AdminEvent} AdminEvent
 * @typedef {import('/js/admin/form.js').AdminSession} AdminSession
 */

/**
 * @typedef {object} Sessions
 * @property {() => HTMLElement} section the agenda panel of the event being edited, with the form when it is open
 * @property {() => void} eventChanged another event is open: close the form
 */

/**
 * @param {{ getEvent: () => AdminEvent, reload: () => Promise<void>, render: () => void }} deps render: paints the event again
 * @returns {Sessions}
 */
export function createSessions({ getEvent, reload, render }) {
  /** null, { key: null } for a new session, or { key } of the one being edited. @type {{ key: string | null } | null} */
  let sessionForm = null;

  /** Day n of the event as a date label, e.g. "Rab, 16 Okt". @param {number} day */
  function dayLabel(day) {
    const [y, m, d] = (getEvent().startDate || '1970-01-01').split('-').map(Number);
    return formatDay(Date.UTC(y, m - 1, d + day - 1, 12), 'UTC');
  }

  function eventDays() {
    const event = getEvent();
    const start = event.startDate ? Date.parse(`${event.startDate}T00:00:00Z`) : NaN;
    const end = event.endDate ? Date.parse(`${event.endDate}T00:00:00Z`) : start;
    const span = Number.isFinite(start) && Number.isFinite(end) ? Math.round((end - start) / 86400000) + 1 : 1;
    return Math.max(1, span, ...event.sessions.map((s) => s.day));
  }

  /** Opens the form (for a new session, or for one to edit) and puts the focus in it. @param {string | null} key @param {string} focus */
  function openForm(key, focus) {
    sessionForm = { key };
    render();
    $(focus)?.focus();
  }

  /** @param {AdminSession} s */
  function sessionRow(s) {
    const event = getEvent();
    const room = event.rooms.find((r) => r.key === s.room);
    return el('tr', { attrs: { 'data-testid': 'admin-session', 'data-key': s.key } }, [
      el('td', {}, [el('span', { class: 'nowrap', text: dayLabel(s.day) }), el('br'), el('span', { class: 'nowrap', text: `${s.start}–${s.end}` })]),
      el('td', { text: room ? room.name : s.room }),
      el('td', {}, [
        el('strong', { text: s.title }),
        el('br'),
        el('span', { class: 'hint', text: [s.kind, s.speakers.join(', '), s.polls ? ta('admin.sessions.polls', { count: s.polls }) : ''].filter(Boolean).join(' · ') }),
      ]),
      el('td', {}, [
        el('span', { class: ['badge', `badge-${s.status}`], text: t(`session.status.${s.status}`) }),
        s.statusOverride ? el('span', { class: 'hint', text: ` (${ta('admin.sessions.override')})` }) : '',
        el('br'),
        el('span', { class: 'hint', text: ta(`admin.sessions.moderation.${s.moderation}`) }),
      ]),
      el('td', {}, [el('div', { class: 'admin-row-actions' }, [
        el('button', {
          class: 'btn btn-small',
          text: ta('admin.sessions.edit'),
          attrs: { type: 'button', 'aria-label': `${ta('admin.sessions.edit')}: ${s.title}`, 'data-testid': 'edit-session' },
          on: { click: () => openForm(s.key, '#session-title-input') },
        }),
        link(`/e/${enc(event.code)}/report?session=${s.id}`, ta('admin.sessions.report'), { class: 'btn btn-small', 'data-testid': 'session-report' }),
        link(`/api/sessions/${s.id}/export/questions.csv`, ta('admin.sessions.export'), { class: 'btn btn-small', download: '' }),
        el('button', {
          class: 'btn btn-small btn-danger',
          text: ta('admin.sessions.delete'),
          attrs: { type: 'button', 'aria-label': `${ta('admin.sessions.delete')}: ${s.title}` },
          on: { click: () => deleteSession(s) },
        }),
      ])]),
    ]);
  }

  /** @param {AdminSession} s */
  async function deleteSession(s) {
    if (!confirm(ta('admin.sessions.delete_confirm', { title: s.title }))) {
      return;
    }
    const r = await api('DELETE', `${eventApi(getEvent().code)}/sessions/${enc(s.key)}`);
    if (!r.ok) {
      setError($('#sessions-error'), r.error);
      return;
    }
    toast(ta('admin.deleted'));
    await reload();
  }

  /** @param {{ key: string | null }} open */
  function sessionEditor(open) {
    const event = getEvent();
    const editing = open.key ? event.sessions.find((s) => s.key === open.key) : null;
    const s = editing || { key: '', title: '', kind: '', room: event.rooms[0]?.key, day: 1, start: '09:00', end: '10:00', speakers: [], moderation: 'pre', statusOverride: null };
    const key = textInput(s.key, { readonly: !!editing, 'data-testid': 'session-key' });
    const title = textInput(s.title, { 'data-testid': 'session-title' });
    const kind = textInput(s.kind, { 'data-testid': 'session-kind' });
    const room = select(event.rooms.map((r) => [r.key, r.name]), s.room);
    const days = Array.from({ length: eventDays() + 1 }, (_, i) => i + 1);
    const day = select(days.map((d) => [String(d), ta('admin.session.day_option', { day: d, date: dayLabel(d) })]), String(s.day));
    const start = /** @type {HTMLInputElement} */ (el('input', { attrs: { type: 'time', required: true, 'data-testid': 'session-start' }, props: { value: s.start } }));
    const end = /** @type {HTMLInputElement} */ (el('input', { attrs: { type: 'time', required: true, 'data-testid': 'session-end' }, props: { value: s.end } }));
    const speakers = /** @type {HTMLTextAreaElement} */ (el('textarea', { attrs: { rows: 3 }, props: { value: s.speakers.join('\n') } }));
    const moderation = select(MODERATION.map((m) => [m, ta(`admin.sessions.moderation.${m}`)]), s.moderation);
    const status = select([['', ta('admin.session.status.auto')], ...STATUSES.map((x) => /** @type {[string, string]} */ ([x, t(`session.status.${x}`)]))],
      s.statusOverride ?? '', { 'data-testid': 'session-status' });
    const error = errorLine({ 'data-testid': 'session-error' });
    const close = () => { sessionForm = null; render(); };
    const form = el('form', { class: 'admin-session-form', attrs: { novalidate: true, 'aria-labelledby': 'session-form-title' } }, [
      el('h3', { text: ta(editing ? 'admin.session.form_edit' : 'admin.session.form_new'), attrs: { id: 'session-form-title' } }),
      el('div', { class: 'admin-grid' }, [
        field('session-key-input', 'admin.session.key', key, 'admin.session.key_hint'),
        field('session-title-input', 'admin.session.title', title),
        field('session-kind-input', 'admin.session.kind', kind),
        field('session-room-input', 'admin.session.room', room),
        field('session-day-input', 'admin.session.day', day),
        field('session-start-input', 'admin.session.start', start),
        field('session-end-input', 'admin.session.end', end),
        field('session-moderation-input', 'admin.session.moderation', moderation),
        field('session-status-input', 'admin.session.status', status),
      ]),
      field('session-speakers-input', 'admin.session.speakers', speakers),
      error,
      el('div', { class: 'admin-actions' }, [
        el('button', { class: 'btn btn-primary', text: ta('admin.session.save'), attrs: { type: 'submit', 'data-testid': 'session-save' } }),
        el('button', { class: 'btn', text: ta('admin.session.cancel'), attrs: { type: 'button' }, on: { click: close } }),
      ]),
    ]);
    form.addEventListener('keydown', (key) => {
      if (/** @type {KeyboardEvent} */ (key).key === 'Escape') {
        close();
      }
    });
    form.addEventListener('submit', async (submit) => {
      submit.preventDefault();
      const body = {
        key: key.value.trim(),
        title: title.value,
        kind: kind.value,
        room: room.value,
        day: Number(day.value),
        start: start.value,
        end: end.value,
        speakers: speakers.value.split('\n').map((x) => x.trim()).filter(Boolean),
        moderation: moderation.value,
        status: status.value || null,
      };
      const sessionsApi = `${eventApi(event.code)}/sessions`;
      const r = editing
        ? await api('PUT', `${sessionsApi}/${enc(editing.key)}`, body)
        : await api('POST', sessionsApi, body);
      if (!r.ok) {
        setError(error, r.error);
        return;
      }
      sessionForm = null;
      toast(ta('admin.session.saved'));
      await reload();
    });
    return form;
  }

  return {
    section() {
      const table = el('div', { class: 'admin-table-wrap' }, [el('table', { class: 'admin-table' }, [
        el('thead', {}, [el('tr', {}, ['admin.sessions.when', 'admin.sessions.room', 'admin.sessions.session', 'admin.sessions.status', 'admin.sessions.actions']
          .map((key) => el('th', { text: ta(key), attrs: { scope: 'col' } })))]),
        el('tbody', {}, getEvent().sessions.map(sessionRow)),
      ])]);
      return el('section', { class: 'panel', attrs: { 'aria-labelledby': 'sessions-title' } }, [
        el('div', { class: 'admin-head' }, [
          el('h2', { text: ta('admin.sessions.title'), attrs: { id: 'sessions-title' } }),
          el('button', {
            class: 'btn btn-primary',
            text: ta('admin.sessions.add'),
            attrs: { type: 'button', 'data-testid': 'add-session' },
            on: { click: () => openForm(null, '#session-key-input') },
          }),
        ]),
        errorLine({ id: 'sessions-error' }),
        sessionForm ? sessionEditor(sessionForm) : null,
        table,
      ]);
    },
    eventChanged() {
      sessionForm = null;
    },
  };
}
