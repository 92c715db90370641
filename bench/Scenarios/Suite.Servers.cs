using LiveHub.Bench.Clients;
using LiveHub.Bench.Report;
using LiveHub.Bench.Servers;
using Microsoft.AspNetCore.SignalR.Client;

namespace LiveHub.Bench.Scenarios;

public sealed partial class Suite
{
    /// <summary>
    /// 4. Resident memory per idle connection, each side in a fresh process: LiveHub phones that joined the event and the session,
    /// baseline connections that joined a group. (RSS after a few seconds' settling; no GC is forced on either side.)
    /// </summary>
    private const int WarmUpConnections = 32;

    private async Task MemoryAsync(ScenarioResult r, CancellationToken ct)
    {
        if (settings.Target is not null)
        {
            r.Skipped = "--target: needs a fresh server of its own";
            return;
        }
        var perConnection = new Dictionary<(string Side, int Step), double>();
        var fromCold = new Dictionary<(string Side, int Step), double>();
        foreach (var side in new[] { "LiveHub", "baseline" })
        {
            await using var server = side == "LiveHub" ? await launcher.StartLiveHubAsync("livehub-memory") : await launcher.StartBaselineAsync("baseline-memory");
            long sessionId = 0;
            if (side == "LiveHub")
            {
                await using var moderator = await LiveHubClient.ConnectAsync(server.BaseUri, ct: ct);
                var e = await moderator.JoinAsync(settings.EventCode, null);
                sessionId = e.Sessions.First(s => s.Key == settings.SessionKey).Id;
            }
            // The audience is the lean client on both sides (as in the ramp and the keynote): a phone is one WebSocket that
            // joined and then only reads, so the server's memory, not the client's way of connecting, is what differs.
            await using var phones = side == "LiveHub"
                ? LeanAudience.ForLiveHub(server.BaseUri, settings.EventCode, sessionId)
                : LeanAudience.ForBaseline(server.BaseUri, BaselineServer.HubPath, BaselineRoom.Group);
            // Cold: the process as started. Then one round of as many connections as are opened at once, opened and
            // closed, so both sides have their join path loaded and their per-process pools sized for that concurrency
            // (LiveHub: the database connections the concurrent joins' snapshot reads use) before the reading that counts.
            await Task.Delay(1000, ct);
            var cold = server.RssBytes();
            await phones.ResizeAsync(WarmUpConnections, ct, window: WarmUpConnections);
            await phones.ResizeAsync(0, ct);
            await Task.Delay(2000, ct);
            var before = server.RssBytes();
            foreach (var step in settings.MemorySteps)
            {
                await phones.ResizeAsync(step, ct, window: WarmUpConnections);
                await Task.Delay(3000, ct);
                var rss = server.RssBytes();
                var per = (rss - before) / (double)step;
                perConnection[(side, step)] = per;
                fromCold[(side, step)] = (rss - cold) / (double)step;
                log.WriteLine($"  {side}: {step} idle connections, RSS cold {cold / 1048576.0:0}, warm {before / 1048576.0:0} -> {rss / 1048576.0:0} MiB, " +
                              $"{per / 1024:0.0} KiB per connection ({fromCold[(side, step)] / 1024:0.0} counted from cold)");
            }
        }
        foreach (var step in settings.MemorySteps)
        {
            var live = perConnection[("LiveHub", step)];
            var bare = perConnection[("baseline", step)];
            r.Add($"RSS per idle connection at {step}", live / 1024, bare / 1024, "KiB");
            r.Add($"RSS per idle connection at {step}, counted from the cold process", fromCold[("LiveHub", step)] / 1024, fromCold[("baseline", step)] / 1024, "KiB");
            r.Checks.Add(new Check($"memory per idle connection at {step} vs baseline", live / 1024, bare / 1024, "baseline", "<=", 1.25, "KiB"));
        }
        r.Notes.Add($"Per connection = (RSS with the connections - RSS before) / connections, read from /proc/PID/status (VmRSS) 3 s after the last one opened; " +
                    $"'before' is read after a warm-up of {WarmUpConnections} connections opened at once and closed, the same on both sides, so per-process " +
                    "costs that depend on how many join at once rather than on how many stay (pools, loaded code) are not divided among the connections. " +
                    "The figure counted from the cold process is reported beside it. " +
                    "Both servers run with the server GC on one core (DOTNET_gcServer=1; LiveHub.Web's default too).");
    }

    /// <summary>6. Scenario 1 on a LiveHub with the Redis backplane (a local redis-server on the server core) against scenario 1 without it.</summary>
    private async Task BackplaneAsync(ScenarioResult r, CancellationToken ct)
    {
        if (settings.Target is not null)
        {
            r.Skipped = "--target: needs a fresh server of its own";
            return;
        }
        if (settings.RedisServer is null || !File.Exists(settings.RedisServer))
        {
            r.Skipped = "redis-server is not installed";
            return;
        }
        var (redis, connectionString) = await launcher.StartRedisAsync();
        await using (redis)
        {
            FanOutSample without, with;
            await using (var plain = await launcher.StartLiveHubAsync("livehub-no-backplane"))
            await using (var room = await LiveHubRoom.OpenAsync(plain.BaseUri, plain, settings, ct))
            {
                await room.SetAudienceAsync(settings.Audience, ct);
                await FanOut.RunAsync(room, settings.UpdatesPerSecond, 1, ct);
                without = await FanOut.RunAsync(room, settings.UpdatesPerSecond, settings.RunSeconds, ct);
                Log(without);
            }
            await using (var scaled = await launcher.StartLiveHubAsync("livehub-redis", connectionString))
            await using (var room = await LiveHubRoom.OpenAsync(scaled.BaseUri, scaled, settings, ct))
            {
                await room.SetAudienceAsync(settings.Audience, ct);
                await FanOut.RunAsync(room, settings.UpdatesPerSecond, 1, ct);
                with = await FanOut.RunAsync(room, settings.UpdatesPerSecond, settings.RunSeconds, ct);
                Log(with);
            }
            AddFanOut(r, with, without);
            r.Add("added latency p50", with.P50 - without.P50, 0, "ms");
            r.Checks.Add(new Check("fan-out msgs/s with Redis backplane vs without", with.MsgsPerSecond, without.MsgsPerSecond, "no backplane", ">=", 0.7, "msg/s"));
            r.Notes.Add("Both sides are fresh LiveHub processes with the same audience and updates as scenario 1; redis-server runs on the server core too, " +
                        "so LiveHub and Redis share one core here (a real cluster gives Redis its own machine).");
        }
    }
}
