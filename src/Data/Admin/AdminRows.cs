namespace LiveHub.Data.Admin;

/// <summary>The fields of an event the organizer edits after import.</summary>
public sealed record EventEdit(string Name, string? Theme, string? Host, string? City, string TimeZone, string DefaultLanguage, bool FollowBrowserLanguage);

/// <summary>A session's new start and end, when an event's time zone changes and the agenda keeps its local times.</summary>
public sealed record SessionTimes(long SessionId, long StartsAt, long EndsAt);

/// <summary>A room as the organizer writes it; the room key names it in the scenario and never changes.</summary>
public sealed record RoomWrite(string Key, string Name, int? Capacity);

/// <summary>A session as the organizer writes it. Speakers one per line; times are Unix milliseconds.</summary>
public sealed record SessionWrite(
    long RoomId,
    string Key,
    string Title,
    string Kind,
    string Speakers,
    long StartsAt,
    long EndsAt,
    string? StatusOverride,
    string Moderation);

public enum DeleteOutcome { Deleted, NotFound, InUse }

/// <summary>
/// What deleting an event removed: its sessions and polls (for the caches that hold them), and how many rows of people's
/// content and how many participants went with it. Counts only; nothing that names a person.
/// </summary>
public sealed record EventDeletion(
    long EventId,
    IReadOnlyList<long> SessionIds,
    IReadOnlyList<long> PollIds,
    int Questions,
    int Upvotes,
    int Votes,
    int Announcements,
    int Participants);
