// @ts-check
// What a phone sends and must not lose waits in localStorage until the server has it. Each entry has a client id the
// server is idempotent on, so a resend (after a drop, a reload, from another tab) is safe.
import { backoff } from './connection.js';
import { storage } from './storage.js';

/**
 * @typedef {{ clientId: string, sessionId: number, state: 'sending' | 'delivered' | 'failed', createdAt: number,
 *   error: any, retryAt: number, attempts: number, [field: string]: any }} OutboxItem
 * fifo: one at a time in order, a retry holds the rest, a refused entry fails; latest-per-key: a new entry replaces the
 * one with its key, one per key on its way, a refused one is dropped.
 * @typedef {{ storage: string, order: 'fifo' | 'latest-per-key', key?: (item: OutboxItem) => any,
 *   valid: (stored: any) => boolean, send: (live: any, item: OutboxItem) => Promise<{ ok: boolean, value?: any, error?: any }>,
 *   holds: (item: OutboxItem, held: any) => boolean, acknowledged?: (item: OutboxItem, value: any) => void }} OutboxPolicy
 */

/** randomUUID needs a secure context; a venue LAN on plain http has only getRandomValues. */
export function newClientId() {
  if (globalThis.crypto && typeof crypto.randomUUID === 'function') {
    return crypto.randomUUID();
  }
  return [...crypto.getRandomValues(new Uint8Array(16))].map((b) => b.toString(16).padStart(2, '0')).join('');
}

const DELIVERED_SHOWN_MS = 6000;

/**
 * sending → delivered (shown a while, then removed) or failed. onError hears every refusal; a retryable one goes again
 * after the server's retry-after, else the back-off.
 * @param {any} live
 * @param {OutboxPolicy} policy
 * @param {{ onChange?: () => void, onDelivered?: (value: any, item: OutboxItem) => void,
 *   onError?: (error: any, item: OutboxItem) => void }} [callbacks]
 */
export function createOutbox(live, policy, { onChange, onDelivered, onError } = {}) {
  const fifo = policy.order === 'fifo';
  const keyOf = fifo || !policy.key ? (/** @type {OutboxItem} */ i) => i.clientId : policy.key;
  /** @type {OutboxItem[]} */
  let items = read().filter((i) => i.state !== 'delivered');
  const inFlight = new Set();
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

  /** @param {number} ms */
  function schedule(ms) {
    clearTimeout(timer);
    timer = setTimeout(flush, Math.max(250, ms));
  }

  /** @param {OutboxItem} item */
  function retryLater(item, seconds = 0) {
    item.attempts = (item.attempts || 0) + 1;
    const wait = seconds ? seconds * 1000 : backoff(item.attempts);
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
    } catch (e) {
      const error = /** @type {import('./connection.js').LiveErrorShape} */ (e);
      if (error.retryable === false) {
        result = { ok: false, value: null, error }; // read and refused: final
      } else {
        inFlight.delete(key);
        if (find(item.clientId) && error.code !== 'offline') {
          retryLater(item);
          save();
        }
        return; // offline: goes again after the reconnect
      }
    }
    inFlight.delete(key);
    if (!find(item.clientId)) {
      flush(); // removed, or replaced by a newer one, which goes next
      return;
    }
    if (result && result.ok) {
      delivered(item, result.value);
      return;
    }
    const error = (result && result.error) || { code: 'unknown', messageKey: 'error.generic' };
    const plain = { code: error.code, messageKey: error.messageKey, retryable: !!error.retryable, retryAfterSeconds: error.retryAfterSeconds ?? null };
    item.error = plain;
    if (plain.retryable) {
      retryLater(item, plain.retryAfterSeconds || 0);
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

  /** One round at a time: a call during a round asks for one more after it. */
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

  /** Stored before its first send. @param {{ sessionId: number, [field: string]: any }} fields */
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

  /** @param {string} clientId */
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

  /** @param {any[]} held what the server holds of the caller's own */
  function match(held) {
    for (const h of held || []) {
      const item = h ? items.find((i) => i.state !== 'delivered' && !inFlight.has(keyOf(i)) && policy.holds(i, h)) : null;
      if (item) {
        delivered(item, h);
      }
    }
  }

  // Another tab changed the list; back online, what waits goes.
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
