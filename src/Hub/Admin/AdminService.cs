using System.Data.Common;
using System.Security.Cryptography;
using LiveHub.Data.Admin;
using LiveHub.Data;
using LiveHub.Data.Events;
using LiveHub.Data.Moderation;
using LiveHub.Data.Polls;
using LiveHub.Events;
using LiveHub.Identity;
using LiveHub.Limits;
using LiveHub.Questions;
using LiveHub.Realtime;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Logging;

namespace LiveHub.Admin;

/// <summary>
/// The organizer's work on an event's definition: import and export as a scenario, edit the event, its rooms and sessions,
/// rotate the moderator passcode. Callers are admins; the endpoint checks that, this class checks the input.
/// </summary>
public sealed partial class AdminService(
    EventStore events,
    AdminStore store,
    PollStore polls,
    ScenarioImporter importer,
    EventService eventService,
    PasscodeRotations rotations,
    EventLanguages languages,
    SessionLocks locks,
    ModerationLogStore log,
    IHubContext<EventHub, ILiveClient> hub,
    EventDeletions deletions,
    ILogger<AdminService> logger,
    TimeProvider clock)
{
    /// <summary>The actor the audit log names for the organizer's changes.</summary>
    public const string Actor = "Organizer";

    public async Task<IReadOnlyList<AdminEventSummary>> ListAsync(CancellationToken ct)
    {
        var list = new List<AdminEventSummary>();
        foreach (var e in await events.ListAsync(ct))
        {
            var rooms = await events.ListRoomsAsync(e.Id, ct);
            var sessions = await events.ListSessionsAsync(e.Id, ct);
            list.Add(new AdminEventSummary(e.Id, e.Code, e.Name, e.StartDate, e.EndDate, e.TimeZone, rooms.Count, sessions.Count));
        }
        return list;
    }

    /// <summary>Creates an event from a scenario: all or nothing, under a join code nobody uses yet.</summary>
    public async Task<HubResult<AdminEventDetail>> ImportAsync(Scenario? scenario, string? code, string? passcode, CancellationToken ct)
    {
        var normalized = JoinCode.Normalize(code);
        if (normalized is null)
        {
            return HubError.Invalid("code", $"An event code is {JoinCode.Length} characters from {JoinCode.Alphabet}.");
        }
        if (ScenarioRules.CheckPasscode(passcode) is { } passcodeError)
        {
            return passcodeError;
        }
        if (ScenarioRules.CheckScenario(scenario) is { } scenarioError)
        {
            return scenarioError;
        }
        if (await CodeTakenAsync(normalized, ct))
        {
            return CodeTaken(normalized);
        }
        try
        {
            await importer.ImportAsync(scenario!, new ImportSettings(normalized, passcode!.Trim(), new HashSet<string>(), SeedSampleQuestions: false), ct);
        }
        catch (DbException)
        {
            // Two imports raced for the same code; the unique index let one through.
            if (await CodeTakenAsync(normalized, ct))
            {
                return CodeTaken(normalized);
            }
            throw;
        }
        // A page asked for this code just before the import cached "no such event".
        languages.Forget(normalized);
        var created = (await DetailAsync(normalized, ct))!;
        await RecordAsync(created.Id, null, "event-imported", $"{created.Rooms.Count} rooms, {created.Sessions.Count} sessions", ct);
        return HubResult<AdminEventDetail>.Success(created);
    }

    public async Task<AdminEventDetail?> DetailAsync(string? code, CancellationToken ct)
    {
        var e = await eventService.FindByCodeAsync(code, ct);
        return e is null ? null : await DetailAsync(e, ct);
    }

    public async Task<Scenario?> ExportAsync(string? code, CancellationToken ct)
    {
        var e = await eventService.FindByCodeAsync(code, ct);
        if (e is null)
        {
            return null;
        }
        var sessions = await events.ListSessionsAsync(e.Id, ct);
        var allPolls = new List<PollRow>();
        foreach (var s in sessions)
        {
            allPolls.AddRange(await polls.ListAsync(s.Id, ct));
        }
        return ScenarioExport.Build(e, await events.ListRoomsAsync(e.Id, ct), sessions, allPolls);
    }

    public async Task<HubResult<AdminEventDetail>> UpdateEventAsync(string? code, EventEditRequest? request, CancellationToken ct)
    {
        var e = await eventService.FindByCodeAsync(code, ct);
        if (e is null)
        {
            return ErrorCodes.NotFoundError("event");
        }
        if (request is null)
        {
            return HubError.Invalid("request", "A request body is required.");
        }
        var timeZone = request.TimeZone?.Trim() is { Length: > 0 } tz ? tz : e.TimeZone;
        if (ScenarioRules.CheckEvent(request.Name, timeZone) is { } error)
        {
            return error;
        }
        if (Longest(request.Theme, request.Host, request.City) > ScenarioRules.MaxNameLength)
        {
            return HubError.Invalid("name", $"Theme, host and city are up to {ScenarioRules.MaxNameLength} characters.");
        }
        if (InputText.CheckLines([request.Theme, request.Host, request.City]) is { } textError)
        {
            return textError;
        }
        var language = request.DefaultLanguage ?? e.DefaultLanguage;
        if (ScenarioRules.CheckDefaultLanguage(language) is { } languageError)
        {
            return languageError;
        }
        var followBrowser = request.FollowBrowserLanguage ?? e.FollowBrowserLanguage;
        var retimed = new List<SessionTimes>();
        if (timeZone != e.TimeZone)
        {
            var from = ScenarioRules.FindZone(e.TimeZone) ?? TimeZoneInfo.Utc;
            var to = ScenarioRules.FindZone(timeZone)!;
            foreach (var s in await events.ListSessionsAsync(e.Id, ct))
            {
                retimed.Add(new SessionTimes(s.Id, ScenarioRules.SameLocalTime(s.StartsAt, from, to), ScenarioRules.SameLocalTime(s.EndsAt, from, to)));
            }
        }
        var edit = new EventEdit(request.Name!.Trim(), Blank(request.Theme), Blank(request.Host), Blank(request.City), timeZone, language, followBrowser);
        if (!await store.UpdateEventAsync(e.Id, edit, retimed, ct))
        {
            return ErrorCodes.NotFoundError("event");
        }
        languages.Forget(e.Code);
        var changes = new List<string>();
        if (timeZone != e.TimeZone)
        {
            changes.Add($"time zone {e.TimeZone} -> {timeZone}");
        }
        if (language != e.DefaultLanguage)
        {
            changes.Add($"language {e.DefaultLanguage} -> {language}");
        }
        if (followBrowser != e.FollowBrowserLanguage)
        {
            changes.Add(followBrowser ? "follows the browser language" : "no longer follows the browser language");
        }
        await RecordAsync(e.Id, null, "event-edited", changes.Count == 0 ? null : string.Join("; ", changes), ct);
        return HubResult<AdminEventDetail>.Success((await DetailAsync(e.Code, ct))!);
    }

    public async Task<HubResult<AdminRoomView>> AddRoomAsync(string? code, RoomRequest? request, CancellationToken ct)
    {
        var e = await eventService.FindByCodeAsync(code, ct);
        if (e is null)
        {
            return ErrorCodes.NotFoundError("event");
        }
        if (ScenarioRules.CheckRoom(request?.Key, request?.Name, request?.Capacity) is { } error)
        {
            return error;
        }
        var room = await store.AddRoomAsync(e.Id, new RoomWrite(request!.Key!, request.Name!.Trim(), request.Capacity), await NewRoomCodeAsync(ct), ct);
        if (room is null)
        {
            return new HubError("key_taken", "error.key_taken", $"The event already has a room '{request.Key}'.");
        }
        await RecordAsync(e.Id, null, "room-added", room.RoomKey, ct);
        return HubResult<AdminRoomView>.Success(View(room));
    }

    public async Task<HubResult<AdminRoomView>> UpdateRoomAsync(string? code, string roomKey, RoomRequest? request, CancellationToken ct)
    {
        var e = await eventService.FindByCodeAsync(code, ct);
        if (e is null)
        {
            return ErrorCodes.NotFoundError("event");
        }
        if (ScenarioRules.CheckRoom(roomKey, request?.Name, request?.Capacity) is { } error)
        {
            return error;
        }
        var room = await store.UpdateRoomAsync(e.Id, roomKey, request!.Name!.Trim(), request.Capacity, ct);
        if (room is null)
        {
            return ErrorCodes.NotFoundError("room");
        }
        await RecordAsync(e.Id, null, "room-edited", room.RoomKey, ct);
        return HubResult<AdminRoomView>.Success(View(room));
    }

    public async Task<HubResult<bool>> DeleteRoomAsync(string? code, string roomKey, CancellationToken ct)
    {
        var e = await eventService.FindByCodeAsync(code, ct);
        if (e is null)
        {
            return ErrorCodes.NotFoundError("event");
        }
        return await store.DeleteRoomAsync(e.Id, roomKey, ct) switch
        {
            DeleteOutcome.Deleted => await RecordedAsync(e.Id, null, "room-deleted", roomKey, ct),
            DeleteOutcome.InUse => new HubError(ErrorCodes.InvalidState, "error.room_in_use", "Move or delete the room's sessions and announcements first."),
            _ => ErrorCodes.NotFoundError("room"),
        };
    }

    public async Task<HubResult<AdminSessionView>> AddSessionAsync(string? code, SessionRequest? request, CancellationToken ct)
    {
        var e = await eventService.FindByCodeAsync(code, ct);
        if (e is null)
        {
            return ErrorCodes.NotFoundError("event");
        }
        var (write, error) = await ToWriteAsync(e, request?.Key, request, ct);
        if (write is null)
        {
            return error!;
        }
        var row = await store.AddSessionAsync(e.Id, write, ct);
        if (row is null)
        {
            return new HubError("key_taken", "error.key_taken", $"The event already has a session '{write.Key}'.");
        }
        await RecordAsync(e.Id, row.Id, "session-added", row.SessionKey, ct);
        return HubResult<AdminSessionView>.Success(await SessionViewAsync(e, row, ct));
    }

    public async Task<HubResult<AdminSessionView>> UpdateSessionAsync(string? code, string sessionKey, SessionRequest? request, CancellationToken ct)
    {
        var e = await eventService.FindByCodeAsync(code, ct);
        if (e is null)
        {
            return ErrorCodes.NotFoundError("event");
        }
        var existing = (await events.ListSessionsAsync(e.Id, ct)).FirstOrDefault(s => s.SessionKey == sessionKey);
        if (existing is null)
        {
            return ErrorCodes.NotFoundError("session");
        }
        var (write, error) = await ToWriteAsync(e, sessionKey, request, ct);
        if (write is null)
        {
            return error!;
        }
        using (await locks.AcquireAsync(existing.Id, ct))
        {
            var changed = await store.UpdateSessionAsync(existing.Id, write, ct);
            if (changed is not { } c)
            {
                return ErrorCodes.NotFoundError("session");
            }
            if (c.Before.Moderation != c.After.Moderation)
            {
                // Phones show whether questions are reviewed: tell them now rather than at their next resync.
                await hub.Clients.Group(GroupNames.Moderators(c.After.Id)).ModerationModeChanged(new SessionModeDelta(c.After.Id, c.Versions.ModVersion, c.After.Moderation));
                await hub.Clients.Groups(GroupNames.Audience(c.After.Id), GroupNames.Projector(c.After.Id))
                    .ModerationModeChanged(new SessionModeDelta(c.After.Id, c.Versions.Version, c.After.Moderation));
            }
            // The agenda's one push: everyone in the event gets the session as it is now (title, times, room, status).
            await hub.Clients.Group(GroupNames.Event(e.Id)).SessionStatusChanged(eventService.View(c.After));
            await RecordAsync(e.Id, c.After.Id, "session-edited", Changes(c.Before, c.After), ct);
            return HubResult<AdminSessionView>.Success(await SessionViewAsync(e, c.After, ct));
        }
    }

    public async Task<HubResult<bool>> DeleteSessionAsync(string? code, string sessionKey, CancellationToken ct)
    {
        var e = await eventService.FindByCodeAsync(code, ct);
        var session = e is null ? null : (await events.ListSessionsAsync(e.Id, ct)).FirstOrDefault(s => s.SessionKey == sessionKey);
        if (session is null)
        {
            return ErrorCodes.NotFoundError(e is null ? "event" : "session");
        }
        return await store.DeleteSessionAsync(session.Id, ct) switch
        {
            DeleteOutcome.Deleted => await RecordedAsync(e!.Id, session.Id, "session-deleted", session.SessionKey, ct),
            DeleteOutcome.InUse => new HubError(ErrorCodes.InvalidState, "error.session_in_use",
                "The session has questions or votes; keep it (they belong in the export) or set it to ended."),
            _ => ErrorCodes.NotFoundError("session"),
        };
    }

    /// <summary>A new passcode (given, or made here) with a new stamp: moderators signed in under the old one lose their rights at once.</summary>
    public async Task<HubResult<PasscodeRotated>> RotatePasscodeAsync(string? code, PasscodeRequest? request, CancellationToken ct)
    {
        var e = await eventService.FindByCodeAsync(code, ct);
        if (e is null)
        {
            return ErrorCodes.NotFoundError("event");
        }
        var passcode = string.IsNullOrWhiteSpace(request?.Passcode) ? RandomNumberGenerator.GetString(JoinCode.Alphabet, 10) : request.Passcode.Trim();
        if (ScenarioRules.CheckPasscode(passcode) is { } error)
        {
            return error;
        }
        if (!await store.RotatePasscodeAsync(e.Id, PasscodeHasher.Hash(passcode), Guid.NewGuid().ToString("N"), ct))
        {
            return ErrorCodes.NotFoundError("event");
        }
        // In force on every node before the organizer hears of it: old sign-ins refused, their connections out of the moderator groups.
        await rotations.RotatedAsync(e.Id, ct);
        await RecordAsync(e.Id, null, "passcode-rotated", null, ct);
        return HubResult<PasscodeRotated>.Success(new PasscodeRotated(passcode));
    }

    /// <summary>What a screen of a deleted event is told, and what its later calls answer.</summary>
    public static readonly HubError EventDeletedError =
        new(ErrorCodes.NotFound, "error.not_found.event_deleted", "The organizer deleted this event and everything in it.");

    /// <summary>
    /// Deletes an event and everything people left in it, once the organizer has typed its code again. Then every node
    /// forgets it, its open screens are told (<see cref="ILiveClient.EventDeleted"/>) and the application log records it,
    /// in counts only.
    /// </summary>
    public async Task<HubResult<EventDeletedView>> DeleteEventAsync(string? code, DeleteEventRequest? request, CancellationToken ct)
    {
        var e = await eventService.FindByCodeAsync(code, ct);
        if (e is null)
        {
            return ErrorCodes.NotFoundError("event");
        }
        if (JoinCode.Normalize(request?.Confirm) != e.Code)
        {
            return HubError.Invalid("confirm", $"Send the event's code as \"confirm\" ({{\"confirm\":\"{e.Code}\"}}) to delete it.");
        }
        var deleted = await store.DeleteEventAsync(e.Id, ct);
        if (deleted is null)
        {
            return ErrorCodes.NotFoundError("event");
        }
        await deletions.DeletedAsync(new DeletedEvent(e.Id, e.Code, deleted.SessionIds, deleted.PollIds), ct);
        // Every screen that joined the event, on every node (the hub context goes through the backplane).
        await hub.Clients.Group(GroupNames.Event(e.Id)).EventDeleted(new EventDeletedNotice(e.Id, e.Code, EventDeletedError));
        LogEventDeleted(logger, e.Id, e.Code, deleted.SessionIds.Count, deleted.PollIds.Count, deleted.Questions, deleted.Upvotes,
            deleted.Votes, deleted.Announcements, deleted.Participants);
        return HubResult<EventDeletedView>.Success(new EventDeletedView(e.Code, deleted.SessionIds.Count, deleted.PollIds.Count,
            deleted.Questions, deleted.Upvotes, deleted.Votes, deleted.Announcements, deleted.Participants));
    }

    [LoggerMessage(EventId = 3010, Level = LogLevel.Information, Message =
        "The organizer deleted event {EventId} ({Code}): {Sessions} sessions, {Polls} polls, {Questions} questions, {Upvotes} upvotes, " +
        "{Votes} votes, {Announcements} announcements and {Participants} participants left without any other activity removed")]
    private static partial void LogEventDeleted(ILogger logger, long eventId, string code, int sessions, int polls, int questions, int upvotes,
        int votes, int announcements, int participants);

    private async Task<AdminEventDetail> DetailAsync(EventRow e, CancellationToken ct)
    {
        var rooms = await events.ListRoomsAsync(e.Id, ct);
        var sessions = await events.ListSessionsAsync(e.Id, ct);
        var views = new List<AdminSessionView>();
        foreach (var s in sessions)
        {
            views.Add(SessionView(e, rooms, sessions, s, (await polls.ListAsync(s.Id, ct)).Count));
        }
        return new AdminEventDetail(e.Id, e.Code, e.Name, e.Theme, e.Host, e.City, e.TimeZone, e.StartDate, e.EndDate, e.DefaultLanguage,
            e.Languages.Split(',', StringSplitOptions.RemoveEmptyEntries), e.FollowBrowserLanguage, rooms.Select(View).ToList(), views);
    }

    private async Task<AdminSessionView> SessionViewAsync(EventRow e, SessionRow s, CancellationToken ct) =>
        SessionView(e, await events.ListRoomsAsync(e.Id, ct), await events.ListSessionsAsync(e.Id, ct), s, (await polls.ListAsync(s.Id, ct)).Count);

    private AdminSessionView SessionView(EventRow e, IReadOnlyList<RoomRow> rooms, IReadOnlyList<SessionRow> sessions, SessionRow s, int pollCount)
    {
        var zone = ScenarioRules.FindZone(e.TimeZone) ?? TimeZoneInfo.Utc;
        var firstDay = ScenarioExport.FirstDay(e, sessions, zone);
        var (day, start) = ScenarioRules.ToAgenda(s.StartsAt, firstDay, zone);
        var (_, end) = ScenarioRules.ToAgenda(s.EndsAt, firstDay, zone);
        return new AdminSessionView(s.Id, s.SessionKey, rooms.FirstOrDefault(r => r.Id == s.RoomId)?.RoomKey ?? "", day, start, end,
            s.StartsAt, s.EndsAt, s.Kind, s.Title, s.Speakers.Split('\n', StringSplitOptions.RemoveEmptyEntries),
            SessionStatus.IsKnown(s.StatusOverride) ? s.StatusOverride : null, eventService.StatusOf(s), s.Moderation, pollCount);
    }

    private async Task<(SessionWrite? Write, HubError? Error)> ToWriteAsync(EventRow e, string? key, SessionRequest? r, CancellationToken ct)
    {
        if (r is null)
        {
            return (null, HubError.Invalid("request", "A request body is required."));
        }
        var status = string.IsNullOrWhiteSpace(r.Status) ? null : r.Status;
        var speakers = (r.Speakers ?? []).Where(n => !string.IsNullOrWhiteSpace(n)).Select(n => n.Trim()).ToList();
        if (ScenarioRules.CheckSession(key, r.Day, r.Start, r.End, r.Kind, r.Title, speakers, r.Moderation, status) is { } error)
        {
            return (null, error);
        }
        var rooms = await events.ListRoomsAsync(e.Id, ct);
        var room = rooms.FirstOrDefault(x => x.RoomKey == r.Room);
        if (room is null)
        {
            return (null, HubError.Invalid("room", $"The event has no room '{r.Room}'."));
        }
        var zone = ScenarioRules.FindZone(e.TimeZone) ?? TimeZoneInfo.Utc;
        var firstDay = ScenarioExport.FirstDay(e, await events.ListSessionsAsync(e.Id, ct), zone);
        return (new SessionWrite(room.Id, key!, r.Title!.Trim(), r.Kind!.Trim(), string.Join('\n', speakers),
            ScenarioRules.ToInstant(firstDay, r.Day!.Value, r.Start!, zone), ScenarioRules.ToInstant(firstDay, r.Day.Value, r.End!, zone),
            status, r.Moderation ?? ModerationModes.Pre), null);
    }

    private Task RecordAsync(long eventId, long? sessionId, string action, string? detail, CancellationToken ct) =>
        log.AppendAsync(new AuditEntry { EventId = eventId, SessionId = sessionId, Actor = Actor, Action = action, Detail = detail, At = clock.GetUtcNow().ToUnixTimeMilliseconds() }, ct);

    private async Task<HubResult<bool>> RecordedAsync(long eventId, long? sessionId, string action, string detail, CancellationToken ct)
    {
        await RecordAsync(eventId, sessionId, action, detail, ct);
        return HubResult<bool>.Success(true);
    }

    /// <summary>Which fields an edit changed, for the audit log.</summary>
    private static string Changes(SessionRow before, SessionRow after)
    {
        var changed = new List<string>();
        void Check(string name, object? a, object? b)
        {
            if (!Equals(a, b))
            {
                changed.Add(name);
            }
        }
        Check("title", before.Title, after.Title);
        Check("kind", before.Kind, after.Kind);
        Check("speakers", before.Speakers, after.Speakers);
        Check("room", before.RoomId, after.RoomId);
        Check("time", (before.StartsAt, before.EndsAt), (after.StartsAt, after.EndsAt));
        Check("status", before.StatusOverride, after.StatusOverride);
        Check("moderation", before.Moderation, after.Moderation);
        return changed.Count == 0 ? "no change" : string.Join(", ", changed);
    }

    private async Task<bool> CodeTakenAsync(string code, CancellationToken ct) =>
        await events.FindByCodeAsync(code, ct) is not null || await events.FindRoomByCodeAsync(code, ct) is not null;

    private static HubError CodeTaken(string code) => new("code_taken", "error.code_taken", $"The code {code} is already used by another event or room.");

    private async Task<string> NewRoomCodeAsync(CancellationToken ct)
    {
        while (true)
        {
            var code = JoinCode.New();
            if (!await CodeTakenAsync(code, ct))
            {
                return code;
            }
        }
    }

    private static AdminRoomView View(RoomRow r) => new(r.Id, r.RoomKey, r.Name, r.Capacity, r.Code);

    private static string? Blank(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();

    private static int Longest(params string?[] values) => values.Max(v => TextLength.Of(v?.Trim()));
}
