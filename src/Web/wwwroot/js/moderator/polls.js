// @ts-check
// The session's polls: each one's state, turnout and live results, and the buttons of its life (open, close, show on
// the screen, reveal, edit a draft, reset with a second click, copy to another session, delete). Whether the hall sees
// the results is the server's word (poll.audienceSeesResults), never worked out here.
import { fillSessionSelect } from '/js/lib/agenda.js';
import { $, announce, el, reconcile, toast, userText } from '/js/lib/dom.js';
import { getLanguage, t } from '/js/lib/strings.js';
import { formatCountdown } from '/js/lib/time.js';
import { OPTION_KINDS, secondsLeft } from '/js/polls/format.js';
import { createResultsView } from '/js/polls/results.js';

/** @typedef {import('../../../types/protocol').PollView} PollView */
/** @typedef {import('../../../types/protocol').HubMethods} HubMethods */
/** @typedef {import('../../../types/protocol').AnswerResult} AnswerResult */
/** @typedef {import('../../../types/protocol').AnswerAction} AnswerAction */
/** The hub methods a poll's buttons call. */
/** @typedef {'OpenPoll' | 'ClosePoll' | 'RevealPollResults' | 'ResetPoll' | 'DeletePoll' | 'CopyPoll' | 'SetProjector'} PollMethod */

/**
 * @typedef {object} Polls
 * @property {() => void} render the poll list and its results (results frames come several times a second)
 * @property {() => void} sessionChanged forgets the copy chooser and an armed reset of the session left
 * @property {() => void} closeCopy
 * @property {() => void} languageChanged rebuilds the results views in the new language
 */

/**
 * @param {{
 *   live: import('/js/lib/connection.js').Live,
 *   state: import('/js/lib/session-state.js').SessionState,
 *   getEvent: () => import('../../../types/protocol').EventSnapshot | null,
 *   getSessionId: () => number | null,
 *   isShowing: () => boolean,
 *   toastFailure: (r: { error: import('/js/lib/connection.js').LiveErrorShape }) => Promise<void>,
 *   render: () => void,
 *   editPoll: (poll: PollView) => void,
 *   onPollsShown: (ids: Set<number>) => void,
 * }} deps
 * @returns {Polls}
 */
export function createPolls({ live, state, getEvent, getSessionId, isShowing, toastFailure, render: renderPage, editPoll, onPollsShown }) {
  const ui = {
    items: $('#poll-items'),
    empty: $('#polls-empty'),
  };
  /** @type {Set<string>} "pollId:answerId" of answers with a call under way */
  const busyAnswers = new Set();
  /** @type {Map<number, { sig: string, view: ReturnType<typeof createResultsView> }>} by poll id */
  const pollResultsViews = new Map();
  /** @type {Set<number>} */
  const busyPolls = new Set();
  /** @type {number | null} the poll whose reset waits for a second click */
  let armedReset = null;
  /** @type {ReturnType<typeof setTimeout> | undefined} */
  let armedTimer;
  /** @type {{ pollId: number, target: number } | null} the copy chooser: which poll, to which session */
  let copyOpen = null;

  /**
   * One poll's button call, with its buttons busy meanwhile; the poll (or the projector) as the server answered, else null.
   * @template {PollMethod} M
   * @param {PollView} poll @param {M} method @param {Parameters<HubMethods[M]>[0]} arg @param {string | null} doneKey
   * @param {string} [kind] the event the answer stands for, as SessionState.upsertPoll takes it
   */
  async function pollAction(poll, method, arg, doneKey, kind = 'PollChanged') {
    if (busyPolls.has(poll.id)) {
      return null;
    }
    busyPolls.add(poll.id);
    render();
    // Each of these methods takes its one request; TypeScript cannot see that a generic method's arguments are that one.
    const r = await live.request(method, .../** @type {Parameters<HubMethods[M]>} */ ([arg]));
    busyPolls.delete(poll.id);
    if (!r.ok) {
      render();
      await toastFailure(r);
      return null;
    }
    // SetProjector answers what the projector shows; every other poll method answers the poll.
    if (method === 'SetProjector') {
      const shown = /** @type {import('../../../types/protocol').ProjectorDelta} */ (r.value);
      state.projectorMode = shown.mode;
      state.projectorPollId = shown.pollId ?? null;
    } else {
      const changed = /** @type {PollView} */ (r.value);
      if (changed && changed.sessionId === getSessionId()) {
        state.upsertPoll(changed, kind);
      }
    }
    renderPage();
    if (doneKey) {
      toast(t(doneKey, { question: poll.question }));
    }
    return r.value;
  }

  function disarm() {
    armedReset = null;
    clearTimeout(armedTimer);
  }

  /** @param {PollView} poll */
  function resetPoll(poll) {
    if (armedReset !== poll.id) {
      armedReset = poll.id;
      clearTimeout(armedTimer);
      armedTimer = setTimeout(() => { disarm(); render(); }, 10000);
      render();
      announce(t('mod.poll.reset_confirm_note'));
      return;
    }
    disarm();
    pollAction(poll, 'ResetPoll', { pollId: poll.id }, 'mod.poll.done.reset', 'PollReset');
  }

  /** @param {PollView} poll */
  async function copyPoll(poll) {
    if (!copyOpen || copyOpen.pollId !== poll.id) {
      return;
    }
    const target = Number(copyOpen.target);
    const r = await pollAction(poll, 'CopyPoll', { pollId: poll.id, sessionId: target }, null, 'PollDrafted');
    if (r) {
      copyOpen = null;
      const s = getEvent()?.sessions.find((x) => x.id === target);
      render();
      toast(t('mod.poll.done.copied', { session: s ? s.title : String(target) }));
      ui.items.querySelector(`[data-poll-id="${poll.id}"] [data-testid="poll-copy"]`)?.focus();
    }
  }

  /** The poll the "poll" projector mode shows: the one shown before if still launched, else the open one, else the latest. */
  /** @param {PollView} poll @param {AnswerResult} answer @param {AnswerAction} action */
  async function moderateAnswer(poll, answer, action) {
    const key = `${poll.id}:${answer.id}`;
    if (busyAnswers.has(key)) {
      return;
    }
    busyAnswers.add(key);
    const r = await live.request('ModeratePollAnswer', { pollId: poll.id, answerId: answer.id, action });
    busyAnswers.delete(key);
    if (!r.ok) {
      await toastFailure(r);
      return;
    }
    // Show the outcome now; the next frame (a higher version) carries the same.
    const frame = state.results.get(poll.id);
    if (frame) {
      /** @type {import('../../../types/protocol').AnswerStatus} */
      const status = action === 'approve' ? 'approved' : 'dismissed';
      state.results.set(poll.id, { ...frame, answers: frame.answers.map((a) => (a.id === answer.id ? { ...a, status } : a)) });
    }
    render();
    toast(t(`mod.poll.done.answer_${action}`));
  }

  /** @param {PollView} poll */
  function turnoutText(poll) {
    const frame = state.results.get(poll.id);
    const voters = frame ? frame.voters : 0;
    const present = frame && typeof frame.present === 'number' ? frame.present : null;
    const unit = ['text', 'wordcloud'].includes(poll.kind) ? 'answers' : 'votes';
    return present === null
      ? t(unit === 'votes' ? 'poll.votes' : 'poll.answers_count', { count: voters })
      : t(`mod.poll.turnout.${unit}`, { count: voters, present });
  }

  /**
   * @param {PollView} poll @param {string} testid @param {string} label @param {() => void} onClick @param {string} [style]
   * @param {Record<string, string>} [extra] more attributes
   */
  function pollButton(poll, testid, label, onClick, style = '', extra = {}) {
    return el('button', {
      class: ['btn', style],
      text: label,
      attrs: { type: 'button', 'data-testid': testid, 'data-fk': testid, 'aria-disabled': busyPolls.has(poll.id) ? 'true' : null, ...extra },
      on: {
        click: (e) => {
          if (/** @type {HTMLElement} */ (e.currentTarget).getAttribute('aria-disabled') !== 'true') {
            onClick();
          }
        },
      },
    });
  }

  /** @param {PollView} poll */
  function pollActions(poll) {
    const onScreen = state.projectorMode === 'poll' && state.projectorPollId === poll.id;
    // A reveal to offer while the hall does not see results, and to take back while it stands: the server's word.
    const revealable = poll.revealed || !poll.audienceSeesResults;
    /** @type {HTMLElement[]} */
    const list = [];
    if (poll.status === 'draft' || poll.status === 'closed') {
      list.push(pollButton(poll, 'poll-open', t(poll.status === 'draft' ? 'mod.poll.open' : 'mod.poll.reopen'),
        () => pollAction(poll, 'OpenPoll', { pollId: poll.id }, 'mod.poll.done.opened'), poll.status === 'draft' ? 'btn-primary' : ''));
    }
    if (poll.status === 'open') {
      list.push(pollButton(poll, 'poll-close', t('mod.poll.close'),
        () => pollAction(poll, 'ClosePoll', { pollId: poll.id }, 'mod.poll.done.closed'), 'btn-primary'));
    }
    if (poll.status !== 'draft') {
      list.push(pollButton(poll, 'poll-show', t(onScreen ? 'mod.poll.on_screen' : 'action.show'),
        () => pollAction(poll, 'SetProjector', { sessionId: poll.sessionId, mode: 'poll', pollId: poll.id }, 'mod.poll.done.shown'), '',
        { 'aria-pressed': onScreen ? 'true' : 'false' }));
    }
    if (poll.status !== 'draft' && revealable) {
      list.push(pollButton(poll, 'poll-reveal', t(poll.revealed ? 'mod.poll.hide_results' : 'mod.poll.show_results'),
        () => pollAction(poll, 'RevealPollResults', { pollId: poll.id, revealed: !poll.revealed },
          poll.revealed ? 'mod.poll.done.hidden' : 'mod.poll.done.revealed'), '', { 'aria-pressed': poll.revealed ? 'true' : 'false' }));
    }
    if (poll.status === 'draft') {
      list.push(pollButton(poll, 'poll-edit', t('action.edit'), () => editPoll(poll)));
    }
    if (poll.status !== 'draft') {
      const armed = armedReset === poll.id;
      list.push(pollButton(poll, 'poll-reset', t(armed ? 'mod.poll.reset_confirm' : 'mod.poll.reset'), () => resetPoll(poll),
        armed ? 'btn-danger btn-armed' : 'btn-danger'));
      if (armed) {
        list.push(pollButton(poll, 'poll-reset-cancel', t('action.cancel'), () => { disarm(); render(); }));
      }
    }
    list.push(pollButton(poll, 'poll-copy', t('mod.poll.copy'), () => {
      const other = getEvent()?.sessions.find((s) => s.id !== getSessionId());
      copyOpen = copyOpen && copyOpen.pollId === poll.id ? null : { pollId: poll.id, target: other ? other.id : poll.sessionId };
      render();
      ui.items.querySelector(`[data-poll-id="${poll.id}"] [data-testid="poll-copy-session"]`)?.focus();
    }, '', { 'aria-expanded': copyOpen && copyOpen.pollId === poll.id ? 'true' : 'false' }));
    if (poll.status !== 'open') {
      list.push(pollButton(poll, 'poll-delete', t('mod.poll.delete'),
        () => pollAction(poll, 'DeletePoll', { pollId: poll.id }, 'mod.poll.done.deleted', 'PollDeleted'), 'btn-danger'));
    }
    return list;
  }

  /** @param {PollView} poll */
  function copyChooser(poll) {
    const copy = copyOpen;
    const event = getEvent();
    if (!copy || copy.pollId !== poll.id || !event) {
      return null;
    }
    const id = `poll-copy-${poll.id}`;
    const select = el('select', {
      attrs: { id, 'data-testid': 'poll-copy-session', 'data-fk': 'copy-session' },
      on: { change: (e) => { copy.target = Number(/** @type {HTMLSelectElement} */ (e.target).value); } },
    });
    fillSessionSelect(select, event, copy.target);
    return el('div', { class: 'copy-chooser' }, [
      el('label', { attrs: { for: id }, text: t('mod.poll.copy_to') }),
      select,
      el('div', { class: 'form-actions' }, [
        pollButton(poll, 'poll-copy-confirm', t('mod.poll.copy_confirm'), () => copyPoll(poll), 'btn-primary'),
        pollButton(poll, 'poll-copy-cancel', t('action.cancel'), () => { copyOpen = null; render(); }),
      ]),
    ]);
  }

  /** @param {PollView} poll */
  function draftPreview(poll) {
    if (OPTION_KINDS.includes(poll.kind)) {
      return el('ol', { class: 'poll-preview' }, poll.options.map((o, i) => el('li', {
        class: poll.correct && poll.correct.includes(i) ? 'is-correct' : undefined,
      }, [o, poll.correct && poll.correct.includes(i) ? el('span', { class: 'tag', text: ` ✓ ${t('poll.correct_answer')}` }) : null])));
    }
    return null;
  }

  /** @param {PollView} poll */
  function pollFacts(poll) {
    const facts = [`${t('mod.poll.form.visibility')}: ${t(`poll.visibility.${poll.visibility}`)}`];
    if (poll.kind === 'multiple' && poll.maxPicks) {
      facts.push(t('poll.max_picks', { count: poll.maxPicks }));
    }
    if (poll.kind === 'rating') {
      facts.push(t('mod.poll.form.scale_n', { n: poll.scale || 5 }));
    }
    if (poll.kind === 'quiz') {
      facts.push(t('mod.poll.timer_n', { count: poll.timeLimitSeconds || 30 }));
    }
    return facts.join(' · ');
  }

  /** @param {PollView} poll */
  function pollItem(poll) {
    const onScreen = state.projectorMode === 'poll' && state.projectorPollId === poll.id;
    // What the server does, not a copy of its rule: it says whether the audience and the screen see results now.
    const audienceSees = !!poll.audienceSeesResults;
    /** @type {Array<HTMLElement | null>} */
    const children = [
      el('div', { class: 'poll-item-head' }, [
        el('span', { class: 'badge badge-kind', text: t(`poll.kind.${poll.kind}`) }),
        el('span', {
          class: ['badge', { draft: 'badge-pending', open: 'badge-live', closed: 'badge-ended' }[poll.status]],
          attrs: { 'data-testid': 'poll-status' },
          text: t(`poll.status.${poll.status}`),
        }),
        onScreen ? el('span', { class: 'badge badge-on-screen', text: t('badge.on_screen') }) : null,
      ]),
      el('h3', { class: 'poll-item-question' }, [userText(poll.question)]),
      el('p', { class: 'poll-facts', text: pollFacts(poll) }),
    ];
    if (poll.status === 'draft') {
      children.push(draftPreview(poll));
    } else {
      children.push(el('p', { class: 'poll-turnout', attrs: { 'data-testid': 'poll-turnout' }, text: turnoutText(poll) }));
      if (poll.kind === 'quiz' && poll.status === 'open' && poll.closesAt) {
        children.push(el('p', {
          class: 'quiz-countdown mod-countdown',
          attrs: { 'data-testid': 'quiz-countdown', 'data-deadline': poll.closesAt, role: 'timer' },
        }, [el('span', { class: 'time', text: formatCountdown(secondsLeft(poll)) }), ` ${t('poll.time_left')}`]));
      }
      children.push(el('p', {
        class: ['poll-audience', audienceSees ? 'sees' : 'not-yet'],
        attrs: { 'data-testid': 'poll-audience-sees', 'data-visible': String(audienceSees) },
        text: t(audienceSees ? 'mod.poll.audience_sees' : 'mod.poll.audience_not_yet'),
      }));
    }
    children.push(el('div', { class: 'poll-actions' }, pollActions(poll)));
    children.push(copyChooser(poll));
    /** @type {Array<HTMLElement | null>} */
    const parts = [el('div', { class: 'poll-item-info' }, children)];
    if (poll.status !== 'draft') {
      parts.push(el('div', { class: 'poll-results-slot' }));
    }
    return el('li', {
      class: ['poll-item', `is-${poll.status}`, onScreen && 'is-on-screen', busyPolls.has(poll.id) && 'is-busy'],
      attrs: {
        'data-testid': 'poll-item',
        'data-poll-id': poll.id,
        'data-status': poll.status,
        'data-kind': poll.kind,
        'aria-busy': busyPolls.has(poll.id) ? 'true' : null,
      },
    }, parts);
  }

  /** @param {PollView} poll */
  function pollItemSig(poll) {
    return JSON.stringify([getLanguage(), poll, busyPolls.has(poll.id), state.projectorMode === 'poll' && state.projectorPollId === poll.id,
      armedReset === poll.id, copyOpen && copyOpen.pollId === poll.id && copyOpen.target, getEvent()?.sessions.length]);
  }

  /** @param {PollView} poll */
  function modResultsView(poll) {
    const sig = JSON.stringify([poll.kind, poll.options, poll.scale, getLanguage()]);
    let entry = pollResultsViews.get(poll.id);
    if (!entry || entry.sig !== sig) {
      entry = {
        sig,
        view: createResultsView(poll, {
          variant: 'mod',
          leaderboardSize: 10,
          onModerate: (answer, action) => moderateAnswer(state.polls.get(poll.id) || poll, answer, action),
        }),
      };
      pollResultsViews.set(poll.id, entry);
    }
    return entry.view;
  }

  function render() {
    if (!isShowing()) {
      return;
    }
    const polls = [...state.polls.values()].filter((p) => p.sessionId === getSessionId()).sort((a, b) => a.id - b.id);
    reconcile(ui.items, polls, { key: (p) => p.id, sig: pollItemSig, build: pollItem });
    ui.empty.hidden = polls.length > 0 || !state.loaded;
    for (const item of ui.items.children) {
      const poll = state.polls.get(Number(item.dataset.pollId));
      const slot = item.querySelector('.poll-results-slot');
      if (!poll || !slot) {
        continue;
      }
      const view = modResultsView(poll);
      if (view.node.parentNode !== slot) {
        slot.replaceChildren(view.node);
      }
      view.update(state.results.get(poll.id) || null, poll);
      const turnout = item.querySelector('[data-testid="poll-turnout"]');
      if (turnout) {
        turnout.textContent = turnoutText(poll);
      }
    }
    const ids = new Set(polls.map((p) => p.id));
    for (const id of pollResultsViews.keys()) {
      if (!ids.has(id)) {
        pollResultsViews.delete(id);
      }
    }
    onPollsShown(ids);
  }


  setInterval(() => {
    for (const node of ui.items.querySelectorAll('[data-testid="quiz-countdown"][data-deadline]')) {
      const poll = state.polls.get(Number(node.closest('[data-poll-id]')?.dataset.pollId));
      if (poll) {
        node.firstChild.textContent = formatCountdown(secondsLeft(poll));
      }
    }
  }, 500);

  return {
    render,
    sessionChanged() {
      copyOpen = null;
      disarm();
    },
    closeCopy() {
      copyOpen = null;
    },
    languageChanged() {
      pollResultsViews.clear();
    },
  };
}
