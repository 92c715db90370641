// @ts-check
// The hub connection that never gives up, as one small state machine:
//
//   starting ──ok──▶ connected ──closed (server timeout, reset, the server stopping)──▶ probing
//   probing:  a small HTTP request (/health/live) with a timeout
//             answered ──▶ starting;  refused at once ──▶ probing again in 1–2 s;  no answer ──▶ starting
//   starting: a WebSocket and the hub handshake, with a timeout
//             hung ──▶ starting again at once (the network is silent: a fresh socket is the test);
//             refused ──▶ probing after a back-off (the server answers HTTP but not the hub: restarting, draining)
//
// Why the HTTP probe: browsers hold back new WebSocket connections after failed ones (Firefox by up to a minute,
// Chromium by seconds), so a phone that kept failing sockets against a refusing network would be held back just when
// it returns; a refused probe costs nothing. Why sockets when the network is silent: a probe may go out on a pooled
// HTTP connection that died in the silence and hang until its timeout, each one in turn, while a new WebSocket is
// always a new connection, and one that hangs (closed by us, never refused) is not held against the next.
// A dead open connection is noticed by the server's keep-alives: it pings every few seconds and the connection
// closes when none arrives for 2.5 pings. The browser's offline signal shows at once; its online signal and the tab
// becoming visible probe at once.
import { el } from './dom.js';
import { createHubClient, HubRefusedError } from './hub-client.js';
import { page } from './page.js';
import { onLanguageChange, t } from './strings.js';

/** @import { HubMethods, ClientEvents } from '../../../types/protocol' */
/** @template {keyof HubMethods} M @typedef {ReturnType<HubMethods[M]>} ResultOf */
/** A server's typed error (HubError), or one the page made for a call that never got an answer. */
/** @typedef {{ code: string, messageKey: string, retryable?: boolean, retryAfterSeconds?: number | null, message?: string }} LiveErrorShape */
/** @template T @typedef {{ ok: true, value: T, error: null } | { ok: false, value: null, error: LiveErrorShape }} HubResult */
/** @typedef {'connecting' | 'connected' | 'reconnecting' | 'offline'} Status */

/** Jittered exponential back-off: 0.5–1 s, 1–2 s, 2–4 s … capped at 15 s. @param {number} attempt */
export function backoff(attempt) {
  const cap = Math.min(15000, 1000 * 2 ** Math.min(attempt, 10));
  return Math.round(cap / 2 + Math.random() * (cap / 2));
}

/**
 * The wait before a failed rejoin is tried again: the server's own retryAfterSeconds when it shed the join (a hall
 * reconnecting at once, docs/protocol.md section 3) plus up to a second of jitter, so the phones it turned away together
 * come back apart; otherwise the back-off's third step, 2–4 s.
 * @param {any} error
 */
export function rejoinDelay(error) {
  const seconds = error && error.retryable && typeof error.retryAfterSeconds === 'number' ? error.retryAfterSeconds : null;
  return seconds !== null ? Math.round(seconds * 1000 + Math.random() * 1000) : backoff(2);
}

/** A typed error for calls that did not get a HubResult: they could not reach the server, or it refused to read them. */
export class LiveError extends Error {
  /** @param {string} code @param {string} messageKey @param {string | null} [detail] the server's own words, if any */
  constructor(code, messageKey, retryable = true, detail = null) {
    super(detail || code);
    this.code = code;
    this.messageKey = messageKey;
    this.retryable = retryable;
    this.detail = detail;
  }
}

export function offlineError() {
  return new LiveError('offline', 'error.offline', true);
}

const MIN_START_TIMEOUT_MS = 4000;
const MAX_START_TIMEOUT_MS = 15000;
const PROBE_TIMEOUT_MS = 3000;
const OFFLINE_AFTER_MS = 20000;

/** The wait between probes that nothing answered: 1–2 s, jittered so a hall of phones does not probe in one beat. */
export function probeDelay() {
  return 1000 + Math.round(Math.random() * 1000);
}

/** @type {any} */
let pageConnection = null;

/**
 * Invokes a hub method on the page's connection. Rejects with {code:'offline'} when not connected.
 * @template {keyof HubMethods} M @param {M} method @param {Parameters<HubMethods[M]>} args
 * @returns {Promise<import('../../../types/protocol').HubResult<ResultOf<M>>>}
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
  /** @type {'idle' | 'probing' | 'starting' | 'connected' | 'waiting' | 'stopped'} */
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
        // A connection that was up and dropped: find out at once whether the network still answers.
        schedule(probe, Math.round(Math.random() * 250));
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

  /** The next step after a wait: a probe, or (the page's first try) a connection attempt. */
  function schedule(/** @type {() => void} */ next, /** @type {number} */ ms) {
    clearTimeout(timer);
    phase = 'waiting';
    timer = setTimeout(next, ms);
    updateStatus();
  }

  /** @type {AbortController | null} */
  let probeAbort = null;

  /** Asks the server for its smallest answer; a connection attempt follows as soon as one comes back. */
  async function probe() {
    if (phase === 'stopped' || phase === 'starting' || phase === 'connected' || phase === 'probing') {
      return;
    }
    clearTimeout(timer);
    phase = 'probing';
    updateStatus();
    const abort = new AbortController();
    probeAbort = abort;
    const watchdog = setTimeout(() => abort.abort(), PROBE_TIMEOUT_MS);
    let answered = false;
    try {
      const response = await fetch('/health/live', { cache: 'no-store', signal: abort.signal });
      answered = response.status > 0;
    } catch {
      answered = false;
    } finally {
      clearTimeout(watchdog);
    }
    if (probeAbort !== abort || phase !== 'probing') {
      return; // abandoned (the browser came back online, or the page stopped)
    }
    probeAbort = null;
    if (answered || abort.signal.aborted) {
      // Answered: connect. No answer at all: the network is silent, and a fresh socket tells more than another probe.
      if (!answered) {
        lostAt ??= Date.now();
      }
      phase = 'waiting';
      attempt();
    } else {
      lostAt ??= Date.now();
      schedule(probe, probeDelay());
    }
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
        // Hung: the network is silent. Another socket at once (a new connection each time); asked to restart, a probe.
        if (restart) {
          schedule(probe, 0);
        } else {
          phase = 'waiting';
          attempt();
        }
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
        // The server answered HTTP a moment ago but refused the hub (restarting, draining, overloaded): back off.
        schedule(probe, backoff(failures++));
      }
    });
  }

  async function runConnected() {
    for (const fn of connectedListeners) {
      try {
        await fn();
      } catch (error) {
        // A failed rejoin (busy server, rate limit) is retried while the connection stays up, for as long as it does.
        console.warn('LiveHub: rejoin failed, retrying', error);
        setTimeout(() => { if (isConnected()) runConnected(); }, rejoinDelay(error));
        return;
      }
    }
  }

  /** Try now: the network came back or the tab became visible. With abandon, what was begun while offline is dropped. */
  function kick({ abandon = false } = {}) {
    if (phase === 'stopped' || phase === 'connected') {
      return;
    }
    failures = 0;
    if (phase === 'starting') {
      if (abandon) {
        current?.abandon(true);
      }
      return;
    }
    if (phase === 'probing') {
      if (!abandon) {
        return;
      }
      probeAbort?.abort();
      probeAbort = null;
      phase = 'waiting';
    }
    probe();
  }

  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'visible') {
      kick();
    }
  });
  window.addEventListener('online', () => { updateStatus(); kick({ abandon: true }); });
  window.addEventListener('offline', updateStatus);
  setInterval(updateStatus, 1000);

  /**
   * @template {keyof HubMethods} M @param {M} method @param {Parameters<HubMethods[M]>} args
   * @returns {Promise<import('../../../types/protocol').HubResult<ResultOf<M>>>}
   */
  async function invoke(method, ...args) {
    if (!isConnected() || !current) {
      throw offlineError();
    }
    try {
      return await current.hub.invoke(method, ...args);
    } catch (error) {
      if (error instanceof HubRefusedError) {
        // The server read the call and could not take it (docs/protocol.md, section 3): not an outage, and not worth a retry.
        throw new LiveError('invalid', 'error.invalid.request', false, error.message);
      }
      throw isConnected() ? new LiveError('unavailable', 'error.unavailable', true) : offlineError();
    }
  }

  async function stop() {
    phase = 'stopped';
    clearTimeout(timer);
    probeAbort?.abort();
    const hub = current?.hub;
    current = null;
    await hub?.stop();
    updateStatus();
  }

  const live = {
    call: invoke,
    /**
     * Like call, but always resolves to a HubResult, turning local failures into {ok:false, error}.
     * @template {keyof HubMethods} M @param {M} method @param {Parameters<HubMethods[M]>} args
     * @returns {Promise<HubResult<ResultOf<M>>>}
     */
    async request(method, ...args) {
      try {
        return await invoke(method, ...args);
      } catch (/** @type {any} */ error) {
        return {
          ok: false,
          value: null,
          error: { code: error.code || 'unavailable', messageKey: error.messageKey || 'error.generic', retryable: error.retryable ?? true, message: error.detail || undefined },
        };
      }
    },
    /** @template {keyof ClientEvents} E @param {E} name @param {ClientEvents[E]} fn */
    on(name, fn) {
      // The hub client dispatches by name; each payload is the one ClientEvents names for it.
      const dispatch = /** @type {(...args: unknown[]) => void} */ (fn);
      /** @param {unknown[]} args */
      const handler = (...args) => {
        lastMessageAt = Date.now();
        dispatch(...args);
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
