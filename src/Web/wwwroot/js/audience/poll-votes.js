// @ts-check
// The person's answers to the session's polls, whatever their kind: what is picked but not sent yet, the votes on their
// way (the outbox keeps only the latest answer per poll, so a tap on a flaky network is never lost), what the server
// holds, and what went wrong. The poll kinds (poll-choice.js, poll-rating.js, …) draw their bodies with it.
import { announce, el } from '/js/lib/dom.js';
import { clip, limits } from '/js/lib/limits.js';
import { createOutbox } from '/js/lib/outbox.js';
import { storage } from '/js/lib/storage.js';
import { errorText, t } from '/js/lib/strings.js';
import { serverNow } from '/js/lib/time.js';

export const NAME_KEY = 'lh.name';

/**
 * A poll as the server sends it (PollView).
 * @typedef {{ id: number, sessionId: number, kind: string, status: string, question: string, options: string[],
 *   maxPicks?: number | null, scale?: number | null, closesAt?: number | null, correct?: number[] | null,
 *   resultsVisible?: boolean, visibility?: string, openedAt?: number | null }} Poll
 * An answer (what CastVote carries, and the caller's stored vote as the server holds it).
 * @typedef {{ choices?: number[] | null, rating?: number | null, ranking?: number[] | null, text?: string | null,
 *   displayName?: string | null, status?: string, pollId?: number }} Vote
 * @typedef {{ choices: number[], ranking: number[], text: string, atMax?: boolean }} Draft
 */

/** Whether two answers to one poll are the same (the caller's stored vote against one waiting in the outbox). @param {Vote | null | undefined} a @param {Vote | null | undefined} b */
export function sameVote(a, b) {
  if (!a || !b) {
    return false;
  }
  const list = (/** @type {any} */ x) => JSON.stringify(x || []);
  const sorted = (/** @type {number[] | null | undefined} */ x) => JSON.stringify([...(x || [])].sort((p, q) => p - q));
  return sorted(a.choices) === sorted(b.choices)
    && (a.rating ?? null) === (b.rating ?? null)
    && list(a.ranking) === list(b.ranking)
    && (a.text || '').trim() === (b.text || '').trim();
}

/**
 * Votes on their way to the server (lh.votes.{code}): only the latest answer per poll; a newer one replaces one not yet
 * acknowledged, and one the server refuses is dropped (the card says why).
 * @param {string} code @returns {import('/js/lib/outbox.js').OutboxPolicy}
 */
export function voteOutbox(code) {
  return {
    storage: `lh.votes.${code}`,
    order: 'latest-per-key',
    key: (i) => i.pollId,
    valid: (i) => typeof i.pollId === 'number' && !!i.vote && typeof i.vote === 'object',
    send: (live, i) => live.call('CastVote', {
      pollId: i.pollId,
      clientId: i.clientId,
      choices: i.vote.choices ?? null,
      rating: i.vote.rating ?? null,
      ranking: i.vote.ranking ?? null,
      text: i.vote.text ?? null,
      displayName: i.vote.displayName || null,
    }),
    // The stored vote carries no client id, so the answer itself is compared: an equal answer needs no resend.
    holds: (i, vote) => vote.pollId === i.pollId && sameVote(i.vote, vote),
  };
}

/**
 * The attributes of a button that gives (part of) an answer: pressed when it is in the answer, inert once the poll
 * takes none. @param {string} testid @param {string} fk @param {boolean} pressed @param {boolean} locked
 */
export function answerButtonAttrs(testid, fk, pressed, locked) {
  return { type: 'button', 'data-testid': testid, 'data-fk': fk, 'aria-pressed': pressed ? 'true' : 'false', 'aria-disabled': locked ? 'true' : null };
}

/**
 * @param {any} page the phone page's shared context (js/audience.js)
 * @param {() => void} render draws the polls again
 */
export function createVotes(page, render) {
  const { state, live, code } = page;
  /** @type {Map<number, Draft>} */
  const drafts = new Map();
  /** @type {Map<number, { error: any, local?: boolean, vote?: Vote }>} the error that dropped the last answer */
  const failures = new Map();

  const outbox = createOutbox(live, voteOutbox(code), {
    onChange: render,
    onDelivered: (vote, item) => {
      state.setMyVote(vote);
      failures.delete(item.pollId);
      if (item.sessionId === page.sessionId) {
        announce(t('poll.announce.sent'));
      }
      render();
    },
    onError: (error, item) => {
      if (error.retryable) {
        return; // it goes again by itself; the card says so
      }
      // The answer may have landed before the poll closed, with its acknowledgement lost on the way back.
      if (['poll_closed', 'poll_time_up'].includes(error.code) && sameVote(state.myVotes.get(item.pollId), item.vote)) {
        render();
        return;
      }
      failures.set(item.pollId, { error, vote: item.vote });
      if (item.sessionId === page.sessionId) {
        announce(pollErrorText(error));
      }
      render();
    },
  });

  /** @param {any} error */
  function pollErrorText(error) {
    if (error && error.messageKey === 'error.text_empty') {
      return t('poll.answer_empty');
    }
    return errorText(error, error && error.messageKey === 'error.text_too_long' ? { max: limits.pollAnswerMaxLength } : {});
  }

  /** The answer on the card: the one waiting in the outbox, else the one the server holds. @param {Poll} poll @returns {Vote | null} */
  function chosen(poll) {
    const item = outbox.forKey(poll.id);
    if (item && item.state === 'sending') {
      return item.vote;
    }
    return state.myVotes.get(poll.id) || (item ? item.vote : null);
  }

  /** @param {Poll} poll */
  function voteState(poll) {
    const item = outbox.forKey(poll.id);
    if (item) {
      return { state: item.state, error: item.error, offline: !live.isConnected() };
    }
    if (failures.has(poll.id)) {
      return { state: 'failed', error: failures.get(poll.id)?.error };
    }
    return state.myVotes.has(poll.id) ? { state: 'delivered' } : null;
  }

  /** A quiz takes no answer after its deadline, even before the server's close arrives. @param {Poll} poll */
  function isLocked(poll) {
    if (poll.status !== 'open') {
      return true;
    }
    return poll.kind === 'quiz' && !!poll.closesAt && poll.closesAt <= serverNow();
  }

  /** What is picked but not yet sent, started from the answer given. @param {Poll} poll @returns {Draft} */
  function draft(poll) {
    let d = drafts.get(poll.id);
    if (!d) {
      const given = chosen(poll);
      const ranking = given && Array.isArray(given.ranking) && given.ranking.length === poll.options.length
        ? [...given.ranking]
        : poll.options.map((_, i) => i);
      d = { choices: given && given.choices ? [...given.choices] : [], ranking, text: '' };
      drafts.set(poll.id, d);
    }
    return d;
  }

  /** Sends an answer (a quiz's with the name given), unless the poll took its last answer already. @param {Poll} poll @param {Vote} vote */
  function cast(poll, vote) {
    if (isLocked(poll)) {
      return;
    }
    failures.delete(poll.id);
    if (poll.kind === 'quiz') {
      vote.displayName = clip((storage.getRaw(NAME_KEY) || '').trim(), limits.nameMaxLength) || null;
    }
    outbox.add({ pollId: poll.id, sessionId: poll.sessionId, vote });
    render();
  }

  /** An answer refused here, before it goes (what the server would refuse anyway). @param {Poll} poll @param {any} error */
  function refuse(poll, error) {
    failures.set(poll.id, { error, local: true });
    render();
  }

  /** The answer being edited again clears a refusal made here. @param {Poll} poll @returns {boolean} whether there was one */
  function editing(poll) {
    if (!failures.get(poll.id)?.local) {
      return false;
    }
    failures.delete(poll.id);
    return true;
  }

  /** @param {Poll} poll @param {{ disabled: boolean, onSubmit: (card: Element | null) => void, label?: string }} options */
  function submitButton(poll, { disabled, onSubmit, label = 'poll.submit' }) {
    return el('button', {
      class: 'btn btn-primary btn-block poll-submit',
      text: t(label),
      attrs: { type: 'button', 'data-testid': 'poll-submit', 'data-fk': 'submit', 'aria-disabled': disabled ? 'true' : null },
      on: {
        click: (/** @type {Event} */ e) => {
          const button = /** @type {HTMLElement} */ (e.currentTarget);
          if (button.getAttribute('aria-disabled') !== 'true') {
            onSubmit(button.closest('[data-testid="poll"]'));
          }
        },
      },
    });
  }

  /** "Sending…", "✓ Sent" or why it failed, under the poll's body. @param {Poll} poll */
  function stateLine(poll) {
    const s = voteState(poll);
    if (!s) {
      return null;
    }
    const given = chosen(poll);
    let text;
    if (s.state === 'sending') {
      text = t('outbox.sending');
    } else if (s.state === 'delivered') {
      text = `✓ ${t(poll.kind === 'text' && given && given.status === 'pending' ? 'poll.delivered_review' : 'outbox.delivered')}`;
    } else {
      text = `${t('outbox.failed')}: ${pollErrorText(s.error)}`;
    }
    const children = [el('span', { class: ['badge', `badge-${s.state}`], text })];
    if (s.state === 'sending' && s.offline) {
      children.push(el('span', { class: 'hint', text: t('poll.waiting_connection') }));
    } else if (s.state === 'sending' && s.error) {
      children.push(el('span', { class: 'hint', text: `${pollErrorText(s.error)} ${t('poll.auto_retry')}` }));
    }
    return el('div', {
      class: 'poll-vote-state',
      attrs: { 'data-testid': 'poll-vote-state', 'data-state': s.state, role: s.state === 'failed' ? 'alert' : 'status' },
    }, children);
  }

  /** What the card's redraw depends on. @param {Poll} poll */
  function sig(poll) {
    const d = drafts.get(poll.id);
    return [isLocked(poll), chosen(poll), voteState(poll), live.isConnected(), d && [d.choices, d.ranking, !!d.atMax]];
  }

  /** Forgets the drafts of polls no longer shown. @param {Set<number>} ids */
  function keepOnly(ids) {
    for (const id of drafts.keys()) {
      if (!ids.has(id)) {
        drafts.delete(id);
      }
    }
  }

  return {
    chosen,
    isLocked,
    draft,
    cast,
    refuse,
    editing,
    failed: (/** @type {number} */ pollId) => failures.has(pollId),
    localFailure: (/** @type {number} */ pollId) => !!failures.get(pollId)?.local,
    submitButton,
    stateLine,
    sig,
    keepOnly,
    render,
    match: (/** @type {Vote[]} */ myVotes) => outbox.match(myVotes),
  };
}

/** @typedef {ReturnType<typeof createVotes>} Votes */
