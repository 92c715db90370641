using System.Collections.Concurrent;

namespace LiveHub.Realtime;

/// <summary>
/// How many audience connections each session has on this node. A connection counts once per session however often it
/// rejoins; it stops counting when it leaves or drops.
/// </summary>
public sealed class Presence
{
    private readonly ConcurrentDictionary<long, int> _counts = new();
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<long, byte>> _byConnection = new();

    public void Join(string connectionId, long sessionId)
    {
        var sessions = _byConnection.GetOrAdd(connectionId, _ => new ConcurrentDictionary<long, byte>());
        if (sessions.TryAdd(sessionId, 0))
        {
            _counts.AddOrUpdate(sessionId, 1, (_, n) => n + 1);
        }
    }

    public void Leave(string connectionId, long sessionId)
    {
        if (_byConnection.TryGetValue(connectionId, out var sessions) && sessions.TryRemove(sessionId, out _))
        {
            _counts.AddOrUpdate(sessionId, 0, (_, n) => Math.Max(0, n - 1));
        }
    }

    public void Disconnected(string connectionId)
    {
        if (_byConnection.TryRemove(connectionId, out var sessions))
        {
            foreach (var sessionId in sessions.Keys)
            {
                _counts.AddOrUpdate(sessionId, 0, (_, n) => Math.Max(0, n - 1));
            }
        }
    }

    public long Count(long sessionId) => _counts.GetValueOrDefault(sessionId);

    /// <summary>Every session's count, including those that dropped to zero.</summary>
    public IEnumerable<KeyValuePair<long, long>> Sessions() => _counts.Select(c => new KeyValuePair<long, long>(c.Key, c.Value));
}
