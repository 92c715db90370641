using System.Data.Common;
using System.Diagnostics;
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
    /// <summary>One write inside the batch's transaction.</summary>
    public delegate Task<TResult> Write(DbConnection connection, DbTransaction tx, TItem item, CancellationToken ct);

    private readonly Database _db;
    private readonly Write _write;
    private readonly Action<TItem, TResult>? _committed;
    private readonly int _maxBatch;
    private readonly Channel<Pending> _queue = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleReader = true });
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _loop;

    /// <param name="db">The store written to.</param>
    /// <param name="write">One item's statements; runs in the batch's transaction, one item after another.</param>
    /// <param name="committed">Called for each item once its transaction has committed (before its caller resumes).</param>
    /// <param name="maxBatch">The most items one transaction takes.</param>
    public GroupCommit(Database db, Write write, Action<TItem, TResult>? committed = null, int maxBatch = 256)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBatch, 1);
        _db = db;
        _write = write;
        _committed = committed;
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
                await WriteBatchAsync(batch);
            }
            catch (Exception)
            {
                // The batch failed as a whole (often one bad write): each write gets a transaction of its own.
                foreach (var pending in batch)
                {
                    await WriteAloneAsync(pending);
                }
            }
        }
    }

    private async Task WriteBatchAsync(List<Pending> batch)
    {
        var ct = _stopping.Token;
        var results = new TResult[batch.Count];
        await using (var connection = await _db.OpenAsync(ct))
        await using (await _db.WriteGateAsync(ct))
        {
            var started = Stopwatch.GetTimestamp();
            await using var tx = await connection.BeginTransactionAsync(ct);
            for (var i = 0; i < batch.Count; i++)
            {
                results[i] = await _write(connection, tx, batch[i].Item, ct);
            }
            await tx.CommitAsync(ct);
            BatchCommitted?.Invoke(batch.Count, Stopwatch.GetElapsedTime(started));
        }
        for (var i = 0; i < batch.Count; i++)
        {
            Complete(batch[i], results[i]);
        }
    }

    private async Task WriteAloneAsync(Pending pending)
    {
        try
        {
            var ct = _stopping.Token;
            TResult result;
            await using (var connection = await _db.OpenAsync(ct))
            await using (await _db.WriteGateAsync(ct))
            {
                var started = Stopwatch.GetTimestamp();
                await using var tx = await connection.BeginTransactionAsync(ct);
                result = await _write(connection, tx, pending.Item, ct);
                await tx.CommitAsync(ct);
                BatchCommitted?.Invoke(1, Stopwatch.GetElapsedTime(started));
            }
            Complete(pending, result);
        }
        catch (Exception e)
        {
            pending.Done.TrySetException(e);
        }
    }

    private void Complete(Pending pending, TResult result)
    {
        try
        {
            _committed?.Invoke(pending.Item, result);
        }
        finally
        {
            pending.Done.TrySetResult(result);
        }
    }

    /// <summary>Stops taking writes and finishes those already queued.</summary>
    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _loop.WaitAsync(TimeSpan.FromSeconds(10)).ContinueWith(_ => { }, TaskScheduler.Default);
        _stopping.Cancel();
        _stopping.Dispose();
    }

    private sealed class Pending(TItem item)
    {
        public TItem Item { get; } = item;

        // Callers resume on the thread pool, not inline on the writer's loop.
        public TaskCompletionSource<TResult> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
