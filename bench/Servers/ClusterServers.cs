using System.Diagnostics;

namespace LiveHub.Bench.Servers;

/// <summary>
/// A throwaway PostgreSQL for scenarios 9 and 10: initdb into a folder of its own (owned by the postgres user, which the server
/// needs when the bench runs as root), started with pg_ctl on 127.0.0.1 and a free port, on the server core like LiveHub.
/// Durability as shipped (fsync and synchronous_commit on). Or the server named by <c>--postgres</c>, which the bench leaves alone.
/// </summary>
public sealed class BenchPostgres : IAsyncDisposable
{
    private readonly string? _dir;
    private readonly string? _bin;

    private BenchPostgres(string connectionString, string? dir, string? bin)
    {
        ConnectionString = connectionString;
        _dir = dir;
        _bin = bin;
    }

    /// <summary>Connection string to the server; LiveHub creates the database it names (DbUp's EnsureDatabase).</summary>
    public string ConnectionString { get; }

    public static string? Binaries() =>
        Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql").Select(v => Path.Combine(v, "bin")).FirstOrDefault(b => File.Exists(Path.Combine(b, "initdb")))
            : null;

    public static string? Missing(BenchSettings settings) =>
        settings.Postgres is not null ? null
        : Binaries() is null ? "PostgreSQL is not installed (initdb, pg_ctl)"
        : BenchSettings.Which("runuser") is null ? "runuser is missing (PostgreSQL refuses to run as root)"
        : null;

    public static async Task<BenchPostgres> StartAsync(BenchSettings settings)
    {
        if (settings.Postgres is { } given)
        {
            return new BenchPostgres(given, null, null);
        }
        var bin = Binaries()!;
        var dir = Path.Combine("/tmp", $"livehub-bench-pg-{Guid.NewGuid():N}");
        Directory.CreateDirectory(dir);
        await Processes.RunAsync("chown", "postgres:postgres", dir);
        await Processes.RunAsync("runuser", "-u", "postgres", "--", Path.Combine(bin, "initdb"), "-D", dir, "-A", "trust", "-U", "postgres", "--no-sync");
        var port = ServerProcess.FreePort();
        var options = $"-p {port} -k /tmp -c listen_addresses=127.0.0.1 -c max_connections=400 -c shared_buffers=256MB";
        string[] start = ["runuser", "-u", "postgres", "--", Path.Combine(bin, "pg_ctl"), "-D", dir, "-l", Path.Combine(dir, "server.log"), "-w", "-o", options, "start"];
        // pg_ctl's postmaster inherits the affinity: the database shares the server core with LiveHub, as SQLite does in-process.
        if (settings.Pin && CpuPinning.Available)
        {
            start = [CpuPinning.Taskset!, "-c", CpuPinning.ServerCore, .. start];
        }
        await Processes.RunAsync(start[0], start[1..]);
        return new BenchPostgres($"Host=127.0.0.1;Port={port};Username=postgres;Database=postgres", dir, bin);
    }

    /// <summary>A connection string naming a fresh database on this server.</summary>
    public string NewDatabase(string name) =>
        new Npgsql.NpgsqlConnectionStringBuilder(ConnectionString) { Database = $"livehub_{name}_{Guid.NewGuid():N}"[..30] }.ToString();

    public async ValueTask DisposeAsync()
    {
        if (_dir is null)
        {
            return;
        }
        try
        {
            await Processes.RunAsync("runuser", "-u", "postgres", "--", Path.Combine(_bin!, "pg_ctl"), "-D", _dir, "-m", "fast", "-w", "stop");
        }
        finally
        {
            Directory.Delete(_dir, recursive: true);
        }
    }

}

/// <summary>
/// nginx in front of the cluster's nodes with the shipped site file (<c>deploy/nginx/livehub.conf</c>: sticky by the participant
/// cookie, WebSocket upgrade), its addresses rewritten as <c>deploy/cluster.sh</c> does, every path inside a folder of its own,
/// one worker (on the server core when pinned) allowed as many connections as the bench opens through it.
/// </summary>
public static class BenchNginx
{
    public static string? Executable =>
        BenchSettings.Which("nginx") ?? new[] { "/usr/sbin/nginx", "/usr/local/sbin/nginx" }.FirstOrDefault(File.Exists);

    public static async Task<ServerProcess> StartAsync(BenchSettings settings, IReadOnlyList<int> nodePorts, int openFiles)
    {
        var dir = Path.Combine(Path.GetTempPath(), "livehub-bench", $"nginx-{Guid.NewGuid():N}");
        var port = ServerProcess.FreePort();
        var args = await WriteConfigAsync(dir, port, nodePorts, openFiles);
        return await ServerProcess.StartAsync("nginx", Executable!, args, port, null, settings.Pin, dir);
    }

    /// <summary>
    /// <c>deploy/nginx/livehub.conf</c> with its marked addresses rewritten (as <c>deploy/cluster.sh</c> does), under an
    /// nginx.conf that keeps every path inside <paramref name="dir"/>; returns nginx's arguments. <paramref name="openFiles"/>:
    /// the worker's open-file limit and connections (each phone is two: its own and the upstream's); null for nginx's defaults.
    /// </summary>
    public static async Task<string[]> WriteConfigAsync(string dir, int port, IReadOnlyList<int> nodePorts, int? openFiles)
    {
        var logs = Path.Combine(dir, "logs");
        Directory.CreateDirectory(logs);
        Directory.CreateDirectory(Path.Combine(dir, "tmp"));
        var site = (await File.ReadAllTextAsync(Path.Combine(RepoPaths.Root, "deploy", "nginx", "livehub.conf")))
            .Replace("listen 127.0.0.1:8080;", $"listen 127.0.0.1:{port};")
            .Replace("127.0.0.1:5001 ", $"127.0.0.1:{nodePorts[0]} ")
            .Replace("127.0.0.1:5002 ", $"127.0.0.1:{nodePorts[1]} ")
            .Replace("127.0.0.1:5003 ", $"127.0.0.1:{nodePorts[2]} ")
            .Replace("/var/log/nginx/", logs + "/");
        await File.WriteAllTextAsync(Path.Combine(dir, "livehub.conf"), site);
        var limits = openFiles is { } n ? $"worker_rlimit_nofile {n};" : "";
        await File.WriteAllTextAsync(Path.Combine(dir, "nginx.conf"), $$"""
            daemon off;
            worker_processes 1;
            {{limits}}
            pid {{dir}}/nginx.pid;
            error_log {{logs}}/error.log warn;
            events { worker_connections {{(openFiles ?? 1124) - 100}}; }
            http {
                access_log {{logs}}/access.log;
                client_body_temp_path {{dir}}/tmp/body;
                proxy_temp_path {{dir}}/tmp/proxy;
                fastcgi_temp_path {{dir}}/tmp/fastcgi;
                uwsgi_temp_path {{dir}}/tmp/uwsgi;
                scgi_temp_path {{dir}}/tmp/scgi;
                include {{dir}}/livehub.conf;
            }
            """);
        return ["-c", Path.Combine(dir, "nginx.conf"), "-p", dir, "-e", Path.Combine(logs, "error.log")];
    }
}

/// <summary>Runs a command to completion (at most 90 s) and returns its output; throws with its output when it fails.</summary>
public static class Processes
{
    public static async Task<string> RunAsync(string file, params string[] args)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(90));
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {string.Join(' ', args)} failed ({process.ExitCode}): {await error}{await output}");
        }
        return await output;
    }
}
