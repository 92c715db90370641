using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace LiveHub.Bench.Servers;

/// <summary>A server the bench starts as a child process, pinned to the server core, with its memory read from /proc.</summary>
public sealed class ServerProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly Queue<string> _tail = new();

    private ServerProcess(string name, Process process, Uri baseUri, string? dataDir)
    {
        Name = name;
        _process = process;
        BaseUri = baseUri;
        DataDir = dataDir;
        process.OutputDataReceived += (_, e) => Keep(e.Data);
        process.ErrorDataReceived += (_, e) => Keep(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public string Name { get; }
    public Uri BaseUri { get; }
    public string? DataDir { get; }
    public int Pid => _process.Id;
    public bool Pinned { get; private init; }

    /// <summary>The last lines the server printed, for errors.</summary>
    public string Tail
    {
        get
        {
            lock (_tail)
            {
                return string.Join('\n', _tail);
            }
        }
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Starts <paramref name="file"/> (under <c>taskset -c 0</c> when pinning) and waits until <paramref name="readyPath"/> answers.</summary>
    public static async Task<ServerProcess> StartAsync(string name, string file, IEnumerable<string> args, int port, string? readyPath,
        bool pin, string? dataDir = null, IDictionary<string, string>? environment = null)
    {
        pin &= CpuPinning.Available;
        var start = new ProcessStartInfo(pin ? CpuPinning.Taskset! : file)
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        // taskset execs the command, so the child keeps taskset's pid and /proc/{pid} is the server's own.
        foreach (var a in (pin ? new[] { "-c", CpuPinning.ServerCore, file } : []).Concat(args))
        {
            start.ArgumentList.Add(a);
        }
        // Both .NET servers use the server GC (LiveHub.Web's default as an ASP.NET app), so their memory compares like for like.
        start.Environment["DOTNET_gcServer"] = "1";
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        foreach (var (k, v) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[k] = v;
        }
        var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {file}");
        var server = new ServerProcess(name, process, new Uri($"http://127.0.0.1:{port}"), dataDir) { Pinned = pin };
        await server.WaitReadyAsync(port, readyPath, TimeSpan.FromSeconds(90));
        return server;
    }

    private async Task WaitReadyAsync(int port, string? readyPath, TimeSpan timeout)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"{Name} exited with {_process.ExitCode}:\n{Tail}");
            }
            try
            {
                if (readyPath is null)
                {
                    using var tcp = new TcpClient();
                    await tcp.ConnectAsync(IPAddress.Loopback, port);
                    return;
                }
                using var response = await http.GetAsync(new Uri(BaseUri, readyPath));
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or SocketException or TaskCanceledException)
            {
            }
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"{Name} did not answer within {timeout}:\n{Tail}");
            }
            await Task.Delay(100);
        }
    }

    /// <summary>Resident memory of the server process (VmRSS), in bytes.</summary>
    public long RssBytes() => ReadRss(Pid);

    public static long ReadRss(int pid)
    {
        var line = File.ReadLines($"/proc/{pid}/status").FirstOrDefault(l => l.StartsWith("VmRSS:"));
        return line is null ? 0 : long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) * 1024;
    }

    /// <summary>CPU time (user + system) the server has used so far, in seconds.</summary>
    public double CpuSeconds() => ProcessCpu(Pid).Seconds;

    /// <summary>CPU time of the server and every process under it (nginx's workers), in seconds.</summary>
    public double TreeCpuSeconds()
    {
        var all = Directory.GetDirectories("/proc").Select(d => int.TryParse(Path.GetFileName(d), out var pid) ? pid : 0).Where(pid => pid > 0)
            .Select(pid => (Pid: pid, Cpu: ProcessCpu(pid))).Where(p => p.Cpu.Parent >= 0).ToList();
        var tree = new HashSet<int> { Pid };
        for (var grew = true; grew;)
        {
            grew = false;
            foreach (var p in all.Where(p => !tree.Contains(p.Pid) && tree.Contains(p.Cpu.Parent)))
            {
                grew |= tree.Add(p.Pid);
            }
        }
        return all.Where(p => tree.Contains(p.Pid)).Sum(p => p.Cpu.Seconds);
    }

    private static (double Seconds, int Parent) ProcessCpu(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return ((long.Parse(fields[11]) + long.Parse(fields[12])) / 100.0, int.Parse(fields[1]));
        }
        catch (IOException)
        {
            return (0, -1);
        }
    }

    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (_tail)
        {
            _tail.Enqueue(line);
            while (_tail.Count > 60)
            {
                _tail.Dequeue();
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(20));
        }
        _process.Dispose();
        if (DataDir is not null)
        {
            try
            {
                Directory.Delete(DataDir, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }
}
