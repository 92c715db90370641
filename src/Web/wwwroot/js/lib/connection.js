// @ts-check
// The hub connection that never gives up, as one small state machine:
//
//   starting ──ok──▶ connected ──closed (server timeout, reset, the server stopping)──▶ waiting ──▶ starting …
//      │ hung past its timeout: abandoned with its socket, and the next attempt goes at once
//      └ refused or reset: the next attempt follows a short jittered wait (at most 2 s)
//
// A silent network (packets dropped, the phone still "online") hangs a WebSocket handshake for as long as the
// browser's own TCP timeouts last; so each attempt gets its own hub client (hub-client.js) and a timeout, and a hung
// one is abandoned (its socket closed), never awaited. A dead open connection is noticed by the server's keep-alives:
// the server pings every few seconds and the connection closes when none arrives for 2.5 pings. The browser's own
// offline signal shows at once; its online signal and the tab becoming visible start an attempt at once.
import { el } from './dom.js';
import { createHubClient } from './hub-client.js';
import { page } from './page.js';
import { onLanguageChange, t } from './strings.js';

/** @typedef {{ code: string, messageKey: string, retryable?: boolean, retryAfterSeconds?: number | null }} LiveErrorShape */
/** @template T @typedef {{ ok: boolean, value: T | null, error: LiveErrorShape | null }} HubResult */
/** @typedef {'connecting' | 'connected' | 'reconnecting' | 'offline'} Status */

/** Jittered exponential back-off: 0.5–1 s, 1–2 s, 2–4 s … capped at 15 s. @param {number} attempt */
export function backoff(attempt) {
  const cap = Math.min(15000, 1000 * 2 ** Math.min(attempt, 10));
  return Math.round(cap / 2 + Math.random() * (cap / 2));
}

/** A local, typed error for calls that cannot reach the server. */
export class LiveError extends Error {
  /** @param {string} code @param {string} messageKey */
  constructor(code, messageKey, retryable = true) {
    super(code);
    this.code = code;
    this.messageKey = messageKey;
    this.retryable = retryable;
  }
}

export function offlineError() {
  return new LiveError('offline', 'error.offline', true);
}

const MIN_START_TIMEOUT_MS = 4000;
const MAX_START_TIMEOUT_MS = 15000;
const MAX_RETRY_MS = 2000;
const OFFLINE_AFTER_MS = 20000;

/**
 * The wait before the next attempt after a refused or reset one: 0.5–1 s, then 1–2 s for as long as it lasts. Short, so
 * a phone is back within a few seconds of its network; jittered, so a hall of phones does not come back in one beat.
 * @param {number} failures
 */
export function retryDelay(failures) {
  const cap = failures === 0 ? MAX_RETRY_MS / 2 : MAX_RETRY_MS;
  return Math.round(cap / 2 + Math.random() * (cap / 2));
}

/** @type {any} */
let pageConnection = null;

/**
 * Invokes a hub method on the page's connection. Rejects with {code:'offline'} when not connected.
 * @param {string} method @param {...unknown} args
 */
export function call(method, ...args) {
  return pageConnection ? pageConnection.call(method, ...args) : Promise.reject(offlineError());
}

/**
 * Opens the hub connection and keeps it open. onConnected runs after every (re)connect, since the server forgets
 * groups; a failing one is retried while the connection stays up.
 * @param {{ onConnected?: () => unknown, onStatus?: (status: Status) => void, autoStart?: boolean }} [options]
 */
export function connect({ onConnected, onStatus, autoStart = true } = {}) {
  const keepAlive = page.keepAliveMs;
  /** @type {Array<[string, (...args: any[]) => void]>} */
  const handlers = [];
  /** @type {Set<(status: Status) => void>} */
  const statusListeners = new Set(onStatus ? [onStatus] : []);
  /** @type {Set<() => unknown>} */
  const connectedListeners = new Set(onConnected ? [onConnected] : []);
  /** @type {'idle' | 'starting' | 'connected' | 'waiting' | 'stopped'} */
  let phase = 'idle';
  /** @type {Status} */
  let status = 'connecting';
  let everConnected = false;
  let failures = 0;
  /** @type {number | null} */
  let lostAt = null;
  let lastConnectMs = 0;
  let lastMessageAt = 0;
  /** @type {ReturnType<typeof setTimeout> | undefined} */
  let timer;
  /** @type {{ hub: ReturnType<typeof createHubClient>, abandon: (restart: boolean) => void } | null} */
  let current = null;

  /**
   * One hub client per attempt. A stuck attempt (a handshake the network swallowed, a socket that never reports
   * back) is abandoned together with its connection, whatever it does later: nothing waits for it to settle.
   */
  function createHub() {
    const url = `${location.protocol === 'https:' ? 'wss:' : 'ws:'}//${location.host}/hub`;
    const hub = createHubClient(url, {
      serverTimeoutMs: Math.round(keepAlive * 2.5),
      // Every frame from the server, pings included, proves the data is fresh; the projector shows this.
      onActivity: () => { lastMessageAt = Date.now(); },
    });
    for (const [name, fn] of handlers) {
      hub.on(name, fn);
    }
    hub.onclose(() => {
      if (current && current.hub === hub && phase === 'connected') {
        lostAt ??= Date.now();
        // A connection that was up and dropped: the network may be back already (a blip), so try again soon.
        schedule(Math.round(Math.random() * 500));
      }
    });
    return { hub };
  }

  const isConnected = () => phase === 'connected' && !!current && current.hub.state === 'connected';

  /** @returns {Status} */
  function computeStatus() {
    if (!navigator.onLine) {
      return 'offline';
    }
    if (isConnected()) {
      return 'connected';
    }
    if (!everConnected) {
      return 'connecting';
    }
    return lostAt !== null && Date.now() - lostAt > OFFLINE_AFTER_MS ? 'offline' : 'reconnecting';
  }

  function updateStatus() {
    const next = computeStatus();
    if (next !== status) {
      status = next;
      for (const fn of statusListeners) {
        fn(status);
      }
    }
  }

  function schedule(/** @type {number} */ ms) {
    clearTimeout(timer);
    phase = 'waiting';
    timer = setTimeout(attempt, ms);
    updateStatus();
  }

  /** A handshake gets at least 4 s, and three times what the last good one took on a slow network. */
  function startTimeout() {
    return Math.min(MAX_START_TIMEOUT_MS, Math.max(MIN_START_TIMEOUT_MS, lastConnectMs * 3));
  }

  function attempt() {
    if (phase === 'stopped' || phase === 'starting' || phase === 'connected') {
      return;
    }
    clearTimeout(timer);
    phase = 'starting';
    updateStatus();
    const began = Date.now();
    const { hub } = createHub();
    let settled = false;
    /** Ends this attempt now: hung (next one at once) or given up for a fresh one (restart). @param {boolean} restart */
    const abandon = (restart) => {
      if (settled) {
        return;
      }
      settled = true;
      hub.stop();
      if (phase === 'starting') {
        lostAt ??= Date.now();
        // A hung attempt cost the server nothing (nothing reached it): the next one goes at once.
        schedule(restart ? 0 : Math.round(Math.random() * 250));
      }
    };
    current = { hub, abandon };
    const watchdog = setTimeout(() => abandon(false), startTimeout());
    hub.start().then(async () => {
      clearTimeout(watchdog);
      if (settled || phase !== 'starting' || current?.hub !== hub) {
        hub.stop(); // abandoned or stopped meanwhile: it lost its turn
        return;
      }
      settled = true;
      lastConnectMs = Date.now() - began;
      phase = 'connected';
      everConnected = true;
      failures = 0;
      lostAt = null;
      lastMessageAt = Date.now();
      updateStatus();
      await runConnected();
    }, () => {
      clearTimeout(watchdog);
      if (settled) {
        return;
      }
      settled = true;
      if (phase === 'starting' && current?.hub === hub) {
        lostAt ??= Date.now();
        schedule(retryDelay(failures++));
      }
    });
  }

  async function runConnected() {
    for (const fn of connectedListeners) {
      try {
        await fn();
      } catch (error) {
        // A failed rejoin (busy server, rate limit) is retried while the connection stays up.
        console.warn('LiveHub: rejoin failed, retrying', error);
        setTimeout(() => { if (isConnected()) runConnected(); }, backoff(2));
        return;
      }
    }
  }

  /** Try now: the network came back or the tab became visible. With abandon, an attempt begun while offline is dropped. */
  function kick({ abandon = false } = {}) {
    if (phase === 'stopped') {
      return;
    }
    failures = 0;
    if (phase === 'starting') {
      if (abandon) {
        current?.abandon(true);
      }
      return;
    }
    if (phase === 'waiting' || phase === 'idle') {
      attempt();
    }
  }

  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'visible') {
      kick();
    }
  });
  window.addEventListener('online', () => { updateStatus(); kick({ abandon: true }); });
  window.addEventListener('offline', updateStatus);
  setInterval(updateStatus, 1000);

  /** @param {string} method @param {...unknown} args */
  async function invoke(method, ...args) {
    if (!isConnected() || !current) {
      throw offlineError();
    }
    try {
      return await current.hub.invoke(method, ...args);
    } catch {
      throw isConnected() ? new LiveError('unavailable', 'error.unavailable', true) : offlineError();
    }
  }

  async function stop() {
    phase = 'stopped';
    clearTimeout(timer);
    const hub = current?.hub;
    current = null;
    await hub?.stop();
    updateStatus();
  }

  const live = {
    call: invoke,
    /**
     * Like call, but always resolves to a HubResult, turning local failures into {ok:false, error}.
     * @param {string} method @param {...unknown} args
     * @returns {Promise<HubResult<any>>}
     */
    async request(method, ...args) {
      try {
        return await invoke(method, ...args);
      } catch (/** @type {any} */ error) {
        return { ok: false, value: null, error: { code: error.code || 'unavailable', messageKey: error.messageKey || 'error.generic', retryable: true } };
      }
    },
    /** @param {string} name @param {(...args: any[]) => void} fn */
    on(name, fn) {
      /** @param {any[]} args */
      const handler = (...args) => {
        lastMessageAt = Date.now();
        fn(...args);
      };
      handlers.push([name, handler]);
      current?.hub.on(name, handler);
    },
    /** @param {() => unknown} fn */
    onConnected(fn) { connectedListeners.add(fn); },
    /** @param {(status: Status) => void} fn */
    onStatus(fn) { statusListeners.add(fn); fn(status); },
    isConnected,
    get status() { return status; },
    get lastMessageAt() { return lastMessageAt; },
    /** Marks a snapshot as fresh data. */
    touch() { lastMessageAt = Date.now(); },
    start() {
      if (phase === 'stopped') {
        phase = 'idle';
      }
      attempt();
    },
    stop,
    kick,
  };
  pageConnection = live;
  if (autoStart) {
    attempt();
  }
  return live;
}

/** @typedef {ReturnType<typeof connect>} Live */

/** Keeps an element showing the connection state (text plus data-state for styling and tests). @param {HTMLElement} node @param {Live} live */
export function bindStatus(node, live) {
  const paint = () => {
    const state = live.status;
    node.dataset.state = state;
    node.replaceChildren(el('span', { class: 'dot', attrs: { 'aria-hidden': 'true' } }), el('span', { text: t(`status.${state}`) }));
  };
  live.onStatus(paint);
  onLanguageChange(paint);
  paint();
}
