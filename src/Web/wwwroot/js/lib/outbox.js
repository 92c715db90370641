// @ts-check
// What a phone sends and must not lose (questions, votes) waits in localStorage until the server has committed it.
// Every entry carries a client id the server is idempotent on, so a resend after a drop, a reload or from another tab
// is always safe. One outbox for all of it; its policy says what it sends and in which order.
import { backoff } from './connection.js';
import { storage } from './storage.js';

/**
 * @typedef {{ code: string, messageKey: string, retryable: boolean, retryAfterSeconds: number | null }} OutboxError
 * @typedef {{ clientId: string, sessionId: number, state: 'sending' | 'delivered' | 'failed', createdAt: number,
 *   error: OutboxError | null, retryAt: number, attempts: number, [field: string]: any }} OutboxItem
 * @typedef {{ ok: boolean, value?: any, error?: any }} SendResult
 */

/**
 * What an outbox holds and how it sends it.
 * - fifo: one entry on its way at a time, in the order given; one waiting for its retry holds those behind it, and one
 *   the server refuses stays as failed (retry() resends it with the same client id, remove() gives it up).
 * - latest-per-key: a newer entry with the same key replaces one not yet acknowledged (under a new client id); one entry
 *   per key on its way at a time, so an older one never lands after a newer; keys do not wait for each other; one the
 *   server refuses is dropped.
 * @typedef {object} OutboxPolicy
 * @property {string} storage the localStorage key of the list
 * @property {'fifo' | 'latest-per-key'} order
 * @property {(item: OutboxItem) => any} [key] what makes entries replace each other (latest-per-key)
 * @property {(stored: any) => boolean} valid whether a stored entry is one (the stored copy may be old or edited by hand)
 * @property {(live: any, item: OutboxItem) => Promise<SendResult>} send the hub call
 * @property {(item: OutboxItem, held: any) => boolean} holds whether what the server holds (from a snapshot) is this entry
 * @property {(item: OutboxItem, value: any) => void} [acknowledged] what the server's answer adds to the entry
 */

/** Client ids. randomUUID needs a secure context; a venue LAN on plain http has only getRandomValues. */
export function newClientId() {
  if (globalThis.crypto && typeof crypto.randomUUID === 'function') {
    return crypto.randomUUID();
  }
  return [...crypto.getRandomValues(new Uint8Array(16))].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/** How long a delivered entry stays (the card says so), before it leaves. */
export const DELIVERED_SHOWN_MS = 6000;

/**
 * An outbox over live (connection.js). States: sending → delivered (shown a moment, then removed); a refused entry is
 * failed or dropped by the policy's order. onError hears every refusal: retryable ones (the entry stays sending and goes
 * again after the server's retry-after, else the back-off) and final ones.
 * @param {any} live
 * @param {OutboxPolicy} policy
 * @param {{ onChange?: () => void, onDelivered?: (value: any, item: OutboxItem) => void,
 *   onError?: (error: OutboxError, item: OutboxItem) => void }} [callbacks]
 */
export function createOutbox(live, policy, { onChange, onDelivered, onError } = {}) {
  const fifo = policy.order === 'fifo';
  const keyOf = fifo || !policy.key ? (/** @type {OutboxItem} */ i) => i.clientId : policy.key;
  /** @type {OutboxItem[]} */
  let items = read().filter((i) => i.state !== 'delivered');
  const inFlight = new Set(); // keys
  /** @type {ReturnType<typeof setTimeout> | undefined} */
  let timer;
  let running = false;
  let again = false;

  function read() {
    const stored = storage.get(policy.storage, []);
    return Array.isArray(stored) ? stored.filter((i) => i && typeof i.clientId === 'string' && policy.valid(i)) : [];
  }

  function save() {
    storage.set(policy.storage, items);
    onChange?.();
  }

  /** @param {string} clientId */
  const find = (clientId) => items.find((i) => i.clientId === clientId);
  /** @param {any} key */
  const forKey = (key) => items.find((i) => keyOf(i) === key) || null;

  /** The next round after ms (at least 250); setting it again replaces the one waiting. @param {number} ms */
  function schedule(ms) {
    clearTimeout(timer);
    timer = setTimeout(flush, Math.max(250, ms));
  }

  /** Counts one more attempt and waits the server's retry-after, else the back-off. @param {OutboxItem} item */
  function retryLater(item, retryAfterSeconds = /** @type {number | null} */ (null)) {
    item.attempts = (item.attempts || 0) + 1;
    const wait = retryAfterSeconds ? retryAfterSeconds * 1000 : backoff(item.attempts);
    item.retryAt = Date.now() + wait;
    schedule(wait);
  }

  /** @param {OutboxItem} item @param {any} value */
  function delivered(item, value) {
    item.state = 'delivered';
    item.error = null;
    policy.acknowledged?.(item, value);
    save();
    onDelivered?.(value, item);
    setTimeout(() => {
      if (find(item.clientId)?.state === 'delivered') {
        remove(item.clientId);
      }
    }, DELIVERED_SHOWN_MS);
  }

  /** @param {OutboxItem} item */
  async function send(item) {
    const key = keyOf(item);
    inFlight.add(key);
    let result;
    try {
      result = await policy.send(live, item);
    } catch (error) {
      if (error.retryable === false) {
        result = { ok: false, value: null, error }; // the server read it and refused it: final, not retried
      } else {
        inFlight.delete(key);
        if (find(item.clientId) && error.code !== 'offline') {
          retryLater(item);
          save();
        }
        return; // offline: stays queued and goes again after the reconnect
      }
    }
    inFlight.delete(key);
    if (!find(item.clientId)) {
      // Removed, or replaced by a newer entry while on its way: that one goes next (one more round).
      flush();
      return;
    }
    if (result && result.ok) {
      delivered(item, result.value);
      return;
    }
    const error = (result && result.error) || { code: 'unknown', messageKey: 'error.generic' };
    /** @type {OutboxError} */
    const plain = { code: error.code, messageKey: error.messageKey, retryable: !!error.retryable, retryAfterSeconds: error.retryAfterSeconds ?? null };
    item.error = plain;
    if (plain.retryable) {
      retryLater(item, plain.retryAfterSeconds);
    } else if (fifo) {
      item.state = 'failed';
    } else {
      items = items.filter((i) => i !== item);
    }
    save();
    onError?.(plain, item);
  }

  async function sendWaiting() {
    for (const item of [...items]) {
      if (item.state !== 'sending' || inFlight.has(keyOf(item)) || !find(item.clientId)) {
        continue;
      }
      if (!live.isConnected()) {
        break;
      }
      if (item.retryAt && item.retryAt > Date.now()) {
        schedule(item.retryAt - Date.now());
        if (fifo) {
          break;
        }
        continue;
      }
      await send(item);
      if (fifo && item.state === 'sending' && find(item.clientId)) {
        break;
      }
    }
  }

  /** Runs one round at a time: a call during a round asks for exactly one more round after it. */
  async function flush() {
    if (running) {
      again = true;
      return;
    }
    running = true;
    try {
      await sendWaiting();
    } finally {
      running = false;
      if (again) {
        again = false;
        flush();
      }
    }
  }

  /** Queues an entry (stored before its first send); latest-per-key: it replaces one with the same key. @param {{ sessionId: number, [field: string]: any }} fields */
  function add(fields) {
    /** @type {OutboxItem} */
    const item = { clientId: newClientId(), ...fields, state: 'sending', createdAt: Date.now(), error: null, retryAt: 0, attempts: 0 };
    if (!fifo) {
      items = items.filter((i) => keyOf(i) !== keyOf(item));
    }
    items.push(item);
    save();
    flush();
    return item;
  }

  /** Sends a failed entry again, with its client id. @param {string} clientId */
  function retry(clientId) {
    const item = find(clientId);
    if (item) {
      Object.assign(item, { state: 'sending', error: null, retryAt: 0 });
      save();
      flush();
    }
  }

  /** @param {string} clientId */
  function remove(clientId) {
    const before = items.length;
    items = items.filter((i) => i.clientId !== clientId);
    if (items.length !== before) {
      save();
    }
  }

  /** Marks entries the server already holds (the caller's own, from a snapshot or a push) as delivered. @param {any[]} held */
  function match(held) {
    for (const h of held || []) {
      const item = h ? items.find((i) => i.state !== 'delivered' && !inFlight.has(keyOf(i)) && policy.holds(i, h)) : null;
      if (item) {
        delivered(item, h);
      }
    }
  }

  // Another tab of the same event changed the stored list; back online, what waits goes.
  window.addEventListener('storage', (e) => {
    if (e.key === policy.storage) {
      items = read();
      onChange?.();
    }
  });
  live.onConnected(() => { flush(); });

  return {
    get items() { return items; },
    forKey,
    add,
    retry,
    remove,
    flush,
    match,
  };
}
