using LiveHub.Data.Questions;
using LiveHub.Identity;

namespace LiveHub.Questions;

/// <summary>
/// A question as a screen sees it. Carries no participant id or address; <see cref="ClientId"/> is set only
/// on views sent to the question's own author, so their outbox can match acknowledgements. <see cref="Labels"/> and
/// <see cref="Flagged"/> are for moderators and null elsewhere; <see cref="MergedIntoId"/> tells anyone a duplicate went into another question.
/// </summary>
public sealed record QuestionView(
    long Id,
    long SessionId,
    string Text,
    string? AuthorName,
    long Upvotes,
    string Status,
    long CreatedAt,
    long? AnsweredAt,
    string? ClientId,
    string? Reply = null,
    long? RepliedAt = null,
    IReadOnlyList<string>? Labels = null,
    bool? Flagged = null,
    long? MergedIntoId = null)
{
    public static QuestionView Public(QuestionRow row) =>
        new(row.Id, row.SessionId, row.Text, row.AuthorName, row.Upvotes, row.Status, row.CreatedAt, row.AnsweredAt, null, row.Reply, row.RepliedAt,
            MergedIntoId: row.MergedIntoId);

    public static QuestionView ForAuthor(QuestionRow row) => Public(row) with { ClientId = row.ClientId };

    public static QuestionView ForModerators(QuestionRow row) => Public(row) with
    {
        Labels = row.Labels.Split(',', StringSplitOptions.RemoveEmptyEntries),
        Flagged = row.Flagged != 0,
    };
}

/// <summary>One versioned change to one question. <see cref="Version"/> is the public version for audience and projector, the moderation version for moderators.</summary>
public sealed record QuestionDelta(long SessionId, long Version, QuestionView Question, long? OnScreenQuestionId) : Realtime.IVersionedDelta;

public sealed record UpvotesDelta(long SessionId, long Version, IReadOnlyList<UpvoteCount> Counts) : Realtime.IVersionedDelta;

public sealed record SessionModeDelta(long SessionId, long Version, string Moderation) : Realtime.IVersionedDelta;

/// <summary>The answer to an upvote: the question's count now and whether this participant's upvote stands.</summary>
public sealed record UpvoteView(long QuestionId, long Upvotes, bool Upvoted);

public sealed record AskQuestionRequest(long SessionId, string? ClientId, string? Text, string? AuthorName);

public sealed record UpvoteRequest(long QuestionId, bool On);

public sealed record ModerateQuestionRequest(long SessionId, long QuestionId, string? Action) : ISessionRequest;

public sealed record EditQuestionRequest(long SessionId, long QuestionId, string? Text) : ISessionRequest;

public sealed record SetModerationModeRequest(long SessionId, string? Mode) : ISessionRequest;

public sealed record ReplyToQuestionRequest(long SessionId, long QuestionId, string? Text) : ISessionRequest;

public sealed record LabelQuestionRequest(long SessionId, long QuestionId, IReadOnlyList<string>? Labels) : ISessionRequest;

public sealed record MergeQuestionsRequest(long SessionId, long SourceId, long TargetId) : ISessionRequest;
