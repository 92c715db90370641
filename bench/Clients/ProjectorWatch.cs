using System.Diagnostics;
using LiveHub.Bench.Servers;
using Microsoft.AspNetCore.SignalR.Client;

namespace LiveHub.Bench.Clients;

/// <summary>
/// A projector in a process of its own, writing when each results frame of one poll arrived. In the bench's own process its
/// frames would wait behind the 15,000 phones' receives in the bench's thread pool and arrive bunched, so the projector's
/// frames a second would measure the bench; a small process of its own is scheduled as soon as its frame is in.
/// Timestamps are <see cref="Stopwatch.GetTimestamp"/>: the monotonic clock every process on the machine shares.
/// </summary>
public static class ProjectorWatch
{
    /// <summary><c>projector-watch BASE_URI EVENT_CODE SESSION_ID POLL_ID OUT_FILE</c>: runs until its standard input closes.</summary>
    public static async Task<int> RunAsync(string[] args)
    {
        var (baseUri, code, sessionId, pollId, output) = (new Uri(args[0]), args[1], long.Parse(args[2]), long.Parse(args[3]), args[4]);
        var arrivals = new List<long>();
        await using var projector = await LiveHubClient.ConnectAsync(baseUri, c => c.On<PollResultsLite>("PollResultsChanged", f =>
        {
            if (f.PollId == pollId)
            {
                lock (arrivals)
                {
                    arrivals.Add(Stopwatch.GetTimestamp());
                }
            }
        }));
        await projector.JoinAsync(code, sessionId, "projector");
        Console.WriteLine("ready");
        await Console.In.ReadToEndAsync();
        lock (arrivals)
        {
            File.WriteAllLines(output, arrivals.Select(t => t.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        }
        return 0;
    }

    /// <summary>Starts the watcher on the bench's core; dispose to stop it and read the arrivals.</summary>
    public static async Task<Watcher> StartAsync(Uri baseUri, string code, long sessionId, long pollId)
    {
        var output = Path.Combine(Path.GetTempPath(), "livehub-bench", $"projector-{Guid.NewGuid():N}.txt");
        Directory.CreateDirectory(Path.GetDirectoryName(output)!);
        var start = new ProcessStartInfo(CpuPinning.Dotnet)
        {
            RedirectStandardInput = true, RedirectStandardOutput = true, UseShellExecute = false,
        };
        foreach (var a in new[] { typeof(ProjectorWatch).Assembly.Location, "projector-watch", baseUri.ToString(), code, $"{sessionId}", $"{pollId}", output })
        {
            start.ArgumentList.Add(a);
        }
        var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start the projector watcher");
        var ready = await process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(60));
        if (ready != "ready")
        {
            process.Kill();
            throw new InvalidOperationException($"The projector watcher did not join: {ready}");
        }
        return new Watcher(process, output);
    }

    public sealed class Watcher(Process process, string output)
    {
        /// <summary>Stops the watcher and answers when each frame arrived.</summary>
        public async Task<long[]> StopAsync()
        {
            process.StandardInput.Close();
            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
            var arrivals = File.ReadAllLines(output).Select(long.Parse).ToArray();
            File.Delete(output);
            return arrivals;
        }
    }
}
