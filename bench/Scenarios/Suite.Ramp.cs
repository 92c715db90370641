using LiveHub.Bench.Clients;
using LiveHub.Bench.Report;
using LiveHub.Bench.Servers;

namespace LiveHub.Bench.Scenarios;

public sealed partial class Suite
{
    /// <summary>The bench's own core above this share during a step makes the step's figure the bench's, not the server's.</summary>
    public const double ClientCoreLimit = 0.85;

    /// <summary>Other processes' share of the server core above which a failed ramp step is run once more.</summary>
    public const double OthersRetryShare = 0.10;

    /// <summary>
    /// 3. Audience added in steps until the update's p95 crosses the limit, at 10 and at 4 room updates per second, both sides.
    /// The audience is <see cref="LeanPhone"/>s on both sides, so the bench's client core is not what stops the ramp.
    /// </summary>
    private async Task CapacityRampAsync(LiveHubRoom lh, BaselineRoom bl, ScenarioResult r, CancellationToken ct)
    {
        await using var leanLh = LeanRoom.Of(lh, settings.SourceAddresses);
        await using var leanBl = LeanRoom.Of(bl, settings.SourceAddresses);
        var clientBound = new List<string>();
        var steps = settings.RampSteps.Where(n => n <= LeanAudience.MaxPhones).ToArray();
        var tooMany = settings.RampSteps.Except(steps).ToArray();
        if (tooMany.Length > 0)
        {
            log.WriteLine($"  skipping steps {string.Join(", ", tooMany)}: above {LeanAudience.MaxPhones} phones (open-file limit {LeanAudience.OpenFileLimit()} less 1,000)");
            r.Notes.Add($"Steps {string.Join(", ", tooMany)} were skipped: each phone holds an open file in the bench and in the server, " +
                        $"and the open-file limit here is {LeanAudience.OpenFileLimit()} (`ulimit -n`).");
        }
        foreach (var rate in steps.Length == 0 ? [] : new[] { 10.0, 4.0 })
        {
            var caps = new Dictionary<string, (int Cap, bool Crossed, RampPoint? Stop)>();
            foreach (var room in new[] { leanLh, leanBl })
            {
                var series = new RampSeries(room.Side, rate, []);
                var cap = 0;
                var crossed = false;
                RampPoint? stop = null;
                foreach (var step in steps)
                {
                    var opening = System.Diagnostics.Stopwatch.StartNew();
                    await room.SetAudienceAsync(step, ct);
                    var opened = opening.Elapsed;
                    FanOutSample s;
                    RampPoint point;
                    for (var attempt = 1; ; attempt++)
                    {
                        var settled = await SettleAsync([lh.Server, bl.Server], ct);
                        var dropped = room.Phones.Dropped;
                        s = await FanOut.RunAsync(room, rate, settings.RampStepSeconds, ct);
                        point = new RampPoint(step, s.P95, s.P50, s.MsgsPerSecond, s.DeliveredShare)
                        {
                            ServerCpu = s.ServerCpu, ClientCpu = s.ClientCpu, ClientBound = s.ClientCpu > ClientCoreLimit,
                            OthersCore0 = Math.Max(0, s.Core0Busy - (double.IsNaN(s.ServerCpu) ? 0 : s.ServerCpu)),
                            OthersCore1 = Math.Max(0, s.Core1Busy - s.ClientCpu),
                        };
                        Log(s);
                        log.WriteLine($"    opened to {step} in {opened.TotalSeconds:0.0} s (servers {(settled ? "quiet" : "still busy")} before the run); " +
                                      $"other processes took {point.OthersCore0:P0} of core 0 and {point.OthersCore1:P0} of core 1; dropped during the step {room.Phones.Dropped - dropped}, " +
                                      $"join retries so far {room.Phones.JoinRetries}, source addresses {room.Phones.SourceAddresses}" +
                                      (point.ClientBound ? $"; client core above {ClientCoreLimit:P0}: the step's figure is a lower bound" : ""));
                        // A step that failed while other processes took a tenth of the server core (another job on the machine,
                        // or the other server still collecting after its own ramp) measured the machine, not this side: once,
                        // after a pause, it runs again, and both attempts stay in the log.
                        var failed = !(s.P95 < settings.LatencyLimitMs) || s.DeliveredShare < 0.99;
                        if (!failed || attempt > 1 || point.OthersCore0 < OthersRetryShare)
                        {
                            break;
                        }
                        log.WriteLine($"    {room.Side} {step}: failed while other processes took {point.OthersCore0:P0} of the server core; once more after 10 s");
                        await Task.Delay(TimeSpan.FromSeconds(10), ct);
                    }
                    series.Points.Add(point);
                    stop = point;
                    if (!(s.P95 < settings.LatencyLimitMs) || s.DeliveredShare < 0.99)
                    {
                        crossed = true;
                        break;
                    }
                    cap = step;
                }
                caps[room.Side] = (cap, crossed, stop);
                report.Ramps.Add(series);
                await room.SetAudienceAsync(0, ct);
                if (series.Points.Any(p => p.ClientBound))
                {
                    clientBound.Add($"{room.Side} at {rate:0}/s");
                }
            }
            var (liveCap, liveCrossed, liveStop) = caps["LiveHub"];
            var (bareCap, bareCrossed, bareStop) = caps["baseline"];
            r.Add($"capacity at {rate:0} updates/s (last step with p95 < {settings.LatencyLimitMs} ms)", liveCap, bareCap, "connections");
            r.Add($"bench client core at the last step tried, {rate:0} updates/s", liveStop?.ClientCpu * 100, bareStop?.ClientCpu * 100, "% of one core");
            r.Add($"server core at the last step tried, {rate:0} updates/s", liveStop?.ServerCpu * 100, bareStop?.ServerCpu * 100, "% of one core");
            var bound = Bound(liveCrossed, bareCrossed);
            var stoppedByClient = new[] { ("LiveHub", liveStop), ("baseline", bareStop) }.Where(x => x.Item2?.ClientBound == true).Select(x => x.Item1).ToList();
            if (stoppedByClient.Count > 0)
            {
                bound = (bound is null ? "" : bound + "; ") +
                        $"the bench's client core passed {ClientCoreLimit:P0} at the step that stopped {string.Join(" and ", stoppedByClient)}: a lower bound";
            }
            r.Checks.Add(new Check($"capacity at {rate:0} updates/s vs baseline", liveCap, bareCap, "baseline", ">=", 0.85, "connections")
            {
                Bound = bound,
            });
        }
        await CostPerMessageAsync(leanLh, leanBl, r, ct);
        if (steps.Length == 0)
        {
            return;
        }
        r.Notes.Add($"Steps: {string.Join(", ", steps)} connections, {settings.RampStepSeconds} s each; a step passes with p95 < " +
                    $"{settings.LatencyLimitMs} ms and 99% of messages delivered. The plot is bench/results/*-latency.svg. " +
                    "The audience on both sides is the bench's lean client (raw WebSockets reading the JSON hub protocol with span searches, " +
                    $"{LeanAudience.Batch} connecting at a time). Client CPU is the bench process's CPU time over the step's wall time, as a share " +
                    $"of its one core; a step above {ClientCoreLimit:P0} is marked: there the bench may be what limits the figure, so it is a lower bound." +
                    (clientBound.Count > 0 ? $" Client-bound steps occurred in: {string.Join(", ", clientBound)}." : " No step passed that mark."));
    }

    /// <summary>
    /// Server CPU per delivered message, both sides, same lean client, at a size below both ceilings: the server's CPU seconds
    /// over the run divided by the updates the phones read. Also how many pushes a phone got per update (LiveHub sends more
    /// than the measured update when an action changes more than one thing).
    /// </summary>
    private async Task CostPerMessageAsync(LeanRoom lh, LeanRoom bl, ScenarioResult r, CancellationToken ct)
    {
        foreach (var (rate, asked) in settings.CostRuns)
        {
            var phones = Math.Min(asked, LeanAudience.MaxPhones);
            var cost = new Dictionary<string, double>();
            foreach (var room in new[] { lh, bl })
            {
                await room.SetAudienceAsync(phones, ct);
                await SettleAsync([lh.Server, bl.Server], ct);
                // A warm-up run first: a server that has just joined a crowd is still compiling the send path (tiered
                // compilation's instrumented and optimised tiers), more of it on LiveHub, and that would be counted.
                await FanOut.RunAsync(room, rate, settings.CostWarmUpSeconds, ct);
                await SettleAsync([lh.Server, bl.Server], ct);
                var (records, pings) = (room.Phones.Records, room.Phones.Pings);
                var s = await FanOut.RunAsync(room, rate, settings.CostSeconds, ct);
                var pushes = (room.Phones.Records - records) / Math.Max(1.0, (double)s.Sent * phones);
                var pingsPerPhoneSecond = (room.Phones.Pings - pings) / Math.Max(1.0, phones * s.Seconds);
                cost[room.Side] = s.Delivered == 0 ? double.NaN : s.ServerCpuSeconds * 1e6 / s.Delivered;
                Log(s);
                log.WriteLine($"    {room.Side}: {cost[room.Side]:0.0} µs of server CPU per delivered update, {pushes:0.00} pushes per phone per update, {pingsPerPhoneSecond:0.00} pings per phone per second");
                r.Add($"pushes per phone per update, {rate:0}/s, {phones} phones ({room.Side})", pushes, null, "pushes");
                await room.SetAudienceAsync(0, ct);
            }
            r.Add($"server CPU per delivered update, {rate:0}/s, {phones} phones", cost["LiveHub"], cost["baseline"], "µs");
            r.Checks.Add(new Check($"server CPU per delivered update at {rate:0}/s ({phones} phones) vs baseline", cost["LiveHub"], cost["baseline"],
                "baseline", "<=", rate <= 1 ? 1.2 : 1.1, "µs"));
        }
    }

    /// <summary>
    /// Waits (up to 15 s) until both servers together use under 20 % of their core over half a second: the joins just made, or the connections just
    /// closed, or a backlog left by the previous step would otherwise be measured as the next step's latency.
    /// </summary>
    private static async Task<bool> SettleAsync(IEnumerable<ServerProcess?> servers, CancellationToken ct)
    {
        var running = servers.OfType<ServerProcess>().ToList();
        var until = System.Diagnostics.Stopwatch.StartNew();
        while (until.Elapsed < TimeSpan.FromSeconds(15))
        {
            var meters = running.Select(s => new Measure.CpuMeter(s.CpuSeconds)).ToList();
            await Task.Delay(500, ct);
            if (meters.Sum(m => m.Share) < 0.2)
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>7. 1% of the audience stops reading: the others' delivery and p99 against all-healthy, and the server's memory.</summary>
    private async Task SlowClientsAsync(LiveHubRoom lh, BaselineRoom bl, ScenarioResult r, CancellationToken ct)
    {
        var n = settings.Audience;
        var stalledCount = Math.Max(1, (int)Math.Round(n * settings.SlowFraction));
        var rate = settings.SlowUpdatesPerSecond;
        const int text = 480;
        var samples = new Dictionary<string, (FanOutSample Healthy, FanOutSample WithStalled, MemoryTrace Memory)>();
        var queues = new Dictionary<string, IReadOnlyList<long>>();
        var closed = new Dictionary<string, int>();
        foreach (IRoom room in new IRoom[] { lh, bl })
        {
            await room.SetAudienceAsync(n, ct);
            var healthy = await FanOut.RunAsync(room, rate, settings.SlowSeconds, ct, textLength: text);
            Log(healthy);
            if (room is LiveHubRoom)
            {
                bl.MatchPayload(lh.PayloadBytes);
            }
            var stalled = await Many.OpenAsync(stalledCount, 16, _ => room.ConnectStalledAsync(ct));
            MemoryTrace? trace = null;
            FanOutSample withStalled;
            try
            {
                trace = room.Server is { } server ? MemoryTrace.Start(server) : null;
                withStalled = await FanOut.RunAsync(room, rate, settings.SlowSeconds, ct, textLength: text);
                trace?.Stop();
                queues[room.Side] = room.Server is { } s ? SocketQueues.Read(s.BaseUri.Port, stalled.Select(c => c.LocalPort)) : [];
                closed[room.Side] = stalled.Count(c => c.Closed);
            }
            finally
            {
                await Many.DisposeAllAsync(stalled);
            }
            Log(withStalled);
            if (trace is not null)
            {
                log.WriteLine($"  {room.Side} memory with stalled clients: {trace.Describe()}");
            }
            samples[room.Side] = (healthy, withStalled, trace ?? MemoryTrace.Empty);
            await room.SetAudienceAsync(0, ct);
        }
        var (lHealthy, lStalled, lMem) = samples["LiveHub"];
        var (bHealthy, bStalled, bMem) = samples["baseline"];
        r.Add("stalled connections", stalledCount, stalledCount, "connections");
        r.Add("healthy msgs/s, all healthy", lHealthy.MsgsPerSecond, bHealthy.MsgsPerSecond, "msg/s");
        r.Add("healthy msgs/s, 1% stalled", lStalled.MsgsPerSecond, bStalled.MsgsPerSecond, "msg/s");
        r.Add("healthy delivered share, 1% stalled", lStalled.DeliveredShare, bStalled.DeliveredShare, "");
        r.Add("healthy p99, all healthy", lHealthy.P99, bHealthy.P99, "ms");
        r.Add("healthy p99, 1% stalled", lStalled.P99, bStalled.P99, "ms");
        r.Add("updates unanswered or failed, 1% stalled", lStalled.Errors, bStalled.Errors, "updates");
        r.Add("server RSS before / peak growth", Mib(lMem.Peak - lMem.First), Mib(bMem.Peak - bMem.First), "MiB");
        r.Add("stalled connections still open on the server at the end", queues["LiveHub"].Count, queues["baseline"].Count, "connections");
        r.Add("largest server socket send queue to a stalled client at the end", queues["LiveHub"].DefaultIfEmpty().Max() / 1024.0,
            queues["baseline"].DefaultIfEmpty().Max() / 1024.0, "KiB");
        r.Add("stalled clients that found their connection closed", closed["LiveHub"], closed["baseline"], "connections");
        r.Add("server RSS growth rate, second half", lMem.SecondHalfSlopeMibPerSecond, bMem.SecondHalfSlopeMibPerSecond, "MiB/s");
        r.Checks.Add(new Check("healthy delivery rate with 1% stalled vs all healthy", lStalled.MsgsPerSecond, lHealthy.MsgsPerSecond, "LiveHub all healthy", ">=", 0.9, "msg/s"));
        r.Checks.Add(new Check("server memory peak with 1% stalled vs before", lMem.Peak, lMem.First, "LiveHub RSS before", "<=", 1.5, "bytes"));
        r.Notes.Add($"Stalled clients are raw WebSockets with a 4 KiB receive buffer that join the session and never read again (they keep pinging, " +
                    $"so the server keeps them). {rate}/s updates with {text}-character questions for {settings.SlowSeconds} s. " +
                    "Memory counts as bounded when the peak stays within 1.5 x the RSS before the run; the growth rate over the run's second half is reported too. " +
                    "The server's socket send queues to the stalled clients are read with `ss` at the end of the run: a full queue shows the stall reached " +
                    "the server (its kernel buffer full, SignalR's buffers behind it); a connection no longer listed was closed by the server " +
                    "(SignalR's transport send timeout, 10 s). " +
                    "The baseline column is the same experiment on the bare hub.");
    }
}

/// <summary>The server's RSS sampled every 250 ms while a run lasts.</summary>
public sealed class MemoryTrace
{
    private readonly List<(double Seconds, long Rss)> _samples = [];
    private readonly CancellationTokenSource _stop = new();
    private Task _loop = Task.CompletedTask;

    public static MemoryTrace Empty { get; } = new();

    public long First => _samples.Count > 0 ? _samples[0].Rss : 0;
    public long Peak => _samples.Count > 0 ? _samples.Max(s => s.Rss) : 0;
    public long Last => _samples.Count > 0 ? _samples[^1].Rss : 0;

    public double? SecondHalfSlopeMibPerSecond
    {
        get
        {
            var half = _samples.Skip(_samples.Count / 2).ToList();
            if (half.Count < 2)
            {
                return null;
            }
            return (half[^1].Rss - half[0].Rss) / 1048576.0 / Math.Max(0.001, half[^1].Seconds - half[0].Seconds);
        }
    }

    public static MemoryTrace Start(ServerProcess server)
    {
        var trace = new MemoryTrace();
        var watch = System.Diagnostics.Stopwatch.StartNew();
        trace._loop = Task.Run(async () =>
        {
            while (!trace._stop.IsCancellationRequested)
            {
                lock (trace._samples)
                {
                    trace._samples.Add((watch.Elapsed.TotalSeconds, server.RssBytes()));
                }
                try
                {
                    await Task.Delay(250, trace._stop.Token);
                }
                catch (OperationCanceledException)
                {
                }
            }
        });
        return trace;
    }

    public void Stop()
    {
        _stop.Cancel();
        _loop.Wait();
    }

    public string Describe() =>
        $"RSS first {First / 1048576.0:0} MiB, peak {Peak / 1048576.0:0} MiB, last {Last / 1048576.0:0} MiB, second-half slope {SecondHalfSlopeMibPerSecond:0.00} MiB/s";
}

/// <summary>The server's TCP send queues towards given client ports, from <c>ss -tn</c> (Linux).</summary>
public static class SocketQueues
{
    /// <summary>Bytes in the server's send queue for each listed client port that still has an established connection.</summary>
    public static IReadOnlyList<long> Read(int serverPort, IEnumerable<int> clientPorts)
    {
        var wanted = clientPorts.ToHashSet();
        try
        {
            using var ss = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("ss", "-Htn state established")
            {
                RedirectStandardOutput = true,
                UseShellExecute = false,
            })!;
            var output = ss.StandardOutput.ReadToEnd();
            ss.WaitForExit();
            var queues = new List<long>();
            foreach (var line in output.Split('\n', StringSplitOptions.RemoveEmptyEntries))
            {
                // Recv-Q Send-Q Local:Port Peer:Port
                var f = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (f.Length >= 4 && f[2].EndsWith($":{serverPort}", StringComparison.Ordinal)
                    && int.TryParse(f[3][(f[3].LastIndexOf(':') + 1)..], out var peer) && wanted.Contains(peer))
                {
                    queues.Add(long.Parse(f[1], System.Globalization.CultureInfo.InvariantCulture));
                }
            }
            return queues;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return [];
        }
    }
}
