using System.Collections.Concurrent;
using LiveHub.Data.Polls;

namespace LiveHub.Polls;

/// <summary>
/// Open polls as read recently, for validating votes without a database read per vote. A vote is validated against the
/// poll's options and kind (fixed once a poll has left draft) and its opening; the store re-checks status and opening in the
/// vote's own transaction (<see cref="CastResult.Stale"/>), so a poll closed or re-opened by another node is never voted on
/// through an old entry. Only open polls are kept, for <see cref="Lifetime"/>; this node's own changes drop them at once.
/// </summary>
public sealed class OpenPolls(PollStore store, TimeProvider clock) : Admin.IEventCache
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(2);
    private const int MaxEntries = 10_000;

    private readonly ConcurrentDictionary<long, (PollRow Poll, long ReadAt)> _polls = new();

    /// <summary>The poll, from memory when it was open a moment ago, otherwise from the store.</summary>
    public async Task<PollRow?> FindAsync(long pollId, CancellationToken ct)
    {
        var now = clock.GetTimestamp();
        if (_polls.TryGetValue(pollId, out var entry) && clock.GetElapsedTime(entry.ReadAt, now) < Lifetime)
        {
            return entry.Poll;
        }
        var poll = await store.FindAsync(pollId, ct);
        if (poll?.Status == PollStatus.Open)
        {
            if (_polls.Count >= MaxEntries)
            {
                _polls.Clear();
            }
            _polls[pollId] = (poll, now);
        }
        else
        {
            _polls.TryRemove(pollId, out _);
        }
        return poll;
    }

    /// <summary>Drops a poll this node has just changed, or found changed.</summary>
    public void Forget(long pollId) => _polls.TryRemove(pollId, out _);

    /// <summary>A deleted event's polls take no vote from memory.</summary>
    public void Forget(Admin.DeletedEvent deleted)
    {
        foreach (var pollId in deleted.PollIds)
        {
            Forget(pollId);
        }
    }
}
