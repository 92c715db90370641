using System.Globalization;
using System.Text.RegularExpressions;
using LiveHub.Events;
using LiveHub.Limits;
using LiveHub.Polls;
using LiveHub.Realtime;

namespace LiveHub.Admin;

/// <summary>
/// Checks an event definition before anything is stored, and converts between the scenario's local agenda (day, "HH:mm")
/// and stored instants. Free of I/O; every error names the field it is about.
/// </summary>
public static partial class ScenarioRules
{
    public const int MaxNameLength = 200;
    public const int MaxTitleLength = 200;
    public const int MaxRoomNameLength = 100;
    public const int MaxKindLength = 40;
    public const int MaxKeyLength = 40;
    public const int MaxSpeakers = 30;
    public const int MaxSpeakerLength = 200;
    public const int MinPasscodeLength = 8;
    public const int MaxPasscodeLength = 200;
    public const int MaxDays = 366;
    public const int MaxRooms = 100;
    public const int MaxSessions = 2000;
    public const int MaxPolls = 2000;

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9_-]*$")]
    private static partial Regex KeyPattern();

    public static HubError? CheckScenario(Scenario? scenario)
    {
        if (scenario?.Event is not { } e)
        {
            return HubError.Invalid("scenario", "The scenario needs an \"event\" object.");
        }
        if (CheckEvent(e.Name, e.TimeZone) is { } eventError)
        {
            return eventError;
        }
        if (InputText.CheckLines([e.Theme, e.Host, e.City]) is { } textError)
        {
            return textError with { Message = $"event: {textError.Message}" };
        }
        if (!TryDate(e.StartDate, out var start))
        {
            return HubError.Invalid("date", "event.startDate must be a date written yyyy-MM-dd.");
        }
        if (e.EndDate is not null && (!TryDate(e.EndDate, out var end) || end < start))
        {
            return HubError.Invalid("date", "event.endDate must be a date written yyyy-MM-dd, not before the start date.");
        }
        if (string.IsNullOrWhiteSpace(e.DefaultLanguage) || e.Languages is not { Count: > 0 } || e.Languages.Any(string.IsNullOrWhiteSpace))
        {
            return HubError.Invalid("languages", "event.defaultLanguage and event.languages (e.g. [\"id\", \"en\"]) are required.");
        }
        if (CheckDefaultLanguage(e.DefaultLanguage) is { } languageError)
        {
            return languageError with { Message = $"event.defaultLanguage: {languageError.Message}" };
        }

        if (scenario.Rooms is not { Count: > 0 and <= MaxRooms } rooms)
        {
            return HubError.Invalid("room", $"Give 1 to {MaxRooms} rooms.");
        }
        var roomKeys = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < rooms.Count; i++)
        {
            if (rooms[i] is not { } room)
            {
                return HubError.Invalid("room", $"rooms[{i}] is empty.");
            }
            if (CheckRoom(room.Key, room.Name, room.Capacity) is { } roomError)
            {
                return roomError with { Message = $"rooms[{i}]: {roomError.Message}" };
            }
            if (!roomKeys.Add(room.Key))
            {
                return HubError.Invalid("room", $"rooms[{i}]: the key '{room.Key}' is used twice.");
            }
        }

        var sessions = scenario.Sessions ?? [];
        if (sessions.Count > MaxSessions)
        {
            return HubError.Invalid("session", $"At most {MaxSessions} sessions.");
        }
        var sessionKeys = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < sessions.Count; i++)
        {
            if (sessions[i] is not { } s)
            {
                return HubError.Invalid("session", $"sessions[{i}] is empty.");
            }
            if (CheckSession(s.Key, s.Day, s.Start, s.End, s.Kind, s.Title, s.Speakers, s.Moderation, null) is { } sessionError)
            {
                return sessionError with { Message = $"sessions[{i}]: {sessionError.Message}" };
            }
            if (!roomKeys.Contains(s.Room ?? ""))
            {
                return HubError.Invalid("room", $"sessions[{i}]: there is no room '{s.Room}'.");
            }
            if (!sessionKeys.Add(s.Key))
            {
                return HubError.Invalid("session", $"sessions[{i}]: the key '{s.Key}' is used twice.");
            }
        }

        var polls = scenario.SamplePolls ?? [];
        if (polls.Count > MaxPolls)
        {
            return HubError.Invalid("poll", $"At most {MaxPolls} prepared polls.");
        }
        for (var i = 0; i < polls.Count; i++)
        {
            if (polls[i] is not { } p)
            {
                return HubError.Invalid("poll", $"samplePolls[{i}] is empty.");
            }
            if (!sessionKeys.Contains(p.Session ?? ""))
            {
                return HubError.Invalid("poll", $"samplePolls[{i}]: there is no session '{p.Session}'.");
            }
            if (PollRules.CheckDefinition(ToDraft(p), out _) is { } pollError)
            {
                return pollError with { Message = $"samplePolls[{i}]: {pollError.Message}" };
            }
        }
        foreach (var q in scenario.SampleQuestions ?? [])
        {
            if (q is null || !sessionKeys.Contains(q.Session ?? "") || string.IsNullOrWhiteSpace(q.Text))
            {
                return HubError.Invalid("question", "Every sample question needs a known session and a text.");
            }
        }
        return null;
    }

    public static HubError? CheckEvent(string? name, string? timeZone)
    {
        if (string.IsNullOrWhiteSpace(name) || TextLength.Exceeds(name.Trim(), MaxNameLength))
        {
            return HubError.Invalid("name", $"The event name is 1 to {MaxNameLength} characters.");
        }
        if (InputText.Check(name, multiline: false) is { } nameError)
        {
            return nameError;
        }
        if (FindZone(timeZone) is null)
        {
            return HubError.Invalid("time_zone", $"'{timeZone}' is not a known time zone (use an IANA name such as Asia/Makassar).");
        }
        return null;
    }

    public static HubError? CheckRoom(string? key, string? name, int? capacity)
    {
        if (key is null || key.Length > MaxKeyLength || !KeyPattern().IsMatch(key))
        {
            return HubError.Invalid("key", $"A key is 1 to {MaxKeyLength} letters, digits, '-' or '_', starting with a letter or digit.");
        }
        if (string.IsNullOrWhiteSpace(name) || TextLength.Exceeds(name.Trim(), MaxRoomNameLength))
        {
            return HubError.Invalid("room", $"A room name is 1 to {MaxRoomNameLength} characters.");
        }
        if (InputText.Check(name, multiline: false) is { } nameError)
        {
            return nameError;
        }
        if (capacity is < 1 or > 1_000_000)
        {
            return HubError.Invalid("capacity", "A capacity is a positive number of seats.");
        }
        return null;
    }

    /// <summary>A session's fields as the scenario and the admin write them. <paramref name="status"/> is null to follow the schedule.</summary>
    public static HubError? CheckSession(string? key, int? day, string? start, string? end, string? kind, string? title,
        IReadOnlyList<string>? speakers, string? moderation, string? status)
    {
        if (key is null || key.Length > MaxKeyLength || !KeyPattern().IsMatch(key))
        {
            return HubError.Invalid("key", $"A key is 1 to {MaxKeyLength} letters, digits, '-' or '_', starting with a letter or digit.");
        }
        if (day is not (>= 1 and <= MaxDays))
        {
            return HubError.Invalid("day", $"The day is 1 (the event's first day) to {MaxDays}.");
        }
        if (!TryTime(start, out var from) || !TryTime(end, out var to) || to <= from)
        {
            return HubError.Invalid("time", "Start and end are times written HH:mm, the end after the start on the same day.");
        }
        if (string.IsNullOrWhiteSpace(kind) || TextLength.Exceeds(kind.Trim(), MaxKindLength))
        {
            return HubError.Invalid("kind", $"The kind (e.g. keynote, panel) is 1 to {MaxKindLength} characters.");
        }
        if (string.IsNullOrWhiteSpace(title) || TextLength.Exceeds(title.Trim(), MaxTitleLength))
        {
            return HubError.Invalid("title", $"A title is 1 to {MaxTitleLength} characters.");
        }
        if (speakers is not null && (speakers.Count > MaxSpeakers || speakers.Any(n => n is null || TextLength.Exceeds(n.Trim(), MaxSpeakerLength) || n.Contains('\n'))))
        {
            return HubError.Invalid("speakers", $"At most {MaxSpeakers} speakers of up to {MaxSpeakerLength} characters each, one line each.");
        }
        if (InputText.CheckLines([kind, title, .. speakers ?? []]) is { } textError)
        {
            return textError;
        }
        if (moderation is not null && !ModerationModes.IsKnown(moderation))
        {
            return HubError.Invalid("moderation", "The moderation mode is 'pre' or 'open'.");
        }
        if (status is not null && !SessionStatus.IsKnown(status))
        {
            return HubError.Invalid("status", "The status override is 'upcoming', 'live', 'ended' or empty (follow the schedule).");
        }
        return null;
    }

    /// <summary>The language the event's pages speak by default must be one the interface has.</summary>
    public static HubError? CheckDefaultLanguage(string? language) =>
        InterfaceLanguage.IsSupported(language)
            ? null
            : HubError.Invalid("default_language", $"The interface language is one of {string.Join(", ", InterfaceLanguage.Supported.Select(l => $"'{l}'"))}.");

    public static HubError? CheckPasscode(string? passcode) =>
        passcode?.Trim() is { Length: >= MinPasscodeLength and <= MaxPasscodeLength }
            ? null
            : HubError.Invalid("passcode", $"A moderator passcode is {MinPasscodeLength} to {MaxPasscodeLength} characters.");

    public static PollDraftRequest ToDraft(ScenarioPoll p) =>
        new(0, p.Kind, p.Question, p.Options, p.MaxPicks, p.Scale, p.Correct, p.TimeLimitSeconds, p.Visibility);

    public static TimeZoneInfo? FindZone(string? id)
    {
        if (string.IsNullOrWhiteSpace(id))
        {
            return null;
        }
        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById(id);
        }
        catch (Exception ex) when (ex is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            return null;
        }
    }

    public static bool TryDate(string? text, out DateOnly date) =>
        DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out date);

    public static bool TryTime(string? text, out TimeOnly time) =>
        TimeOnly.TryParseExact(text, "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out time);

    /// <summary>A local agenda time as an instant: day 1 is <paramref name="firstDay"/>, the time is in <paramref name="zone"/>.</summary>
    public static long ToInstant(DateOnly firstDay, int day, string time, TimeZoneInfo zone)
    {
        var local = firstDay.AddDays(day - 1).ToDateTime(TimeOnly.ParseExact(time, "HH:mm", CultureInfo.InvariantCulture), DateTimeKind.Unspecified);
        return new DateTimeOffset(local, zone.GetUtcOffset(local)).ToUnixTimeMilliseconds();
    }

    /// <summary>An instant as the agenda writes it: the day counted from <paramref name="firstDay"/> and the local "HH:mm".</summary>
    public static (int Day, string Time) ToAgenda(long instant, DateOnly firstDay, TimeZoneInfo zone)
    {
        var local = TimeZoneInfo.ConvertTime(DateTimeOffset.FromUnixTimeMilliseconds(instant), zone);
        var day = DateOnly.FromDateTime(local.DateTime).DayNumber - firstDay.DayNumber + 1;
        return (day, local.ToString("HH:mm", CultureInfo.InvariantCulture));
    }

    /// <summary>The same wall-clock time in another zone: a time zone fixed after import keeps the agenda's local times.</summary>
    public static long SameLocalTime(long instant, TimeZoneInfo from, TimeZoneInfo to)
    {
        var local = TimeZoneInfo.ConvertTime(DateTimeOffset.FromUnixTimeMilliseconds(instant), from).DateTime;
        return new DateTimeOffset(local, to.GetUtcOffset(local)).ToUnixTimeMilliseconds();
    }
}
