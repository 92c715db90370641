using System.Diagnostics;

namespace LiveHub.Bench.Servers;

/// <summary>
/// Two cores, two roles: every server (LiveHub, the baseline hub, redis-server) runs under <c>taskset -c 0</c>, the bench's own
/// clients under <c>taskset -c 1</c>. The bench re-runs itself pinned when it was started unpinned.
/// </summary>
public static class CpuPinning
{
    public const string ServerCore = "0";
    public const string ClientCore = "1";
    private const string PinnedMarker = "LIVEHUB_BENCH_PINNED";

    public static string? Taskset { get; } = BenchSettings.Which("taskset");

    /// <summary>The dotnet host, also when this code runs inside a test host.</summary>
    public static string Dotnet { get; } =
        Path.GetFileNameWithoutExtension(Environment.ProcessPath) == "dotnet" ? Environment.ProcessPath!
        : Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? BenchSettings.Which("dotnet") ?? "dotnet";

    /// <summary>Pinning needs taskset and two cores on the machine (this process may already be pinned to one of them).</summary>
    public static bool Available => Taskset is not null && MachineCores >= 2 && OperatingSystem.IsLinux();

    public static int MachineCores { get; } =
        File.Exists("/proc/cpuinfo") ? Math.Max(1, File.ReadLines("/proc/cpuinfo").Count(l => l.StartsWith("processor"))) : Environment.ProcessorCount;

    public static bool ShouldReexecPinned() => Available && Environment.GetEnvironmentVariable(PinnedMarker) is null;

    public static async Task<int> ReexecOnClientCoreAsync(string[] args)
    {
        var start = new ProcessStartInfo(Taskset!) { UseShellExecute = false };
        foreach (var a in new[] { "-c", ClientCore, Dotnet, typeof(CpuPinning).Assembly.Location }.Concat(args))
        {
            start.ArgumentList.Add(a);
        }
        start.Environment[PinnedMarker] = "1";
        using var child = Process.Start(start)!;
        await child.WaitForExitAsync();
        return child.ExitCode;
    }

    /// <summary>The CPUs this process may run on, as the kernel says (e.g. "1" or "0-1").</summary>
    public static string AllowedCpus(int pid) =>
        File.Exists($"/proc/{pid}/status")
            ? File.ReadLines($"/proc/{pid}/status").FirstOrDefault(l => l.StartsWith("Cpus_allowed_list:"))?.Split(':')[1].Trim() ?? "?"
            : "?";
}
