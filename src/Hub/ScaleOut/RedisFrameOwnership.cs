using System.Collections.Concurrent;
using System.Globalization;
using LiveHub.Polls;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace LiveHub.ScaleOut;

/// <summary>
/// One node at a time sends a poll's frames: the one holding the poll's lease in Redis (<see cref="RedisKeys.PollFrames"/>),
/// taken by the first node with a change to send and renewed while it keeps sending. Another node with a change hands it to
/// the holder on the holder's channel (<see cref="RedisKeys.PollChanges"/>), which marks the poll as if the vote were its own.
/// A holder that dies stops renewing; its lease runs out within <see cref="Lease"/> and the next node with a change takes it.
/// While this node's link to Redis is down it sends its own frames, to its own screens (nothing crosses nodes then anyway).
/// </summary>
public sealed partial class RedisFrameOwnership(
    IConnectionMultiplexer redis,
    RedisKeys keys,
    BackplaneLink link,
    IOptions<ScaleOutOptions> options,
    TimeProvider clock,
    ILogger<RedisFrameOwnership> logger) : IPollFrameOwnership, IHostedService
{
    public static readonly TimeSpan Lease = TimeSpan.FromSeconds(3);

    /// <summary>How long this node trusts what it last learned: well inside the lease, so two nodes never both send.</summary>
    private static readonly TimeSpan Trust = TimeSpan.FromSeconds(1);

    // Takes the lease when it is free or already this node's (renewing it), and answers who holds it.
    private const string ClaimScript = """
        local holder = redis.call('GET', KEYS[1])
        if not holder or holder == ARGV[1] then
            redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
            return ARGV[1]
        end
        return holder
        """;

    private readonly string _nodeId = options.Value.NodeId;
    private readonly ConcurrentDictionary<long, (string Holder, long LearnedAt)> _holders = new();

    public event Action<long>? Handed;

    public async ValueTask<bool> ClaimAsync(long pollId, CancellationToken ct)
    {
        if (!link.IsUp)
        {
            return true;
        }
        var now = clock.GetTimestamp();
        if (!_holders.TryGetValue(pollId, out var known) || clock.GetElapsedTime(known.LearnedAt, now) > Trust)
        {
            try
            {
                var holder = (string?)await redis.GetDatabase().ScriptEvaluateAsync(ClaimScript,
                    [new RedisKey(keys.PollFrames(pollId))], [_nodeId, (long)Lease.TotalMilliseconds]);
                known = (holder ?? _nodeId, now);
                _holders[pollId] = known;
            }
            catch (Exception ex) when (!ct.IsCancellationRequested)
            {
                // Without an answer (timed out, or cut off by a dropped connection) this node sends the frame itself: at worst a
                // screen gets one more frame.
                LogClaimFailed(logger, ex, pollId);
                return true;
            }
        }
        if (known.Holder == _nodeId)
        {
            return true;
        }
        // Fire and forget: a change lost on the way is made up by the holder's next frame or the next announcement.
        _ = redis.GetSubscriber().PublishAsync(RedisChannel.Literal(keys.PollChanges(known.Holder)),
            pollId.ToString(CultureInfo.InvariantCulture), CommandFlags.FireAndForget);
        return false;
    }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        // Subscribed once: the multiplexer subscribes it again after every reconnection.
        var subscribe = redis.GetSubscriber().SubscribeAsync(RedisChannel.Literal(keys.PollChanges(_nodeId)), (channel, message) =>
        {
            if (long.TryParse((string?)message, NumberStyles.None, CultureInfo.InvariantCulture, out var pollId))
            {
                Handed?.Invoke(pollId);
            }
        });
        try
        {
            await subscribe.WaitAsync(TimeSpan.FromSeconds(5), cancellationToken);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            LogClaimFailed(logger, ex, 0);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(EventId = 4040, Level = LogLevel.Warning, Message = "Could not learn which node sends poll {PollId}'s frames; sending them from here")]
    private static partial void LogClaimFailed(ILogger logger, Exception ex, long pollId);
}
