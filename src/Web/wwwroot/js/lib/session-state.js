// @ts-check
// One session as one screen sees it: a snapshot sets the version; each delta must be exactly the next version.
import { rejoinDelay } from './connection.js';
import { syncClock } from './time.js';

/** @import { ClientEvents, SessionSnapshot, SessionView, QuestionView, PollView, PollResults, MyVote, ProjectorMode, SessionVersionNotice } from '../../../types/protocol' */
/** @typedef {'PollDrafted' | 'PollOpened' | 'PollClosed' | 'PollRevealed' | 'PollReset' | 'PollDeleted'} PollEvent */
/**
 * @typedef {'QuestionAsked' | 'QuestionApproved' | 'QuestionDismissed' | 'QuestionAnswered' | 'QuestionArchived' |
 *   'QuestionRestored' | 'QuestionEdited' | 'QuestionReplied' | 'QuestionLabeled' | 'QuestionMerged' | 'QuestionOnScreenChanged' |
 *   'UpvotesChanged' | 'ModerationModeChanged' | PollEvent | 'ProjectorChanged'} VersionedEvent
 */
/** One versioned event with its payload. @typedef {{ [E in VersionedEvent]: { kind: E, delta: Parameters<ClientEvents[E]>[0] } }[VersionedEvent]} VersionedChange */
/**
 * What changed, as onChange hears it.
 * @typedef {VersionedChange | { kind: 'snapshot' } | { kind: 'PollResultsChanged', frame: PollResults } | { kind: 'MyQuestionChanged', question: QuestionView }} StateChange
 */

export const PUBLIC_STATUSES = ['approved', 'answered'];

/** @param {{ status: string }} question */
export function isPublic(question) {
  return PUBLIC_STATUSES.includes(question.status);
}

/** @typedef {{ id: number, upvotes: number, createdAt: number }} Sortable */
export const byPopular = (/** @type {Sortable} */ a, /** @type {Sortable} */ b) => b.upvotes - a.upvotes || a.createdAt - b.createdAt || a.id - b.id;
export const byNewest = (/** @type {{ id: number, createdAt: number }} */ a, /** @type {{ id: number, createdAt: number }} */ b) => b.createdAt - a.createdAt || b.id - a.id;
export const byOldest = (/** @type {{ id: number, createdAt: number }} */ a, /** @type {{ id: number, createdAt: number }} */ b) => a.createdAt - b.createdAt || a.id - b.id;

/**
 * Feeds the session's versioned deltas and its poll results frames into the page's SessionState.
 * @param {import('./connection.js').Live} live @param {SessionState} state
 */
export function followSessionState(live, state) {
  for (const name of VERSIONED_EVENTS) {
    live.on(name, (/** @type {VersionedChange['delta']} */ delta) => state.handle(name, delta));
  }
  live.on('PollResultsChanged', (frame) => state.handleResults(frame));
  live.on('SessionVersionAnnounced', (notice) => state.handleAnnouncement(notice));
}

/** @type {PollEvent[]} */
export const POLL_EVENTS = ['PollDrafted', 'PollOpened', 'PollClosed', 'PollRevealed', 'PollReset', 'PollDeleted'];

/** Every event that carries the session's next version: questions, polls and the projector share one sequence. */
/** @type {VersionedEvent[]} */
export const VERSIONED_EVENTS = [
  'QuestionAsked', 'QuestionApproved', 'QuestionDismissed', 'QuestionAnswered', 'QuestionArchived',
  'QuestionRestored', 'QuestionEdited', 'QuestionReplied', 'QuestionLabeled', 'QuestionMerged', 'QuestionOnScreenChanged',
  'UpvotesChanged', 'ModerationModeChanged', ...POLL_EVENTS, 'ProjectorChanged',
];

/**
 * One session as one screen sees it. A snapshot sets the version; each delta must be exactly the next version:
 * older ones are ignored, a gap fetches a fresh snapshot. Deltas that arrive while a snapshot is on its way are
 * held and replayed on top of it. Poll results frames are not versioned with the session: each is whole, and the
 * one with the highest poll results version wins. A version announcement (sent when a server's link to the others came back,
 * after messages may have been lost) names the session's current version: a screen behind it takes a fresh snapshot.
 */
export class SessionState {
  // What the session holds, empty; clear() empties it again for another session.
  /** @type {SessionView | null} */ session = null;
  /** @type {Map<number, QuestionView>} */ questions = new Map();
  /** @type {Map<number, QuestionView>} the caller's own questions, public or not */ mine = new Map();
  /** @type {Set<number>} */ myUpvotes = new Set();
  /** @type {number | null} */ onScreenQuestionId = null;
  /** @type {Map<number, PollView>} */ polls = new Map();
  /** @type {Map<number, PollResults>} by poll id */ results = new Map();
  /** @type {Map<number, MyVote>} by poll id */ myVotes = new Map();
  /** @type {ProjectorMode} */ projectorMode = 'questions';
  /** @type {number | null} */ projectorPollId = null;
  /** @type {boolean} */ projectorPresence = false;
  /** @type {number | null} */ present = null;

  /**
   * @param {{ view: import('../../../types/protocol').SessionViewKind, resync: (sessionId: number) => Promise<SessionSnapshot | null>,
   *   onChange?: (change: StateChange) => void }} options resync fetches a fresh snapshot (JoinSession)
   */
  constructor({ view, resync, onChange }) {
    this.view = view;
    this.resync = resync;
    this.onChange = onChange;
    /** @type {number | null} */
    this.sessionId = null;
    /** @type {number | null} */
    this.version = null;
    /** @type {VersionedChange[]} */
    this.held = [];
    this.resyncing = false;
    this.announced = 0;
  }

  clear() {
    this.session = null;
    this.questions = new Map();
    this.mine = new Map();
    this.myUpvotes = new Set();
    this.onScreenQuestionId = null;
    this.polls = new Map();
    this.results = new Map();
    this.myVotes = new Map();
    this.projectorMode = 'questions';
    this.projectorPollId = null;
    this.projectorPresence = false;
    this.present = null;
  }

  /** Call before JoinSession: deltas from now on are held until the snapshot arrives; null leaves the session. @param {number | null} sessionId */
  begin(sessionId) {
    if (sessionId !== this.sessionId) {
      this.clear();
      this.announced = 0;
    }
    this.sessionId = sessionId;
    this.version = null;
    this.held = [];
  }

  get loaded() {
    return this.session !== null;
  }

  /**
   * The joined session's status as the agenda now has it (a pushed override, a re-read at a schedule boundary).
   * @param {SessionView | null | undefined} view
   */
  takeStatus(view) {
    if (view && this.session && this.session.id === view.id) {
      this.session = { ...this.session, status: view.status };
    }
  }

  /** @param {QuestionView} question */
  visible(question) {
    return this.view === 'moderator' || isPublic(question);
  }

  /** Drafts are the moderators' alone; a poll reset to draft leaves the audience and the projector. */
  /** @param {PollView} poll */
  pollVisible(poll) {
    return this.view === 'moderator' || poll.status !== 'draft';
  }

  /** @param {SessionSnapshot} snapshot */
  load(snapshot) {
    syncClock(snapshot.serverTime);
    this.sessionId = snapshot.session.id;
    this.session = snapshot.session;
    this.version = snapshot.version;
    this.questions = new Map(snapshot.questions.filter((q) => this.visible(q)).map((q) => [q.id, q]));
    this.onScreenQuestionId = snapshot.onScreenQuestionId ?? null;
    this.mine = new Map((snapshot.mine || []).filter((q) => q.status !== 'archived').map((q) => [q.id, q]));
    this.myUpvotes = new Set(snapshot.myUpvotes || []);
    this.polls = new Map((snapshot.polls || []).filter((p) => this.pollVisible(p)).map((p) => [p.id, p]));
    const held = this.results;
    this.results = new Map((snapshot.results || []).filter((f) => this.polls.has(f.pollId)).map((f) => [f.pollId, f]));
    // A frame pushed while the snapshot was on its way may be newer than the snapshot's own.
    for (const [pollId, frame] of held) {
      const poll = this.polls.get(pollId);
      const fromSnapshot = this.results.get(pollId);
      if (poll && poll.resultsVisible && (!fromSnapshot || frame.version > fromSnapshot.version)) {
        this.results.set(pollId, frame);
      }
    }
    this.myVotes = new Map((snapshot.myVotes || []).map((v) => [v.pollId, v]));
    this.projectorMode = snapshot.projectorMode || 'questions';
    this.projectorPollId = snapshot.projectorPollId ?? null;
    this.projectorPresence = !!snapshot.projectorPresence;
    this.present = typeof snapshot.present === 'number' ? snapshot.present : null;
    this.onChange?.({ kind: 'snapshot' });
    this.replay();
    // An announcement that came while this snapshot was on its way may name a newer version still.
    if (this.announced > this.version) {
      this.refetch();
    }
  }

  /** @param {SessionVersionNotice} notice */
  handleAnnouncement(notice) {
    if (!notice || notice.sessionId !== this.sessionId) {
      return;
    }
    this.announced = Math.max(this.announced, notice.version);
    if (this.version !== null && !this.resyncing && notice.version > this.version) {
      this.refetch();
    }
  }

  /**
   * One versioned event as it came.
   * @template {VersionedEvent} E @param {E} kind @param {Parameters<ClientEvents[E]>[0]} delta
   */
  handle(kind, delta) {
    if (!delta || delta.sessionId !== this.sessionId) {
      return;
    }
    // The event and its payload as one tagged value: TypeScript cannot pair a generic name with its payload by itself.
    const change = /** @type {VersionedChange} */ ({ kind, delta });
    if (this.version === null || this.resyncing) {
      this.held.push(change);
      return;
    }
    if (delta.version <= this.version) {
      return;
    }
    if (delta.version === this.version + 1) {
      this.apply(change);
      this.replay();
      return;
    }
    this.held.push(change);
    this.refetch();
  }

  replay() {
    this.held.sort((a, b) => a.delta.version - b.delta.version);
    while (this.held.length && this.version !== null) {
      const change = this.held[0];
      if (change.delta.version <= this.version) {
        this.held.shift();
      } else if (change.delta.version === this.version + 1) {
        this.held.shift();
        this.apply(change);
      } else {
        this.refetch();
        return;
      }
    }
  }

  /** @param {VersionedChange} change */
  apply(change) {
    this.version = change.delta.version;
    if (change.kind === 'UpvotesChanged') {
      for (const c of change.delta.counts || []) {
        const q = this.questions.get(c.questionId);
        if (q) {
          q.upvotes = c.upvotes;
        }
        const own = this.mine.get(c.questionId);
        if (own) {
          own.upvotes = c.upvotes;
        }
      }
    } else if (change.kind === 'ModerationModeChanged') {
      if (this.session) {
        this.session = { ...this.session, moderation: change.delta.moderation };
      }
    } else if (change.kind === 'ProjectorChanged') {
      const delta = change.delta;
      this.projectorMode = delta.mode || 'questions';
      this.projectorPollId = delta.pollId ?? null;
      if (typeof delta.showPresence === 'boolean') {
        this.projectorPresence = delta.showPresence;
      }
    } else if (isPollChange(change)) {
      this.upsertPoll(change.delta.poll, change.kind);
    } else {
      const delta = change.delta;
      const q = delta.question;
      if (q) {
        if (this.visible(q)) {
          this.questions.set(q.id, q);
        } else {
          this.questions.delete(q.id);
        }
        const own = this.mine.get(q.id);
        if (own) {
          this.mine.set(q.id, { ...own, ...q, clientId: own.clientId });
        }
      }
      this.onScreenQuestionId = delta.onScreenQuestionId ?? null;
    }
    this.onChange?.(change);
  }

  /** A poll as the server answered or pushed it. Also used for a moderator's own action, before its delta arrives. */
  /** @param {PollView | null | undefined} poll @param {string} [kind] the event, if it came as one */
  upsertPoll(poll, kind = 'PollChanged') {
    if (!poll || poll.sessionId !== this.sessionId) {
      return;
    }
    if (kind === 'PollDeleted' || !this.pollVisible(poll)) {
      this.polls.delete(poll.id);
      this.results.delete(poll.id);
      this.myVotes.delete(poll.id);
      return;
    }
    if (kind === 'PollReset') {
      // Every vote is gone; the next frame (a higher version) brings the empty count.
      this.results.delete(poll.id);
      this.myVotes.delete(poll.id);
    }
    this.polls.set(poll.id, poll);
  }

  /** A results frame: absolute, so only a newer one (higher version) replaces the one held. */
  /** @param {PollResults} frame */
  handleResults(frame) {
    if (!frame || frame.sessionId !== this.sessionId) {
      return;
    }
    const held = this.results.get(frame.pollId);
    if (held && frame.version <= held.version) {
      return;
    }
    this.results.set(frame.pollId, frame);
    this.onChange?.({ kind: 'PollResultsChanged', frame });
  }

  /** The caller's own vote as the server stored it (answer to CastVote). */
  /** @param {MyVote | null | undefined} vote */
  setMyVote(vote) {
    if (vote && this.polls.has(vote.pollId)) {
      this.myVotes.set(vote.pollId, vote);
    }
  }

  /** The author's own question changed (unversioned, sent only to the author). */
  /** @param {QuestionView} question */
  applyMine(question) {
    if (!question || question.sessionId !== this.sessionId) {
      return;
    }
    if (question.status === 'archived') {
      this.mine.delete(question.id);
    } else {
      this.mine.set(question.id, question);
    }
    this.onChange?.({ kind: 'MyQuestionChanged', question });
  }

  async refetch() {
    if (this.resyncing || this.sessionId === null) {
      return;
    }
    this.resyncing = true;
    const sessionId = this.sessionId;
    /** @type {SessionSnapshot | null} */
    let snapshot = null;
    /** @type {any} */
    let failure = null;
    try {
      snapshot = await this.resync(sessionId);
    } catch (error) {
      // A failed JoinSession's error: a busy node says when to come back (slow_down, retryAfterSeconds).
      failure = error;
    }
    this.resyncing = false;
    if (sessionId !== this.sessionId) {
      return;
    }
    if (snapshot) {
      this.load(snapshot);
    } else {
      setTimeout(() => {
        if (sessionId === this.sessionId && (this.held.length || this.announced > (this.version ?? 0))) this.refetch();
      }, rejoinDelay(failure));
    }
  }
}

/** @param {VersionedChange} change @returns {change is Extract<VersionedChange, { kind: PollEvent }>} */
function isPollChange(change) {
  return /** @type {string[]} */ (POLL_EVENTS).includes(change.kind);
}
