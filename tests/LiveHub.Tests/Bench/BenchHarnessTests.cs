using LiveHub.Bench;
using LiveHub.Bench.Report;
using LiveHub.Tests.Infrastructure;

namespace LiveHub.Tests.Bench;

/// <summary>
/// Runs the bench in its tiny <c>--smoke</c> size, in process, against LiveHub and the baseline hub it starts as child processes,
/// and checks the harness, not the numbers: every scenario ran and every target has a value for both sides and a ratio.
/// </summary>
public sealed class BenchHarnessTests
{
    [SkippableFact]
    public async Task EveryScenarioProducesBothSidesAndARatio()
    {
        var results = Path.Combine(Path.GetTempPath(), "livehub-bench-test", Guid.NewGuid().ToString("N"));
        var settings = BenchSettings.Smoke with
        {
            ResultsDir = results,
#if DEBUG
            Configuration = "Debug",
#endif
        };
        var log = new StringWriter();
        var report = await BenchRunner.RunAsync(settings, log, CancellationToken.None).WaitAsync(TimeSpan.FromMinutes(6));

        Assert.Equal(LiveHub.Bench.Scenarios.Suite.Titles.Length, report.Scenarios.Count);
        foreach (var scenario in report.Scenarios)
        {
            Assert.True(scenario.Error is null, $"scenario {scenario.Id} failed: {scenario.Error}\n{log}");
            if (scenario.Id is 6 or 9 or 10 && scenario.Skipped is not null)
            {
                // The backplane needs redis-server, the PostgreSQL store PostgreSQL, the cluster both and nginx: a developer
                // machine without them skips, CI installs them.
                Services.Require(false, $"bench scenario {scenario.Id}: {scenario.Skipped}");
            }
            Assert.True(scenario.Skipped is null, $"scenario {scenario.Id} skipped: {scenario.Skipped}");
            Assert.NotEmpty(scenario.Checks);
            foreach (var check in scenario.Checks)
            {
                Assert.True(check.LiveHub is not null && check.Reference is not null && check.Ratio is not null,
                    $"scenario {scenario.Id}, {check.Name}: LiveHub {check.LiveHub}, reference {check.Reference}, ratio {check.Ratio}");
            }
        }
        // The keynote's votes are a matter of correctness, not speed: every phone's vote acknowledged and stored once.
        var keynote = report.Scenarios.Single(s => s.Id == 8).Checks;
        foreach (var name in new[] { "keynote: votes acknowledged vs phones", "keynote: votes stored vs acknowledged", "keynote: vote choices stored vs acknowledged (each once)" })
        {
            var check = keynote.Single(c => c.Name == name);
            Assert.True(check.Pass == true && check.Ratio == 1, $"{name}: {check.LiveHub} against {check.Reference}\n{log}");
        }
        // The cluster carried its phones through nginx, spread over its three nodes, every update delivered.
        var cluster = report.Scenarios.Single(s => s.Id == 10);
        Assert.True(cluster.Checks.Single(c => c.Name == "cluster: every step's updates delivered vs sent").Pass == true, log.ToString());
        Assert.Contains(report.Ramps, r => r.Side.StartsWith("three nodes", StringComparison.Ordinal) && r.Points.Count == BenchSettings.Smoke.ClusterSteps.Length);
        Assert.Contains(report.Ramps, r => r.Side == "LiveHub" && r.Points.Count > 0);
        Assert.Contains(report.Ramps, r => r.Side == "baseline" && r.Points.Count > 0);
        var files = Directory.GetFiles(results);
        Assert.Contains(files, f => f.EndsWith(".json"));
        Assert.Contains(files, f => f.EndsWith(".md"));
        Assert.Contains(files, f => f.EndsWith("-latency.svg"));
        Directory.Delete(results, recursive: true);
    }
}
