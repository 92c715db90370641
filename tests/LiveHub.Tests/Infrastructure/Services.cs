using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace LiveHub.Tests.Infrastructure;

/// <summary>
/// Real servers for the tests, each started on 127.0.0.1 and a port of its own and stopped on dispose. A missing server skips
/// the test on a developer machine and fails it in CI (CI=true), so CI can never pass without really running them.
/// </summary>
public static class Services
{
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Skips locally or fails in CI when a server the test needs is missing.</summary>
    public static void Require(bool available, string what)
    {
        if (available)
        {
            return;
        }
        if (Repo.InCi)
        {
            Assert.Fail($"{what} is required in CI but is not available.");
        }
        Skip.If(true, $"{what} is not available on this machine.");
    }

    public static string? Which(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Select(dir => Path.Combine(dir, program)).FirstOrDefault(File.Exists);

    /// <summary>Runs a command to completion and returns its output; throws when it fails.</summary>
    public static Task<string> RunAsync(string file, params string[] args) => LiveHub.Bench.Servers.Processes.RunAsync(file, args);

    public static async Task WaitForPortAsync(int port, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, port);
                return;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(50);
            }
        }
    }
}

/// <summary>A throwaway PostgreSQL cluster made with initdb and pg_ctl, or the one named by LIVEHUB_TEST_POSTGRES.</summary>
public sealed class PostgresServer : IAsyncDisposable
{
    private readonly string? _dataDir;
    private readonly string? _bin;
    private readonly string? _serverOptions;

    private PostgresServer(string connectionString, string? dataDir, string? bin, string? serverOptions = null)
    {
        ConnectionString = connectionString;
        _dataDir = dataDir;
        _bin = bin;
        _serverOptions = serverOptions;
    }

    /// <summary>Whether the tests started this server themselves, and so may stop and start it (one named by LIVEHUB_TEST_POSTGRES is not theirs).</summary>
    public bool CanRestart => _dataDir is not null;

    /// <summary>Stops the server at once, as a crash would: every connection drops and new ones are refused.</summary>
    public Task StopAsync() =>
        Services.RunAsync("runuser", "-u", "postgres", "--", Path.Combine(_bin!, "pg_ctl"), "-D", _dataDir!, "-m", "immediate", "-w", "stop");

    /// <summary>Starts the stopped server again, on the same port with the same data.</summary>
    public Task StartAgainAsync() =>
        Services.RunAsync("runuser", "-u", "postgres", "--", Path.Combine(_bin!, "pg_ctl"), "-D", _dataDir!, "-l", Path.Combine(_dataDir!, "server.log"),
            "-w", "-o", _serverOptions!, "start");

    /// <summary>Connection string to the server's "postgres" maintenance database; tests add their own database name.</summary>
    public string ConnectionString { get; }

    public static string? Binaries() =>
        Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql").Select(v => Path.Combine(v, "bin")).FirstOrDefault(b => File.Exists(Path.Combine(b, "initdb")))
            : null;

    public static bool Available => Environment.GetEnvironmentVariable("LIVEHUB_TEST_POSTGRES") is not null || (Binaries() is not null && Services.Which("runuser") is not null);

    public static async Task<PostgresServer> StartAsync()
    {
        if (Environment.GetEnvironmentVariable("LIVEHUB_TEST_POSTGRES") is { } given)
        {
            return new PostgresServer(given, null, null);
        }
        var bin = Binaries()!;
        var dir = Path.Combine("/tmp", $"livehub-pg-{Guid.NewGuid():N}");
        Directory.CreateDirectory(dir);
        // PostgreSQL refuses to run as root: the cluster belongs to the postgres user.
        await Services.RunAsync("chown", "postgres:postgres", dir);
        await Services.RunAsync("runuser", "-u", "postgres", "--", Path.Combine(bin, "initdb"), "-D", dir, "-A", "trust", "-U", "postgres", "--no-sync");
        var port = Services.FreePort();
        var options = $"-p {port} -k /tmp -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=300";
        await Services.RunAsync("runuser", "-u", "postgres", "--", Path.Combine(bin, "pg_ctl"), "-D", dir, "-l", Path.Combine(dir, "server.log"), "-w", "-o",
            options, "start");
        return new PostgresServer($"Host=127.0.0.1;Port={port};Username=postgres;Database=postgres;Pooling=true;Maximum Pool Size=50", dir, bin, options);
    }

    /// <summary>A connection string to a fresh database of its own on this server.</summary>
    public string NewDatabase() =>
        new Npgsql.NpgsqlConnectionStringBuilder(ConnectionString) { Database = $"livehub_{Guid.NewGuid():N}"[..24] }.ToString();

    public async ValueTask DisposeAsync()
    {
        if (_dataDir is null)
        {
            return;
        }
        Npgsql.NpgsqlConnection.ClearAllPools();
        try
        {
            await StopAsync();
        }
        catch (InvalidOperationException)
        {
            // Already stopped: a test that stopped it failed before starting it again.
        }
        Directory.Delete(_dataDir, recursive: true);
    }
}

/// <summary>
/// A redis-server on 127.0.0.1 (never every interface), without persistence, or the one named by LIVEHUB_TEST_REDIS. Where
/// redis-server is not installed, an in-process Garnet server speaks the same protocol, so `dotnet test` runs the scale-out
/// tests on a fresh machine too; CI installs redis-server and uses the real one.
/// </summary>
public sealed class RedisServer : IAsyncDisposable
{
    private Process? _process;
    private Garnet.GarnetServer? _garnet;
    private string? _garnetDir;
    private readonly int _port;

    private RedisServer(string connectionString, int port)
    {
        ConnectionString = connectionString;
        _port = port;
    }

    public string ConnectionString { get; }

    /// <summary>Which server answers: "redis-server", "garnet" or "external".</summary>
    public string Kind => Environment.GetEnvironmentVariable("LIVEHUB_TEST_REDIS") is not null ? "external" : UseRedisServer ? "redis-server" : "garnet";

    public static bool Available => true;

    /// <summary>redis-server when installed, unless LIVEHUB_TEST_GARNET=1 asks for the in-process server (to check that path).</summary>
    private static bool UseRedisServer =>
        Environment.GetEnvironmentVariable("LIVEHUB_TEST_GARNET") != "1" && Services.Which("redis-server") is not null;

    public static async Task<RedisServer> StartAsync()
    {
        if (Environment.GetEnvironmentVariable("LIVEHUB_TEST_REDIS") is { } given)
        {
            return new RedisServer(given, 0);
        }
        if (!UseRedisServer && Repo.InCi)
        {
            Assert.Fail("redis-server is required in CI but is not installed.");
        }
        var port = Services.FreePort();
        var server = new RedisServer($"127.0.0.1:{port}", port);
        await server.RestartAsync();
        return server;
    }

    /// <summary>Starts (again) the server on the same port: a Redis restart, empty, as after a crash.</summary>
    public async Task RestartAsync()
    {
        await StopAsync();
        if (!UseRedisServer)
        {
            // Garnet's files go to a folder of the test's own: its clean-up deletes its directories, never the working directory.
            _garnetDir = Path.Combine(Path.GetTempPath(), $"livehub-garnet-{Guid.NewGuid():N}");
            Directory.CreateDirectory(_garnetDir);
            _garnet = new Garnet.GarnetServer(
                ["--bind", "127.0.0.1", "--port", _port.ToString(), "--checkpointdir", _garnetDir], null, cleanupDir: false);
            _garnet.Start();
            await Services.WaitForPortAsync(_port, TimeSpan.FromSeconds(10));
            return;
        }
        var start = new ProcessStartInfo(Services.Which("redis-server")!) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { "--bind", "127.0.0.1", "--port", _port.ToString(), "--save", "", "--appendonly", "no" })
        {
            start.ArgumentList.Add(a);
        }
        _process = Process.Start(start)!;
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        await Services.WaitForPortAsync(_port, TimeSpan.FromSeconds(10));
    }

    /// <summary>Whether the server runs now (an external one is assumed to).</summary>
    public bool Running => _port == 0 || _garnet is not null || _process is { HasExited: false };

    /// <summary>Kills the server (SIGKILL, or Garnet disposed): gone at once, nothing kept.</summary>
    public async Task StopAsync()
    {
        _garnet?.Dispose();
        _garnet = null;
        if (_garnetDir is not null && Directory.Exists(_garnetDir))
        {
            Directory.Delete(_garnetDir, recursive: true);
        }
        _garnetDir = null;
        if (_process is { HasExited: false } p)
        {
            p.Kill();
            await p.WaitForExitAsync();
        }
        _process?.Dispose();
        _process = null;
    }

    public async ValueTask DisposeAsync() => await StopAsync();
}
