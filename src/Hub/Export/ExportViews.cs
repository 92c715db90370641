using LiveHub.Polls;

namespace LiveHub.Export;

/// <summary>What an export covers: the event, and the session when it is a per-session export. Times are ISO 8601.</summary>
public sealed record ExportScope(string EventCode, string EventName, string TimeZone, long? SessionId, string? SessionKey, string? SessionTitle, string ExportedAt);

public sealed record QuestionExport(ExportScope Scope, IReadOnlyList<QuestionExportItem> Questions);

/// <summary>
/// One question. Times come twice: in UTC (<c>…Z</c>) and in the event's time zone (with its offset).
/// <see cref="Participant"/> is a pseudonym that is stable within the event and unrelated across events; the participant's id never leaves the server.
/// An anonymous question has none (null), so nothing ties it to its author's named questions.
/// </summary>
public sealed record QuestionExportItem(
    long SessionId,
    string SessionKey,
    string SessionTitle,
    string Room,
    long Id,
    string Text,
    string? AuthorName,
    string Status,
    long Upvotes,
    string CreatedAt,
    string CreatedAtLocal,
    string? AnsweredAt,
    string? AnsweredAtLocal,
    string? Reply,
    string? RepliedAt,
    IReadOnlyList<string> Labels,
    long? MergedIntoId,
    bool Flagged,
    string? Participant);

public sealed record PollExport(ExportScope Scope, IReadOnlyList<PollExportItem> Polls);

/// <summary>
/// One poll with the numbers its screens show (the same tally and results builder): voters, options with votes, percent and
/// (rankings) Borda points, the average of a rating, the top words of a word cloud; and every approved open-text answer.
/// </summary>
public sealed record PollExportItem(
    long SessionId,
    string SessionKey,
    string SessionTitle,
    long Id,
    long Position,
    string Kind,
    string Question,
    string Status,
    string Visibility,
    long Voters,
    double? Average,
    IReadOnlyList<PollOptionExport> Options,
    IReadOnlyList<WordResult> Words,
    IReadOnlyList<PollAnswerExport> Answers,
    IReadOnlyList<int>? Correct,
    string? OpenedAt,
    string? ClosedAt);

/// <summary>
/// One option (for a rating, one rated value). <see cref="Percent"/> is the share of voters who picked it, except for a
/// ranking, where every voter ranks every option: there it is the option's share of all Borda points. <see cref="Points"/>
/// are a ranking's Borda points, null for every other kind.
/// </summary>
public sealed record PollOptionExport(int Index, string Label, long Votes, double Percent, long? Points);

public sealed record PollAnswerExport(long Id, string Text, string? DisplayName, string CreatedAt);

public sealed record ReactionExport(ExportScope Scope, IReadOnlyList<ReactionExportItem> Reactions);

/// <summary>A session's total of one reaction (e.g. <c>clap</c>, drawn as its emoji), as stored once per tick.</summary>
public sealed record ReactionExportItem(long SessionId, string SessionKey, string SessionTitle, string Reaction, string Emoji, long Total);
