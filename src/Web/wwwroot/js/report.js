// @ts-check
// A session's report for the organizer and moderators: what was asked, what the room cared about most, and how the polls
// came out. Built from the moderator snapshot and the session's export JSON; prints cleanly to PDF from the browser.
import { fillSessionSelect } from '/js/lib/agenda.js';
import { api } from '/js/lib/api.js';
import { $, el, userText } from '/js/lib/dom.js';
import { eventCodeFromPath, pickSession } from '/js/lib/event.js';
import { applyI18n, errorText, getLanguage, has, languageSwitch, onLanguageChange, t, tParts } from '/js/lib/strings.js';
import { reactionIcon } from '/js/lib/reactions.js';
import { formatDay, formatTime } from '/js/lib/time.js';
import { adminErrorText, applyAdminI18n, ta } from '/js/admin-i18n.js';

/** @typedef {import('../../types/protocol').EventSnapshot} EventSnapshot */
/** @typedef {import('../../types/protocol').PollExportItem} PollExportItem */
/**
 * The session as the report draws it: its moderator snapshot's session and its three exports.
 * @typedef {{ session: import('../../types/protocol').SessionView, questions: import('../../types/protocol').QuestionExportItem[],
 *   polls: PollExportItem[], reactions: import('../../types/protocol').ReactionExportItem[], at: number }} ReportData
 */
/** @typedef {{ label: string, value: number, share: number, text: string, correct?: boolean }} Bar */

const code = eventCodeFromPath() || '';
const params = new URLSearchParams(location.search);
const STATUSES = ['pending', 'approved', 'answered', 'dismissed', 'archived'];
const TOP = 10;

const ui = {
  fatal: $('#fatal'),
  signin: $('#signin'),
  signinForm: $('#signin-form'),
  passcode: $('#passcode'),
  signinError: $('#signin-error'),
  print: $('#print'),
  report: $('#report'),
  eventName: $('#event-name'),
  select: $('#session-select'),
  event: $('#report-event'),
  title: $('#report-title'),
  meta: $('#report-meta'),
  speakers: $('#report-speakers'),
  generated: $('#report-generated'),
  counts: $('#counts'),
  reactions: $('#reactions'),
  top: $('#top'),
  topEmpty: $('#top-empty'),
  polls: $('#polls'),
  pollsEmpty: $('#polls-empty'),
  exports: $('#exports'),
};

/** @type {EventSnapshot | null} */
let event = null;
/** @type {ReportData | null} */
let data = null;

applyI18n();
applyAdminI18n();
document.title = ta('report.doc_title');
$('#tools').prepend(...[languageSwitch()].filter((b) => b !== null));
onLanguageChange(() => {
  applyAdminI18n();
  if (data) {
    render(data);
  }
});

const number = (/** @type {number} */ n) => new Intl.NumberFormat(getLanguage()).format(n);

/** @param {string} text */
function showFatal(text) {
  ui.fatal.textContent = text;
  ui.fatal.hidden = false;
}

// ------------------------------------------------------------ access

/** Moderators of the event see the report; an organizer signed in on /admin gets a moderator sign-in for it on the way. */
async function authorize() {
  const mod = await api('GET', `/api/events/${encodeURIComponent(code)}/moderator/session`);
  if (!mod.ok) {
    showFatal(errorText(mod.error));
    return;
  }
  if (mod.value.isModerator) {
    await load();
    return;
  }
  const admin = await api('GET', '/api/admin/session');
  if (admin.ok && admin.value.isAdmin && (await api('POST', `/api/admin/events/${encodeURIComponent(code)}/moderator-session`)).ok) {
    await load();
    return;
  }
  showSignIn();
}

/** @param {{ messageKey?: string } | null} [error] */
function showSignIn(error) {
  ui.report.hidden = true;
  ui.print.hidden = true;
  ui.signin.hidden = false;
  ui.signinError.textContent = error ? errorText(error) : '';
  ui.signinError.hidden = !error;
  ui.passcode.focus();
}

ui.signinForm.addEventListener('submit', async (/** @type {SubmitEvent} */ e) => {
  e.preventDefault();
  const passcode = ui.passcode.value.trim();
  if (!passcode) {
    ui.passcode.focus();
    return;
  }
  const r = await api('POST', `/api/events/${encodeURIComponent(code)}/moderator/session`, { passcode });
  if (!r.ok) {
    showSignIn(r.error);
    ui.passcode.setAttribute('aria-invalid', 'true');
    return;
  }
  ui.passcode.value = '';
  ui.signin.hidden = true;
  await load();
});

// ------------------------------------------------------------ data

async function load() {
  const ev = await api('GET', `/api/events/${encodeURIComponent(code)}`);
  if (!ev.ok) {
    showFatal(errorText(ev.error));
    return;
  }
  /** @type {EventSnapshot} what GET /api/events/{code} answers */
  const loaded = ev.value;
  event = loaded;
  ui.eventName.textContent = loaded.name;
  const chosen = pickSession(loaded.sessions, params.get('session'));
  if (!chosen) {
    showFatal(ta('report.no_session'));
    return;
  }
  fillSessionSelect(ui.select, loaded, chosen.id);
  await loadSession(chosen.id);
}

ui.select.addEventListener('change', () => {
  const id = Number(ui.select.value);
  const url = new URL(location.href);
  url.searchParams.set('session', String(id));
  history.replaceState(null, '', url);
  loadSession(id);
});

/** @param {number} id */
async function loadSession(id) {
  const [snapshot, questions, polls, reactions] = await Promise.all([
    api('GET', `/api/sessions/${id}?view=moderator`),
    api('GET', `/api/sessions/${id}/export/questions.json`),
    api('GET', `/api/sessions/${id}/export/polls.json`),
    api('GET', `/api/sessions/${id}/export/reactions.json`),
  ]);
  const failed = [snapshot, questions, polls, reactions].find((r) => !r.ok);
  if (failed) {
    if (failed.status === 401 || failed.status === 403) {
      showSignIn({ messageKey: 'error.forbidden' });
    } else {
      showFatal(adminErrorText(failed.error));
    }
    return;
  }
  // The JSON these endpoints answer (docs/protocol.md, sections 10 and 12).
  /** @type {import('../../types/protocol').SessionSnapshot} */
  const moderatorSnapshot = snapshot.value;
  /** @type {import('../../types/protocol').QuestionExport} */
  const questionExport = questions.value;
  /** @type {import('../../types/protocol').PollExport} */
  const pollExport = polls.value;
  /** @type {import('../../types/protocol').ReactionExport} */
  const reactionExport = reactions.value;
  data = {
    session: moderatorSnapshot.session,
    questions: questionExport.questions,
    polls: pollExport.polls,
    reactions: reactionExport.reactions,
    at: Date.now(),
  };
  ui.fatal.hidden = true;
  ui.report.hidden = false;
  ui.print.hidden = false;
  render(data);
}

ui.print.addEventListener('click', () => print());

// ------------------------------------------------------------ render

/** @param {ReportData} data */
function render(data) {
  if (!event) {
    return;
  }
  const s = data.session;
  const room = event.rooms.find((r) => r.id === s.roomId);
  document.title = `${s.title} · ${ta('report.doc_title')}`;
  ui.event.textContent = [event.name, event.city].filter(Boolean).join(' · ');
  ui.title.textContent = s.title;
  ui.meta.replaceChildren(
    el('span', { class: ['badge', `badge-${s.status}`], text: t(`session.status.${s.status}`) }),
    ' ',
    [room ? room.name : null, `${formatDay(s.startsAt, event.timeZone)}, ${formatTime(s.startsAt, event.timeZone)}–${formatTime(s.endsAt, event.timeZone, { zone: true })}`]
      .filter(Boolean).join(' · '),
  );
  ui.speakers.textContent = s.speakers.length ? t('session.speakers', { names: s.speakers.join(', ') }) : '';
  ui.speakers.hidden = !s.speakers.length;
  ui.generated.textContent = ta('report.generated', {
    time: new Intl.DateTimeFormat(getLanguage(), { dateStyle: 'long', timeStyle: 'short', timeZone: event.timeZone }).format(data.at),
  });
  renderCounts(data);
  renderTop(data);
  renderPolls(data);
  renderExports(data);
}

/** @param {ReportData} data */
function renderCounts(data) {
  const qs = data.questions;
  const run = data.polls.filter((p) => p.status !== 'draft');
  const tile = (/** @type {string} */ label, /** @type {number} */ value, /** @type {string} */ testid) => el('div', { class: 'report-count', attrs: { 'data-testid': testid } }, [
    el('dt', { text: label }),
    el('dd', { text: number(value) }),
  ]);
  ui.counts.replaceChildren(
    tile(ta('report.count.questions'), qs.length, 'count-questions'),
    ...STATUSES.map((status) => tile(ta(`report.status.${status}`), qs.filter((q) => q.status === status).length, `count-${status}`)),
    tile(ta('report.count.upvotes'), qs.reduce((sum, q) => sum + q.upvotes, 0), 'count-upvotes'),
    tile(ta('report.count.polls'), run.length, 'count-polls'),
    tile(ta('report.count.votes'), run.reduce((sum, p) => sum + p.voters, 0), 'count-votes'),
    tile(ta('report.count.reactions'), data.reactions.reduce((sum, r) => sum + r.total, 0), 'count-reactions'),
  );
  // Each reaction by its drawn image and its name in the reader's language ("Tepuk tangan: 4"), for eyes and screen readers alike.
  ui.reactions.replaceChildren(...data.reactions.map((r) => el('li', { class: 'report-reaction', attrs: { 'data-reaction': r.reaction } }, [
    reactionIcon(r.reaction, 'report-emoji'),
    ` ${has(`reaction.${r.reaction}`) ? t(`reaction.${r.reaction}`) : r.reaction}: ${number(r.total)}`,
  ])));
  ui.reactions.hidden = data.reactions.length === 0;
}

/** The questions the audience saw, most supported first (ties to the older), with the moderator's reply. @param {ReportData} data */
function renderTop(data) {
  const top = data.questions
    .filter((q) => q.status === 'approved' || q.status === 'answered')
    .sort((a, b) => b.upvotes - a.upvotes || a.createdAt.localeCompare(b.createdAt) || a.id - b.id)
    .slice(0, TOP);
  ui.top.replaceChildren(...top.map((q) => el('li', { class: 'report-question', attrs: { 'data-testid': 'report-question' } }, [
    el('p', { class: 'report-question-text' }, [userText(q.text)]),
    el('p', { class: 'report-question-meta' }, [
      el('span', { class: 'report-upvotes', text: ta('report.upvotes', { count: number(q.upvotes) }) }),
      ' · ',
      q.authorName ? userText(q.authorName) : el('span', { text: t('question.anonymous') }),
      ' · ',
      el('span', { class: ['badge', `badge-${q.status}`], text: ta(`report.status.${q.status}`) }),
      ...(q.labels.length ? [' · ', ...tParts('report.labels', { labels: labelList(q.labels) })] : []),
    ]),
    q.reply ? el('blockquote', { class: 'report-reply' }, [el('strong', { text: `${ta('report.reply')}: ` }), userText(q.reply)]) : null,
  ])));
  ui.topEmpty.hidden = top.length > 0;
}

/** Labels as one run of isolated names, each in its own element. @param {string[]} labels */
function labelList(labels) {
  return el('span', {}, labels.flatMap((label, i) => [i ? ', ' : null, userText(label)]));
}

/** @param {ReportData} data */
function renderPolls(data) {
  const polls = data.polls.filter((p) => p.status !== 'draft');
  ui.polls.replaceChildren(...polls.map(pollBlock));
  ui.pollsEmpty.hidden = polls.length > 0;
}

/** @param {PollExportItem} p */
function pollBlock(p) {
  const meta = ta('report.poll.meta', {
    kind: ta(`report.kind.${p.kind}`),
    status: ta(`report.poll.status.${p.status}`),
    voters: number(p.voters),
  });
  /** @type {HTMLElement[]} */
  const body = [];
  if (p.kind === 'rating' && p.average !== null) {
    body.push(el('p', { class: 'report-average', text: ta('report.poll.average', { average: number(p.average), scale: p.options.length }) }));
  }
  if (p.kind === 'wordcloud') {
    const most = Math.max(1, ...p.words.map((w) => w.votes));
    body.push(bars(p.words.map((w) => ({ label: w.word, value: w.votes, share: w.votes / most, text: ta('report.votes', { count: number(w.votes) }) }))));
  } else if (p.kind === 'text') {
    body.push(p.answers.length
      ? el('ul', { class: 'report-answers' }, p.answers.map((a) => el('li', {}, [
        userText(a.text),
        a.displayName ? el('span', { class: 'hint' }, [' — ', userText(a.displayName)]) : null,
      ])))
      : el('p', { class: 'hint', text: ta('report.poll.no_answers') }));
  } else if (p.kind === 'ranking') {
    const points = (/** @type {import('../../types/protocol').PollOptionExport} */ o) => o.points ?? 0;
    const most = Math.max(1, ...p.options.map(points));
    const ranked = [...p.options].sort((a, b) => points(b) - points(a) || a.index - b.index);
    body.push(bars(ranked.map((o) => ({ label: o.label, value: points(o), share: points(o) / most, text: ta('report.poll.points', { points: number(points(o)) }) }))));
  } else {
    body.push(bars(p.options.map((o) => ({
      label: o.label,
      value: o.votes,
      share: o.percent / 100,
      text: `${ta('report.votes', { count: number(o.votes) })} · ${number(o.percent)}%`,
      correct: Array.isArray(p.correct) && p.correct.includes(o.index),
    }))));
  }
  return el('article', { class: 'report-poll', attrs: { 'data-testid': 'report-poll', 'data-kind': p.kind } }, [
    el('h4', {}, [userText(p.question)]),
    el('p', { class: 'hint', text: meta }),
    ...body,
  ]);
}

/** Horizontal bars; widths are set through the CSS object model, which the page's style policy allows. @param {Bar[]} items */
function bars(items) {
  return el('ul', { class: 'report-bars' }, items.map((item) => {
    const fill = el('span', { class: 'report-bar-fill' });
    fill.style.width = `${Math.round(Math.max(0, Math.min(1, item.share)) * 1000) / 10}%`;
    return el('li', { class: ['report-bar', item.correct ? 'is-correct' : null] }, [
      el('span', { class: 'report-bar-label' }, [userText(item.label), item.correct ? el('span', { class: 'badge badge-approved', text: ta('report.poll.correct') }) : null]),
      el('span', { class: 'report-bar-track', attrs: { 'aria-hidden': 'true' } }, [fill]),
      el('span', { class: 'report-bar-value', text: item.text }),
    ]);
  }));
}

/** @param {ReportData} data */
function renderExports(data) {
  const id = data.session.id;
  const item = (/** @type {string} */ file, /** @type {string} */ key) => el('li', {}, [el('a', { text: ta(key), attrs: { href: `/api/sessions/${id}/export/${file}`, download: '' } })]);
  ui.exports.replaceChildren(
    item('questions.csv', 'admin.links.questions_csv'),
    item('questions.json', 'admin.links.questions_json'),
    item('polls.csv', 'admin.links.polls_csv'),
    item('polls.json', 'admin.links.polls_json'),
    item('reactions.csv', 'admin.links.reactions_csv'),
  );
}

authorize();
