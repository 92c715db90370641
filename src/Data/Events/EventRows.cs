namespace LiveHub.Data.Events;

public sealed record EventRow
{
    public long Id { get; init; }
    public string Code { get; init; } = "";
    public string Name { get; init; } = "";
    public string? Theme { get; init; }
    public string? Host { get; init; }
    public string? City { get; init; }
    public string TimeZone { get; init; } = "UTC";
    public string DefaultLanguage { get; init; } = "id";
    public string Languages { get; init; } = "id,en";
    /// <summary>Whether pages follow each participant's browser language instead of <see cref="DefaultLanguage"/>.</summary>
    public bool FollowBrowserLanguage { get; init; }
    public string? StartDate { get; init; }
    public string? EndDate { get; init; }
    public string ModeratorPasscodeHash { get; init; } = "";
    public string PasscodeStamp { get; init; } = "";
    public long CreatedAt { get; init; }
    /// <summary>The event's profanity list, one word per line; null for the built-in lists.</summary>
    public string? ProfanityWords { get; init; }
    /// <summary>
    /// Moves (by trigger, with the change) whenever the event's rooms, sessions' agenda fields or announcements change: the count
    /// of its <c>agenda_changes</c>. Read by <c>EventStore.FindByCodeAsync</c> and <c>FindAsync</c>; 0 from other queries.
    /// </summary>
    public long AgendaVersion { get; init; }
}

public sealed record RoomRow
{
    public long Id { get; init; }
    public long EventId { get; init; }
    public string RoomKey { get; init; } = "";
    public string Name { get; init; } = "";
    public long? Capacity { get; init; }
    /// <summary>The room's own join code: it always leads to the session live in the room.</summary>
    public string? Code { get; init; }
}

public sealed record SessionRow
{
    public long Id { get; init; }
    public long EventId { get; init; }
    public long RoomId { get; init; }
    public string SessionKey { get; init; } = "";
    public string Title { get; init; } = "";
    public string Kind { get; init; } = "";
    /// <summary>Speaker names, one per line.</summary>
    public string Speakers { get; init; } = "";
    public long StartsAt { get; init; }
    public long EndsAt { get; init; }
    public string? StatusOverride { get; init; }
    public string Moderation { get; init; } = "pre";
    public long? OnScreenQuestionId { get; init; }
    public long Version { get; init; }
    public long ModVersion { get; init; }
    /// <summary>What the projector shows: <c>questions</c>, <c>poll</c> or <c>idle</c>.</summary>
    public string ProjectorMode { get; init; } = "questions";
    public long? ProjectorPollId { get; init; }
    public long ProjectorPresence { get; init; }
}

/// <summary>What a new event is made of, as imported from a scenario or the admin.</summary>
public sealed record NewEvent(
    string Code,
    string Name,
    string? Theme,
    string? Host,
    string? City,
    string TimeZone,
    string DefaultLanguage,
    IReadOnlyList<string> Languages,
    string? StartDate,
    string? EndDate,
    string ModeratorPasscodeHash,
    IReadOnlyList<NewRoom> Rooms,
    IReadOnlyList<NewSession> Sessions,
    bool FollowBrowserLanguage = false);

public sealed record NewRoom(string Key, string Name, int? Capacity, string Code);

public sealed record NewSession(
    string Key,
    string RoomKey,
    string Title,
    string Kind,
    IReadOnlyList<string> Speakers,
    DateTimeOffset StartsAt,
    DateTimeOffset EndsAt,
    string? StatusOverride,
    string Moderation);

/// <summary>A session's two version counters after a change: public (audience, projector) and moderation.</summary>
public sealed record SessionVersions(long Version, long ModVersion);
