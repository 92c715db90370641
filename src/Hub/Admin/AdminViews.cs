namespace LiveHub.Admin;

/// <summary>One line of the organizer's event list.</summary>
public sealed record AdminEventSummary(long Id, string Code, string Name, string? StartDate, string? EndDate, string TimeZone, int Rooms, int Sessions);

/// <summary>An event as the organizer edits it: the agenda in the event's local time, the rooms with their join codes.</summary>
public sealed record AdminEventDetail(
    long Id,
    string Code,
    string Name,
    string? Theme,
    string? Host,
    string? City,
    string TimeZone,
    string? StartDate,
    string? EndDate,
    string DefaultLanguage,
    IReadOnlyList<string> Languages,
    bool FollowBrowserLanguage,
    IReadOnlyList<AdminRoomView> Rooms,
    IReadOnlyList<AdminSessionView> Sessions);

public sealed record AdminRoomView(long Id, string Key, string Name, long? Capacity, string? Code);

/// <summary>
/// A session with its agenda slot (<see cref="Day"/> 1 is the event's first day; <see cref="Start"/> and <see cref="End"/> are
/// local "HH:mm"), the moderator's status override (null: the schedule decides) and the status now.
/// </summary>
public sealed record AdminSessionView(
    long Id,
    string Key,
    string Room,
    int Day,
    string Start,
    string End,
    long StartsAt,
    long EndsAt,
    string Kind,
    string Title,
    IReadOnlyList<string> Speakers,
    string? StatusOverride,
    string Status,
    string Moderation,
    int Polls);

/// <summary>
/// The fields of an event the organizer may change. A new time zone keeps the agenda's local times. A time zone, default language
/// or browser-language setting left out (null) keeps the current one.
/// </summary>
public sealed record EventEditRequest(
    string? Name,
    string? Theme,
    string? Host,
    string? City,
    string? TimeZone,
    string? DefaultLanguage = null,
    bool? FollowBrowserLanguage = null);

public sealed record RoomRequest(string? Key, string? Name, int? Capacity);

/// <summary>
/// A session as the organizer writes it. <see cref="Status"/> overrides the schedule ("upcoming", "live", "ended"); null or
/// empty follows it. On an edit the key in the path wins.
/// </summary>
public sealed record SessionRequest(
    string? Key,
    string? Room,
    int? Day,
    string? Start,
    string? End,
    string? Kind,
    string? Title,
    IReadOnlyList<string>? Speakers,
    string? Moderation,
    string? Status);

/// <summary>A new moderator passcode; when <see cref="Passcode"/> is empty the server makes one.</summary>
public sealed record PasscodeRequest(string? Passcode);

/// <summary>The new passcode, shown once to the organizer; it is stored only as a hash.</summary>
public sealed record PasscodeRotated(string Passcode);

/// <summary>The organizer's confirmation of a deletion: the event's code, typed again.</summary>
public sealed record DeleteEventRequest(string? Confirm);

/// <summary>What a deletion removed, in counts.</summary>
public sealed record EventDeletedView(string Code, int Sessions, int Polls, int Questions, int Upvotes, int Votes, int Announcements, int Participants);
