using System.Threading.RateLimiting;
using LiveHub.Polls;
using LiveHub.Questions;
using Microsoft.Extensions.Options;

namespace LiveHub.Limits;

/// <summary>The per-participant and per-address rate limiters, partitioned by key (a connection's calls: <see cref="CallBudget"/>).</summary>
public sealed class RateLimits : IDisposable
{
    private readonly PartitionedRateLimiter<string> _asks;
    private readonly PartitionedRateLimiter<string> _upvotes;
    private readonly PartitionedRateLimiter<string> _votes;
    private readonly PartitionedRateLimiter<string> _addressWrites;
    private readonly PartitionedRateLimiter<string> _reactions;

    public RateLimits(IOptions<QuestionOptions> questions, IOptions<PollOptions> polls)
    {
        var q = questions.Value;
        _asks = PerMinute(q.AsksPerMinute);
        _upvotes = PerMinute(q.UpvotesPerMinute);
        _votes = PerMinute(polls.Value.VotesPerMinute);
        _addressWrites = PerMinute(q.WritesPerAddressPerMinute);
        // Reactions come in bursts of taps: ten at once, then two a second.
        _reactions = PartitionedRateLimiter.Create<string, string>(key => RateLimitPartition.GetTokenBucketLimiter(key, _ => new TokenBucketRateLimiterOptions
        {
            TokenLimit = 10,
            TokensPerPeriod = 2,
            ReplenishmentPeriod = TimeSpan.FromSeconds(1),
            QueueLimit = 0,
            AutoReplenishment = true,
        }));
    }

    /// <summary>Returns null when allowed, else the seconds to wait.</summary>
    public int? TryAsk(string participantId, string? address) => Acquire(_asks, participantId) ?? Acquire(_addressWrites, address);

    public int? TryUpvote(string participantId, string? address) => Acquire(_upvotes, participantId) ?? Acquire(_addressWrites, address);

    public int? TryVote(string participantId, string? address) => Acquire(_votes, participantId) ?? Acquire(_addressWrites, address);

    public int? TryReact(string participantId) => Acquire(_reactions, participantId);

    private static int? Acquire(PartitionedRateLimiter<string> limiter, string? key)
    {
        if (key is null)
        {
            return null;
        }
        using var lease = limiter.AttemptAcquire(key);
        if (lease.IsAcquired)
        {
            return null;
        }
        return lease.TryGetMetadata(MetadataName.RetryAfter, out var retry) ? Math.Max(1, (int)Math.Ceiling(retry.TotalSeconds)) : 10;
    }

    private static PartitionedRateLimiter<string> PerMinute(int permits) =>
        PartitionedRateLimiter.Create<string, string>(key => RateLimitPartition.GetSlidingWindowLimiter(key, _ => new SlidingWindowRateLimiterOptions
        {
            PermitLimit = permits,
            Window = TimeSpan.FromMinutes(1),
            SegmentsPerWindow = 6,
            QueueLimit = 0,
            AutoReplenishment = true,
        }));

    public void Dispose()
    {
        _asks.Dispose();
        _upvotes.Dispose();
        _votes.Dispose();
        _addressWrites.Dispose();
        _reactions.Dispose();
    }
}
