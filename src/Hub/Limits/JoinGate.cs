using System.Threading.RateLimiting;
using LiveHub.Realtime;
using Microsoft.Extensions.Options;

namespace LiveHub.Limits;

/// <summary>
/// Bounds the snapshot reads a node runs at once (<c>JoinEvent</c>, <c>JoinSession</c>). When a hall of phones reconnects
/// together, every one of them reads two snapshots at the same moment; unbounded, they would hold every thread and database
/// connection until pings, handshakes and writes time out as well. A few run, a short queue waits, and the rest are told to
/// come back: <c>slow_down</c>, retryable, after a jittered second or three so they do not return in one beat.
/// </summary>
public sealed class JoinGate : IDisposable
{
    private readonly ConcurrencyLimiter _limiter;
    private readonly TimeSpan _maxWait;
    private readonly LiveHubMetrics _metrics;
    private int _active;
    private int _peak;

    public JoinGate(IOptions<RealtimeOptions> options, LiveHubMetrics metrics)
    {
        var o = options.Value;
        _limiter = new ConcurrencyLimiter(new ConcurrencyLimiterOptions
        {
            PermitLimit = o.JoinsAtOnce,
            QueueLimit = o.JoinQueue,
            QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
        });
        _maxWait = TimeSpan.FromMilliseconds(o.JoinWaitMilliseconds);
        _metrics = metrics;
    }

    /// <summary>The most joins that ran at once on this node since it started.</summary>
    public int Peak => Volatile.Read(ref _peak);

    /// <summary>
    /// Runs <paramref name="join"/> when its turn comes; not at all when the node is too busy to give it one (the queue is
    /// full, or the turn did not come within the wait), and the caller answers <see cref="ShedError"/>.
    /// </summary>
    public async ValueTask<(bool Ran, T? Result)> RunAsync<T>(Func<ValueTask<T>> join, CancellationToken ct)
    {
        using var lease = await AcquireAsync(ct);
        if (!lease.IsAcquired)
        {
            _metrics.JoinShed();
            return (false, default);
        }
        var active = Interlocked.Increment(ref _active);
        for (var peak = Volatile.Read(ref _peak); active > peak; peak = Volatile.Read(ref _peak))
        {
            Interlocked.CompareExchange(ref _peak, active, peak);
        }
        try
        {
            return (true, await join());
        }
        finally
        {
            Interlocked.Decrement(ref _active);
        }
    }

    private async ValueTask<RateLimitLease> AcquireAsync(CancellationToken ct)
    {
        using var waited = CancellationTokenSource.CreateLinkedTokenSource(ct);
        waited.CancelAfter(_maxWait);
        try
        {
            return await _limiter.AcquireAsync(1, waited.Token);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return Refused.Instance;
        }
    }

    /// <summary>The answer to a shed join: retryable, with 1–3 s to wait, so the phones told at once spread out.</summary>
    public static HubError ShedError() => ErrorCodes.SlowDownError(Random.Shared.Next(1, 4));

    public void Dispose() => _limiter.Dispose();

    private sealed class Refused : RateLimitLease
    {
        public static readonly Refused Instance = new();

        public override bool IsAcquired => false;

        public override IEnumerable<string> MetadataNames => [];

        public override bool TryGetMetadata(string metadataName, out object? metadata)
        {
            metadata = null;
            return false;
        }
    }
}
