using System.Collections.Concurrent;
using LiveHub.Data.Events;

namespace LiveHub.Identity;

/// <summary>
/// Whether a moderator sign-in was issued under the event's current passcode. Asked on every request and hub connection,
/// so each event's stamp is cached for a few seconds; a rotation on this node forgets it at once, other nodes within <see cref="CacheFor"/>.
/// </summary>
public sealed class PasscodeStamps(EventStore events, TimeProvider clock)
{
    public static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(5);

    private readonly ConcurrentDictionary<long, (string? Stamp, DateTimeOffset Until)> _cache = new();

    public async ValueTask<bool> IsCurrentAsync(long eventId, string? stamp, CancellationToken ct)
    {
        if (string.IsNullOrEmpty(stamp))
        {
            return false;
        }
        var now = clock.GetUtcNow();
        if (!_cache.TryGetValue(eventId, out var cached) || cached.Until <= now)
        {
            var e = await events.FindAsync(eventId, ct);
            cached = (e?.PasscodeStamp, now + CacheFor);
            _cache[eventId] = cached;
        }
        return cached.Stamp is { } current &&
            System.Security.Cryptography.CryptographicOperations.FixedTimeEquals(
                System.Text.Encoding.UTF8.GetBytes(current), System.Text.Encoding.UTF8.GetBytes(stamp));
    }

    public void Forget(long eventId) => _cache.TryRemove(eventId, out _);
}
