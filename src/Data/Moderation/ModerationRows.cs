namespace LiveHub.Data.Moderation;

public sealed record AuditEntry
{
    public long Id { get; init; }
    public long EventId { get; init; }
    public long? SessionId { get; init; }
    public long? QuestionId { get; init; }
    public long? PollId { get; init; }
    public string Actor { get; init; } = "";
    public string Action { get; init; } = "";
    public string? Detail { get; init; }
    public long At { get; init; }
}

public sealed record AnnouncementRow
{
    public long Id { get; init; }
    public long EventId { get; init; }
    public long? RoomId { get; init; }
    public string Text { get; init; } = "";
    public string Author { get; init; } = "";
    public long CreatedAt { get; init; }
}
