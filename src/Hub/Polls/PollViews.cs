using LiveHub.Identity;

namespace LiveHub.Polls;

/// <summary>
/// A poll as a screen sees it. <see cref="Correct"/> is null for the audience until the quiz closes.
/// <see cref="ResultsVisible"/>: whether this viewer sees results now (moderators always);
/// <see cref="AudienceSeesResults"/>: whether the audience and the projector do, by the server's one rule
/// (<see cref="PollRules.ResultsPublic"/>), so a moderator's page says what the hall sees without a copy of the rule.
/// </summary>
public sealed record PollView(
    long Id,
    long SessionId,
    string Kind,
    string Question,
    IReadOnlyList<string> Options,
    int? MaxPicks,
    int? Scale,
    IReadOnlyList<int>? Correct,
    int? TimeLimitSeconds,
    string Visibility,
    string Status,
    bool Revealed,
    long? OpenedAt,
    long? ClosesAt,
    bool ResultsVisible,
    bool AudienceSeesResults);

public sealed record PollDelta(long SessionId, long Version, PollView Poll) : Realtime.IVersionedDelta;

/// <summary>
/// A whole results frame, never a difference: a client keeps the frame with the highest <see cref="Version"/>.
/// Frames are coalesced: a few per second per poll at most.
/// </summary>
public sealed record PollResults(
    long PollId,
    long SessionId,
    long Version,
    long Voters,
    IReadOnlyList<OptionResult> Options,
    double? Average,
    IReadOnlyList<WordResult> Words,
    IReadOnlyList<AnswerResult> Answers,
    IReadOnlyList<int>? Correct,
    IReadOnlyList<LeaderboardEntry> Leaderboard,
    long? Present);

/// <summary>One option's result. For rating polls, <see cref="Index"/> is the rated value.</summary>
public sealed record OptionResult(int Index, string Label, long Votes, double Percent, long Points);

public sealed record WordResult(string Word, long Votes);

public sealed record AnswerResult(long Id, string Text, string? DisplayName, string Status, long CreatedAt);

public sealed record LeaderboardEntry(int Rank, string Name, long Score, long Correct);

/// <summary>What the projector shows; <see cref="Present"/> is the head count when <see cref="ShowPresence"/> is on.</summary>
public sealed record ProjectorDelta(long SessionId, long Version, string Mode, long? PollId, bool ShowPresence = false, long? Present = null) : Realtime.IVersionedDelta;

/// <summary>The caller's own answer to a poll, so it stays marked after a reload.</summary>
public sealed record MyVote(long PollId, IReadOnlyList<int> Choices, int? Rating, IReadOnlyList<int> Ranking, string? Text, string Status);

public sealed record PollDraftRequest(
    long SessionId,
    string? Kind,
    string? Question,
    IReadOnlyList<string>? Options,
    int? MaxPicks,
    int? Scale,
    IReadOnlyList<int>? Correct,
    int? TimeLimitSeconds,
    string? Visibility) : ISessionRequest;

public sealed record UpdatePollRequest(long PollId, PollDraftRequest? Draft) : IPollRequest;

public sealed record PollRequest(long PollId) : IPollRequest;

public sealed record CopyPollRequest(long PollId, long SessionId) : IPollRequest, ISessionRequest;

public sealed record RevealPollRequest(long PollId, bool Revealed) : IPollRequest;

/// <summary>What the projector shows; <see cref="ShowPresence"/> null leaves the head-count setting as it is.</summary>
public sealed record SetProjectorRequest(long SessionId, string? Mode, long? PollId, bool? ShowPresence = null) : ISessionRequest;

public sealed record ModeratePollAnswerRequest(long PollId, long AnswerId, string? Action) : IPollRequest;

/// <summary>
/// One vote. Fill the field for the poll's kind: <see cref="Choices"/> (single, multiple, quiz), <see cref="Rating"/> (rating),
/// <see cref="Ranking"/> (every option index, best first), <see cref="Text"/> (word cloud, open text).
/// </summary>
public sealed record CastVoteRequest(
    long PollId,
    string? ClientId,
    IReadOnlyList<int>? Choices,
    int? Rating,
    IReadOnlyList<int>? Ranking,
    string? Text,
    string? DisplayName);
