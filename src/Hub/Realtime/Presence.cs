using System.Collections.Concurrent;

namespace LiveHub.Realtime;

/// <summary>
/// How many audience connections each session has. Every node keeps its own connections' counts; a connection counts once per
/// session however often it rejoins, and stops counting when it leaves or drops. <see cref="Count"/> answers for the whole
/// deployment: this node alone (<see cref="LocalPresence"/>) or every live node through Redis (<see cref="ScaleOut.RedisPresence"/>).
/// </summary>
public abstract class Presence
{
    private readonly ConcurrentDictionary<long, int> _local = new();
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<long, byte>> _byConnection = new();

    public void Join(string connectionId, long sessionId)
    {
        var sessions = _byConnection.GetOrAdd(connectionId, _ => new ConcurrentDictionary<long, byte>());
        if (sessions.TryAdd(sessionId, 0))
        {
            _local.AddOrUpdate(sessionId, 1, (_, n) => n + 1);
        }
    }

    public void Leave(string connectionId, long sessionId)
    {
        if (_byConnection.TryGetValue(connectionId, out var sessions) && sessions.TryRemove(sessionId, out _))
        {
            _local.AddOrUpdate(sessionId, 0, (_, n) => Math.Max(0, n - 1));
        }
    }

    public void Disconnected(string connectionId)
    {
        if (_byConnection.TryRemove(connectionId, out var sessions))
        {
            foreach (var sessionId in sessions.Keys)
            {
                _local.AddOrUpdate(sessionId, 0, (_, n) => Math.Max(0, n - 1));
            }
        }
    }

    /// <summary>This node's own count for one session, without copying the others.</summary>
    public long LocalCount(long sessionId) => _local.GetValueOrDefault(sessionId);

    /// <summary>This node's own counts, including sessions that dropped to zero.</summary>
    public IReadOnlyDictionary<long, long> Local() => _local.ToDictionary(c => c.Key, c => (long)c.Value);

    /// <summary>The session's head count across the deployment.</summary>
    public abstract long Count(long sessionId);

    /// <summary>Every session's count across the deployment, including those that dropped to zero.</summary>
    public abstract IEnumerable<KeyValuePair<long, long>> Sessions();
}

/// <summary>One node: its own counts are the whole truth.</summary>
public sealed class LocalPresence : Presence
{
    public override long Count(long sessionId) => LocalCount(sessionId);

    public override IEnumerable<KeyValuePair<long, long>> Sessions() => Local();
}
