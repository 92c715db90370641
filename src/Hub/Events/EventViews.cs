using LiveHub.Polls;
using LiveHub.Questions;

namespace LiveHub.Events;

public sealed record RoomView(long Id, string Key, string Name, long? Capacity, string? Code);

public sealed record SessionView(
    long Id,
    long EventId,
    long RoomId,
    string Key,
    string Title,
    string Kind,
    IReadOnlyList<string> Speakers,
    long StartsAt,
    long EndsAt,
    string Status,
    string Moderation,
    bool StatusOverridden = false);

public sealed record EventSnapshot(
    long Id,
    string Code,
    string Name,
    string? Theme,
    string? City,
    string TimeZone,
    string DefaultLanguage,
    IReadOnlyList<string> Languages,
    IReadOnlyList<RoomView> Rooms,
    IReadOnlyList<SessionView> Sessions,
    bool IsModerator,
    long ServerTime,
    ClientLimits Limits)
{
    /// <summary>Whether the event's pages follow each participant's browser language rather than <see cref="DefaultLanguage"/>.</summary>
    public bool FollowBrowserLanguage { get; init; }

    /// <summary>The latest announcements, newest first (event-wide and for every room; clients show those for their room).</summary>
    public IReadOnlyList<Announcements.AnnouncementView> Announcements { get; init; } = [];

    /// <summary>Moderators only: audience head count per session id now.</summary>
    public IReadOnlyDictionary<long, long>? Presence { get; init; }

    /// <summary>Moderators only: the profanity list in force for the event.</summary>
    public IReadOnlyList<string>? ProfanityWords { get; init; }

    /// <summary>The reactions on offer: key to emoji.</summary>
    public IReadOnlyDictionary<string, string> Reactions { get; init; } = LiveHub.Reactions.ReactionService.Kinds;

    /// <summary>The URL phones open to join, as the event's QR code encodes it for the same request.</summary>
    public string? JoinUrl { get; init; }

    /// <summary>Why phones may not be able to open <see cref="JoinUrl"/> (<see cref="JoinUrlWarnings"/>); null when they can.</summary>
    public string? JoinUrlWarning { get; init; }
}

/// <summary>
/// The input limits the server enforces, so a page can show them before sending. Every value is read from the constant or
/// option the server checks against; pages keep no numbers of their own. Lengths are characters as people see them
/// (see <see cref="Limits.TextLength"/>).
/// </summary>
public sealed record ClientLimits(
    int QuestionMaxLength,
    int NameMaxLength,
    int PollAnswerMaxLength,
    int WordCloudMaxWords,
    int PollQuestionMaxLength,
    int PollOptionMaxLength,
    int PollMaxOptions,
    int ReplyMaxLength,
    int LabelMaxLength,
    int MaxLabels,
    int AnnouncementMaxLength,
    int ProfanityMaxWords,
    int ProfanityWordMaxLength,
    int QuizMinSeconds,
    int QuizMaxSeconds,
    int RatingMinScale,
    int RatingMaxScale,
    int JoinCodeLength)
{
    /// <summary>The limits in force with these question options.</summary>
    public static ClientLimits From(QuestionOptions questions) => new(
        QuestionMaxLength: questions.MaxLength,
        NameMaxLength: questions.MaxNameLength,
        PollAnswerMaxLength: PollRules.MaxTextAnswerLength,
        WordCloudMaxWords: PollRules.MaxWords,
        PollQuestionMaxLength: PollRules.MaxQuestionLength,
        PollOptionMaxLength: PollRules.MaxOptionLength,
        PollMaxOptions: PollRules.MaxOptions,
        ReplyMaxLength: QuestionService.MaxReplyLength,
        LabelMaxLength: QuestionService.MaxLabelLength,
        MaxLabels: QuestionService.MaxLabels,
        AnnouncementMaxLength: Announcements.AnnouncementService.MaxLength,
        ProfanityMaxWords: Moderation.ProfanityFilter.MaxWords,
        ProfanityWordMaxLength: Moderation.ProfanityFilter.MaxWordLength,
        QuizMinSeconds: PollRules.QuizMinSeconds,
        QuizMaxSeconds: PollRules.QuizMaxSeconds,
        RatingMinScale: PollRules.RatingMinScale,
        RatingMaxScale: PollRules.RatingMaxScale,
        JoinCodeLength: JoinCode.Length);
}

/// <summary>
/// A session's full state for one kind of screen, with the version the next delta builds on.
/// <see cref="Questions"/> holds what that screen may see; <see cref="Mine"/> the caller's own questions that are not public
/// (pending or dismissed); <see cref="MyUpvotes"/> the ids the caller has upvoted.
/// </summary>
public sealed record SessionSnapshot(
    SessionView Session,
    string View,
    long Version,
    IReadOnlyList<QuestionView> Questions,
    IReadOnlyList<QuestionView> Mine,
    IReadOnlyList<long> MyUpvotes,
    long? OnScreenQuestionId,
    long ServerTime)
{
    /// <summary>Polls this view may see: moderators every poll, others those launched at least once.</summary>
    public IReadOnlyList<PollView> Polls { get; init; } = [];

    /// <summary>The latest results frame of each poll whose results this view may see.</summary>
    public IReadOnlyList<PollResults> Results { get; init; } = [];

    /// <summary>Audience only: the caller's own votes.</summary>
    public IReadOnlyList<MyVote> MyVotes { get; init; } = [];

    /// <summary>What the projector shows: questions, poll or idle.</summary>
    public string ProjectorMode { get; init; } = ProjectorModes.Questions;

    public long? ProjectorPollId { get; init; }

    /// <summary>Whether the projector shows the head count.</summary>
    public bool ProjectorPresence { get; init; }

    /// <summary>Projector and moderators: audience connections in the session now.</summary>
    public long? Present { get; init; }
}

public static class SessionViews
{
    public const string Audience = "audience";
    public const string Projector = "projector";
    public const string Moderator = "moderator";

    public static bool IsKnown(string? view) => view is Audience or Projector or Moderator;
}

public static class SessionStatus
{
    public const string Upcoming = "upcoming";
    public const string Live = "live";
    public const string Ended = "ended";

    public static bool IsKnown(string? status) => status is Upcoming or Live or Ended;
}

public static class ModerationModes
{
    /// <summary>Questions wait for a moderator's approval.</summary>
    public const string Pre = "pre";

    /// <summary>Questions are public at once.</summary>
    public const string Open = "open";

    public static bool IsKnown(string? mode) => mode is Pre or Open;
}
