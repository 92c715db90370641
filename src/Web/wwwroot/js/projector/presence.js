// @ts-check
// The head count beside the join code, shown while the moderator has it on.
import { api } from '/js/lib/api.js';
import { $ } from '/js/lib/dom.js';
import { t } from '/js/lib/strings.js';

/**
 * @typedef {object} Presence
 * @property {() => void} render shows the count, or hides it
 * @property {(change: { kind: string, delta?: any }) => void} stateChanged after each change to the session's state
 * @property {() => void} loaded a session's snapshot arrived
 * @property {(count: number) => void} countChanged the server's new count for this session
 */

/**
 * @param {{ state: any, getSessionId: () => number | null }} deps state: the session's SessionState
 * @returns {Presence}
 */
export function createPresence({ state, getSessionId }) {
  const node = $('#presence');
  let wasShown = false;

  function render() {
    const show = state.loaded && state.projectorPresence && typeof state.present === 'number';
    node.hidden = !show;
    if (show) {
      node.textContent = t('proj.presence', { count: state.present });
    }
  }

  /** Head counts reach the projector only when they change: when the moderator turns them on, read the count now. */
  async function refresh() {
    const id = getSessionId();
    const r = await api('GET', `/api/sessions/${id}?view=projector`);
    if (r.ok && r.value && id === getSessionId() && typeof r.value.present === 'number') {
      state.present = r.value.present;
      render();
    }
  }

  return {
    render,
    stateChanged(change) {
      if (change.kind === 'ProjectorChanged' && change.delta.showPresence && !wasShown) {
        refresh();
      }
      wasShown = state.projectorPresence;
    },
    loaded() {
      wasShown = state.projectorPresence;
    },
    countChanged(count) {
      state.present = count;
      render();
    },
  };
}
