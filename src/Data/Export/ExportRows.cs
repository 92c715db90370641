namespace LiveHub.Data.Export;

/// <summary>A question with everything an export carries, read straight from the table (including the moderator tools' columns).</summary>
public sealed record ExportQuestionRow
{
    public long Id { get; init; }
    public long SessionId { get; init; }
    public string ParticipantId { get; init; } = "";
    public string? AuthorName { get; init; }
    public string Text { get; init; } = "";
    public string Status { get; init; } = "";
    public long Upvotes { get; init; }
    public long CreatedAt { get; init; }
    public long? AnsweredAt { get; init; }
    public string? Reply { get; init; }
    public long? RepliedAt { get; init; }
    public string Labels { get; init; } = "";
    public long? MergedIntoId { get; init; }
    public long Flagged { get; init; }
}

/// <summary>An approved open-text answer.</summary>
public sealed record ExportAnswerRow
{
    public long Id { get; init; }
    public long PollId { get; init; }
    public string Text { get; init; } = "";
    public string? DisplayName { get; init; }
    public long CreatedAt { get; init; }
}
