namespace LiveHub.Bench.Clients;

// The parts of LiveHub's protocol (docs/protocol.md) the bench reads. Unknown fields are ignored, so these stay small.

public sealed record HubResult<T>(bool Ok, T? Value, HubError? Error);

public sealed record HubError(string Code, string Message);

public sealed record SessionLite(long Id, string Key, string Status, string Moderation);

public sealed record EventLite(long Id, string Code, List<SessionLite> Sessions);

public sealed record SessionSnapshotLite(long Version);

public sealed record QuestionLite(long Id, string Status);

public sealed record QuestionDeltaLite(long SessionId, long Version, QuestionLite? Question, long? OnScreenQuestionId);

public sealed record PollLite(long Id, string Status);

public sealed record PollResultsLite(long PollId, long Version, int Voters);

public sealed record MyVoteLite(long PollId, string Status);

public sealed record AskQuestionRequest(long SessionId, string ClientId, string Text, string? AuthorName);

public sealed record ModerateQuestionRequest(long SessionId, long QuestionId, string Action);

public sealed record SetModerationModeRequest(long SessionId, string Mode);

public sealed record PollDraftRequest(long SessionId, string Kind, string Question, string[] Options, string Visibility);

public sealed record PollRequest(long PollId);

public sealed record CastVoteRequest(long PollId, string ClientId, int[] Choices);
