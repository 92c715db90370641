using System.Threading.RateLimiting;

namespace LiveHub.Limits;

/// <summary>
/// One connection's hub calls: a token bucket of <c>burst</c> calls refilled at <c>callsPerSecond</c>, in proportion to the time
/// since the last call (no timer per connection). Exact under any load: over any stretch of time a connection gets at most the
/// burst plus the rate times that time.
/// </summary>
public sealed class CallBudget : IDisposable
{
    private readonly TokenBucketRateLimiterOptions _options;
    private readonly Lock _lock = new();
    private TokenBucketRateLimiter _bucket;

    public CallBudget(int callsPerSecond, int burst)
    {
        _options = new TokenBucketRateLimiterOptions
        {
            TokenLimit = burst,
            TokensPerPeriod = callsPerSecond,
            ReplenishmentPeriod = TimeSpan.FromSeconds(1),
            QueueLimit = 0,
            AutoReplenishment = false,
        };
        _bucket = new TokenBucketRateLimiter(_options);
    }

    /// <summary>Takes one call's token: null when the call may run, else the whole seconds until one is back.</summary>
    public int? TryTake()
    {
        lock (_lock)
        {
            _bucket.TryReplenish();
            if (_bucket.GetStatistics()!.CurrentAvailablePermits >= _options.TokenLimit)
            {
                // A full TokenBucketRateLimiter keeps the time of its last refill, and its next refill credits all the time since
                // (sixteen phones idle for a second then firing sixty calls each got up to all sixty). A full bucket owes
                // nothing: a fresh one, whose clock starts now, takes its place.
                _bucket.Dispose();
                _bucket = new TokenBucketRateLimiter(_options);
            }
            using var lease = _bucket.AttemptAcquire();
            if (lease.IsAcquired)
            {
                return null;
            }
            return lease.TryGetMetadata(MetadataName.RetryAfter, out var retry) ? Math.Max(1, (int)Math.Ceiling(retry.TotalSeconds)) : 1;
        }
    }

    public void Dispose()
    {
        lock (_lock)
        {
            _bucket.Dispose();
        }
    }
}
