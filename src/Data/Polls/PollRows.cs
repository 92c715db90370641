using LiveHub.Data.Events;

namespace LiveHub.Data.Polls;

public sealed record PollRow
{
    public long Id { get; init; }
    public long SessionId { get; init; }
    public string Kind { get; init; } = "";
    public string Question { get; init; } = "";
    /// <summary>The options as a JSON array of strings.</summary>
    public string Options { get; init; } = "[]";
    public long? MaxPicks { get; init; }
    public long? Scale { get; init; }
    /// <summary>A quiz's correct option indexes as a JSON array of integers.</summary>
    public string? Correct { get; init; }
    public long? TimeLimitSeconds { get; init; }
    public string Visibility { get; init; } = "live";
    public string Status { get; init; } = "draft";
    public long Revealed { get; init; }
    public long Position { get; init; }
    public long? OpenedAt { get; init; }
    public long? ClosedAt { get; init; }
    public long ResultsVersion { get; init; }
    public long CreatedAt { get; init; }
    public long UpdatedAt { get; init; }
}

public static class PollStatus
{
    public const string Draft = "draft";
    public const string Open = "open";
    public const string Closed = "closed";
}

/// <summary>What a moderator prepares; options, picks, scale and correct answers already checked by the rules.</summary>
public sealed record PollDefinition(
    string Kind,
    string Question,
    string OptionsJson,
    int? MaxPicks,
    int? Scale,
    string? CorrectJson,
    int? TimeLimitSeconds,
    string Visibility);

public sealed record VoteRow
{
    public long Id { get; init; }
    public long PollId { get; init; }
    public string ParticipantId { get; init; } = "";
    public string? DisplayName { get; init; }
    public string? Text { get; init; }
    public string Status { get; init; } = VoteStatus.Counted;
    public long? Correct { get; init; }
    public long Score { get; init; }
    public long? ElapsedMs { get; init; }
    public long CreatedAt { get; init; }
    public long UpdatedAt { get; init; }
}

public static class VoteStatus
{
    public const string Counted = "counted";
    public const string Pending = "pending";
    public const string Approved = "approved";
    public const string Dismissed = "dismissed";
}

public sealed record ChoiceRow(long PollId, long OptionIndex, long Points)
{
    // Dapper maps by property through this constructor: SQLite reports aggregate columns of an empty result as BLOB.
    public ChoiceRow() : this(0, 0, 0) { }
}

public sealed record WordRow(long PollId, string Word)
{
    // Dapper maps by property through this constructor: SQLite reports aggregate columns of an empty result as BLOB.
    public WordRow() : this(0, "") { }
}

/// <summary>A vote as stored: the row plus its picked options (with Borda points) and words.</summary>
public sealed record StoredVote(VoteRow Vote, IReadOnlyList<ChoiceRow> Choices, IReadOnlyList<string> Words);

public sealed record NewVote(
    long PollId,
    string ParticipantId,
    string ClientId,
    string? DisplayName,
    string? Text,
    string Status,
    IReadOnlyList<(int Option, int Points)> Choices,
    IReadOnlyList<string> Words,
    bool? Correct,
    int Score,
    long? ElapsedMs);

/// <summary>What became of a vote. <see cref="Stale"/>: the poll was re-opened after the caller read it; read it again.</summary>
public enum CastResult { Stored, Repeated, PollNotOpen, TooLate, Stale }

/// <summary>The opening a vote was validated against, and the quiz's answer deadline if it has one (Unix ms).</summary>
public sealed record VoteWindow(long? OpenedAt, long? Deadline);

public sealed record CastOutcome(CastResult Result, StoredVote? Vote);

/// <summary>One option's tally: how many picked it (or rated that value) and its summed points (Borda).</summary>
public sealed record OptionCount(long OptionIndex, long Votes, long Points)
{
    // Dapper maps by property through this constructor: SQLite reports aggregate columns of an empty result as BLOB.
    public OptionCount() : this(0, 0, 0) { }
}

public sealed record WordCount(string Word, long Votes)
{
    // Dapper maps by property through this constructor: SQLite reports aggregate columns of an empty result as BLOB.
    public WordCount() : this("", 0) { }
}

public sealed record TextAnswer(long Id, string Text, string? DisplayName, string Status, long CreatedAt)
{
    // Dapper maps by property through this constructor: SQLite reports aggregate columns of an empty result as BLOB.
    public TextAnswer() : this(0, "", null, "", 0) { }
}

/// <summary>Everything a results frame needs, read from the database in one transaction with the next results version.</summary>
public sealed record PollTallyRows(
    PollRow Poll,
    long ResultsVersion,
    long Voters,
    IReadOnlyList<OptionCount> Options,
    IReadOnlyList<WordCount> Words,
    IReadOnlyList<TextAnswer> Texts);

public sealed record ScoreRow(string ParticipantId, string? DisplayName, long Score, long Correct, long ElapsedMs)
{
    // Dapper maps by property through this constructor: SQLite reports aggregate columns of an empty result as BLOB.
    public ScoreRow() : this("", null, 0, 0, 0) { }
}

public sealed record PollChange(PollRow Poll, SessionVersions Versions);
