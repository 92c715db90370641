using System.Diagnostics;
using LiveHub.Bench.Clients;
using LiveHub.Bench.Measure;
using LiveHub.Bench.Servers;
using Microsoft.AspNetCore.SignalR.Client;

namespace LiveHub.Bench.Scenarios;

public sealed record StormSample(
    string Side, int Phones, double VotesPerSecond, long Offered, long Acked, long Failed, double IngestPerSecond,
    double? AckP95, double? ScreenP50, double? ScreenP95, double? PhoneP50, double? PhoneP95, double PhoneDeliveredShare,
    double? FrameP50, double? FrameP95,
    double FramesPerPhonePerSecond, double? EchoP50, double? EchoP95, double ServerCpu, double ClientCpu);

/// <summary>
/// Vote latency without touching the protocol: the storm's voters only change votes they already cast, so a frame's
/// <c>voters</c> moves only when a probe (a fresh participant) casts its first vote. Probe k is on a screen once a frame shows
/// at least base + k voters.
/// </summary>
public sealed class ProbeTracker(int baseVoters, int probes, int phones)
{
    private readonly long[] _sentAt = new long[probes + 1];
    private readonly int[] _phoneResolved = new int[phones];
    private int _sent;
    private int _screenResolved;
    private long _phoneFrames;
    private long _phoneDeliveries;

    private readonly System.Collections.Concurrent.ConcurrentDictionary<long, long> _screenArrivals = new();

    public Histogram Screen { get; } = new();
    public Histogram Phone { get; } = new();

    /// <summary>
    /// A results frame's trip to the phones: its arrival on a phone after the same frame (same poll version, same tick) reached the
    /// projector, which the coalescer serves first. This leaves out the wait for the phones' next tick (up to 250 ms at 4 frames/s).
    /// </summary>
    public Histogram PhoneFrame { get; } = new();
    public volatile bool Counting = true;
    public long PhoneFrames => Interlocked.Read(ref _phoneFrames);
    public double PhoneShare => _sent * (double)phones == 0 ? 0 : Interlocked.Read(ref _phoneDeliveries) / (_sent * (double)phones);
    public bool AllOnScreen => Volatile.Read(ref _screenResolved) >= _sent;

    public void Sent(int k)
    {
        _sentAt[k] = Stopwatch.GetTimestamp();
        _sent = k;
    }

    public void OnScreen(PollResultsLite r)
    {
        _screenArrivals.TryAdd(r.Version, Stopwatch.GetTimestamp());
        lock (this)
        {
            _screenResolved = Resolve(_screenResolved, r.Voters, Screen, null);
        }
    }

    public void OnPhone(int phone, PollResultsLite r)
    {
        if (phone >= _phoneResolved.Length)
        {
            return;
        }
        if (Counting)
        {
            Interlocked.Increment(ref _phoneFrames);
            if (_screenArrivals.TryGetValue(r.Version, out var onScreen))
            {
                PhoneFrame.Record(Histogram.MsSince(onScreen));
            }
        }
        // One phone's handlers run one at a time, so its slot needs no lock.
        _phoneResolved[phone] = Resolve(_phoneResolved[phone], r.Voters, Phone, () => Interlocked.Increment(ref _phoneDeliveries));
    }

    private int Resolve(int resolved, int voters, Histogram into, Action? counted)
    {
        var upTo = Math.Min(voters - baseVoters, Volatile.Read(ref _sent));
        var now = Stopwatch.GetTimestamp();
        for (var k = resolved + 1; k <= upTo; k++)
        {
            if (_sentAt[k] != 0)
            {
                into.Record(Histogram.Ms(_sentAt[k], now));
                counted?.Invoke();
            }
        }
        return Math.Max(resolved, upTo);
    }
}

/// <summary>An open single-choice poll with live results, a projector watching it, and voters who have voted once.</summary>
public sealed class LiveHubStormRig : IAsyncDisposable
{
    private readonly List<LiveHubClient> _voters;

    private LiveHubStormRig(long pollId, LiveHubClient projector, List<LiveHubClient> voters, int baseVoters)
    {
        PollId = pollId;
        Projector = projector;
        _voters = voters;
        BaseVoters = baseVoters;
    }

    public long PollId { get; }
    public LiveHubClient Projector { get; }
    public int BaseVoters { get; private set; }
    public ProbeTracker? Tracker { get; set; }
    public int LastScreenVoters;

    public static async Task<LiveHubStormRig> OpenAsync(LiveHubRoom room, int voters, CancellationToken ct)
    {
        var poll = await room.Moderator.OkAsync<PollLite>("CreatePoll", new PollDraftRequest(room.SessionId, "single",
            "Masalah kota mana yang paling mendesak?", ["Kemacetan", "Banjir", "Sampah", "Air bersih"], "live"));
        await room.Moderator.OkAsync<PollLite>("OpenPoll", new PollRequest(poll.Id));
        LiveHubStormRig? rig = null;
        var projector = await LiveHubClient.ConnectAsync(room.BaseUri, c => c.On<PollResultsLite>("PollResultsChanged", r =>
        {
            if (rig is not null && r.PollId == rig.PollId)
            {
                Interlocked.Exchange(ref rig.LastScreenVoters, r.Voters);
                rig.Tracker?.OnScreen(r);
            }
        }), ct: ct);
        await projector.JoinAsync(room.Settings.EventCode, room.SessionId, "projector");
        var clients = await Many.OpenAsync(voters, 32, _ => LiveHubClient.ConnectAsync(room.BaseUri, ct: ct));
        rig = new LiveHubStormRig(poll.Id, projector, clients, voters);
        await Task.WhenAll(clients.Select((c, i) => c.OkAsync<MyVoteLite>("CastVote", new CastVoteRequest(poll.Id, Guid.NewGuid().ToString("N"), [i % 4]))));
        await rig.SettleAsync(voters, ct);
        return rig;
    }

    /// <summary>Waits until the projector shows <paramref name="voters"/> voters (every vote so far on screen).</summary>
    public async Task SettleAsync(int voters, CancellationToken ct)
    {
        var deadline = Stopwatch.GetTimestamp() + 15 * Stopwatch.Frequency;
        while (Volatile.Read(ref LastScreenVoters) < voters && Stopwatch.GetTimestamp() < deadline)
        {
            await Task.Delay(20, ct);
        }
        BaseVoters = Volatile.Read(ref LastScreenVoters);
    }

    public async Task<StormSample> RunAsync(LiveHubRoom room, double votesPerSecond, double seconds, CancellationToken ct)
    {
        var probeCount = Math.Max(4, (int)(seconds / 0.25));
        var probes = await Many.OpenAsync(probeCount, 16, _ => LiveHubClient.ConnectAsync(room.BaseUri, ct: ct));
        var tracker = new ProbeTracker(BaseVoters, probeCount, room.Audience);
        Tracker = tracker;
        room.OnPhoneFrame = tracker.OnPhone;
        var serverCpu = room.Server is { } s ? new CpuMeter(s.CpuSeconds) : null;
        var clientCpu = new CpuMeter(CpuMeter.OwnCpuSeconds);
        var random = new Random(7);
        var storm = Storm.PaceAsync(votesPerSecond, seconds, i =>
            _voters[(int)(i % _voters.Count)].OkAsync<MyVoteLite>("CastVote", new CastVoteRequest(PollId, Guid.NewGuid().ToString("N"), [random.Next(4)])), ct);
        var probing = Storm.PaceAsync(probeCount / seconds, seconds, i =>
        {
            tracker.Sent((int)i + 1);
            return probes[(int)i].OkAsync<MyVoteLite>("CastVote", new CastVoteRequest(PollId, Guid.NewGuid().ToString("N"), [0]));
        }, ct);
        var (offered, acked, failed, ackLatency, span) = await storm;
        await probing;
        tracker.Counting = false;
        await SettleAsync(BaseVoters + probeCount, ct);
        await Task.Delay(300, ct);
        room.OnPhoneFrame = null;
        Tracker = null;
        await Many.DisposeAllAsync(probes);
        return new StormSample("LiveHub", room.Audience, votesPerSecond, offered, acked, failed, acked / span, ackLatency.Percentile(95),
            tracker.Screen.Percentile(50), tracker.Screen.Percentile(95), tracker.Phone.Percentile(50), tracker.Phone.Percentile(95),
            tracker.PhoneShare, tracker.PhoneFrame.Percentile(50), tracker.PhoneFrame.Percentile(95), room.Audience == 0 ? 0 : tracker.PhoneFrames / (double)room.Audience / span, null, null,
            serverCpu?.Share ?? double.NaN, clientCpu.Share);
    }

    public async ValueTask DisposeAsync()
    {
        await Many.DisposeAllAsync(_voters);
        await Projector.DisposeAsync();
    }
}

/// <summary>The baseline's storm: the same voters calling a no-op method (ingest), or a broadcast of every vote to the room.</summary>
public sealed class BaselineStormRig(List<HubConnection> voters, HubConnection echo) : IAsyncDisposable
{
    public static async Task<BaselineStormRig> OpenAsync(BaselineRoom room, int voters, CancellationToken ct) =>
        new(await Many.OpenAsync(voters, 32, _ => BaselineClient.ConnectAsync(room.BaseUri, ct: ct)), await BaselineClient.ConnectAsync(room.BaseUri, ct: ct));

    public async Task<StormSample> RunAsync(BaselineRoom room, double votesPerSecond, double seconds, bool broadcastEveryVote, CancellationToken ct)
    {
        var delivery = new Delivery();
        room.Current = delivery;
        var serverCpu = room.Server is { } s ? new CpuMeter(s.CpuSeconds) : null;
        var clientCpu = new CpuMeter(CpuMeter.OwnCpuSeconds);
        var method = broadcastEveryVote ? "BroadcastToRoom" : "NoOp";
        var echoRtt = new Histogram();
        using var stopEcho = new CancellationTokenSource();
        var echoing = Task.Run(async () =>
        {
            while (!stopEcho.IsCancellationRequested)
            {
                var t = Stopwatch.GetTimestamp();
                await echo.InvokeAsync<BaselineMessage>("Echo", room.Message(0), ct);
                echoRtt.Record(Histogram.MsSince(t));
                await Task.Delay(50, ct);
            }
        }, ct);
        var (offered, acked, failed, ackLatency, span) = await Storm.PaceAsync(votesPerSecond, seconds,
            i => voters[(int)(i % voters.Count)].InvokeAsync(method, room.Message(i), ct), ct);
        stopEcho.Cancel();
        await echoing;
        var expected = acked * (long)room.Audience;
        var deadline = Stopwatch.GetTimestamp() + 3 * Stopwatch.Frequency;
        while (broadcastEveryVote && delivery.Delivered < expected && Stopwatch.GetTimestamp() < deadline)
        {
            await Task.Delay(20, ct);
        }
        room.Current = null;
        return new StormSample("baseline", room.Audience, votesPerSecond, offered, acked, failed, acked / span, ackLatency.Percentile(95),
            null, null, delivery.Latency.Percentile(50), delivery.Latency.Percentile(95),
            expected == 0 ? 0 : delivery.Delivered / (double)expected, delivery.Latency.Percentile(50), delivery.Latency.Percentile(95), room.Audience == 0 ? 0 : delivery.Delivered / (double)room.Audience / span,
            echoRtt.Percentile(50), echoRtt.Percentile(95), serverCpu?.Share ?? double.NaN, clientCpu.Share);
    }

    public async ValueTask DisposeAsync()
    {
        await Many.DisposeAllAsync(voters);
        await echo.DisposeAsync();
    }
}

public static class Storm
{
    /// <summary>
    /// Calls <paramref name="send"/> at a fixed rate for a while (open loop, at most 4,000 calls in flight: past that a call is
    /// not offered, so an overloaded server shows as lower ingest rather than an ever longer queue in the client).
    /// </summary>
    public static async Task<(long Offered, long Acked, long Failed, Histogram AckLatency, double Seconds)> PaceAsync(
        double rate, double seconds, Func<long, Task> send, CancellationToken ct)
    {
        var count = (long)Math.Ceiling(rate * seconds);
        long acked = 0, failed = 0, inFlight = 0, offered = 0;
        var latency = new Histogram();
        var start = Stopwatch.GetTimestamp();
        var tasks = new List<Task>();
        // Sends in small batches per timer tick: one core cannot wake every 0.5 ms.
        for (long i = 0; i < count;)
        {
            var dueNow = Math.Min(count, (long)(Stopwatch.GetElapsedTime(start).TotalSeconds * rate) + 1);
            for (; i < dueNow; i++)
            {
                if (Interlocked.Read(ref inFlight) >= 4000)
                {
                    continue;
                }
                offered++;
                Interlocked.Increment(ref inFlight);
                var t = Stopwatch.GetTimestamp();
                var n = i;
                tasks.Add(Task.Run(async () =>
                {
                    try
                    {
                        await send(n);
                        latency.Record(Histogram.MsSince(t));
                        Interlocked.Increment(ref acked);
                    }
                    catch (Exception)
                    {
                        Interlocked.Increment(ref failed);
                    }
                    finally
                    {
                        Interlocked.Decrement(ref inFlight);
                    }
                }, ct));
            }
            await Task.Delay(5, ct);
        }
        await Task.WhenAny(Task.WhenAll(tasks), Task.Delay(TimeSpan.FromSeconds(10), ct));
        var span = Math.Max(seconds, Stopwatch.GetElapsedTime(start).TotalSeconds);
        return (offered, Interlocked.Read(ref acked), Interlocked.Read(ref failed), latency, span);
    }
}
