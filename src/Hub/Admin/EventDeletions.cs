using LiveHub.Data;

namespace LiveHub.Admin;

/// <summary>An event that is gone from the store: what a node may still hold of it in memory.</summary>
public sealed record DeletedEvent(long EventId, string Code, IReadOnlyList<long> SessionIds, IReadOnlyList<long> PollIds);

/// <summary>Something a node keeps in memory about events (by code, event, session or poll) that must not outlive a deletion.</summary>
public interface IEventCache
{
    void Forget(DeletedEvent deleted);
}

/// <summary>
/// Puts an event's deletion in force in memory once the store has committed it: every <see cref="IEventCache"/> forgets the
/// event. On one node (<see cref="LocalEventDeletions"/>) that happens here; with Redis
/// (<see cref="ScaleOut.RedisEventDeletions"/>) every node is told. A node that misses the message follows by expiry: the
/// caches by code and by event hold for seconds, and the rest only speeds up reads of rows that are no longer there.
/// </summary>
public abstract class EventDeletions(IEnumerable<IEventCache> caches)
{
    public abstract Task DeletedAsync(DeletedEvent deleted, CancellationToken ct);

    /// <summary>What every node does for a deletion; doing it twice does nothing more.</summary>
    protected void Apply(DeletedEvent deleted)
    {
        foreach (var cache in caches)
        {
            cache.Forget(deleted);
        }
    }
}

/// <summary>A single node: the deletion is in force here, which is everywhere.</summary>
public sealed class LocalEventDeletions(IEnumerable<IEventCache> caches) : EventDeletions(caches)
{
    public override Task DeletedAsync(DeletedEvent deleted, CancellationToken ct)
    {
        Apply(deleted);
        return Task.CompletedTask;
    }
}

/// <summary>
/// The participants this process knows to be stored (<see cref="Database.EnsureParticipantAsync"/>): a deletion may have
/// removed some, so the whole set starts over and the next write of each stores its row again.
/// </summary>
public sealed class KnownParticipants(Database db) : IEventCache
{
    public void Forget(DeletedEvent deleted) => db.ForgetParticipants();
}
