// @ts-check
// How fresh the wall is: "updated 3 s ago" while connected, and how long it has been stale when not, so whoever looks
// at the screen knows whether to trust it.
import { $ } from '/js/lib/dom.js';
import { t } from '/js/lib/strings.js';
import { relativeTime } from '/js/lib/time.js';

/**
 * @typedef {object} Freshness
 * @property {() => void} render
 * @property {() => void} snapshotLoaded a session's snapshot arrived: the wall is fresh now
 */

/**
 * @param {{ live: ReturnType<typeof import('/js/lib/connection.js').connect> }} deps
 * @returns {Freshness}
 */
export function createFreshness({ live }) {
  const node = $('#fresh');
  let lastSnapshotAt = 0;

  function render() {
    const last = Math.max(live.lastMessageAt, lastSnapshotAt);
    const ago = last ? relativeTime(last, { base: Date.now(), seconds: true }) : '…';
    const connected = live.isConnected();
    node.dataset.state = connected ? 'fresh' : live.status === 'offline' ? 'offline' : 'stale';
    node.textContent = connected
      ? t('proj.updated', { time: ago })
      : t('proj.stale', { time: ago });
  }

  setInterval(render, 1000);
  live.onStatus(render);
  return {
    render,
    snapshotLoaded() {
      lastSnapshotAt = Date.now();
    },
  };
}
