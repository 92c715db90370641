namespace LiveHub.Data.Questions;

public sealed record QuestionRow
{
    public long Id { get; init; }
    public long SessionId { get; init; }
    public string ParticipantId { get; init; } = "";
    public string ClientId { get; init; } = "";
    public string? AuthorName { get; init; }
    public string Text { get; init; } = "";
    public string Status { get; init; } = QuestionStatus.Pending;
    public long Upvotes { get; init; }
    public long CreatedAt { get; init; }
    public long UpdatedAt { get; init; }
    public long? AnsweredAt { get; init; }
    public long? ApprovedAt { get; init; }
    /// <summary>A moderator's reply, shown under the question.</summary>
    public string? Reply { get; init; }
    public long? RepliedAt { get; init; }
    /// <summary>Set on a duplicate merged into another question.</summary>
    public long? MergedIntoId { get; init; }
    /// <summary>Moderator labels, comma-separated.</summary>
    public string Labels { get; init; } = "";
    /// <summary>1 when the profanity filter held the question for review.</summary>
    public long Flagged { get; init; }
}

public static class QuestionStatus
{
    public const string Pending = "pending";
    public const string Approved = "approved";
    public const string Answered = "answered";
    public const string Dismissed = "dismissed";
    public const string Archived = "archived";

    public static readonly IReadOnlySet<string> All = new HashSet<string>([Pending, Approved, Answered, Dismissed, Archived]);

    /// <summary>Whether the audience and the projector may see a question in this state.</summary>
    public static bool IsPublic(string status) => status is Approved or Answered;
}

public sealed record NewQuestion(long SessionId, string ParticipantId, string ClientId, string? AuthorName, string Text, string Status, bool Flagged = false);

/// <summary>The outcome of an ask: the stored row, whether this call created it, and the versions it moved to.</summary>
public sealed record AskOutcome(QuestionRow Question, bool Created, Events.SessionVersions? Versions);

/// <summary>The outcome of a moderation change.</summary>
public sealed record QuestionChange(QuestionRow Before, QuestionRow After, long? OnScreenQuestionId, Events.SessionVersions Versions, bool PublicChanged);

/// <summary>A merge: the duplicate (now archived), the question it went into, and the versions after.</summary>
public sealed record MergeOutcome(
    QuestionRow SourceBefore, QuestionRow Source, QuestionRow Target, long? OnScreenQuestionId, Events.SessionVersions Versions, bool PublicChanged);

public sealed record UpvoteOutcome(long QuestionId, long SessionId, long Upvotes, bool Changed);

public sealed record UpvoteCount(long QuestionId, long Upvotes);
