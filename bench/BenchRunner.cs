using System.Diagnostics;
using LiveHub.Bench.Report;
using LiveHub.Bench.Scenarios;
using LiveHub.Bench.Servers;

namespace LiveHub.Bench;

/// <summary>
/// One run: starts LiveHub and the baseline hub (each its own process on the server core), drives the scenarios in order,
/// and writes the JSON, markdown and SVG results. A scenario that fails is reported as failed and the run goes on.
/// </summary>
public static class BenchRunner
{
    public static async Task<BenchReport> RunAsync(BenchSettings settings, TextWriter log, CancellationToken ct)
    {
        var started = Stopwatch.GetTimestamp();
        var report = new BenchReport
        {
            Mode = settings.Mode,
            StartedAt = DateTimeOffset.UtcNow,
            Machine = MachineInfo.Read(),
            GitCommit = MachineInfo.GitCommit(),
            Command = MachineInfo.CommandLine(settings),
            Pinning = settings.Pin && CpuPinning.Available
                ? $"servers: taskset -c {CpuPinning.ServerCore} (LiveHub, baseline hub, redis-server); clients: this process on cpus {CpuPinning.AllowedCpus(Environment.ProcessId)}"
                : "not pinned (taskset missing, fewer than two cores, or --no-pin)",
        };
        log.WriteLine($"LiveHub bench, {settings.Mode} mode; {report.Pinning}");
        var launcher = new Launcher(settings, log);
        var scenarios = new Scenarios.Suite(settings, launcher, report, log);
        await scenarios.RunAsync(ct);
        report.Seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        var files = ReportWriter.Write(report, settings.ResultsDir);
        log.WriteLine(ReportWriter.Markdown(report));
        log.WriteLine($"wrote {string.Join(", ", files)}");
        return report;
    }
}
