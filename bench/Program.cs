using LiveHub.Bench;
using LiveHub.Bench.Servers;

// `baseline --urls http://127.0.0.1:P` is the bare hub the bench compares LiveHub with, run as its own process.
if (args.Length > 0 && args[0] == "baseline")
{
    await BaselineServer.RunAsync(args[1..]);
    return 0;
}

// `projector-watch …` is a projector in a process of its own (see ProjectorWatch).
if (args.Length > 0 && args[0] == "projector-watch")
{
    return await LiveHub.Bench.Clients.ProjectorWatch.RunAsync(args[1..]);
}

var settings = BenchSettings.Parse(args);
if (settings.Help)
{
    Console.WriteLine(BenchSettings.Usage);
    return 0;
}
if (settings.Pin && CpuPinning.ShouldReexecPinned())
{
    return await CpuPinning.ReexecOnClientCoreAsync(args);
}
var report = await BenchRunner.RunAsync(settings, Console.Out, CancellationToken.None);
return report.Scenarios.Any(s => s.Error is not null) ? 2 : 0;
