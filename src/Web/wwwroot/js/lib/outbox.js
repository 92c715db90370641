// @ts-check
// What a phone sends and must not lose: questions and votes wait in localStorage until the server has committed them.
// Every entry carries a client id the server is idempotent on, so a resend after a drop or a reload is always safe.
import { backoff } from './connection.js';
import { storage } from './storage.js';

/** Client ids for the outboxes. randomUUID needs a secure context; a venue LAN on plain http has only getRandomValues. */
export function newClientId() {
  if (globalThis.crypto && typeof crypto.randomUUID === 'function') {
    return crypto.randomUUID();
  }
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('');
}

export const DELIVERED_SHOWN_MS = 6000;

/** An outbox's stored list, keeping only entries valid() accepts (the stored copy may be old or edited by hand). */
export function readStoredList(key, valid) {
  const stored = storage.get(key, []);
  return Array.isArray(stored) ? stored.filter((i) => i && valid(i)) : [];
}

/** A new outbox entry, stored before its first send. */
export function outboxItem(fields) {
  return { clientId: newClientId(), ...fields, state: 'sending', createdAt: Date.now(), error: null, retryAt: 0, attempts: 0 };
}

/** The error a failed send keeps with its entry (stored, so plain data only). */
export function plainError(result) {
  const error = (result && result.error) || { code: 'unknown', messageKey: 'error.generic' };
  return { code: error.code, messageKey: error.messageKey, retryable: !!error.retryable, retryAfterSeconds: error.retryAfterSeconds ?? null };
}

/** Counts one more attempt and sets when the entry goes again: after the server's retry-after, else the back-off. Returns the wait. */
export function retryLater(item, retryAfterSeconds = null) {
  item.attempts = (item.attempts || 0) + 1;
  const wait = retryAfterSeconds ? retryAfterSeconds * 1000 : backoff(item.attempts);
  item.retryAt = Date.now() + wait;
  return wait;
}

/** A timer for an outbox's next round; setting it again replaces the one waiting. */
export function retryTimer(run) {
  let timer = null;
  return (ms) => {
    clearTimeout(timer);
    timer = setTimeout(run, Math.max(250, ms));
  };
}

/** Runs one round at a time: a call during a round asks for exactly one more round after it. */
export function oneRoundAtATime(round) {
  let running = false;
  let again = false;
  return async function run() {
    if (running) {
      again = true;
      return;
    }
    running = true;
    try {
      await round();
    } finally {
      running = false;
      if (again) {
        again = false;
        run();
      }
    }
  };
}

/** Another tab of the same event changed the stored list: reload(). Back online: flush() what waits. */
export function keepOutboxCurrent(key, live, reload, flush) {
  window.addEventListener('storage', (e) => {
    if (e.key === key) {
      reload();
    }
  });
  live.onConnected(() => { flush(); });
}

/**
 * Questions on their way to the server, kept in localStorage (lh.outbox.{code}) so a reload or a dropped connection
 * loses nothing. Each has a client id; the server is idempotent on it, so resending is always safe.
 * States: sending → delivered (then removed) or failed (non-retryable error; "Try again" resends with the same id).
 */
export function createOutbox(code, live, { onChange, onDelivered, onError } = {}) {
  const key = `lh.outbox.${code}`;
  let items = read().filter((i) => i.state !== 'delivered');
  const inFlight = new Set();
  const flush = oneRoundAtATime(sendWaiting);
  const schedule = retryTimer(flush);

  function read() {
    return readStoredList(key, (i) => typeof i.clientId === 'string' && typeof i.text === 'string');
  }

  function save() {
    storage.set(key, items);
    onChange?.();
  }

  function find(clientId) {
    return items.find((i) => i.clientId === clientId);
  }

  function delivered(item, question) {
    item.state = 'delivered';
    item.error = null;
    item.questionId = question ? question.id : item.questionId;
    save();
    onDelivered?.(question, item);
    setTimeout(() => remove(item.clientId), DELIVERED_SHOWN_MS);
  }

  async function send(item) {
    inFlight.add(item.clientId);
    let result;
    try {
      result = await live.call('AskQuestion', {
        sessionId: item.sessionId,
        clientId: item.clientId,
        text: item.text,
        authorName: item.authorName || null,
      });
    } catch (error) {
      if (error.retryable === false) {
        result = { ok: false, value: null, error }; // the server read it and refused it: failed, not retried
      } else {
        inFlight.delete(item.clientId);
        if (error.code !== 'offline') {
          const wait = retryLater(item);
          save();
          schedule(wait);
        }
        return; // offline: stays queued and goes again after the reconnect
      }
    }
    inFlight.delete(item.clientId);
    if (!find(item.clientId)) {
      return;
    }
    if (result && result.ok) {
      delivered(item, result.value);
      return;
    }
    const plain = plainError(result);
    item.error = plain;
    if (plain.retryable) {
      const wait = retryLater(item, plain.retryAfterSeconds);
      save();
      schedule(wait);
    } else {
      item.state = 'failed';
      save();
    }
    onError?.(plain, item);
  }

  async function sendWaiting() {
    for (const item of [...items]) {
      if (item.state !== 'sending' || inFlight.has(item.clientId) || !find(item.clientId)) {
        continue;
      }
      if (!live.isConnected()) {
        break;
      }
      // Questions go in the order they were asked: one waiting for its retry holds the ones behind it.
      if (item.retryAt && item.retryAt > Date.now()) {
        schedule(item.retryAt - Date.now());
        break;
      }
      await send(item);
      if (item.state === 'sending' && find(item.clientId)) {
        break;
      }
    }
  }

  function add({ sessionId, text, authorName }) {
    const item = outboxItem({ sessionId, text, authorName: authorName || null });
    items.push(item); // stored before the first invoke
    save();
    flush();
    return item;
  }

  function retry(clientId) {
    const item = find(clientId);
    if (!item) {
      return;
    }
    item.state = 'sending';
    item.error = null;
    item.retryAt = 0;
    save();
    flush();
  }

  function remove(clientId) {
    const before = items.length;
    items = items.filter((i) => i.clientId !== clientId);
    if (items.length !== before) {
      save();
    }
  }

  /** Marks items the server already has (found by client id among the caller's own questions) as delivered. */
  function match(questions) {
    for (const q of questions) {
      const item = q && q.clientId ? find(q.clientId) : null;
      if (item && item.state !== 'delivered') {
        delivered(item, q);
      }
    }
  }

  keepOutboxCurrent(key, live, () => {
    items = read();
    onChange?.();
  }, flush);

  return {
    get items() { return items; },
    add,
    retry,
    remove,
    flush,
    match,
  };
}
