using LiveHub.Data.Events;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace LiveHub.Realtime;

/// <summary>How many people are in a session and in its room now.</summary>
public sealed record PresenceDelta(long EventId, long SessionId, long RoomId, long Session, long Room);

/// <summary>
/// Every two seconds, for each session whose head count changed: the session's and its room's count to the event's moderators,
/// and to the session's projector when its moderator chose to show it.
/// </summary>
public sealed class PresenceBroadcaster(
    Presence presence,
    EventStore events,
    IHubContext<EventHub, ILiveClient> hub,
    ILogger<PresenceBroadcaster> logger) : TickingService(logger)
{
    public static readonly TimeSpan Tick = TimeSpan.FromSeconds(2);

    private readonly Dictionary<long, long> _lastSent = new();

    protected override TimeSpan Interval => Tick;

    protected override Task TickAsync(CancellationToken ct) => FlushAsync(ct);

    private async Task FlushAsync(CancellationToken ct)
    {
        var changed = presence.Sessions().Where(s => _lastSent.GetValueOrDefault(s.Key, -1) != s.Value).ToList();
        foreach (var (sessionId, count) in changed)
        {
            _lastSent[sessionId] = count;
            var session = await events.FindSessionAsync(sessionId, ct);
            if (session is null)
            {
                continue;
            }
            var room = (await events.ListSessionsAsync(session.EventId, ct))
                .Where(s => s.RoomId == session.RoomId).Sum(s => presence.Count(s.Id));
            var delta = new PresenceDelta(session.EventId, sessionId, session.RoomId, count, room);
            await hub.Clients.Group(GroupNames.EventModerators(session.EventId)).PresenceChanged(delta);
            if (session.ProjectorPresence != 0)
            {
                await hub.Clients.Group(GroupNames.Projector(sessionId)).PresenceChanged(delta);
            }
        }
    }
}
