// @ts-check
// Votes on their way to the server: the outbox of js/lib/outbox.js, keeping only the latest answer per poll.
import {
  DELIVERED_SHOWN_MS, keepOutboxCurrent, oneRoundAtATime, outboxItem, plainError, readStoredList, retryLater, retryTimer,
} from './outbox.js';
import { storage } from './storage.js';

/** Whether two answers to one poll are the same (the caller's stored vote against one waiting in the outbox). */
export function sameVote(a, b) {
  if (!a || !b) {
    return false;
  }
  const list = (x) => JSON.stringify(x || []);
  const sorted = (x) => JSON.stringify([...(x || [])].sort((p, q) => p - q));
  return sorted(a.choices) === sorted(b.choices)
    && (a.rating ?? null) === (b.rating ?? null)
    && list(a.ranking) === list(b.ranking)
    && (a.text || '').trim() === (b.text || '').trim();
}

/**
 * Votes on their way to the server, kept in localStorage (lh.votes.{code}) like questions, but only the latest per
 * poll: a newer answer replaces one not yet acknowledged (with a new client id, since the server is idempotent on it).
 * A resend keeps its client id. One vote per poll is in flight at a time, so an older answer never lands after a newer.
 * States: sending → delivered (kept a moment, then removed). A non-retryable error drops the entry (onError says why).
 */
export function createVoteOutbox(code, live, { onChange, onDelivered, onError } = {}) {
  const key = `lh.votes.${code}`;
  let items = read().filter((i) => i.state === 'sending');
  const inFlight = new Map(); // pollId -> clientId
  const flush = oneRoundAtATime(sendWaiting);
  const schedule = retryTimer(flush);

  function read() {
    return readStoredList(key, (i) => typeof i.clientId === 'string' && typeof i.pollId === 'number' && i.vote && typeof i.vote === 'object');
  }

  function save() {
    storage.set(key, items);
    onChange?.();
  }

  const forPoll = (pollId) => items.find((i) => i.pollId === pollId) || null;
  const current = (item) => items.includes(item);

  function delivered(item, vote) {
    item.state = 'delivered';
    item.error = null;
    save();
    onDelivered?.(vote, item);
    setTimeout(() => {
      if (current(item) && item.state === 'delivered') {
        items = items.filter((i) => i !== item);
        save();
      }
    }, DELIVERED_SHOWN_MS);
  }

  function drop(item, error) {
    items = items.filter((i) => i !== item);
    save();
    onError?.(error, item);
  }

  async function send(item) {
    inFlight.set(item.pollId, item.clientId);
    let result;
    try {
      result = await live.call('CastVote', {
        pollId: item.pollId,
        clientId: item.clientId,
        choices: item.vote.choices ?? null,
        rating: item.vote.rating ?? null,
        ranking: item.vote.ranking ?? null,
        text: item.vote.text ?? null,
        displayName: item.vote.displayName || null,
      });
    } catch (error) {
      if (error.retryable === false) {
        result = { ok: false, value: null, error }; // the server read it and refused it: dropped, not retried
      } else {
        inFlight.delete(item.pollId);
        if (current(item) && error.code !== 'offline') {
          const wait = retryLater(item);
          save();
          schedule(wait);
        }
        return; // offline: stays queued and goes again after the reconnect
      }
    }
    inFlight.delete(item.pollId);
    if (!current(item)) {
      // A newer answer replaced this one while it was on its way: that one goes next (one more round) and has the last word.
      flush();
      return;
    }
    if (result && result.ok) {
      delivered(item, result.value);
      return;
    }
    const plain = plainError(result);
    if (plain.retryable) {
      item.error = plain;
      const wait = retryLater(item, plain.retryAfterSeconds);
      save();
      schedule(wait);
      return;
    }
    drop(item, plain);
  }

  async function sendWaiting() {
    for (const item of [...items]) {
      if (item.state !== 'sending' || inFlight.has(item.pollId) || !current(item)) {
        continue;
      }
      if (!live.isConnected()) {
        break;
      }
      if (item.retryAt && item.retryAt > Date.now()) {
        schedule(item.retryAt - Date.now());
        continue;
      }
      await send(item);
    }
  }

  /** Queues an answer; it replaces any unacknowledged answer to the same poll. */
  function add(pollId, sessionId, vote) {
    const item = outboxItem({ pollId, sessionId, vote });
    items = items.filter((i) => i.pollId !== pollId);
    items.push(item); // stored before the first invoke
    save();
    flush();
    return item;
  }

  /**
   * Marks waiting answers that the server already holds (the caller's stored votes from a snapshot) as delivered.
   * The stored vote carries no client id, so the answer itself is compared: an equal answer needs no resend.
   */
  function match(myVotes) {
    for (const vote of myVotes || []) {
      const item = forPoll(vote.pollId);
      if (item && item.state === 'sending' && !inFlight.has(item.pollId) && sameVote(item.vote, vote)) {
        delivered(item, vote);
      }
    }
  }

  function remove(pollId) {
    const before = items.length;
    items = items.filter((i) => i.pollId !== pollId);
    if (items.length !== before) {
      save();
    }
  }

  keepOutboxCurrent(key, live, () => {
    items = read();
    onChange?.();
  }, flush);

  return {
    get items() { return items; },
    forPoll,
    add,
    match,
    remove,
    flush,
  };
}
