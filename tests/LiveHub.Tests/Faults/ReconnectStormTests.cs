using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Net;
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

    [Fact]
    public async Task TwoThousandPhonesReconnectingAtOnceAreAllBackWithinAMinuteAndOnlyEverToldToRetry()
    {
        RequireOpenFiles(4 * Phones + 2000);
        var clock = Stopwatch.StartNew();
        await using var server = await LiveHubServer.StartAsync();
        var e = await server.CreateEventAsync();
        using var counts = new ServerCounts(server.Services);
        var cookies = await CookiesAsync(server.BaseUri, Phones);

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
                var ready = clock.Elapsed;
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
                output.WriteLine($"phones: {Phones}; connected and joined before the drop after {ready.TotalSeconds:0.0} s (setup included)");
                output.WriteLine($"outage: resets until the server counted 0 connections, {outage.TotalSeconds:0.0} s");
                output.WriteLine($"back with a snapshot: {back.Count} of {Phones}; 50% after {Percentile(back, 0.50)}, 95% after {Percentile(back, 0.95)}, " +
                    $"100% after {Percentile(back, 1.0)} (from the drop)");
                output.WriteLine($"joins shed (slow_down, retryable): {ledger.Shed} answered to phones, {shedByServer} counted by the server; " +
                    $"other refusals: {ledger.Refusals.Count - ledger.Shed}; refused or hung handshakes: {ledger.FailedHandshakes}");
                output.WriteLine($"peak joins in flight (phones' view): {ledger.PeakJoinsInFlight}; peak joins running on the server: " +
                    $"{server.Services.GetRequiredService<JoinGate>().Peak} (whole run)");
                foreach (var group in ledger.Refusals.GroupBy(r => r).OrderByDescending(g => g.Count()).Take(10))
                {
                    output.WriteLine($"  {group.Count()} x {group.Key}");
                }

                Assert.True(back.Count == Phones && back[^1] <= AllBackWithin,
                    $"every phone is back with its snapshots within {AllBackWithin.TotalSeconds:0} s of the drop: {back.Count} of {Phones} were");
                Assert.All(ledger.Refusals, r => Assert.Matches("^(slow_down|unavailable) retryable ", r));
                Assert.Empty(ledger.Unexpected.Select(x => x.ToString()).Take(5));
                await TestClient.EventuallyAsync(() => counts.Connections == Phones,
                    $"the server counts {Phones} connections again (it counts {counts.Connections})", TimeSpan.FromSeconds(15));
                Assert.All(running, t => Assert.False(t.IsCompleted, $"a phone stopped: {t.Exception}"));
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

        using var http = new HttpClient { BaseAddress = server.BaseUri, Timeout = TestClient.Timeout };
        using var ready2 = await http.GetAsync("/health/ready");
        Assert.Equal(HttpStatusCode.OK, ready2.StatusCode);
        output.WriteLine($"the server answers /health/ready {(int)ready2.StatusCode} after the storm; wall time {clock.Elapsed.TotalSeconds:0.0} s");
        output.WriteLine($"fault-ledger: case=\"2,000 clients reconnecting at once\" acked=0 lost=0 doubled=0");
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

    /// <summary>One participant cookie per phone, from the pages' probe (GET /health/live), as a phone's first request gets one.</summary>
    private static async Task<string[]> CookiesAsync(Uri server, int count)
    {
        using var http = new HttpClient(new SocketsHttpHandler { UseCookies = false, MaxConnectionsPerServer = 16 }) { BaseAddress = server };
        var cookies = new string[count];
        await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (i, ct) =>
        {
            using var response = await http.GetAsync("/health/live", ct);
            response.EnsureSuccessStatusCode();
            cookies[i] = response.Headers.GetValues("Set-Cookie").Select(v => v.Split(';')[0]).Single(v => v.StartsWith("lh_pid=", StringComparison.Ordinal));
        });
        return cookies;
    }

    private static string Percentile(List<TimeSpan> sorted, double p) =>
        sorted.Count == 0 ? "-" : $"{sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Count) - 1, 0, sorted.Count - 1)].TotalSeconds:0.0} s";

    /// <summary>Fails at once, saying why, where the process may not open a socket for every phone, proxy leg and server side.</summary>
    private static void RequireOpenFiles(int needed)
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }
        var line = File.ReadLines("/proc/self/limits").FirstOrDefault(l => l.StartsWith("Max open files", StringComparison.Ordinal));
        var soft = line?.Split(' ', StringSplitOptions.RemoveEmptyEntries)[3];
        Assert.True(soft is null or "unlimited" || long.Parse(soft) >= needed,
            $"this test opens about {needed} sockets in one process; the open-file limit is {soft} (raise it with ulimit -n)");
    }

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
