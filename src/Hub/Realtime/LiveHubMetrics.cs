using System.Diagnostics.Metrics;

namespace LiveHub.Realtime;

/// <summary>
/// The numbers an operator watches, on the "LiveHub" meter: open connections, group messages pushed, votes and questions stored,
/// how long a vote waits for its coalesced results frame, and how long the database takes.
/// </summary>
public sealed class LiveHubMetrics
{
    public const string MeterName = "LiveHub";

    private readonly UpDownCounter<long> _connections;
    private readonly Counter<long> _messagesOut;
    private readonly Counter<long> _votes;
    private readonly Counter<long> _questions;
    private readonly Histogram<double> _coalescingLag;
    private readonly Histogram<double> _database;
    private readonly Histogram<double> _hubCalls;
    private readonly Counter<long> _batchWrites;
    private readonly Histogram<double> _batchDuration;
    private readonly Counter<long> _joinsShed;
    private readonly TimeProvider _clock;

    public LiveHubMetrics(IMeterFactory meters, TimeProvider clock)
    {
        _clock = clock;
        var meter = meters.Create(MeterName);
        _connections = meter.CreateUpDownCounter<long>("livehub.connections", "{connection}", "Open hub connections on this node.");
        _messagesOut = meter.CreateCounter<long>("livehub.messages.out", "{message}", "Messages pushed to groups or users (one per send, not per recipient).");
        _votes = meter.CreateCounter<long>("livehub.votes", "{vote}", "Votes stored (including changed votes).");
        _questions = meter.CreateCounter<long>("livehub.questions", "{question}", "Questions stored.");
        _coalescingLag = meter.CreateHistogram<double>("livehub.coalescing.lag", "ms", "From the first vote of a tick to its results frame leaving.");
        _database = meter.CreateHistogram<double>("livehub.db.duration", "ms", "Duration of store operations.");
        _hubCalls = meter.CreateHistogram<double>("livehub.hub.call.duration", "ms", "Duration of hub method calls on the server, by method.");
        _batchWrites = meter.CreateCounter<long>("livehub.db.batch.writes", "{write}", "Writes committed in groups (votes, questions).");
        _batchDuration = meter.CreateHistogram<double>("livehub.db.batch.duration", "ms", "Duration of one grouped write transaction, from begin to commit.");
        _joinsShed = meter.CreateCounter<long>("livehub.joins.shed", "{join}", "Joins answered slow_down because too many ran or waited at once.");
    }

    public void Connected() => _connections.Add(1);

    public void Disconnected() => _connections.Add(-1);

    public void JoinShed() => _joinsShed.Add(1);

    public void MessagesOut(int count = 1) => _messagesOut.Add(count);

    public void VoteStored() => _votes.Add(1);

    public void QuestionStored() => _questions.Add(1);

    public void CoalescingLag(TimeSpan lag) => _coalescingLag.Record(lag.TotalMilliseconds);

    public void HubCall(string method, TimeSpan elapsed) =>
        _hubCalls.Record(elapsed.TotalMilliseconds, new KeyValuePair<string, object?>("method", method));

    /// <summary>One grouped transaction committed: how many writes it held and how long it took.</summary>
    public void BatchCommitted(string operation, int writes, TimeSpan elapsed)
    {
        var tag = new KeyValuePair<string, object?>("operation", operation);
        _batchWrites.Add(writes, tag);
        _batchDuration.Record(elapsed.TotalMilliseconds, tag);
    }

    /// <summary>Times one store operation under a name (ask, upvote, vote, tally, snapshot).</summary>
    public async Task<T> TimeAsync<T>(string operation, Func<Task<T>> run)
    {
        var start = _clock.GetTimestamp();
        try
        {
            return await run();
        }
        finally
        {
            _database.Record(_clock.GetElapsedTime(start).TotalMilliseconds, new KeyValuePair<string, object?>("operation", operation));
        }
    }
}
