using System.Globalization;
using System.Text.RegularExpressions;
using LiveHub.Bench.Clients;
using LiveHub.Bench.Report;
using LiveHub.Bench.Servers;

namespace LiveHub.Bench.Scenarios;

public sealed partial class Suite
{
    /// <summary>
    /// 10. Three LiveHub nodes on one PostgreSQL and one redis-server, behind nginx with the shipped site file, against one node
    /// on PostgreSQL without Redis or nginx: the same lean audience ramp at <see cref="BenchSettings.ClusterUpdatesPerSecond"/>
    /// (the moderator's updates sent through the front door, each phone's latency measured as in scenario 3). Everything on
    /// the servers' side shares the server core, so the ratio is the tax of the backplane, the proxy and three processes for
    /// the same core, not what three machines would carry.
    /// </summary>
    private async Task ClusterAsync(ScenarioResult r, CancellationToken ct)
    {
        if (settings.Target is not null)
        {
            r.Skipped = "--target: needs fresh servers of its own";
            return;
        }
        var missing = settings.RedisServer is null || !File.Exists(settings.RedisServer) ? "redis-server is not installed"
            : BenchNginx.Executable is null ? "nginx is not installed"
            : BenchPostgres.Missing(settings);
        if (missing is not null)
        {
            r.Skipped = missing;
            return;
        }
        // nginx holds two open files per phone (the phone's connection and the upstream's) under the same limit as every process.
        var limit = LeanAudience.OpenFileLimit() ?? 20000;
        var steps = settings.ClusterSteps.Where(n => 2 * n + 1000 <= limit).ToArray();
        if (steps.Length < settings.ClusterSteps.Length)
        {
            r.Notes.Add($"Steps above {(limit - 1000) / 2} phones were skipped: nginx holds two open files per phone and the limit here is {limit}.");
        }
        await using var postgres = await BenchPostgres.StartAsync(settings);
        var rate = settings.ClusterUpdatesPerSecond;
        var results = new Dictionary<string, ClusterRamp>();
        await using (var single = await launcher.StartLiveHubAsync("livehub-pg", postgres: postgres.NewDatabase("one")))
        {
            results["one node"] = await ClusterRampAsync("one node", single.BaseUri, [single], steps, rate, ct);
        }
        var (redis, redisAddress) = await launcher.StartRedisAsync();
        await using (redis)
        {
            var database = postgres.NewDatabase("three");
            var nodes = new List<ServerProcess>();
            try
            {
                string[] Node(int i) => [$"--LiveHub:ScaleOut:NodeId=node-{i}", "--LiveHub:Web:TrustedProxies:0=127.0.0.1"];
                // The first node migrates the database and loads the demo event; the other two find both there. One at a
                // time, so a node that fails to start leaves the ones before it listed for stopping.
                for (var i = 1; i <= 3; i++)
                {
                    nodes.Add(await launcher.StartLiveHubAsync($"node-{i}", redisAddress, database, Node(i)));
                }
                await using var nginx = await BenchNginx.StartAsync(settings, nodes.Select(n => n.BaseUri.Port).ToList(), limit);
                results["three nodes"] = await ClusterRampAsync("three nodes", nginx.BaseUri, [.. nodes, redis, nginx], steps, rate, ct,
                    perNode: nodes);
            }
            finally
            {
                foreach (var node in nodes)
                {
                    await node.DisposeAsync();
                }
            }
        }
        var (one, three) = (results["one node"], results["three nodes"]);
        r.Add($"audience at {rate:0} updates/s, p95 < {settings.LatencyLimitMs} ms (reference: one node)", three.Cap, one.Cap, "phones");
        r.Add("p95 at the largest step both passed (reference: one node)", three.P95At(Math.Min(three.Cap, one.Cap)), one.P95At(Math.Min(three.Cap, one.Cap)), "ms");
        r.Add("server core at the largest step both passed, every process on it (reference: one node)",
            three.CoreAt(Math.Min(three.Cap, one.Cap)) * 100, one.CoreAt(Math.Min(three.Cap, one.Cap)) * 100, "% of one core");
        r.Add("bench core at the last step tried (reference: one node)", three.Stop?.ClientCpu * 100, one.Stop?.ClientCpu * 100, "% of one core");
        var bound = (three.Crossed, one.Crossed) switch
        {
            (false, false) => "neither side crossed the limit within the largest step",
            (false, true) => "three nodes never crossed the limit: their audience is a lower bound, the ratio too",
            (true, false) => "one node never crossed the limit: its audience is a lower bound, the ratio an upper bound",
            _ => null,
        };
        if (bound is not null)
        {
            r.Notes.Add($"Audience: {bound}.");
        }
        r.Checks.Add(new Check("cluster: every step's updates delivered vs sent", three.Delivered, three.Expected, "sent", ">=", 0.99, "updates"));
        r.Checks.Add(new Check("cluster: phones on the least-loaded node vs an even share", three.LeastLoadedShare, 1, "an even third", ">=", 0.5, "share"));
        r.Notes.Add($"Phones per node at each step of the cluster (nginx's round robin of the WebSocket upgrades): {string.Join("; ", three.Spread)}.");
        r.Notes.Add($"Server core by process during each step (share of one core), three nodes: {string.Join("; ", three.CpuSplit)}. " +
                    $"One node: {string.Join("; ", one.CpuSplit)}.");
        r.Notes.Add($"Steps: {string.Join(", ", steps)} phones through the front door, {settings.RampStepSeconds} s at {rate:0} updates/s each; a step passes " +
                    $"with p95 < {settings.LatencyLimitMs} ms and 99% delivered. One node: LiveHub on PostgreSQL, phones straight to it. Three nodes: " +
                    "LiveHub ×3 on one PostgreSQL database and one redis-server (SignalR's Redis backplane and LiveHub's own channels), " +
                    "nginx 1 worker with deploy/nginx/livehub.conf in front, every phone, the moderator and the askers through nginx. " +
                    "All servers of both sides are pinned to the server core (core 0), PostgreSQL too; the bench's phones to core 1. " +
                    "So the cluster's figure is what three nodes carry on the core one node has: the backplane's and the proxy's cost, " +
                    "not the capacity of three machines. 'Server core' is core 0's busy share from /proc/stat, every process on it counted.");
    }

    private sealed record ClusterRamp(int Cap, bool Crossed, RampPoint? Stop, List<RampPoint> Points, long Delivered, long Expected, List<string> Spread,
        double? LeastLoadedShare, List<string> CpuSplit)
    {
        public double? P95At(int step) => Points.FirstOrDefault(p => p.Connections == step)?.P95Ms;
        public double? CoreAt(int step) => Points.FirstOrDefault(p => p.Connections == step)?.ServerCpu;
    }

    private async Task<ClusterRamp> ClusterRampAsync(string side, Uri front, IReadOnlyList<ServerProcess> servers, int[] steps, double rate,
        CancellationToken ct, IReadOnlyList<ServerProcess>? perNode = null)
    {
        await using var lh = await LiveHubRoom.OpenAsync(front, null, settings, ct);
        await using var room = LeanRoom.Of(lh, settings.SourceAddresses);
        var series = new RampSeries($"{side} (cluster scenario)", rate, []);
        var (cap, crossed) = (0, false);
        RampPoint? stop = null;
        long delivered = 0, expected = 0;
        var spread = new List<string>();
        double? leastLoaded = null;
        var splits = new List<string>();
        foreach (var step in steps)
        {
            await room.SetAudienceAsync(step, ct);
            await SettleAsync(servers, ct);
            var cpuBefore = servers.Select(p => p.TreeCpuSeconds()).ToArray();
            var s = await FanOut.RunAsync(room, rate, settings.RampStepSeconds, ct);
            var cpu = servers.Select((p, i) => (p.Name, Share: (p.TreeCpuSeconds() - cpuBefore[i]) / s.Seconds)).ToList();
            var split = string.Join(", ", cpu.Select(c => $"{c.Name} {c.Share:P0}")) + $", the rest of core 0 (PostgreSQL, others) {Math.Max(0, s.Core0Busy - cpu.Sum(c => c.Share)):P0}";
            (delivered, expected) = (delivered + s.Delivered, expected + s.Expected);
            var point = new RampPoint(step, s.P95, s.P50, s.MsgsPerSecond, s.DeliveredShare)
            {
                ServerCpu = s.Core0Busy, ClientCpu = s.ClientCpu, ClientBound = s.ClientCpu > ClientCoreLimit,
            };
            series.Points.Add(point);
            log.WriteLine($"  {side}: " + FanOut.Describe(s) + $" core 0 {s.Core0Busy:P0}: {split}");
            splits.Add($"{step}: {split}");
            if (perNode is not null)
            {
                var counts = await Task.WhenAll(perNode.Select(n => ConnectionsAsync(n.BaseUri, ct)));
                spread.Add($"{step}: {string.Join(" / ", counts.Select(c => c.ToString("0", CultureInfo.InvariantCulture)))}");
                log.WriteLine($"    connections per node {spread[^1]}");
                // A node's phones against an even share of the step (the moderator and the askers are a few more).
                var share = counts.Min() / (step / (double)perNode.Count);
                leastLoaded = leastLoaded is { } l ? Math.Min(l, share) : share;
            }
            stop = point;
            if (!(s.P95 < settings.LatencyLimitMs) || s.DeliveredShare < 0.99)
            {
                crossed = true;
                break;
            }
            cap = step;
        }
        report.Ramps.Add(series);
        await room.SetAudienceAsync(0, ct);
        return new ClusterRamp(cap, crossed, stop, series.Points, delivered, expected, spread, leastLoaded, splits);
    }

    /// <summary>Open hub connections on one node (<c>livehub_connections</c> on its /metrics).</summary>
    private static async Task<double> ConnectionsAsync(Uri node, CancellationToken ct)
    {
        using var http = new HttpClient();
        var text = await http.GetStringAsync(new Uri(node, "/metrics"), ct);
        return ConnectionsGauge().Matches(text).Sum(m => double.Parse(m.Groups["value"].Value, CultureInfo.InvariantCulture));
    }

    [GeneratedRegex(@"^livehub_connections(\{[^}]*\})?\s+(?<value>[0-9.eE+-]+)", RegexOptions.Multiline)]
    private static partial Regex ConnectionsGauge();
}
