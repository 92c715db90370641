namespace LiveHub.Realtime;

/// <summary>
/// Serialises write-then-push per session on this node, so deltas leave in version order.
/// Striped: a fixed set of semaphores, so memory does not grow with the number of sessions.
/// </summary>
public sealed class SessionLocks
{
    private readonly SemaphoreSlim[] _stripes = Enumerable.Range(0, 64).Select(_ => new SemaphoreSlim(1, 1)).ToArray();

    public async Task<Releaser> AcquireAsync(long sessionId, CancellationToken ct)
    {
        var stripe = _stripes[(int)((ulong)sessionId % (ulong)_stripes.Length)];
        await stripe.WaitAsync(ct);
        return new Releaser(stripe);
    }

    public readonly struct Releaser(SemaphoreSlim stripe) : IDisposable
    {
        public void Dispose() => stripe.Release();
    }
}
