using System.Diagnostics;

namespace LiveHub.Bench.Report;

public static class MachineInfo
{
    public static Machine Read()
    {
        var cpu = File.Exists("/proc/cpuinfo")
            ? File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name"))?.Split(':', 2)[1].Trim() ?? "?"
            : "?";
        var memory = File.Exists("/proc/meminfo")
            ? long.Parse(File.ReadLines("/proc/meminfo").First(l => l.StartsWith("MemTotal:")).Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) * 1024
            : 0;
        var os = File.Exists("/etc/os-release")
            ? File.ReadLines("/etc/os-release").FirstOrDefault(l => l.StartsWith("PRETTY_NAME="))?.Split('=', 2)[1].Trim('"') ?? Environment.OSVersion.ToString()
            : Environment.OSVersion.ToString();
        return new Machine(cpu, Servers.CpuPinning.MachineCores, memory,
            $"{os} (kernel {Environment.OSVersion.Version})", $".NET {Environment.Version}", Run("sh", "-c", "ulimit -n") ?? "?");
    }

    public static string GitCommit()
    {
        var commit = Run("git", "-C", RepoPaths.Root, "rev-parse", "--short=12", "HEAD") ?? "unknown";
        var dirty = Run("git", "-C", RepoPaths.Root, "status", "--porcelain", "--untracked-files=no");
        return string.IsNullOrWhiteSpace(dirty) ? commit : commit + "+uncommitted";
    }

    public static string CommandLine(BenchSettings settings)
    {
        var mode = settings.Mode switch { "quick" => " --quick", "smoke" => " --smoke", _ => "" };
        var only = settings.Only.Count < 7 ? $" --only {string.Join(',', settings.Only.Order())}" : "";
        return $"dotnet build -c Release && dotnet bench/bin/Release/net10.0/LiveHub.Bench.dll{mode}{only}";
    }

    private static string? Run(string file, params string[] args)
    {
        try
        {
            var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var a in args)
            {
                start.ArgumentList.Add(a);
            }
            using var p = Process.Start(start)!;
            var output = p.StandardOutput.ReadToEnd().Trim();
            p.WaitForExit();
            return p.ExitCode == 0 ? output : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }
}
