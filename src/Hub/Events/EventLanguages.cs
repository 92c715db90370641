using System.Collections.Concurrent;
using LiveHub.Data.Events;

namespace LiveHub.Events;

/// <summary>
/// An event's language settings by join code, for choosing a page's language (<see cref="InterfaceLanguage.Resolve"/>) on every
/// page request without a query each time. Each code is cached for <see cref="CacheFor"/>; an organizer's edit or import on
/// this node forgets it at once, other nodes catch up within <see cref="CacheFor"/>.
/// </summary>
public sealed class EventLanguages(EventStore events, TimeProvider clock)
{
    public static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(5);

    // Unknown codes are cached too, so anyone can add entries: past this many the cache starts over.
    private const int MaxEntries = 10_000;

    private readonly ConcurrentDictionary<string, (EventLanguageSettings? Settings, DateTimeOffset Until)> _cache = new(StringComparer.Ordinal);
    private long _forgotten;

    /// <summary>The settings of the event with this join code (case and dashes ignored); null when there is no such event.</summary>
    public async ValueTask<EventLanguageSettings?> FindAsync(string? code, CancellationToken ct)
    {
        if (JoinCode.Normalize(code) is not { } normalized)
        {
            return null;
        }
        var now = clock.GetUtcNow();
        if (_cache.TryGetValue(normalized, out var cached) && cached.Until > now)
        {
            return cached.Settings;
        }
        var forgotten = Interlocked.Read(ref _forgotten);
        var e = await events.FindByCodeAsync(normalized, ct);
        var settings = e is null ? null : EventLanguageSettings.Of(e);
        // A read that raced an edit may hold the old settings: answer with them, but do not keep them.
        if (Interlocked.Read(ref _forgotten) == forgotten)
        {
            if (_cache.Count >= MaxEntries)
            {
                _cache.Clear();
            }
            _cache[normalized] = (settings, now + CacheFor);
        }
        return settings;
    }

    public void Forget(string code)
    {
        if (JoinCode.Normalize(code) is { } normalized)
        {
            Interlocked.Increment(ref _forgotten);
            _cache.TryRemove(normalized, out _);
        }
    }
}
