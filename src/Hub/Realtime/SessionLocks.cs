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

    /// <summary>
    /// The locks of several sessions at once (a batch of writes), taken in stripe order so two callers never wait on each other
    /// in a cycle. Released together.
    /// </summary>
    public async Task<IDisposable> AcquireAllAsync(IEnumerable<long> sessionIds, CancellationToken ct)
    {
        var stripes = sessionIds.Select(id => (int)((ulong)id % (ulong)_stripes.Length)).Distinct().Order().ToList();
        var held = new Many(_stripes);
        try
        {
            foreach (var stripe in stripes)
            {
                await _stripes[stripe].WaitAsync(ct);
                held.Stripes.Add(stripe);
            }
            return held;
        }
        catch
        {
            held.Dispose();
            throw;
        }
    }

    private sealed class Many(SemaphoreSlim[] all) : IDisposable
    {
        public List<int> Stripes { get; } = [];

        public void Dispose()
        {
            foreach (var stripe in Stripes)
            {
                all[stripe].Release();
            }
            Stripes.Clear();
        }
    }

    public readonly struct Releaser(SemaphoreSlim stripe) : IDisposable
    {
        public void Dispose() => stripe.Release();
    }
}
