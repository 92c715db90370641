using LiveHub.Bench.Report;

namespace LiveHub.Bench.Scenarios;

public sealed partial class Suite
{
    /// <summary>1. N phones in one session, a moderator action every 100 ms, against the baseline's Clients.All with the same N and payload.</summary>
    private async Task FanOutAsync(LiveHubRoom lh, BaselineRoom bl, ScenarioResult r, CancellationToken ct)
    {
        var n = settings.Audience;
        await lh.SetAudienceAsync(n, ct);
        await bl.SetAudienceAsync(n, ct);
        // A short warm-up on each side: JIT and the first database pages, outside the measurement.
        await FanOut.RunAsync(lh, settings.UpdatesPerSecond, 1, ct);
        bl.MatchPayload(lh.PayloadBytes);
        await FanOut.RunAsync(bl, settings.UpdatesPerSecond, 1, ct);
        var live = await FanOut.RunAsync(lh, settings.UpdatesPerSecond, settings.RunSeconds, ct);
        Log(live);
        var bare = await FanOut.RunAsync(bl, settings.UpdatesPerSecond, settings.RunSeconds, ct);
        Log(bare);
        _fanOutLiveHub = live;
        _fanOutBaseline = bare;
        r.Add("audience connections", n, n, "connections");
        r.Add("payload", lh.PayloadBytes, lh.PayloadBytes, "bytes");
        AddFanOut(r, live, bare);
        r.Checks.Add(new Check("fan-out msgs/s vs baseline Clients.All", live.MsgsPerSecond, bare.MsgsPerSecond, "baseline", ">=", 0.85, "msg/s"));
        r.Notes.Add($"Updates at {settings.UpdatesPerSecond}/s alternate approve and put-on-screen; the audience sees QuestionApproved / QuestionOnScreenChanged. " +
                    "Latency is from the moderator's send to each phone's arrival, both on the bench's clock; it includes LiveHub's database write.");
    }

    private static void AddFanOut(ScenarioResult r, FanOutSample live, FanOutSample reference, string prefix = "")
    {
        r.Add(prefix + "delivered msgs/s", live.MsgsPerSecond, reference.MsgsPerSecond, "msg/s");
        r.Add(prefix + "delivered share", live.DeliveredShare, reference.DeliveredShare, "");
        r.Add(prefix + "latency p50", live.P50, reference.P50, "ms");
        r.Add(prefix + "latency p95", live.P95, reference.P95, "ms");
        r.Add(prefix + "latency p99", live.P99, reference.P99, "ms");
        r.Add(prefix + "server CPU (core 0)", live.ServerCpu, reference.ServerCpu, "cores");
        r.Add(prefix + "client CPU (bench)", live.ClientCpu, reference.ClientCpu, "cores");
    }
}
