// @ts-check
// The audit log panel: who did what, when, in this session or the whole event, read from the server when the panel is
// open and again shortly after each moderator action (here or on another laptop).
import { api } from '/js/lib/api.js';
import { $, el, userText } from '/js/lib/dom.js';
import { errorText, getLanguage, t } from '/js/lib/strings.js';
import { formatDay, formatTime } from '/js/lib/time.js';
import { QUEUES } from '/js/moderator/queue.js';

const ACTIONS = [
  'approve', 'dismiss', 'answer', 'archive', 'restore', 'show', 'hide', 'edit', 'reply', 'unreply', 'label', 'merge',
  'moderation-mode', 'session-status', 'announce', 'unannounce', 'profanity-list', 'poll-create', 'poll-update', 'poll-copy',
  'poll-delete', 'poll-open', 'poll-close', 'poll-reset', 'poll-reveal', 'answer-approve', 'answer-dismiss',
];

/**
 * @typedef {{ id: number, at: number, actor?: string | null, action: string, questionId?: number | null,
 *   pollId?: number | null, detail?: string | null }} AuditEntry
 * @typedef {object} Audit
 * @property {() => void} render draws the panel (the download link always, the entries when open)
 * @property {() => void} sessionChanged forgets the entries of the session left
 * @property {() => void} actionTaken reloads a moment after a moderator action, when the panel is open
 */

/** @param {string} action */
function actionName(action) {
  return ACTIONS.includes(action) ? t(`audit.${action}`) : action;
}

/**
 * The server writes details for logs ("into 17", "pending -> approved"): the known shapes are said in the reader's language.
 * @param {AuditEntry} entry
 */
function detailText(entry) {
  const detail = entry.detail || '';
  const status = (/** @type {string} */ s) => (/** @type {string[]} */ (QUEUES).includes(s) ? t(`queue.${s}`) : s);
  let m = /^into (\d+)$/.exec(detail);
  if (entry.action === 'merge' && m) {
    return t('mod.merged_into', { id: Number(m[1]) });
  }
  m = /^(\w+) -> (\w+)$/.exec(detail);
  if (m) {
    return `${status(m[1])} → ${status(m[2])}`;
  }
  m = /^(\d+) words$/.exec(detail);
  if (entry.action === 'profanity-list' && m) {
    return t('mod.audit.words', { count: Number(m[1]) });
  }
  if (entry.action === 'session-status') {
    return detail === 'schedule' ? t('mod.status.schedule') : t(`session.status.${detail}`);
  }
  if (entry.action === 'moderation-mode' && ['pre', 'open'].includes(detail)) {
    return t(detail === 'pre' ? 'mod.audit.mode_pre' : 'mod.audit.mode_open');
  }
  if (entry.action === 'edit' && detail.startsWith('was: ')) {
    return t('mod.audit.was', { text: detail.slice(5) });
  }
  return detail;
}

/**
 * @param {{
 *   code: string,
 *   getEvent: () => import('../../../types/protocol').EventSnapshot | null,
 *   getSessionId: () => number | null,
 *   onRightsLost: (error: import('/js/lib/connection.js').LiveErrorShape) => Promise<void>,
 * }} deps
 * @returns {Audit}
 */
export function createAudit({ code, getEvent, getSessionId, onRightsLost }) {
  const ui = {
    audit: /** @type {HTMLDetailsElement} */ ($('#audit')),
    scope: /** @type {HTMLSelectElement} */ ($('#audit-scope')),
    refresh: $('#audit-refresh'),
    download: /** @type {HTMLAnchorElement} */ ($('#audit-download')),
    status: $('#audit-status'),
    entries: /** @type {HTMLElement & { _sig?: string }} */ ($('#audit-entries')),
  };
  /** @type {AuditEntry[] | null} */
  let entries = null;
  /** @type {import('/js/lib/connection.js').LiveErrorShape | null} */
  let error = null;
  /** @type {ReturnType<typeof setTimeout> | undefined} */
  let timer;

  function url() {
    const scope = ui.scope.value === 'event' ? '' : `session=${getSessionId()}&`;
    return `/api/events/${encodeURIComponent(code)}/audit?${scope}limit=1000`;
  }

  function render() {
    if (getSessionId() === null) {
      return;
    }
    ui.download.href = url();
    if (!ui.audit.open) {
      return;
    }
    const event = getEvent();
    ui.status.textContent = error ? errorText(error)
      : entries === null ? t('loading') : t('mod.audit.count', { count: entries.length });
    const sig = JSON.stringify([getLanguage(), entries && entries.map((e) => e.id), event && event.timeZone]);
    if (ui.entries._sig === sig) {
      return;
    }
    ui.entries._sig = sig;
    const timeZone = event ? event.timeZone : undefined;
    ui.entries.replaceChildren(...(entries || []).map((e) => el('tr', {
      attrs: { 'data-testid': 'audit-entry', 'data-action': e.action, 'data-question-id': e.questionId ?? null },
    }, [
      el('td', { class: 'audit-time' }, [
        el('span', { class: 'audit-day', text: formatDay(e.at, timeZone) }),
        el('span', { class: 'audit-clock', text: formatTime(e.at, timeZone) }),
      ]),
      el('td', { class: 'audit-actor' }, [e.actor ? userText(e.actor) : t('mod.audit.no_name')]),
      el('td', { class: 'audit-action', text: actionName(e.action) }),
      el('td', { class: 'audit-question', text: e.questionId ? `#${e.questionId}` : (e.pollId ? t('mod.audit.poll', { id: e.pollId }) : '—') }),
      el('td', { class: 'audit-detail' }, [userText(detailText(e))]),
    ])));
  }

  async function load() {
    clearTimeout(timer);
    if (!ui.audit.open || getSessionId() === null) {
      return;
    }
    const asked = url();
    const r = await api('GET', asked);
    if (asked !== url()) {
      return;
    }
    if (!r.ok) {
      if (r.status === 403) {
        await onRightsLost(r.error);
        return;
      }
      error = r.error;
    } else {
      error = null;
      entries = Array.isArray(r.value) ? r.value : [];
    }
    render();
  }

  function reloadFresh() {
    entries = null;
    render();
    load();
  }

  ui.audit.addEventListener('toggle', () => {
    if (ui.audit.open) {
      reloadFresh();
    }
  });
  ui.refresh.addEventListener('click', load);
  ui.scope.addEventListener('change', reloadFresh);

  return {
    render,
    sessionChanged() {
      entries = null;
      if (ui.audit.open) {
        setTimeout(load, 0); // after the page's session has moved on
      }
    },
    actionTaken() {
      if (ui.audit.open) {
        clearTimeout(timer);
        timer = setTimeout(load, 1500);
      }
    },
  };
}
