using LiveHub.Events;
using LiveHub.Polls;
using LiveHub.Realtime;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace LiveHub.ScaleOut;

/// <summary>
/// Makes up for messages Redis lost. When this node's link comes back, and when another node's does (it asks on
/// <see cref="RedisKeys.Resync"/>), this node tells its own screens of every session they show the session's current version
/// for their view (<see cref="ILiveClient.SessionVersionAnnounced"/>) and sends them each poll's current results frame. A
/// screen that missed a delta is behind the announced version and takes a fresh snapshot; a results frame is whole and
/// versioned, so the newer one simply replaces what it shows. Nothing is written: screens converge to the database as it is.
/// </summary>
public sealed partial class ScreenResync(
    ClusterHubLifetimeManager<EventHub> connections,
    BackplaneLink link,
    IConnectionMultiplexer redis,
    RedisKeys keys,
    EventService events,
    PollService polls,
    IOptions<ScaleOutOptions> options,
    ILogger<ScreenResync> logger) : IHostedService
{
    private readonly string _nodeId = options.Value.NodeId;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        link.Recovered += RecoveredAsync;
        // Subscribed once: the multiplexer subscribes it again after every reconnection.
        var subscribe = redis.GetSubscriber().SubscribeAsync(RedisChannel.Literal(keys.Resync), (channel, origin) =>
        {
            if (origin != _nodeId)
            {
                _ = AnnounceAsync("asked by " + origin);
            }
        });
        try
        {
            await subscribe.WaitAsync(TimeSpan.FromSeconds(5), cancellationToken);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            // Redis is away at start: the subscription is kept and made when it connects.
            LogAnnounceFailed(logger, ex);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        link.Recovered -= RecoveredAsync;
        return Task.CompletedTask;
    }

    private async Task RecoveredAsync()
    {
        await AnnounceAsync("link recovered");
        try
        {
            await redis.GetSubscriber().PublishAsync(RedisChannel.Literal(keys.Resync), _nodeId);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            LogAnnounceFailed(logger, ex);
        }
    }

    /// <summary>Tells this node's screens of each session they show its current version, and sends its current results.</summary>
    public async Task AnnounceAsync(string why)
    {
        try
        {
            var sessions = connections.LocalGroups()
                .Select(GroupNames.SessionOf).OfType<(long SessionId, string View)>()
                .GroupBy(g => g.SessionId, g => g.View)
                .ToList();
            foreach (var session in sessions)
            {
                var row = await events.FindSessionAsync(session.Key, CancellationToken.None);
                if (row is null)
                {
                    continue;
                }
                var id = session.Key;
                if (session.Contains("moderators"))
                {
                    await SendAsync([GroupNames.Moderators(id)], new SessionVersionNotice(id, row.ModVersion), await polls.CurrentResultsAsync(id, true, CancellationToken.None));
                }
                if (session.Contains("audience") || session.Contains("projector"))
                {
                    await SendAsync([GroupNames.Audience(id), GroupNames.Projector(id)], new SessionVersionNotice(id, row.Version),
                        await polls.CurrentResultsAsync(id, false, CancellationToken.None));
                }
            }
            LogAnnounced(logger, sessions.Count, why);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogAnnounceFailed(logger, ex);
        }
    }

    private async Task SendAsync(IReadOnlyList<string> groups, SessionVersionNotice notice, IReadOnlyList<PollResults> frames)
    {
        await connections.SendLocalAsync(groups, nameof(ILiveClient.SessionVersionAnnounced), [notice]);
        foreach (var frame in frames)
        {
            await connections.SendLocalAsync(groups, nameof(ILiveClient.PollResultsChanged), [frame]);
        }
    }

    [LoggerMessage(EventId = 4030, Level = LogLevel.Information, Message = "Versions of {Sessions} sessions announced to this node's screens ({Why})")]
    private static partial void LogAnnounced(ILogger logger, int sessions, string why);

    [LoggerMessage(EventId = 4031, Level = LogLevel.Warning, Message = "Announcing versions to this node's screens failed")]
    private static partial void LogAnnounceFailed(ILogger logger, Exception ex);
}
