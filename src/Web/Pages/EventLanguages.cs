using System.Collections.Concurrent;
using LiveHub.Data.Events;

namespace LiveHub.Web.Pages;

/// <summary>
/// An event's name and language settings by code, for rendering its pages: read from the store at most every few
/// seconds per code, since a hall of phones opening the page at once must not each cost a database read.
/// </summary>
public sealed class EventLanguages(EventStore store, TimeProvider clock)
{
    private static readonly TimeSpan Fresh = TimeSpan.FromSeconds(5);

    private readonly ConcurrentDictionary<string, (DateTimeOffset At, PageEvent? Event)> _cache = new(StringComparer.Ordinal);

    public sealed record PageEvent(string Name, LiveHub.Events.EventLanguageSettings Settings);

    public async Task<PageEvent?> FindAsync(string code, CancellationToken ct)
    {
        var key = code.ToUpperInvariant();
        var now = clock.GetUtcNow();
        if (_cache.TryGetValue(key, out var hit) && now - hit.At < Fresh)
        {
            return hit.Event;
        }
        var e = key.Length <= 32 ? await store.FindByCodeAsync(key, ct) : null;
        var found = e is null ? null : new PageEvent(e.Name, new LiveHub.Events.EventLanguageSettings(e.DefaultLanguage, false));
        if (_cache.Count > 10_000)
        {
            _cache.Clear(); // codes that do not exist must not grow the cache without bound
        }
        _cache[key] = (now, found);
        return found;
    }

    /// <summary>Forgets an event after the organizer edited it on this node.</summary>
    public void Forget(string code) => _cache.TryRemove(code.ToUpperInvariant(), out _);
}
