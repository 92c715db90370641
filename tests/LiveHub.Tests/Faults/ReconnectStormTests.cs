using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Net;
using System.Runtime.InteropServices;
using LiveHub.Limits;
using LiveHub.Realtime;
using LiveHub.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace LiveHub.Tests.Faults;

/// <summary>
/// A hall's worth of phones loses the server at the same moment (every connection reset between them and it) and comes back
/// together, each with the pages' jittered back-off. The server sheds the joins it cannot take with a typed, retryable
/// answer, nobody falls over, and every phone has its snapshots again within a minute.
/// </summary>
[Collection(FaultCollection.Name)]
public sealed class ReconnectStormTests(ITestOutputHelper output)
{
    private const int Phones = 2000;
    private static readonly TimeSpan AllBackWithin = TimeSpan.FromSeconds(60);
    // The pages' server timeout: 2.5 of the server's 4 s keep-alives.
    private static readonly TimeSpan ServerTimeout = TimeSpan.FromSeconds(10);

    /// <summary>
    /// With the default gate, and with one so small that most joins are shed, so the answer and the phones' retry after it
    /// are seen whether or not the machine happens to cope.
    /// </summary>
    [Theory]
    [InlineData("the default gate", null, null)]
    [InlineData("a gate of 1 join with none waiting", 1, 0)]
    public async Task TwoThousandPhonesReconnectingAtOnceAreAllBackWithinAMinuteAndOnlyEverToldToRetry(string gate, int? joinsAtOnce, int? joinQueue)
    {
        RequireOpenFiles(4 * Phones + 2000);
        var clock = Stopwatch.StartNew();
        var settings = new Dictionary<string, string?>();
        if (joinsAtOnce is { } n)
        {
            settings["LiveHub:Realtime:JoinsAtOnce"] = n.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        if (joinQueue is { } q)
        {
            settings["LiveHub:Realtime:JoinQueue"] = q.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        await using var server = await LiveHubServer.StartAsync(settings);
        var e = await server.CreateEventAsync();
        using var counts = new ServerCounts(server.Services);
        var cookies = await StormPhone.CookiesAsync(server.BaseUri, Phones);

        var ledger = new StormLedger();
        using var stop = new CancellationTokenSource();
        var running = new List<Task>();
        var phones = new List<StormPhone>();
        await using (var proxy = FaultProxy.Start(server.BaseUri))
        {
            var hub = new Uri($"ws://127.0.0.1:{proxy.Port}/hub");
            phones.AddRange(cookies.Select((cookie, i) => new StormPhone(i, hub, cookie, e.Code, e.Keynote, ledger)));
            var ticking = TickAsync(phones, stop.Token);
            try
            {
                running.AddRange(phones.Select(p => Task.Run(() => p.RunAsync(stop.Token))));
                await TestClient.EventuallyAsync(() => ledger.Joined == Phones && counts.Connections == Phones,
                    $"all {Phones} phones have joined before the drop ({ledger.Joined} joined, the server counts {counts.Connections})",
                    TimeSpan.FromSeconds(60));
                var joinedAt = clock.Elapsed;
                var shedBefore = counts.Shed;

                // Every connection reset at once; new ones too, until the server has seen every phone go.
                ledger.Drop();
                proxy.Mode = FaultMode.Reset;
                await TestClient.EventuallyAsync(() => counts.Connections == 0, "the server has seen every phone go", TimeSpan.FromSeconds(20));
                var outage = ledger.SinceDrop;
                proxy.Mode = FaultMode.Pass;

                await TestClient.EventuallyAsync(() => ledger.Back == Phones || ledger.SinceDrop > AllBackWithin,
                    "the phones are back", AllBackWithin + TimeSpan.FromSeconds(5));
                var back = ledger.BackAfter.Order().ToList();
                var shedByServer = counts.Shed - shedBefore;
                output.WriteLine($"{gate}: phones: {Phones}; connected and joined before the drop after {joinedAt.TotalSeconds:0.0} s (setup included)");
                output.WriteLine($"outage: resets until the server counted 0 connections, {outage.TotalSeconds:0.0} s");
                output.WriteLine($"back with a snapshot: {back.Count} of {Phones}; 10% after {Percentile(back, 0.10)}, 50% after {Percentile(back, 0.50)}, 95% after {Percentile(back, 0.95)}, " +
                    $"100% after {Percentile(back, 1.0)} (from the drop)");
                output.WriteLine($"joins shed (slow_down, retryable): {ledger.Shed} answered to phones, {shedByServer} counted by the server; " +
                    $"other refusals: {ledger.Refusals.Count(r => r.AfterDrop) - ledger.Shed}; refused or hung handshakes: {ledger.FailedHandshakes}");
                output.WriteLine($"peak joins in flight (phones' view): {ledger.PeakJoinsInFlight}; peak joins running on the server: " +
                    $"{server.Services.GetRequiredService<JoinGate>().Peak} (whole run)");
                foreach (var group in ledger.Refusals.GroupBy(r => r).OrderByDescending(g => g.Count()).Take(12))
                {
                    output.WriteLine($"  {group.Count()} x {group.Key.What} ({(group.Key.AfterDrop ? "after" : "before")} the drop)");
                }

                Assert.True(back.Count == Phones && back[^1] <= AllBackWithin,
                    $"every phone is back with its snapshots within {AllBackWithin.TotalSeconds:0} s of the drop: {back.Count} of {Phones} were");
                // Typed and retryable, every one: a slow_down says when, an unavailable may not.
                Assert.All(ledger.Refusals, r => Assert.Matches(@"^(slow_down retryable \d+|unavailable retryable (\d+|-)) ", r.What));
                if (joinsAtOnce is not null)
                {
                    // Turned away and back all the same. Whether the storm after the drop reaches the gate bunched enough to be
                    // shed depends on how the phones' back-off spreads it on this machine (refused handshakes during the outage
                    // spread it further); 2,000 phones connecting for the first time always do, and every one of them joined.
                    Assert.True(ledger.ShedInTheRun > 0,
                        $"a gate this small turns joins away ({ledger.ShedInTheRun} slow_down answers in the run, {ledger.Shed} after the drop)");
                }
                Assert.Empty(ledger.Unexpected.Select(x => x.ToString()).Take(5));
                await TestClient.EventuallyAsync(() => counts.Connections == Phones,
                    $"the server counts {Phones} connections again (it counts {counts.Connections})", TimeSpan.FromSeconds(15));
                Assert.All(running, t => Assert.False(t.IsCompleted, $"a phone stopped: {t.Exception}"));
                var ready = await ReadyAsync(server);
                output.WriteLine($"the server answers /health/ready {(int)ready} with its {Phones} phones back");
                Assert.Equal(HttpStatusCode.OK, ready);
            }
            finally
            {
                await stop.CancelAsync();
                foreach (var phone in phones)
                {
                    phone.Abort();
                }
                await Task.WhenAll(running.Append(ticking)).WaitAsync(TimeSpan.FromSeconds(30));
            }
        }

        // Alive and ready once its 2,000 phones are gone as well.
        Assert.Equal(HttpStatusCode.OK, await ReadyAsync(server));
        output.WriteLine($"wall time {clock.Elapsed.TotalSeconds:0.0} s");
        if (joinsAtOnce is null)
        {
            // Joins write nothing: no write to acknowledge, lose or store twice.
            FaultLedger.Record("2,000 clients reconnecting at once", 0, 0, 0, output);
        }
    }

    private static async Task<HttpStatusCode> ReadyAsync(LiveHubServer server)
    {
        using var http = new HttpClient { BaseAddress = server.BaseUri, Timeout = TestClient.Timeout };
        using var response = await http.GetAsync("/health/ready");
        return response.StatusCode;
    }

    /// <summary>Once a second: a ping from each phone that has said nothing for 15 s, and a drop for each the server left silent.</summary>
    private static async Task TickAsync(List<StormPhone> phones, CancellationToken stop)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
        try
        {
            while (await timer.WaitForNextTickAsync(stop))
            {
                await Task.WhenAll(phones.Select(p => p.TickAsync(ServerTimeout)));
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private static string Percentile(List<TimeSpan> sorted, double p) =>
        sorted.Count == 0 ? "-" : $"{sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Count) - 1, 0, sorted.Count - 1)].TotalSeconds:0.0} s";

    /// <summary>
    /// Raises the process's open-file limit to what the test needs (as far as the hard limit allows: one socket per phone,
    /// two per proxied connection, one per server side), or fails at once saying why.
    /// </summary>
    private static void RequireOpenFiles(ulong needed)
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }
        const int openFiles = 7; // RLIMIT_NOFILE
        if (GetLimit(openFiles, out var limit) == 0 && limit.Soft < needed && limit.Hard > limit.Soft)
        {
            limit.Soft = Math.Min(limit.Hard, needed);
            SetLimit(openFiles, ref limit);
            GetLimit(openFiles, out limit);
        }
        Assert.True(limit.Soft >= needed,
            $"this test opens about {needed} sockets in one process; the open-file limit is {limit.Soft} (hard {limit.Hard}): raise it with ulimit -n");
    }

    private struct ResourceLimit
    {
        public ulong Soft;
        public ulong Hard;
    }

    [DllImport("libc", EntryPoint = "getrlimit", SetLastError = true)]
    private static extern int GetLimit(int resource, out ResourceLimit limit);

    [DllImport("libc", EntryPoint = "setrlimit", SetLastError = true)]
    private static extern int SetLimit(int resource, ref ResourceLimit limit);

    /// <summary>The server's own meters: open hub connections and shed joins, as an operator's dashboard reads them.</summary>
    private sealed class ServerCounts : IDisposable
    {
        private readonly MeterListener _listener = new();
        private long _connections;
        private long _shed;

        public ServerCounts(IServiceProvider services)
        {
            var meters = services.GetRequiredService<IMeterFactory>();
            services.GetRequiredService<LiveHubMetrics>();
            _listener.InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Scope == meters && instrument.Name is "livehub.connections" or "livehub.joins.shed")
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            };
            _listener.SetMeasurementEventCallback<long>((instrument, value, _, _) =>
                Interlocked.Add(ref instrument.Name == "livehub.connections" ? ref _connections : ref _shed, value));
            _listener.Start();
        }

        public long Connections => Interlocked.Read(ref _connections);

        public long Shed => Interlocked.Read(ref _shed);

        public void Dispose() => _listener.Dispose();
    }
}
