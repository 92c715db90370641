using System.Collections.Concurrent;
using System.Diagnostics;
using LiveHub.Events;
using LiveHub.Polls;
using LiveHub.Questions;
using LiveHub.Realtime;
using LiveHub.Tests.Infrastructure;
using Microsoft.AspNetCore.SignalR.Client;

namespace LiveHub.Tests.Cluster;

/// <summary>
/// A phone that behaves like the audience page: it reconnects by itself, rejoins its session after every reconnect, and
/// keeps each write (with its client id) until the server acknowledges it, resending it after a dropped call.
/// </summary>
public sealed class OutboxPhone : IAsyncDisposable
{
    private static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(5);

    private readonly long _sessionId;
    private readonly Stopwatch _clock;
    private volatile bool _joined;
    private volatile bool _closed;

    private OutboxPhone(int index, TestClient client, long sessionId, Stopwatch clock)
    {
        Index = index;
        Client = client;
        _sessionId = sessionId;
        _clock = clock;
        client.Connection.Reconnecting += _ =>
        {
            _joined = false;
            Lost.Enqueue(_clock.Elapsed);
            return Task.CompletedTask;
        };
        client.Connection.Reconnected += _ => EnsureJoinedAsync();
        // Closed for good: the server told it not to reconnect. A stopping node must not; the writer fails fast on it.
        client.Connection.Closed += _ =>
        {
            _closed = true;
            return Task.CompletedTask;
        };
    }

    public int Index { get; }
    public TestClient Client { get; }

    /// <summary>When (on the test's clock) the connection dropped, and when it was back and rejoined.</summary>
    public ConcurrentQueue<TimeSpan> Lost { get; } = new();
    public ConcurrentQueue<TimeSpan> Rejoined { get; } = new();

    /// <summary>Acknowledged questions: client id to the stored question's id.</summary>
    public ConcurrentDictionary<string, long> Questions { get; } = new();

    /// <summary>Acknowledged votes in the order they were made: client id and choice.</summary>
    public ConcurrentQueue<(string ClientId, int Choice, TimeSpan At)> Votes { get; } = new();

    /// <summary>Writes sent more than once (no answer, a dropped connection, or a retryable error).</summary>
    public int Resends;

    /// <summary>When each write was acknowledged.</summary>
    public ConcurrentQueue<TimeSpan> Acks { get; } = new();

    /// <summary>For each acknowledged write: when it was first sent, and how long until it was acknowledged, resends included.</summary>
    public ConcurrentQueue<(TimeSpan Sent, TimeSpan Took)> AckLatencies { get; } = new();

    public static async Task<OutboxPhone> ConnectAsync(int index, Uri address, long sessionId, Stopwatch clock)
    {
        var client = await TestClient.ConnectAsync(address, reconnect: new KeepReconnecting());
        var phone = new OutboxPhone(index, client, sessionId, clock);
        await client.JoinAsync(sessionId);
        phone._joined = true;
        return phone;
    }

    /// <summary>
    /// Asks and votes in turn (only asks without a poll), <paramref name="writes"/> times, with a pause between writes like a
    /// person's; its writes are numbered from <paramref name="first"/> (each number is a client id of its own).
    /// </summary>
    public async Task WriteAsync(long? pollId, int writes, TimeSpan pause, CancellationToken ct, int first = 0)
    {
        for (var i = first; i < first + writes; i++)
        {
            var sent = _clock.Elapsed;
            if (i % 3 == 2 && pollId is not null)
            {
                var choice = (Index + i) % 4;
                var clientId = $"p{Index}-v{i}";
                await SendAsync<MyVote>(nameof(EventHub.CastVote), new CastVoteRequest(pollId.Value, clientId, [choice], null, null, null, null), ct);
                Votes.Enqueue((clientId, choice, _clock.Elapsed));
            }
            else
            {
                var clientId = $"p{Index}-q{i}";
                var question = await SendAsync<QuestionView>(nameof(EventHub.AskQuestion),
                    new AskQuestionRequest(_sessionId, clientId, $"Pertanyaan {i} dari ponsel {Index}?", null), ct);
                Questions[clientId] = question.Id;
            }
            var acked = _clock.Elapsed;
            Acks.Enqueue(acked);
            AckLatencies.Enqueue((sent, acked - sent));
            await Task.Delay(pause, ct);
        }
    }

    /// <summary>Sends until acknowledged, with the same request (and client id) every time, as the outbox does.</summary>
    private async Task<T> SendAsync<T>(string method, object request, CancellationToken ct)
    {
        for (var attempt = 0; ; attempt++)
        {
            if (attempt > 0)
            {
                Interlocked.Increment(ref Resends);
            }
            while (!(_joined && Client.Connection.State == HubConnectionState.Connected))
            {
                Assert.False(_closed, $"phone {Index} was closed instead of told to reconnect");
                await EnsureJoinedAsync();
                await Task.Delay(10, ct);
            }
            try
            {
                var result = await Client.Connection.InvokeCoreAsync<HubResult<T>>(method, [request], ct).WaitAsync(CallTimeout, ct);
                if (result.Ok)
                {
                    return result.Value!;
                }
                if (!result.Error!.Retryable)
                {
                    Assert.Fail($"{method} failed for good: {result.Error.Code} {result.Error.Message}");
                }
                await Task.Delay(TimeSpan.FromSeconds(Math.Min(1, result.Error.RetryAfterSeconds ?? 0)) + TimeSpan.FromMilliseconds(50), ct);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
            {
                if (ex is Xunit.Sdk.XunitException)
                {
                    throw;
                }
                // The call died with its connection, or got no answer: the write may or may not be stored. Send it again.
            }
        }
    }

    /// <summary>SignalR forgot the groups on reconnect: join again, as the page does, before writing anything.</summary>
    private async Task EnsureJoinedAsync()
    {
        if (_joined || Client.Connection.State != HubConnectionState.Connected)
        {
            return;
        }
        try
        {
            var result = await Client.InvokeAsync<SessionSnapshot>(nameof(EventHub.JoinSession), _sessionId, SessionViews.Audience);
            if (result.Ok && !_joined)
            {
                _joined = true;
                Rejoined.Enqueue(_clock.Elapsed);
            }
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // Dropped again while joining: the next reconnect, or the writer's wait, tries again.
        }
    }

    public ValueTask DisposeAsync() => Client.DisposeAsync();
}
