// The hub's contract as the pages see it: every hub method (arguments and result), every event the server pushes
// (payload), and the records they carry, named like the C# records in src/Hub. docs/protocol.md explains them;
// tests/LiveHub.Tests/Pages/ProtocolDeclarationTests.cs holds this file to the C# side by reflection (names, argument
// counts and types, JSON property names both ways), as it does the exports at its end. Types only: never served to browsers.
// Times are Unix epoch milliseconds; ids are 64-bit integers on the server, numbers here.

/** What every hub method answers: a value, or a typed error with value null. */
export type HubResult<T> =
  | { ok: true; value: T; error: null }
  | { ok: false; value: null; error: HubError };

/** Hub methods the pages call (client to server), with the value their HubResult carries. */
export interface HubMethods {
  JoinEvent(code: string): EventSnapshot;
  JoinSession(sessionId: number, view: string): SessionSnapshot;
  LeaveSession(sessionId: number): boolean;
  AskQuestion(request: AskQuestionRequest): QuestionView;
  Upvote(request: UpvoteRequest): UpvoteView;
  ModerateQuestion(request: ModerateQuestionRequest): QuestionView;
  EditQuestion(request: EditQuestionRequest): QuestionView;
  SetModerationMode(request: SetModerationModeRequest): SessionView;
  CastVote(request: CastVoteRequest): MyVote;
  CreatePoll(request: PollDraftRequest): PollView;
  UpdatePoll(request: UpdatePollRequest): PollView;
  CopyPoll(request: CopyPollRequest): PollView;
  DeletePoll(request: PollRequest): PollView;
  OpenPoll(request: PollRequest): PollView;
  ClosePoll(request: PollRequest): PollView;
  RevealPollResults(request: RevealPollRequest): PollView;
  ResetPoll(request: PollRequest): PollView;
  ModeratePollAnswer(request: ModeratePollAnswerRequest): AnswerResult;
  SetProjector(request: SetProjectorRequest): ProjectorDelta;
  ReplyToQuestion(request: ReplyToQuestionRequest): QuestionView;
  LabelQuestion(request: LabelQuestionRequest): QuestionView;
  MergeQuestions(request: MergeQuestionsRequest): QuestionView;
  SetSessionStatus(request: SetSessionStatusRequest): SessionView;
  SetProfanityWords(request: SetProfanityWordsRequest): string[];
  PostAnnouncement(request: PostAnnouncementRequest): AnnouncementView;
  DeleteAnnouncement(request: DeleteAnnouncementRequest): AnnouncementView;
  SendReaction(request: SendReactionRequest): boolean;
}

/** Events the server pushes (server to client), with their payload. */
export interface ClientEvents {
  QuestionAsked(delta: QuestionDelta): void;
  QuestionApproved(delta: QuestionDelta): void;
  QuestionDismissed(delta: QuestionDelta): void;
  QuestionAnswered(delta: QuestionDelta): void;
  QuestionArchived(delta: QuestionDelta): void;
  QuestionRestored(delta: QuestionDelta): void;
  QuestionEdited(delta: QuestionDelta): void;
  QuestionReplied(delta: QuestionDelta): void;
  QuestionLabeled(delta: QuestionDelta): void;
  QuestionMerged(delta: QuestionDelta): void;
  QuestionOnScreenChanged(delta: QuestionDelta): void;
  UpvotesChanged(delta: UpvotesDelta): void;
  ModerationModeChanged(delta: SessionModeDelta): void;
  MyQuestionChanged(question: QuestionView): void;
  PollDrafted(delta: PollDelta): void;
  PollOpened(delta: PollDelta): void;
  PollClosed(delta: PollDelta): void;
  PollRevealed(delta: PollDelta): void;
  PollReset(delta: PollDelta): void;
  PollDeleted(delta: PollDelta): void;
  MyVoteChanged(vote: MyVote): void;
  PollResultsChanged(results: PollResults): void;
  ProjectorChanged(delta: ProjectorDelta): void;
  SessionStatusChanged(session: SessionView): void;
  AnnouncementPosted(announcement: AnnouncementView): void;
  AnnouncementDeleted(announcement: AnnouncementView): void;
  ReactionsSent(delta: ReactionsDelta): void;
  PresenceChanged(delta: PresenceDelta): void;
  ModeratorRightsLost(lost: RightsLost): void;
  SessionVersionAnnounced(notice: SessionVersionNotice): void;
  EventDeleted(notice: EventDeletedNotice): void;
}

export type HubMethodName = keyof HubMethods;
export type ClientEventName = keyof ClientEvents;

// Values the server's string fields take (the constants in src/Hub and src/Data).
export type QuestionStatus = 'pending' | 'approved' | 'answered' | 'dismissed' | 'archived';
export type QuestionAction = 'approve' | 'dismiss' | 'answer' | 'archive' | 'restore' | 'show' | 'hide';
export type PollKind = 'single' | 'multiple' | 'rating' | 'wordcloud' | 'text' | 'ranking' | 'quiz';
export type PollVisibility = 'live' | 'on_close' | 'hidden';
export type PollStatus = 'draft' | 'open' | 'closed';
export type AnswerStatus = 'pending' | 'approved' | 'dismissed';
export type AnswerAction = 'approve' | 'dismiss';
export type VoteStatus = 'counted' | 'pending' | 'approved' | 'dismissed';
export type SessionStatus = 'upcoming' | 'live' | 'ended';
export type ModerationMode = 'pre' | 'open';
export type SessionViewKind = 'audience' | 'projector' | 'moderator';
export type ProjectorMode = 'questions' | 'poll' | 'idle';

// Errors

/** A typed error: a stable code for programs, a message key for the page's dictionary, an English message for logs (docs/protocol.md, section 3). */
export interface HubError {
  code: string;
  messageKey: string;
  message: string;
  retryable: boolean;
  retryAfterSeconds: number | null;
}

// Events, rooms and sessions

/** What JoinEvent answers: the event, its rooms and sessions, and the limits the server enforces. */
export interface EventSnapshot {
  id: number;
  code: string;
  name: string;
  theme: string | null;
  city: string | null;
  timeZone: string;
  defaultLanguage: string;
  languages: string[];
  rooms: RoomView[];
  sessions: SessionView[];
  isModerator: boolean;
  serverTime: number;
  limits: ClientLimits;
  followBrowserLanguage: boolean;
  announcements: AnnouncementView[];
  presence: Record<string, number> | null;
  profanityWords: string[] | null;
  reactions: Record<string, string>;
  joinUrl: string | null;
  joinUrlWarning: string | null;
}

/** The input limits the server enforces, each read from the constant or option it checks against. */
export interface ClientLimits {
  questionMaxLength: number;
  nameMaxLength: number;
  pollAnswerMaxLength: number;
  wordCloudMaxWords: number;
  pollQuestionMaxLength: number;
  pollOptionMaxLength: number;
  pollMaxOptions: number;
  replyMaxLength: number;
  labelMaxLength: number;
  maxLabels: number;
  announcementMaxLength: number;
  profanityMaxWords: number;
  profanityWordMaxLength: number;
  quizMinSeconds: number;
  quizMaxSeconds: number;
  ratingMinScale: number;
  ratingMaxScale: number;
  joinCodeLength: number;
}

/** A room of the event; its own join code if it has one. */
export interface RoomView {
  id: number;
  key: string;
  name: string;
  capacity: number | null;
  code: string | null;
}

/** A session of the agenda as every screen sees it. */
export interface SessionView {
  id: number;
  eventId: number;
  roomId: number;
  key: string;
  title: string;
  kind: string;
  speakers: string[];
  startsAt: number;
  endsAt: number;
  status: SessionStatus;
  moderation: ModerationMode;
  statusOverridden: boolean;
}

/** A session's full state for one kind of screen, with the version the next delta builds on. */
export interface SessionSnapshot {
  session: SessionView;
  view: SessionViewKind;
  version: number;
  questions: QuestionView[];
  mine: QuestionView[];
  myUpvotes: number[];
  onScreenQuestionId: number | null;
  serverTime: number;
  polls: PollView[];
  results: PollResults[];
  myVotes: MyVote[];
  projectorMode: ProjectorMode;
  projectorPollId: number | null;
  projectorPresence: boolean;
  present: number | null;
}

export interface SetSessionStatusRequest {
  sessionId: number;
  status?: SessionStatus | null;
}

export interface SetProfanityWordsRequest {
  eventId: number;
  words?: string[] | null;
}

// Questions

/** A question as a screen sees it: clientId only for its author, labels and flagged only for moderators. */
export interface QuestionView {
  id: number;
  sessionId: number;
  text: string;
  authorName: string | null;
  upvotes: number;
  status: QuestionStatus;
  createdAt: number;
  answeredAt: number | null;
  clientId: string | null;
  reply: string | null;
  repliedAt: number | null;
  labels: string[] | null;
  flagged: boolean | null;
  mergedIntoId: number | null;
}

/** One versioned change to one question (public version for audience and projector, moderation version for moderators). */
export interface QuestionDelta {
  sessionId: number;
  version: number;
  question: QuestionView;
  onScreenQuestionId: number | null;
}

export interface UpvoteCount {
  questionId: number;
  upvotes: number;
}

/** Upvote counts that changed, coalesced. */
export interface UpvotesDelta {
  sessionId: number;
  version: number;
  counts: UpvoteCount[];
}

/** The answer to an upvote: the count now and whether this participant's upvote stands. */
export interface UpvoteView {
  questionId: number;
  upvotes: number;
  upvoted: boolean;
}

/** The session switched between pre-moderated and open. */
export interface SessionModeDelta {
  sessionId: number;
  version: number;
  moderation: ModerationMode;
}

export interface AskQuestionRequest {
  sessionId: number;
  clientId?: string | null;
  text?: string | null;
  authorName?: string | null;
}

export interface UpvoteRequest {
  questionId: number;
  on: boolean;
}

export interface ModerateQuestionRequest {
  sessionId: number;
  questionId: number;
  action?: QuestionAction | null;
}

export interface EditQuestionRequest {
  sessionId: number;
  questionId: number;
  text?: string | null;
}

export interface SetModerationModeRequest {
  sessionId: number;
  mode?: ModerationMode | null;
}

export interface ReplyToQuestionRequest {
  sessionId: number;
  questionId: number;
  text?: string | null;
}

export interface LabelQuestionRequest {
  sessionId: number;
  questionId: number;
  labels?: string[] | null;
}

export interface MergeQuestionsRequest {
  sessionId: number;
  sourceId: number;
  targetId: number;
}

// Polls and the projector

/** A poll as a screen sees it; correct is null for the audience until a quiz closes. */
export interface PollView {
  id: number;
  sessionId: number;
  kind: PollKind;
  question: string;
  options: string[];
  maxPicks: number | null;
  scale: number | null;
  correct: number[] | null;
  timeLimitSeconds: number | null;
  visibility: PollVisibility;
  status: PollStatus;
  revealed: boolean;
  openedAt: number | null;
  closesAt: number | null;
  resultsVisible: boolean;
  audienceSeesResults: boolean;
}

/** One versioned change to one poll. */
export interface PollDelta {
  sessionId: number;
  version: number;
  poll: PollView;
}

/** A whole results frame, never a difference: keep the one with the highest version per poll. */
export interface PollResults {
  pollId: number;
  sessionId: number;
  version: number;
  voters: number;
  options: OptionResult[];
  average: number | null;
  words: WordResult[];
  answers: AnswerResult[];
  correct: number[] | null;
  leaderboard: LeaderboardEntry[];
  present: number | null;
}

/** One option's result; for rating polls index is the rated value. */
export interface OptionResult {
  index: number;
  label: string;
  votes: number;
  percent: number;
  points: number;
}

export interface WordResult {
  word: string;
  votes: number;
}

export interface AnswerResult {
  id: number;
  text: string;
  displayName: string | null;
  status: AnswerStatus;
  createdAt: number;
}

export interface LeaderboardEntry {
  rank: number;
  name: string;
  score: number;
  correct: number;
}

/** The caller's own answer to a poll. */
export interface MyVote {
  pollId: number;
  choices: number[];
  rating: number | null;
  ranking: number[];
  text: string | null;
  status: VoteStatus;
}

/** What the projector shows; present is the head count when showPresence is on. */
export interface ProjectorDelta {
  sessionId: number;
  version: number;
  mode: ProjectorMode;
  pollId: number | null;
  showPresence: boolean;
  present: number | null;
}

export interface PollDraftRequest {
  sessionId: number;
  kind?: PollKind | null;
  question?: string | null;
  options?: string[] | null;
  maxPicks?: number | null;
  scale?: number | null;
  correct?: number[] | null;
  timeLimitSeconds?: number | null;
  visibility?: PollVisibility | null;
}

export interface UpdatePollRequest {
  pollId: number;
  draft?: PollDraftRequest | null;
}

export interface PollRequest {
  pollId: number;
}

export interface CopyPollRequest {
  pollId: number;
  sessionId: number;
}

export interface RevealPollRequest {
  pollId: number;
  revealed: boolean;
}

export interface ModeratePollAnswerRequest {
  pollId: number;
  answerId: number;
  action?: AnswerAction | null;
}

export interface SetProjectorRequest {
  sessionId: number;
  mode?: ProjectorMode | null;
  pollId?: number | null;
  showPresence?: boolean | null;
}

/** One vote: fill the field for the poll's kind (choices, rating, ranking or text). */
export interface CastVoteRequest {
  pollId: number;
  clientId?: string | null;
  choices?: number[] | null;
  rating?: number | null;
  ranking?: number[] | null;
  text?: string | null;
  displayName?: string | null;
}

// Announcements, reactions, presence

/** An announcement for the event (roomId null) or one room. */
export interface AnnouncementView {
  id: number;
  eventId: number;
  roomId: number | null;
  text: string;
  createdAt: number;
}

export interface PostAnnouncementRequest {
  eventId: number;
  roomId?: number | null;
  text?: string | null;
}

export interface DeleteAnnouncementRequest {
  eventId: number;
  announcementId: number;
}

/** The reactions of the last half second in a session: key to count. */
export interface ReactionsDelta {
  sessionId: number;
  counts: Record<string, number>;
}

export interface SendReactionRequest {
  sessionId: number;
  reaction?: string | null;
}

/** Head counts of a session and its room. */
export interface PresenceDelta {
  eventId: number;
  sessionId: number;
  roomId: number;
  session: number;
  room: number;
}

// Connection notices

/** Why a connection stopped being a moderator: a typed error, forbidden. */
export interface RightsLost {
  eventId: number;
  error: HubError;
}

/** A session's current version for one view, re-announced when deltas may have been lost. */
export interface SessionVersionNotice {
  sessionId: number;
  version: number;
}

/** The event is gone; error (not_found) is what to show. */
export interface EventDeletedNotice {
  eventId: number;
  code: string;
  error: HubError;
}

// Exports (HTTP, GET /api/sessions/{id}/export/*.json): what the session report reads

/** Which event and session an export covers, and when it was made (ISO 8601 times). */
export interface ExportScope {
  eventCode: string;
  eventName: string;
  timeZone: string;
  sessionId: number | null;
  sessionKey: string | null;
  sessionTitle: string | null;
  exportedAt: string;
}

export interface QuestionExport {
  scope: ExportScope;
  questions: QuestionExportItem[];
}

/** One question in an export: times as ISO 8601 text, in UTC and in the event's zone. */
export interface QuestionExportItem {
  sessionId: number;
  sessionKey: string;
  sessionTitle: string;
  room: string;
  id: number;
  text: string;
  authorName: string | null;
  status: QuestionStatus;
  upvotes: number;
  createdAt: string;
  createdAtLocal: string;
  answeredAt: string | null;
  answeredAtLocal: string | null;
  reply: string | null;
  repliedAt: string | null;
  labels: string[];
  mergedIntoId: number | null;
  flagged: boolean;
  participant: string | null;
}

export interface PollExport {
  scope: ExportScope;
  polls: PollExportItem[];
}

export interface PollExportItem {
  sessionId: number;
  sessionKey: string;
  sessionTitle: string;
  id: number;
  position: number;
  kind: PollKind;
  question: string;
  status: PollStatus;
  visibility: PollVisibility;
  voters: number;
  average: number | null;
  options: PollOptionExport[];
  words: WordResult[];
  answers: PollAnswerExport[];
  correct: number[] | null;
  openedAt: string | null;
  closedAt: string | null;
}

export interface PollOptionExport {
  index: number;
  label: string;
  votes: number;
  percent: number;
  points: number | null;
}

export interface PollAnswerExport {
  id: number;
  text: string;
  displayName: string | null;
  createdAt: string;
}

export interface ReactionExport {
  scope: ExportScope;
  reactions: ReactionExportItem[];
}

export interface ReactionExportItem {
  sessionId: number;
  sessionKey: string;
  sessionTitle: string;
  reaction: string;
  emoji: string;
  total: number;
}
