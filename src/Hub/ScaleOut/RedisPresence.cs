using LiveHub.Realtime;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace LiveHub.ScaleOut;

/// <summary>
/// Head counts shared through Redis. Each node writes its own counts to a hash of its own and a heartbeat; every node sums the
/// hashes of the nodes whose heartbeat is fresh. A node that dies stops counting when its heartbeat ages out, so its departed
/// connections are not counted for ever; a Redis restart is healed by the next sync.
/// </summary>
public sealed partial class RedisPresence(
    IConnectionMultiplexer redis,
    RedisKeys keys,
    IOptions<ScaleOutOptions> options,
    TimeProvider clock) : Presence
{
    private volatile IReadOnlyDictionary<long, long> _totals = new Dictionary<long, long>();

    public override long Count(long sessionId) =>
        // Until the first sync, this node's own counts are the best answer there is.
        _totals.TryGetValue(sessionId, out var n) ? Math.Max(n, LocalCount(sessionId)) : LocalCount(sessionId);

    public override IEnumerable<KeyValuePair<long, long>> Sessions() =>
        _totals.Keys.Union(Local().Keys).Select(id => new KeyValuePair<long, long>(id, Count(id)));

    /// <summary>Publishes this node's counts and heartbeat, then sums every live node's counts.</summary>
    public async Task SyncAsync()
    {
        var o = options.Value;
        var db = redis.GetDatabase();
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        var mine = keys.Presence(o.NodeId);
        var local = Local();
        // The hash is replaced, not merged, in one transaction: a node restarted under the same id must not go on counting the
        // sessions of its previous life, and no reader may see the hash half written.
        var tx = db.CreateTransaction();
        var writes = new List<Task> { tx.KeyDeleteAsync(mine) };
        if (local.Count > 0)
        {
            writes.Add(tx.HashSetAsync(mine, local.Select(c => new HashEntry(c.Key, c.Value)).ToArray()));
        }
        writes.Add(tx.KeyExpireAsync(mine, TimeSpan.FromMilliseconds(o.NodeTimeoutMilliseconds * 3)));
        writes.Add(tx.SortedSetAddAsync(keys.Nodes, o.NodeId, now));
        writes.Add(tx.SortedSetRemoveRangeByScoreAsync(keys.Nodes, double.NegativeInfinity, now - o.NodeTimeoutMilliseconds * 3));
        await tx.ExecuteAsync();
        await Task.WhenAll(writes);

        var alive = await db.SortedSetRangeByScoreAsync(keys.Nodes, now - o.NodeTimeoutMilliseconds, double.PositiveInfinity);
        var totals = new Dictionary<long, long>();
        foreach (var node in alive)
        {
            foreach (var entry in await db.HashGetAllAsync(keys.Presence(node!)))
            {
                var sessionId = (long)entry.Name;
                totals[sessionId] = totals.GetValueOrDefault(sessionId) + (long)entry.Value;
            }
        }
        _totals = totals;
    }

    [LoggerMessage(EventId = 4001, Level = LogLevel.Warning, Message = "Presence sync with Redis failed; counts may be stale until it recovers")]
    public static partial void LogSyncFailed(ILogger logger, Exception ex);

    /// <summary>Runs the sync on a timer for as long as the node lives.</summary>
    public sealed class Sync(RedisPresence presence, IOptions<ScaleOutOptions> options, ILogger<RedisPresence> logger) : BackgroundService
    {
        protected override async Task ExecuteAsync(CancellationToken stoppingToken)
        {
            using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(options.Value.PresenceSyncMilliseconds));
            try
            {
                do
                {
                    try
                    {
                        await presence.SyncAsync();
                    }
                    // Whatever a connection dropped under a transaction throws (cancelled, or a completed pipe read): the counts
                    // are best effort and the next sync tries again; only shutdown ends the loop.
                    catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
                    {
                        LogSyncFailed(logger, ex);
                    }
                }
                while (await timer.WaitForNextTickAsync(stoppingToken));
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
            }
        }
    }
}
