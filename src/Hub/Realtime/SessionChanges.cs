using LiveHub.Data.Events;
using LiveHub.Events;

namespace LiveHub.Realtime;

/// <summary>
/// Where a change to a session runs: the session is found, then its lock is held while the change commits, pushes its deltas
/// and is recorded, so deltas leave in version order and a failed write is never pushed.
/// </summary>
public sealed class SessionChanges(EventService events, SessionLocks locks)
{
    /// <summary>Runs <paramref name="change"/> under the session's lock; not found when there is no such session.</summary>
    public async Task<HubResult<T>> RunAsync<T>(long sessionId, Func<SessionRow, Task<HubResult<T>>> change, CancellationToken ct)
    {
        var session = await events.FindSessionAsync(sessionId, ct);
        if (session is null)
        {
            return ErrorCodes.NotFoundError("session");
        }
        using (await locks.AcquireAsync(session.Id, ct))
        {
            return await change(session);
        }
    }
}
