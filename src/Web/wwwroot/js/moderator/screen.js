// @ts-check
// What the projector shows, driven from here: the question on screen, the live poll or the holding screen, and whether
// the head count is on it.
import { $, toast } from '/js/lib/dom.js';
import { t } from '/js/lib/strings.js';

/** @typedef {import('../../../types/protocol').PollView} PollView */
/** @typedef {import('/js/lib/connection.js').LiveErrorShape} LiveErrorShape */

/**
 * @typedef {object} Screen
 * @property {() => void} render the mode buttons and the head-count switch
 */

/**
 * @param {{
 *   live: import('/js/lib/connection.js').Live,
 *   state: import('/js/lib/session-state.js').SessionState,
 *   getSessionId: () => number | null,
 *   toastFailure: (r: { error: LiveErrorShape }) => Promise<void>,
 *   render: () => void,
 * }} deps
 * @returns {Screen}
 */
export function createScreen({ live, state, getSessionId, toastFailure, render: renderPage }) {
  const ui = {
    mode: $('#projector-mode'),
    presence: $('#presence-toggle'),
  };

  /** The poll the "poll" projector mode shows: the one shown before if still launched, else the open one, else the latest. */
  function projectorPollCandidate() {
    const launched = [...state.polls.values()].filter((p) => p.status !== 'draft');
    const current = launched.find((p) => p.id === state.projectorPollId);
    if (current) {
      return current;
    }
    const newest = (/** @type {PollView} */ a, /** @type {PollView} */ b) => (b.openedAt || 0) - (a.openedAt || 0) || b.id - a.id;
    return launched.filter((p) => p.status === 'open').sort(newest)[0] || launched.sort(newest)[0] || null;
  }

  /** @param {import('../../../types/protocol').ProjectorMode} mode */
  async function setProjectorMode(mode) {
    if (!state.session) {
      return;
    }
    let pollId = null;
    if (mode === 'poll') {
      const poll = projectorPollCandidate();
      if (!poll) {
        toast(t('mod.projector.no_poll'), { kind: 'error' });
        return;
      }
      pollId = poll.id;
    }
    const sessionId = getSessionId();
    if (sessionId === null) {
      return;
    }
    ui.mode.setAttribute('aria-busy', 'true');
    const r = await live.request('SetProjector', { sessionId, mode, pollId });
    ui.mode.removeAttribute('aria-busy');
    if (!r.ok) {
      await toastFailure(r);
      return;
    }
    state.projectorMode = r.value.mode;
    state.projectorPollId = r.value.pollId ?? null;
    renderPage();
    toast(t(`mod.projector.done.${r.value.mode}`));
  }

  function renderProjectorMode() {
    const mode = state.projectorMode || 'questions';
    ui.mode.dataset.mode = mode;
    const hasPoll = !!projectorPollCandidate();
    for (const button of ui.mode.querySelectorAll('button[data-mode]')) {
      button.setAttribute('aria-pressed', button.dataset.mode === mode ? 'true' : 'false');
      button.disabled = !state.session;
      if (button.dataset.mode === 'poll') {
        button.setAttribute('aria-disabled', hasPoll ? 'false' : 'true');
        button.title = hasPoll ? '' : t('mod.projector.no_poll');
      }
    }
  }

  for (const button of ui.mode.querySelectorAll('button[data-mode]')) {
    button.addEventListener('click', () => {
      if (button.getAttribute('aria-disabled') === 'true') {
        toast(t('mod.projector.no_poll'), { kind: 'error' });
        return;
      }
      setProjectorMode(button.dataset.mode);
    });
  }

  function renderPresenceToggle() {
    const on = !!state.projectorPresence;
    ui.presence.setAttribute('aria-checked', on ? 'true' : 'false');
    ui.presence.disabled = !state.session;
  }

  ui.presence.addEventListener('click', async () => {
    if (!state.session || ui.presence.getAttribute('aria-busy') === 'true') {
      return;
    }
    const showPresence = !state.projectorPresence;
    const mode = state.projectorMode || 'questions';
    const sessionId = getSessionId();
    if (sessionId === null) {
      return;
    }
    ui.presence.setAttribute('aria-busy', 'true');
    const r = await live.request('SetProjector', {
      sessionId, mode, pollId: mode === 'poll' ? state.projectorPollId : null, showPresence,
    });
    ui.presence.removeAttribute('aria-busy');
    if (!r.ok) {
      await toastFailure(r);
      return;
    }
    state.projectorPresence = !!r.value.showPresence;
    renderPage();
    toast(t(state.projectorPresence ? 'mod.presence.done_on' : 'mod.presence.done_off'));
  });

  return {
    render() {
      renderProjectorMode();
      renderPresenceToggle();
    },
  };
}
