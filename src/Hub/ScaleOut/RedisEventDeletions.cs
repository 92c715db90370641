using System.Text.Json;
using LiveHub.Admin;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace LiveHub.ScaleOut;

/// <summary>
/// A deletion told to every node through Redis: the deleting node forgets the event itself, then publishes it, and each node
/// that receives it does the same. Nothing waits for confirmations: the store no longer has the event, so a node that misses
/// the message (Redis down at that moment) answers <c>not_found</c> once its short caches by code and by event expire; and
/// when its link comes back it forgets every participant it knew to be stored, since a deletion it missed may have removed some.
/// </summary>
public sealed partial class RedisEventDeletions(
    IConnectionMultiplexer redis,
    RedisKeys keys,
    BackplaneLink link,
    IEnumerable<IEventCache> caches,
    ILogger<RedisEventDeletions> logger) : EventDeletions(caches), IHostedService
{
    /// <summary>A deletion this node may have missed: no event, session or poll named, so only what is forgotten wholesale goes.</summary>
    private static readonly DeletedEvent Missed = new(0, "", [], []);

    private RedisChannel Deleted => RedisChannel.Literal(keys.EventDeleted);

    public override async Task DeletedAsync(DeletedEvent deleted, CancellationToken ct)
    {
        Apply(deleted);
        try
        {
            await redis.GetSubscriber().PublishAsync(Deleted, JsonSerializer.Serialize(deleted));
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            LogNotPublished(logger, ex, deleted.EventId);
        }
    }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        link.Recovered += RecoveredAsync;
        try
        {
            await redis.GetSubscriber().SubscribeAsync(Deleted, (_, message) => OnDeleted(message.ToString()));
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            LogSubscribeFailed(logger, ex);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        link.Recovered -= RecoveredAsync;
        return redis.GetSubscriber().UnsubscribeAsync(Deleted);
    }

    private Task RecoveredAsync()
    {
        Apply(Missed);
        return Task.CompletedTask;
    }

    private void OnDeleted(string message)
    {
        try
        {
            if (JsonSerializer.Deserialize<DeletedEvent>(message) is { } deleted)
            {
                Apply(deleted);
            }
        }
        catch (Exception ex)
        {
            LogApplyFailed(logger, ex);
        }
    }

    [LoggerMessage(EventId = 4050, Level = LogLevel.Warning, Message =
        "The deletion of event {EventId} was not told to the other nodes; they follow within seconds")]
    private static partial void LogNotPublished(ILogger logger, Exception ex, long eventId);

    [LoggerMessage(EventId = 4051, Level = LogLevel.Warning, Message = "Could not subscribe to event deletions; this node follows them within seconds")]
    private static partial void LogSubscribeFailed(ILogger logger, Exception ex);

    [LoggerMessage(EventId = 4052, Level = LogLevel.Warning, Message = "Applying an event deletion failed on this node")]
    private static partial void LogApplyFailed(ILogger logger, Exception ex);
}
