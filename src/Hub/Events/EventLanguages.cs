using System.Collections.Concurrent;
using LiveHub.Data.Events;

namespace LiveHub.Events;

/// <summary>The name a page shows and the event's language settings.</summary>
public sealed record EventPageInfo(string Name, EventLanguageSettings Settings);

/// <summary>
/// An event's language settings (and name) by join code, for rendering its pages in the language
/// <see cref="InterfaceLanguage.Resolve"/> chooses on every page request without a query each time. Each code is cached for <see cref="CacheFor"/>; an organizer's edit or import on
/// this node forgets it at once, other nodes catch up within <see cref="CacheFor"/>. A deletion is forgotten on every node (<see cref="Admin.EventDeletions"/>).
/// </summary>
public sealed class EventLanguages(EventStore events, TimeProvider clock) : Admin.IEventCache
{
    public static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(5);

    // Unknown codes are cached too, so anyone can add entries: past this many the cache starts over.
    private const int MaxEntries = 10_000;

    private readonly ConcurrentDictionary<string, (EventPageInfo? Info, DateTimeOffset Until)> _cache = new(StringComparer.Ordinal);
    private long _forgotten;

    /// <summary>The settings of the event with this join code (case and dashes ignored); null when there is no such event.</summary>
    public async ValueTask<EventLanguageSettings?> FindAsync(string? code, CancellationToken ct) =>
        (await FindPageAsync(code, ct))?.Settings;

    /// <summary>The name and settings of the event with this join code; null when there is no such event.</summary>
    public async ValueTask<EventPageInfo?> FindPageAsync(string? code, CancellationToken ct)
    {
        if (JoinCode.Normalize(code) is not { } normalized)
        {
            return null;
        }
        var now = clock.GetUtcNow();
        if (_cache.TryGetValue(normalized, out var cached) && cached.Until > now)
        {
            return cached.Info;
        }
        var forgotten = Interlocked.Read(ref _forgotten);
        var e = await events.FindByCodeAsync(normalized, ct);
        var info = e is null ? null : new EventPageInfo(e.Name, EventLanguageSettings.Of(e));
        // A read that raced an edit may hold the old settings: answer with them, but do not keep them.
        if (Interlocked.Read(ref _forgotten) == forgotten)
        {
            if (_cache.Count >= MaxEntries)
            {
                _cache.Clear();
            }
            _cache[normalized] = (info, now + CacheFor);
        }
        return info;
    }

    public void Forget(Admin.DeletedEvent deleted) => Forget(deleted.Code);

    public void Forget(string code)
    {
        if (JoinCode.Normalize(code) is { } normalized)
        {
            Interlocked.Increment(ref _forgotten);
            _cache.TryRemove(normalized, out _);
        }
    }
}
