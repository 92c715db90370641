using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using Dapper;
using LiveHub.Admin;
using LiveHub.Events;
using LiveHub.Questions;
using LiveHub.Realtime;
using LiveHub.Tests.Admin;
using LiveHub.Tests.Infrastructure;
using Npgsql;

namespace LiveHub.Tests.Cluster;

/// <summary>
/// Three LiveHub nodes as child processes (<c>dotnet LiveHub.Web.dll</c>, the build the tests reference) on one PostgreSQL
/// database and one redis-server, with nginx in front configured from <c>deploy/nginx/livehub.conf</c>. Everything listens on
/// 127.0.0.1 on free ports and is stopped and deleted on dispose.
/// </summary>
public sealed class LiveHubCluster : IAsyncDisposable
{
    public const string AdminKey = "cluster-admin-key-0123456789";

    private readonly string _dir;
    private readonly ClusterOptions _options;

    private LiveHubCluster(string dir, ClusterOptions options, RedisServer redis, IReadOnlyList<FaultProxy> redisProxies, PostgresServer postgres,
        string database, IReadOnlyList<NodeProcess> nodes, NginxServer? nginx)
    {
        _dir = dir;
        _options = options;
        Redis = redis;
        RedisProxies = redisProxies;
        Postgres = postgres;
        Database = database;
        Nodes = nodes;
        Nginx = nginx;
    }

    public RedisServer Redis { get; }

    /// <summary>With <see cref="ClusterOptions.RedisProxies"/>: the proxy between each node (same index) and Redis.</summary>
    public IReadOnlyList<FaultProxy> RedisProxies { get; }

    public PostgresServer Postgres { get; }

    /// <summary>Connection string of the cluster's database.</summary>
    public string Database { get; }

    public IReadOnlyList<NodeProcess> Nodes { get; }
    public NginxServer? Nginx { get; }

    /// <summary>The address people use: nginx.</summary>
    public Uri Public => (Nginx ?? throw new InvalidOperationException("This cluster runs without nginx.")).BaseUri;

    /// <summary>What is missing on this machine to run a cluster, or null.</summary>
    public static string? Missing =>
        !RedisServer.Available ? "redis-server (or LIVEHUB_TEST_REDIS)"
        : !PostgresServer.Available ? "PostgreSQL (initdb and pg_ctl, or LIVEHUB_TEST_POSTGRES)"
        : NginxServer.Executable is null ? "nginx"
        : null;

    public static async Task<LiveHubCluster> StartAsync(ClusterOptions? options = null)
    {
        options ??= new ClusterOptions();
        var dir = Path.Combine(Path.GetTempPath(), "livehub-cluster", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        var redis = options.Redis ?? await RedisServer.StartAsync();
        var postgres = options.Postgres ?? await PostgresServer.StartAsync();
        var database = postgres.NewDatabase();
        var nginxPort = Services.FreePort();
        var redisPort = int.Parse(redis.ConnectionString.Split(':')[^1], System.Globalization.CultureInfo.InvariantCulture);
        var proxies = options.RedisProxies
            ? Enumerable.Range(0, options.Nodes).Select(_ => FaultProxy.Start(new IPEndPoint(IPAddress.Loopback, redisPort))).ToList()
            : [];
        var nodes = Enumerable.Range(1, options.Nodes).Select(i =>
        {
            var settings = new Dictionary<string, string>
            {
                ["ConnectionStrings:Postgres"] = database,
                ["ConnectionStrings:Redis"] = options.RedisProxies ? $"127.0.0.1:{proxies[i - 1].Port}" : redis.ConnectionString,
                ["LiveHub:ScaleOut:NodeId"] = $"node-{i}",
                ["LiveHub:Web:PublicUrl"] = $"http://127.0.0.1:{nginxPort}",
                // nginx runs on this machine: its X-Forwarded-For is believed, nobody else's.
                ["LiveHub:Web:TrustedProxies:0"] = "127.0.0.1",
                ["LiveHub:Demo:Load"] = "false",
                ["LiveHub:Admin:Key"] = AdminKey,
                // Every test client comes from 127.0.0.1 and writes faster than people do.
                ["LiveHub:Admin:SignInAttemptsPerMinute"] = "10000",
                ["LiveHub:Web:SignInAttemptsPerMinute"] = "10000",
                ["LiveHub:Questions:AsksPerMinute"] = "1000",
                ["LiveHub:Questions:UpvotesPerMinute"] = "10000",
                ["LiveHub:Questions:WritesPerAddressPerMinute"] = "1000000",
                ["LiveHub:Questions:UpvoteFlushMilliseconds"] = "100",
                ["LiveHub:Polls:VotesPerMinute"] = "10000",
                ["LiveHub:Realtime:CallsPerSecond"] = "1000",
                ["LiveHub:Realtime:CallBurst"] = "1000",
                ["LiveHub:Shutdown:DrainSeconds"] = "1",
                ["Logging:LogLevel:Default"] = "Warning",
                ["Logging:LogLevel:LiveHub"] = "Information",
                ["Logging:Console:TimestampFormat"] = "HH:mm:ss.fff ",
            };
            if (options.ChannelPrefix is { } prefix)
            {
                settings["LiveHub:ScaleOut:ChannelPrefix"] = prefix;
            }
            foreach (var (key, value) in options.Settings ?? new Dictionary<string, string>())
            {
                settings[key] = value;
            }
            return new NodeProcess($"node-{i}", Services.FreePort(), Path.Combine(dir, $"node-{i}"), settings);
        }).ToList();
        NginxServer? nginx = null;
        try
        {
            // The first node migrates the empty database alone; the other two find it ready.
            await nodes[0].StartAsync();
            await Task.WhenAll(nodes.Skip(1).Select(n => n.StartAsync()));
            if (options.Nginx)
            {
                nginx = await NginxServer.StartAsync(Path.Combine(dir, "nginx"), nginxPort, nodes.Select(n => n.Port).ToArray());
            }
            return new LiveHubCluster(dir, options, redis, proxies, postgres, database, nodes, nginx);
        }
        catch
        {
            if (nginx is not null)
            {
                await nginx.DisposeAsync();
            }
            foreach (var node in nodes)
            {
                await node.DisposeAsync();
            }
            foreach (var proxy in proxies)
            {
                await proxy.DisposeAsync();
            }
            if (options.Postgres is null)
            {
                await postgres.DisposeAsync();
            }
            if (options.Redis is null)
            {
                await redis.DisposeAsync();
            }
            DeleteDirectory(dir);
            throw;
        }
    }

    /// <summary>
    /// A fresh copy of the demo event under its own code, imported by the organizer on node 1, with the keynote live.
    /// </summary>
    public async Task<ClusterEvent> CreateEventAsync(string keynoteModeration = ModerationModes.Pre)
    {
        var code = Scenarios.NewCode();
        var cookies = new CookieContainer();
        using var admin = new HttpClient(new HttpClientHandler { CookieContainer = cookies }) { BaseAddress = Nodes[0].BaseUri, Timeout = TestClient.Timeout };
        (await admin.PostAsJsonAsync("/api/admin/session", new { key = AdminKey })).EnsureSuccessStatusCode();
        using var created = await admin.PostAsJsonAsync("/api/admin/events", Scenarios.DemoImport(code));
        created.EnsureSuccessStatusCode();
        var detail = (await created.Content.ReadFromJsonAsync<AdminEventDetail>())!;
        var keynote = detail.Sessions.Single(s => s.Key == "keynote").Id;

        await using var moderator = await TestClient.ConnectAsync(Nodes[0].BaseUri, moderatorOf: code);
        await moderator.OkAsync<SessionView>(nameof(EventHub.SetSessionStatus), new SetSessionStatusRequest(keynote, SessionStatus.Live));
        await moderator.OkAsync<SessionView>(nameof(EventHub.SetModerationMode), new SetModerationModeRequest(keynote, keynoteModeration));
        return new ClusterEvent(detail.Id, code, keynote);
    }

    public async Task<T> ScalarAsync<T>(string sql, object? args = null)
    {
        await using var connection = new NpgsqlConnection(Database);
        return await connection.ExecuteScalarAsync<T>(sql, args) ?? throw new InvalidOperationException($"No value from {sql}");
    }

    public async Task<IReadOnlyList<T>> QueryAsync<T>(string sql, object? args = null)
    {
        await using var connection = new NpgsqlConnection(Database);
        return (await connection.QueryAsync<T>(sql, args)).AsList();
    }

    /// <summary>Waits until every node (and nginx) answers ready again.</summary>
    public async Task WaitAllReadyAsync(TimeSpan timeout)
    {
        foreach (var uri in Nodes.Where(n => n.ProcessId is not null).Select(n => n.BaseUri).Concat(Nginx is null ? [] : [Public]))
        {
            await NodeProcess.WaitReadyAsync(uri, timeout, () => null);
        }
    }

    /// <summary>Stops everything the cluster started, each part even when another fails to stop.</summary>
    public async ValueTask DisposeAsync()
    {
        var failures = new List<Exception>();
        async Task Stop(Func<ValueTask> stop)
        {
            try
            {
                await stop();
            }
            catch (Exception ex)
            {
                failures.Add(ex);
            }
        }
        if (Nginx is not null)
        {
            await Stop(() => Nginx.DisposeAsync());
        }
        foreach (var node in Nodes)
        {
            await Stop(() => node.DisposeAsync());
        }
        foreach (var proxy in RedisProxies)
        {
            await Stop(() => proxy.DisposeAsync());
        }
        NpgsqlConnection.ClearAllPools();
        if (_options.Postgres is null)
        {
            await Stop(() => Postgres.DisposeAsync());
        }
        if (_options.Redis is null)
        {
            await Stop(() => Redis.DisposeAsync());
        }
        DeleteDirectory(_dir);
        if (failures.Count > 0)
        {
            throw new AggregateException("Part of the cluster did not stop cleanly.", failures);
        }
    }

    private static void DeleteDirectory(string dir)
    {
        try
        {
            Directory.Delete(dir, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}

public sealed record ClusterEvent(long Id, string Code, long Keynote);

/// <summary>How a test's cluster is built; the defaults are three nodes behind nginx on a redis-server and a PostgreSQL of its own.</summary>
public sealed record ClusterOptions
{
    public int Nodes { get; init; } = 3;

    public bool Nginx { get; init; } = true;

    /// <summary>Each node reaches Redis through a <see cref="FaultProxy"/> of its own, so a test can make Redis slow or flaky.</summary>
    public bool RedisProxies { get; init; }

    /// <summary>A redis-server another cluster uses too (two deployments on one Redis); the cluster leaves it running.</summary>
    public RedisServer? Redis { get; init; }

    /// <summary>A PostgreSQL server another cluster uses too (each cluster gets its own database on it); left running.</summary>
    public PostgresServer? Postgres { get; init; }

    /// <summary><c>LiveHub:ScaleOut:ChannelPrefix</c>; the default (livehub) when null.</summary>
    public string? ChannelPrefix { get; init; }

    /// <summary>More settings for every node, over the cluster's own.</summary>
    public IReadOnlyDictionary<string, string>? Settings { get; init; }
}

/// <summary>One LiveHub node as a child process; its output goes to a log file under TestResults/artifacts/cluster.</summary>
public sealed class NodeProcess : IAsyncDisposable
{
    private readonly string _dataDir;
    private readonly IReadOnlyDictionary<string, string> _settings;
    private readonly object _logLock = new();
    private Process? _process;
    private StreamWriter? _log;

    public NodeProcess(string name, int port, string dataDir, IReadOnlyDictionary<string, string> settings)
    {
        Name = name;
        Port = port;
        _dataDir = dataDir;
        _settings = settings;
        BaseUri = new Uri($"http://127.0.0.1:{port}");
    }

    public string Name { get; }
    public int Port { get; }
    public Uri BaseUri { get; }
    public int? ProcessId => _process is { HasExited: false } p ? p.Id : null;
    public string LogPath => Path.Combine(Repo.Artifacts, "cluster", $"{Name}-{Port}.log");

    /// <summary>The built LiveHub.Web.dll: beside the tests (the project reference copies it), else src/Web's own output.</summary>
    public static string WebDll()
    {
        var candidates = new[] { Path.Combine(AppContext.BaseDirectory, "LiveHub.Web.dll") }
            .Concat(new[] { "Debug", "Release" }.Select(c => Path.Combine(Repo.Root, "src", "Web", "bin", c, "net10.0", "LiveHub.Web.dll")));
        return candidates.FirstOrDefault(p => File.Exists(p) && File.Exists(Path.ChangeExtension(p, ".runtimeconfig.json")))
            ?? throw new FileNotFoundException("LiveHub.Web.dll is not built; run dotnet build first.");
    }

    public async Task StartAsync()
    {
        Directory.CreateDirectory(_dataDir);
        Directory.CreateDirectory(Path.GetDirectoryName(LogPath)!);
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = _dataDir,
        };
        foreach (var arg in new[]
        {
            WebDll(),
            "--contentRoot", Path.Combine(Repo.Root, "src", "Web"),
            "--urls", BaseUri.ToString().TrimEnd('/'),
            $"--LiveHub:Store:DataDirectory={_dataDir}",
        }.Concat(_settings.Select(s => $"--{s.Key}={s.Value}")))
        {
            start.ArgumentList.Add(arg);
        }
        // Production settings, not the test host's: this is the published app as an operator runs it.
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment.Remove("ASPNETCORE_URLS");

        lock (_logLock)
        {
            _log?.Dispose();
            _log = new StreamWriter(LogPath, append: true) { AutoFlush = true };
            _log.WriteLine($"--- {DateTime.UtcNow:O} starting {Name} on port {Port}");
        }
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, e) => Log(e.Data);
        process.ErrorDataReceived += (_, e) => Log(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process = process;
        await WaitReadyAsync(BaseUri, TimeSpan.FromSeconds(60), () => process.HasExited ? $"{Name} exited with {process.ExitCode}; see {LogPath}" : null);
    }

    /// <summary>SIGKILL: the process dies at once, its sockets are closed by the kernel, nothing runs on the way out.</summary>
    public async Task KillAsync()
    {
        if (_process is { HasExited: false } p)
        {
            p.Kill();
            await p.WaitForExitAsync();
            Log($"--- {DateTime.UtcNow:O} killed (SIGKILL)");
        }
    }

    /// <summary>SIGTERM, as systemd stops a service. The node drains and stops by itself; see <see cref="WaitForExitAsync"/>.</summary>
    public async Task TerminateAsync()
    {
        if (_process is { HasExited: false } p)
        {
            Log($"--- {DateTime.UtcNow:O} SIGTERM");
            await Services.RunAsync("kill", "-TERM", p.Id.ToString());
        }
    }

    /// <summary>Waits for the process to exit and returns its exit code.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        var p = _process ?? throw new InvalidOperationException($"{Name} was not started.");
        await p.WaitForExitAsync().WaitAsync(timeout);
        return p.ExitCode;
    }

    public static async Task WaitReadyAsync(Uri baseUri, TimeSpan timeout, Func<string?> failure)
    {
        using var http = new HttpClient { BaseAddress = baseUri, Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            try
            {
                using var response = await http.GetAsync("/health/ready");
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
            }
            if (failure() is { } why)
            {
                throw new InvalidOperationException(why);
            }
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"{baseUri} was not ready within {timeout.TotalSeconds} s");
            }
            await Task.Delay(100);
        }
    }

    private void Log(string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (_logLock)
        {
            _log?.WriteLine(line);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        _process?.Dispose();
        _process = null;
        lock (_logLock)
        {
            _log?.Dispose();
            _log = null;
        }
    }
}

/// <summary>nginx with the repository's site file, its addresses rewritten, and every path inside its own folder.</summary>
public sealed class NginxServer : IAsyncDisposable
{
    private readonly Process _process;

    private NginxServer(Process process, Uri baseUri, string dir)
    {
        _process = process;
        BaseUri = baseUri;
        Directory = dir;
    }

    public Uri BaseUri { get; }
    public string Directory { get; }

    public static string? Executable =>
        Services.Which("nginx") ?? new[] { "/usr/sbin/nginx", "/usr/local/sbin/nginx" }.FirstOrDefault(File.Exists);

    public static async Task<NginxServer> StartAsync(string dir, int port, IReadOnlyList<int> nodePorts)
    {
        // The same configuration the bench's cluster scenario runs: the shipped site file, addresses rewritten.
        var args = await LiveHub.Bench.Servers.BenchNginx.WriteConfigAsync(dir, port, nodePorts, openFiles: null);
        var logs = Path.Combine(dir, "logs");
        var start = new ProcessStartInfo(Executable!) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        var process = Process.Start(start)!;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var server = new NginxServer(process, new Uri($"http://127.0.0.1:{port}"), dir);
        try
        {
            await Services.WaitForPortAsync(port, TimeSpan.FromSeconds(10));
            if (process.HasExited)
            {
                throw new InvalidOperationException($"nginx exited: {await File.ReadAllTextAsync(Path.Combine(logs, "error.log"))}");
            }
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            // SIGTERM to the master stops its workers too; SIGKILL would leave them holding the port.
            await Services.RunAsync("kill", "-TERM", _process.Id.ToString());
            try
            {
                await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
            }
            catch (TimeoutException)
            {
                _process.Kill(entireProcessTree: true);
            }
        }
        _process.Dispose();
    }
}

/// <summary>One cluster for the tests that share it; each test makes its own event on it.</summary>
public class ClusterFixture : IAsyncLifetime
{
    private LiveHubCluster? _cluster;

    /// <summary>How this fixture's cluster is built.</summary>
    protected virtual ClusterOptions Options => new();

    public LiveHubCluster Cluster
    {
        get
        {
            Services.Require(LiveHubCluster.Missing is null, LiveHubCluster.Missing ?? "");
            return _cluster ?? throw new InvalidOperationException("The cluster did not start.");
        }
    }

    public async Task InitializeAsync()
    {
        if (LiveHubCluster.Missing is null)
        {
            _cluster = await LiveHubCluster.StartAsync(Options);
        }
    }

    public async Task DisposeAsync()
    {
        if (_cluster is not null)
        {
            await _cluster.DisposeAsync();
        }
    }
}

/// <summary>
/// A cluster of its own for the Redis restart: Redis comes back empty, without the Data Protection keys, and a node started
/// after that would make a new key the other clusters' tests do not expect.
/// </summary>
public sealed class RedisRestartFixture : ClusterFixture;

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class RedisRestartCollection : ICollectionFixture<RedisRestartFixture>
{
    public const string Name = "cluster-redis-restart";
}

/// <summary>Cluster tests run alone: their timings (reconnects, recovery) are measured without the rest of the suite competing for two cores.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ClusterCollection : ICollectionFixture<ClusterFixture>
{
    public const string Name = "cluster";
}

/// <summary>SignalR's automatic reconnect that never gives up: at once, then every 100 ms to 1 s.</summary>
public sealed class KeepReconnecting : Microsoft.AspNetCore.SignalR.Client.IRetryPolicy
{
    public TimeSpan? NextRetryDelay(Microsoft.AspNetCore.SignalR.Client.RetryContext context) =>
        TimeSpan.FromMilliseconds(context.PreviousRetryCount switch { 0 => 0, 1 => 100, 2 => 250, 3 => 500, _ => 1000 });
}
