using LiveHub.Data.Events;
using LiveHub.Polls;
using LiveHub.Questions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace LiveHub.Events;

/// <summary>Reads events and sessions for screens, and decides a session's live status.</summary>
public sealed class EventService(EventStore store, TimeProvider clock, IOptions<QuestionOptions> questionOptions)
{
    private readonly ClientLimits _limits = ClientLimits.From(questionOptions.Value);

    public Task<EventRow?> FindByCodeAsync(string? code, CancellationToken ct) =>
        JoinCode.Normalize(code) is { } normalized ? store.FindByCodeAsync(normalized, ct) : Task.FromResult<EventRow?>(null);

    public Task<SessionRow?> FindSessionAsync(long sessionId, CancellationToken ct) => store.FindSessionAsync(sessionId, ct);

    public Task<EventRow?> FindEventAsync(long eventId, CancellationToken ct) => store.FindAsync(eventId, ct);

    public Task<SessionVersions?> SetModerationAsync(long sessionId, string mode, CancellationToken ct) =>
        store.SetModerationAsync(sessionId, mode, ct);

    public async Task<EventSnapshot?> SnapshotAsync(string? code, bool isModerator, CancellationToken ct)
    {
        var e = await FindByCodeAsync(code, ct);
        return e is null ? null : await SnapshotAsync(e, isModerator, ct);
    }

    public async Task<EventSnapshot> SnapshotAsync(EventRow e, bool isModerator, CancellationToken ct)
    {
        var rooms = await store.ListRoomsAsync(e.Id, ct);
        var sessions = await store.ListSessionsAsync(e.Id, ct);
        return SnapshotOf(e, rooms, sessions, isModerator);
    }

    /// <summary>The event's snapshot from its rooms and sessions as read; each session's status as of now.</summary>
    public EventSnapshot SnapshotOf(EventRow e, IReadOnlyList<RoomRow> rooms, IReadOnlyList<SessionRow> sessions, bool isModerator) =>
        new EventSnapshot(
            e.Id, e.Code, e.Name, e.Theme, e.City, e.TimeZone, e.DefaultLanguage,
            e.Languages.Split(',', StringSplitOptions.RemoveEmptyEntries),
            rooms.Select(r => new RoomView(r.Id, r.RoomKey, r.Name, r.Capacity, r.Code)).ToList(),
            sessions.Select(View).ToList(),
            isModerator,
            clock.GetUtcNow().ToUnixTimeMilliseconds(),
            _limits)
        {
            FollowBrowserLanguage = e.FollowBrowserLanguage,
        };

    public SessionView View(SessionRow s) => new(
        s.Id, s.EventId, s.RoomId, s.SessionKey, s.Title, s.Kind,
        s.Speakers.Split('\n', StringSplitOptions.RemoveEmptyEntries),
        s.StartsAt, s.EndsAt, StatusOf(s), s.Moderation, SessionStatus.IsKnown(s.StatusOverride));

    /// <summary>A moderator's override wins; otherwise the schedule decides.</summary>
    public string StatusOf(SessionRow s)
    {
        if (SessionStatus.IsKnown(s.StatusOverride))
        {
            return s.StatusOverride!;
        }
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        return now < s.StartsAt ? SessionStatus.Upcoming : now < s.EndsAt ? SessionStatus.Live : SessionStatus.Ended;
    }
}

public static class EventsSetup
{
    /// <summary>Events, their rooms and sessions, agendas, languages, and scenario imports.</summary>
    public static IServiceCollection AddEvents(this IServiceCollection services) => services
        .AddSingleton<EventStore>().AddSingleton<EventService>().AddSingleton<EventLanguages>()
        .AddSingleton<AgendaService>().AddSingleton<ScenarioImporter>();
}
