using System.Data.Common;
using System.Threading.Channels;

namespace LiveHub.Data;

/// <summary>
/// Commits many callers' writes together: whatever has queued while the previous batch was being written goes into the next
/// transaction, so a storm of small writes costs one commit (one WAL append of each touched page) per batch instead of one per
/// write. Every caller still learns its own result only after the transaction holding its write has committed.
/// <para>
/// A write that throws does not take its neighbours down: the batch is rolled back and each of its writes is retried in a
/// transaction of its own, so the failure reaches only its caller. Writes must therefore leave nothing behind when they decide
/// not to write (check first, then write), since a batch is committed as a whole.
/// </para>
/// </summary>
public sealed class GroupCommit<TItem, TResult> : IAsyncDisposable
{
    /// <summary>
    /// A batch's statements, inside its transaction: one result per item, in order. Work shared by the batch (a version
    /// counter moved once for many writes, a status read once) is done once here.
    /// </summary>
    public delegate Task<TResult[]> Write(DbConnection connection, DbTransaction tx, IReadOnlyList<TItem> items, CancellationToken ct);

    private readonly Database _db;
    private readonly Write _write;
    private readonly Func<IReadOnlyList<TItem>, CancellationToken, Task<IDisposable>>? _enter;
    private readonly Func<IReadOnlyList<(TItem Item, TResult Result)>, Task>? _committed;
    private readonly int _maxBatch;
    private readonly Channel<Pending> _queue = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleReader = true });
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _loop;

    /// <param name="db">The store written to.</param>
    /// <param name="write">A batch's statements; a batch of one when a failed batch is retried write by write.</param>
    /// <param name="committed">
    /// Runs once the batch has committed, with the items and results in write order, before the callers resume (pushing what
    /// was committed, say). When it throws, the callers get its exception; their writes stay committed.
    /// </param>
    /// <param name="enter">
    /// Taken before the batch's transaction and released after <paramref name="committed"/>: locks that keep what is pushed in
    /// commit order. Take them in one global order, and never submit a write while holding one.
    /// </param>
    /// <param name="maxBatch">The most items one transaction takes.</param>
    public GroupCommit(Database db, Write write, Func<IReadOnlyList<(TItem Item, TResult Result)>, Task>? committed = null,
        Func<IReadOnlyList<TItem>, CancellationToken, Task<IDisposable>>? enter = null, int maxBatch = 256)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBatch, 1);
        _db = db;
        _write = write;
        _committed = committed;
        _enter = enter;
        _maxBatch = maxBatch;
        _loop = Task.Run(RunAsync);
    }

    /// <summary>Raised after each committed batch with its size and how long its transaction took, for metrics.</summary>
    public event Action<int, TimeSpan>? BatchCommitted;

    /// <summary>
    /// Queues a write and waits for its commit. Cancelling stops the wait, not the write: once queued, it is written.
    /// </summary>
    public Task<TResult> SubmitAsync(TItem item, CancellationToken ct)
    {
        var pending = new Pending(item);
        if (!_queue.Writer.TryWrite(pending))
        {
            throw new ObjectDisposedException(nameof(GroupCommit<TItem, TResult>));
        }
        return pending.Done.Task.WaitAsync(ct);
    }

    private async Task RunAsync()
    {
        var batch = new List<Pending>(_maxBatch);
        var reader = _queue.Reader;
        while (await reader.WaitToReadAsync())
        {
            batch.Clear();
            while (batch.Count < _maxBatch && reader.TryRead(out var next))
            {
                batch.Add(next);
            }
            try
            {
                if (!await TryWriteAsync(batch, fallback: false))
                {
                    // The batch failed as a whole (often one bad write): each write gets a transaction of its own.
                    foreach (var pending in batch)
                    {
                        await TryWriteAsync([pending], fallback: true);
                    }
                }
            }
            catch (Exception e)
            {
                // Whatever went wrong, no caller is left waiting and the loop goes on with the next batch.
                foreach (var pending in batch)
                {
                    pending.Done.TrySetException(e);
                }
            }
        }
    }

    /// <summary>Writes the items in one transaction. False when it failed and was rolled back (unless it was the last chance).</summary>
    private async Task<bool> TryWriteAsync(List<Pending> batch, bool fallback)
    {
        var items = batch.ConvertAll(p => p.Item);
        TResult[] results;
        IDisposable? entered = null;
        long started = 0;
        try
        {
            var ct = _stopping.Token;
            entered = _enter is null ? null : await _enter(items, ct);
            results = await _db.WriteAsync(async (connection, tx) =>
            {
                started = _db.Clock.GetTimestamp();
                var written = await _write(connection, tx, items, ct);
                return written.Length == items.Count
                    ? written
                    : throw new InvalidOperationException($"A batch of {items.Count} writes returned {written.Length} results.");
            }, ct);
        }
        catch (Exception e)
        {
            entered?.Dispose();
            if (fallback)
            {
                batch[0].Done.TrySetException(e);
            }
            return fallback;
        }
        var elapsed = _db.Clock.GetElapsedTime(started);
        BatchCommitted?.Invoke(batch.Count, elapsed);

        try
        {
            if (_committed is not null)
            {
                await _committed(items.Select((item, i) => (item, results[i])).ToList());
            }
        }
        catch (Exception e)
        {
            entered?.Dispose();
            foreach (var pending in batch)
            {
                pending.Done.TrySetException(e);
            }
            return true;
        }
        entered?.Dispose();
        for (var i = 0; i < batch.Count; i++)
        {
            batch[i].Done.TrySetResult(results[i]);
        }
        return true;
    }

    /// <summary>Stops taking writes and finishes those already queued.</summary>
    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _loop.WaitAsync(TimeSpan.FromSeconds(10)).ContinueWith(_ => { }, TaskScheduler.Default);
        // Writes still queued after that are cancelled and their callers answered with the cancellation; the token source is
        // not disposed, since the loop may still be reading it.
        _stopping.Cancel();
    }

    private sealed class Pending(TItem item)
    {
        public TItem Item { get; } = item;

        // Callers resume on the thread pool, not inline on the writer's loop.
        public TaskCompletionSource<TResult> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
