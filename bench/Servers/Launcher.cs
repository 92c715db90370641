using System.Diagnostics;

namespace LiveHub.Bench.Servers;

/// <summary>Starts the servers under test: LiveHub from its built dll with a fresh data directory, the baseline hub, redis-server.</summary>
public sealed class Launcher(BenchSettings settings, TextWriter log)
{
    /// <summary>
    /// The bench's load all comes from 127.0.0.1, so LiveHub's per-participant and per-address limits are raised to the
    /// largest values their options accept (they validate ranges on start).
    /// </summary>
    public static readonly string[] RaisedLimits =
    [
        "--LiveHub:Questions:AsksPerMinute=1000",
        "--LiveHub:Questions:UpvotesPerMinute=10000",
        "--LiveHub:Questions:WritesPerAddressPerMinute=1000000",
        "--LiveHub:Polls:VotesPerMinute=10000",
        "--LiveHub:Realtime:CallsPerSecond=10000",
        "--LiveHub:Realtime:CallBurst=10000",
        "--LiveHub:Web:SignInAttemptsPerMinute=100000",
    ];

    public async Task<string> LiveHubDllAsync()
    {
        if (settings.LiveHubDll is { } given)
        {
            return given;
        }
        var dll = Path.Combine(RepoPaths.Root, "src", "Web", "bin", settings.Configuration, "net10.0", "LiveHub.Web.dll");
        if (!File.Exists(dll))
        {
            log.WriteLine($"building LiveHub ({settings.Configuration}) ...");
            var build = Process.Start(new ProcessStartInfo("dotnet", ["build", Path.Combine(RepoPaths.Root, "src", "Web"), "-c", settings.Configuration, "-nologo", "-v", "q"]))!;
            await build.WaitForExitAsync();
            if (build.ExitCode != 0 || !File.Exists(dll))
            {
                throw new InvalidOperationException($"Could not build {dll}");
            }
        }
        return dll;
    }

    /// <summary>A build's pages live in src/Web/wwwroot; a published folder carries its own.</summary>
    private static string ContentRoot(string dll)
    {
        var folder = Path.GetDirectoryName(dll)!;
        return Directory.Exists(Path.Combine(folder, "wwwroot")) ? folder : Path.Combine(RepoPaths.Root, "src", "Web");
    }

    public async Task<ServerProcess> StartLiveHubAsync(string name, string? redis = null, string? postgres = null, IEnumerable<string>? extra = null)
    {
        var dll = await LiveHubDllAsync();
        var port = ServerProcess.FreePort();
        var dataDir = Path.Combine(Path.GetTempPath(), "livehub-bench", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dataDir);
        var args = new List<string>
        {
            dll, "--urls", $"http://127.0.0.1:{port}", "--contentRoot", ContentRoot(dll),
            $"--LiveHub:Store:SqlitePath={Path.Combine(dataDir, "livehub.db")}",
            $"--LiveHub:Demo:ModeratorPasscode={settings.Passcode}", $"--LiveHub:Demo:Code={settings.EventCode}",
            "--Logging:LogLevel:Default=Warning",
        };
        args.AddRange(RaisedLimits);
        if (redis is not null)
        {
            args.Add($"--ConnectionStrings:Redis={redis}");
        }
        if (postgres is not null)
        {
            args.Add($"--ConnectionStrings:Postgres={postgres}");
        }
        args.AddRange(extra ?? []);
        var server = await ServerProcess.StartAsync(name, CpuPinning.Dotnet, args, port, "/health/live", settings.Pin, dataDir, settings.ServerEnvironment);
        log.WriteLine($"{name}: pid {server.Pid} on {server.BaseUri} cpus {CpuPinning.AllowedCpus(server.Pid)} rss {server.RssBytes() / 1048576} MiB");
        return server;
    }

    public async Task<ServerProcess> StartBaselineAsync(string name)
    {
        var port = ServerProcess.FreePort();
        var self = typeof(Launcher).Assembly.Location;
        // Runtime settings apply to both sides, so a trial compares like with like; LiveHub's own settings are ignored here.
        var server = await ServerProcess.StartAsync(name, CpuPinning.Dotnet, [self, "baseline", "--urls", $"http://127.0.0.1:{port}"],
            port, "/", settings.Pin, environment: settings.ServerEnvironment.Where(e => e.Key.StartsWith("DOTNET_", StringComparison.Ordinal))
                .ToDictionary(e => e.Key, e => e.Value));
        log.WriteLine($"{name}: pid {server.Pid} on {server.BaseUri} cpus {CpuPinning.AllowedCpus(server.Pid)} rss {server.RssBytes() / 1048576} MiB");
        return server;
    }

    public async Task<(ServerProcess Server, string ConnectionString)> StartRedisAsync()
    {
        var port = ServerProcess.FreePort();
        var server = await ServerProcess.StartAsync("redis", settings.RedisServer!,
            ["--bind", "127.0.0.1", "--port", port.ToString(), "--save", "", "--appendonly", "no"], port, null, settings.Pin);
        return (server, $"127.0.0.1:{port}");
    }
}
