using System.Collections.Concurrent;
using LiveHub.Data.Events;

namespace LiveHub.Identity;

/// <summary>
/// Whether a moderator sign-in was issued under the event's current passcode. Asked on every request and moderator call,
/// so each event's stamp is cached for a few seconds. A rotation forgets it on every node at once (<see cref="PasscodeRotations"/>);
/// the expiry only bounds how long a node that missed the notification (Redis down at that moment) can be wrong.
/// </summary>
public sealed class PasscodeStamps(EventStore events, TimeProvider clock) : Admin.IEventCache
{
    public static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(5);

    private readonly ConcurrentDictionary<long, (string? Stamp, DateTimeOffset Until)> _cache = new();
    private readonly Lock _forgetting = new();
    // Moves on every Forget: a read that began before one may have read the old stamp, and must not store it.
    private long _generation;

    public async ValueTask<bool> IsCurrentAsync(long eventId, string? stamp, CancellationToken ct)
    {
        if (string.IsNullOrEmpty(stamp))
        {
            return false;
        }
        var now = clock.GetUtcNow();
        if (!_cache.TryGetValue(eventId, out var cached) || cached.Until <= now)
        {
            var generation = Interlocked.Read(ref _generation);
            var e = await events.FindAsync(eventId, ct);
            cached = (e?.PasscodeStamp, now + CacheFor);
            lock (_forgetting)
            {
                if (Interlocked.Read(ref _generation) == generation)
                {
                    _cache[eventId] = cached;
                }
            }
        }
        return cached.Stamp is { } current &&
            System.Security.Cryptography.CryptographicOperations.FixedTimeEquals(
                System.Text.Encoding.UTF8.GetBytes(current), System.Text.Encoding.UTF8.GetBytes(stamp));
    }

    /// <summary>A deleted event has no passcode: its moderators' sign-ins stop holding at once.</summary>
    public void Forget(Admin.DeletedEvent deleted) => Forget(deleted.EventId);

    public void Forget(long eventId)
    {
        lock (_forgetting)
        {
            Interlocked.Increment(ref _generation);
            _cache.TryRemove(eventId, out _);
        }
    }
}
