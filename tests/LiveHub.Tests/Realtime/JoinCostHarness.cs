using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using LiveHub.Events;
using LiveHub.Realtime;
using LiveHub.Tests.Faults;
using LiveHub.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace LiveHub.Tests.Realtime;

/// <summary>
/// A crowd of raw-WebSocket phones (participant cookie, connect, JoinEvent, JoinSession) joining one in-process server at
/// once: every phone holds its snapshots and nothing unexpected happens. Every test run sends 200; for the join figures in
/// docs/capacity.md it is run larger, with the time, the process CPU per phone and the server's own meters (hub call and
/// store durations) in its output:
/// <c>LIVEHUB_JOIN_HARNESS=2000 taskset -c 1 dotnet test tests/LiveHub.Tests --no-build --filter FullyQualifiedName~JoinCostHarness</c>.
/// </summary>
public sealed class JoinCostHarness(ITestOutputHelper output)
{
    [Fact]
    public async Task ACrowdJoinsAndEveryPhoneHoldsItsSnapshots()
    {
        var phones = int.TryParse(Environment.GetEnvironmentVariable("LIVEHUB_JOIN_HARNESS"), out var asked) ? asked : 200;
        var settings = new Dictionary<string, string?>
        {
            ["LiveHub:Realtime:JoinQueue"] = "100000",
            ["LiveHub:Realtime:JoinWaitMilliseconds"] = "60000",
        };
        // LIVEHUB_JOIN_HARNESS_REDIS=1: the node on the Redis backplane, as deployed.
        await using var redis = Environment.GetEnvironmentVariable("LIVEHUB_JOIN_HARNESS_REDIS") == "1" ? await RedisServer.StartAsync() : null;
        if (redis is not null)
        {
            settings["ConnectionStrings:Redis"] = redis.ConnectionString;
        }
        // LIVEHUB_JOIN_HARNESS_PG=1: on PostgreSQL instead of SQLite.
        await using var postgres = Environment.GetEnvironmentVariable("LIVEHUB_JOIN_HARNESS_PG") == "1" ? await PostgresServer.StartAsync() : null;
        if (postgres is not null)
        {
            settings["ConnectionStrings:Postgres"] = postgres.NewDatabase();
        }
        await using var server = await LiveHubServer.StartAsync(settings);
        var e = await server.CreateEventAsync(sampleQuestions: true);
        var cookies = await StormPhone.CookiesAsync(server.BaseUri, phones);
        using var meters = new Meters(server.Services);

        var ledger = new StormLedger();
        using var stop = new CancellationTokenSource();
        var hub = new Uri(server.BaseUri, "/hub");
        hub = new UriBuilder(hub) { Scheme = "ws" }.Uri;
        var crowd = cookies.Select((cookie, i) => new StormPhone(i, hub, cookie, e.Code, e.Keynote, ledger)).ToList();
        var process = Process.GetCurrentProcess();
        var cpu = process.TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        // LIVEHUB_JOIN_HARNESS_INFLIGHT=N: at most N phones connecting or joining at a time; all at once without it.
        var inFlight = int.TryParse(Environment.GetEnvironmentVariable("LIVEHUB_JOIN_HARNESS_INFLIGHT"), out var n) ? n : phones;
        var running = new List<Task>();
        foreach (var phone in crowd)
        {
            while (running.Count - ledger.Joined >= inFlight)
            {
                await Task.Delay(1);
            }
            running.Add(Task.Run(() => phone.RunAsync(stop.Token)));
        }
        await TestClient.EventuallyAsync(() => ledger.Joined == phones, $"all {phones} phones joined ({ledger.Joined})", TimeSpan.FromSeconds(300));
        var wall = clock.Elapsed;
        process.Refresh();
        var used = process.TotalProcessorTime - cpu;
        output.WriteLine($"{(redis is null ? "one node" : "Redis backplane")}{(postgres is null ? ", SQLite" : ", PostgreSQL")}, {inFlight} in flight: {phones} phones joined in {wall.TotalSeconds:0.00} s ({phones / wall.TotalSeconds:0} joins/s); process CPU (phones and server) " +
            $"{used.TotalSeconds:0.00} s, {used.TotalMicroseconds / phones:0} µs per phone; refusals {ledger.Refusals.Count}, failed handshakes {ledger.FailedHandshakes}");
        foreach (var group in ledger.Refusals.GroupBy(r => r.What).OrderByDescending(g => g.Count()).Take(5))
        {
            output.WriteLine($"  refused {group.Count()} x {group.Key}");
        }
        foreach (var line in meters.Report(phones))
        {
            output.WriteLine(line);
        }
        await stop.CancelAsync();
        foreach (var phone in crowd)
        {
            phone.Abort();
        }
        await Task.WhenAll(running).WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Empty(ledger.Unexpected.Select(x => x.ToString()).Take(5));
    }

    /// <summary>Sum and count of the server's hub call and store durations, by method and operation.</summary>
    private sealed class Meters : IDisposable
    {
        private readonly MeterListener _listener = new();
        private readonly ConcurrentDictionary<string, (long Count, double Ms)> _totals = new();

        public Meters(IServiceProvider services)
        {
            var factory = services.GetRequiredService<IMeterFactory>();
            services.GetRequiredService<LiveHubMetrics>();
            _listener.InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Scope == factory && instrument.Name is "livehub.hub.call.duration" or "livehub.db.duration")
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            };
            _listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) =>
            {
                var name = instrument.Name + " " + string.Join(",", tags.ToArray().Select(t => t.Value));
                _totals.AddOrUpdate(name, (1, value), (_, t) => (t.Count + 1, t.Ms + value));
            });
            _listener.Start();
        }

        public IEnumerable<string> Report(int phones) => _totals.OrderBy(t => t.Key)
            .Select(t => $"  {t.Key}: {t.Value.Count} calls ({(double)t.Value.Count / phones:0.0} per phone), mean {t.Value.Ms / t.Value.Count:0.000} ms");

        public void Dispose() => _listener.Dispose();
    }
}
