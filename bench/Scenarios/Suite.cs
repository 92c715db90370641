using System.Diagnostics;
using LiveHub.Bench.Report;
using LiveHub.Bench.Servers;

namespace LiveHub.Bench.Scenarios;

/// <summary>The ten scenarios, in the order of priority, sharing one LiveHub and one baseline where they can.</summary>
public sealed partial class Suite(BenchSettings settings, Launcher launcher, BenchReport report, TextWriter log)
{
    private readonly Dictionary<int, ScenarioResult> _results = [];
    private FanOutSample? _fanOutLiveHub;
    private FanOutSample? _fanOutBaseline;

    public static readonly (int Id, string Title)[] Titles =
    [
        (1, "Room fan-out"), (2, "Vote storm"), (3, "Capacity ramp"), (4, "Memory per idle connection"),
        (5, "Question burst"), (6, "Backplane tax"), (7, "Slow clients"), (8, "Keynote mix"),
        (9, "PostgreSQL store"), (10, "Three nodes behind nginx"),
    ];

    public async Task RunAsync(CancellationToken ct)
    {
        foreach (var (id, title) in Titles)
        {
            _results[id] = new ScenarioResult(id, title);
            if (!settings.Only.Contains(id))
            {
                _results[id].Skipped = "not selected (--only)";
            }
        }

        // Scenarios 1, 5, 2, 3, 7 share one LiveHub and one baseline; 4, 6, 8, 9 and 10 need fresh servers of their own.
        if (new[] { 1, 2, 3, 5, 7 }.Any(settings.Only.Contains))
        {
            await using var liveHub = settings.Target is null ? await launcher.StartLiveHubAsync("livehub") : null;
            await using var baseline = await launcher.StartBaselineAsync("baseline");
            await using var lh = await LiveHubRoom.OpenAsync(settings.Target ?? liveHub!.BaseUri, liveHub, settings, ct);
            await using var bl = await BaselineRoom.OpenAsync(baseline.BaseUri, baseline, ct);
            await Step(1, () => FanOutAsync(lh, bl, _results[1], ct));
            await Step(5, () => QuestionBurstAsync(lh, _results[5], ct));
            await Step(2, () => VoteStormAsync(lh, bl, _results[2], ct));
            await Step(3, () => CapacityRampAsync(lh, bl, _results[3], ct));
            await Step(7, () => SlowClientsAsync(lh, bl, _results[7], ct));
        }
        await Step(4, () => MemoryAsync(_results[4], ct));
        await Step(6, () => BackplaneAsync(_results[6], ct));
        await Step(8, () => KeynoteAsync(_results[8], ct));
        await Step(9, () => PostgresAsync(_results[9], ct));
        await Step(10, () => ClusterAsync(_results[10], ct));
        report.Scenarios.AddRange(_results.Values.OrderBy(r => r.Id));
    }

    private async Task Step(int id, Func<Task> run)
    {
        var result = _results[id];
        if (result.Skipped is not null)
        {
            return;
        }
        log.WriteLine($"--- {id}. {result.Title}");
        var started = Stopwatch.GetTimestamp();
        try
        {
            await run();
        }
        catch (Exception ex)
        {
            result.Error = ex.Message;
            log.WriteLine($"scenario {id} failed: {ex}");
        }
        result.Seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
    }

    private void Log(FanOutSample s) => log.WriteLine("  " + FanOut.Describe(s));

    private void Log(StormSample s) => log.WriteLine(
        $"  {s.Side,-8} phones={s.Phones} votes {s.Acked}/{s.Offered} ok ({s.Failed} failed) {s.IngestPerSecond:0}/s ack p95={s.AckP95:0.0} " +
        $"screen p50/p95={s.ScreenP50:0.0}/{s.ScreenP95:0.0} phone p50/p95={s.PhoneP50:0.0}/{s.PhoneP95:0.0} ({s.PhoneDeliveredShare:P0}) " +
        $"frames/phone/s={s.FramesPerPhonePerSecond:0.0} echo p50/p95={s.EchoP50:0.0}/{s.EchoP95:0.0} cpu server={s.ServerCpu:P0} client={s.ClientCpu:P0}");

    private static double? Mib(long bytes) => bytes / 1048576.0;
}
