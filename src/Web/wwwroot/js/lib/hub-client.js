// @ts-check
// One connection to the hub over a WebSocket, speaking SignalR's JSON hub protocol (version 1): a handshake, then
// records separated by U+001E — invocations both ways, completions of our calls, pings and a close. LiveHub's pages
// use only this much of SignalR (no negotiation, no other transport, no streaming), so they carry this small client
// rather than the whole JavaScript library: a phone on venue Wi-Fi downloads four times less before it can ask.
// The protocol is in docs/protocol.md; reconnecting is js/lib/connection.js's business, not this one's.

const RS = '\u001e';
const INVOCATION = 1;
const COMPLETION = 3;
const PING = 6;
const CLOSE = 7;

/** @typedef {'connecting' | 'connected' | 'closed'} HubState */

/** A hub call the server failed or the connection lost before answering. */
export class HubCallError extends Error {}

/**
 * A call the server received and refused with a completion error instead of a result: SignalR could not bind its
 * arguments (wrong count or types). The message is the server's text; sending the same call again changes nothing.
 */
export class HubRefusedError extends HubCallError {}

/**
 * @param {string} url the hub's absolute ws:// or wss:// URL
 * @param {{ serverTimeoutMs: number, keepAliveMs?: number, onActivity?: () => void }} options onActivity runs on every
 *   frame from the server, pings included
 */
export function createHubClient(url, { serverTimeoutMs, keepAliveMs = 15000, onActivity }) {
  /** @type {Map<string, Array<(...args: any[]) => void>>} */
  const handlers = new Map();
  /** @type {Set<(error?: Error) => void>} */
  const closeHandlers = new Set();
  /** @type {Map<string, { resolve: (value: any) => void, reject: (error: Error) => void }>} */
  const calls = new Map();
  /** @type {HubState} */
  let state = 'closed';
  /** @type {WebSocket | null} */
  let socket = null;
  let nextId = 1;
  /** @type {ReturnType<typeof setTimeout> | undefined} */
  let serverTimer;
  /** @type {ReturnType<typeof setInterval> | undefined} */
  let pingTimer;

  function send(/** @type {object} */ message) {
    socket?.send(JSON.stringify(message) + RS);
  }

  /** Nothing from the server for this long (not even its keep-alive ping): the connection is dead. */
  function heardFromServer() {
    clearTimeout(serverTimer);
    serverTimer = setTimeout(() => close(new Error('Server timeout elapsed without receiving a message from the server.')), serverTimeoutMs);
  }

  /** @param {Error} [error] */
  function close(error) {
    if (state === 'closed') {
      return;
    }
    const wasConnected = state === 'connected';
    state = 'closed';
    clearTimeout(serverTimer);
    clearInterval(pingTimer);
    const s = socket;
    socket = null;
    try { s?.close(); } catch { /* already closing */ }
    for (const call of calls.values()) {
      call.reject(new HubCallError('The connection closed before the call completed.'));
    }
    calls.clear();
    if (wasConnected) {
      for (const fn of closeHandlers) {
        fn(error);
      }
    }
  }

  /** @param {any} message */
  function dispatch(message) {
    switch (message.type) {
      case INVOCATION: {
        for (const fn of handlers.get(String(message.target).toLowerCase()) || []) {
          try {
            fn(...(message.arguments || []));
          } catch (error) {
            console.error('LiveHub: a handler of', message.target, 'failed', error);
          }
        }
        break;
      }
      case COMPLETION: {
        const call = calls.get(message.invocationId);
        if (call) {
          calls.delete(message.invocationId);
          if (message.error) {
            call.reject(new HubRefusedError(message.error));
          } else {
            call.resolve(message.result);
          }
        }
        break;
      }
      case CLOSE:
        close(message.error ? new Error(message.error) : undefined);
        break;
      default:
        break; // pings only prove the server is there
    }
  }

  return {
    get state() { return state; },

    /** Opens the socket and completes the handshake; rejects if either fails. */
    start() {
      if (state !== 'closed') {
        return Promise.reject(new Error('The hub client is already started.'));
      }
      state = 'connecting';
      return new Promise((resolve, reject) => {
        let handshaken = false;
        let buffer = '';
        const s = new window.WebSocket(url);
        socket = s;
        const fail = (/** @type {Error} */ error) => {
          if (!handshaken) {
            state = 'closed';
            socket = null;
            clearTimeout(serverTimer);
            try { s.close(); } catch { /* never opened */ }
            reject(error);
          } else {
            close(error);
          }
        };
        s.onopen = () => {
          s.send(JSON.stringify({ protocol: 'json', version: 1 }) + RS);
          heardFromServer();
        };
        s.onerror = () => fail(new Error('The WebSocket failed.'));
        s.onclose = (event) => fail(new Error(`The WebSocket closed (${event.code}).`));
        s.onmessage = (event) => {
          if (socket !== s) {
            return;
          }
          heardFromServer();
          onActivity?.();
          buffer += typeof event.data === 'string' ? event.data : '';
          const records = buffer.split(RS);
          buffer = records.pop() || '';
          for (const record of records) {
            if (!record) {
              continue;
            }
            let message;
            try {
              message = JSON.parse(record);
            } catch {
              fail(new Error('The server sent a record that is not JSON.'));
              return;
            }
            if (!handshaken) {
              if (message.error) {
                fail(new Error(message.error));
                return;
              }
              handshaken = true;
              state = 'connected';
              pingTimer = setInterval(() => send({ type: PING }), keepAliveMs);
              resolve(undefined);
              continue;
            }
            dispatch(message);
          }
        };
      });
    },

    /** Closes the connection; calls waiting for an answer are failed. */
    stop() {
      if (state === 'connecting' && socket) {
        try { socket.close(); } catch { /* not yet open */ }
      }
      close();
      return Promise.resolve();
    },

    /**
     * Calls a hub method and resolves with its result.
     * @param {string} method @param {...unknown} args
     */
    invoke(method, ...args) {
      if (state !== 'connected') {
        return Promise.reject(new HubCallError('Not connected.'));
      }
      const invocationId = String(nextId++);
      return new Promise((resolve, reject) => {
        calls.set(invocationId, { resolve, reject });
        send({ type: INVOCATION, invocationId, target: method, arguments: args });
      });
    },

    /** @param {string} name @param {(...args: any[]) => void} fn */
    on(name, fn) {
      const key = name.toLowerCase();
      handlers.set(key, [...(handlers.get(key) || []), fn]);
    },

    /** @param {(error?: Error) => void} fn */
    onclose(fn) {
      closeHandlers.add(fn);
    },
  };
}
