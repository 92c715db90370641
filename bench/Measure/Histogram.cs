using System.Diagnostics;

namespace LiveHub.Bench.Measure;

/// <summary>Latencies in 0.1 ms buckets up to 60 s, recorded lock-free from any thread.</summary>
public sealed class Histogram
{
    private const double BucketMs = 0.1;
    private readonly int[] _buckets = new int[600_000];
    private long _count;
    private long _overflow;
    private double _max;

    public long Count => Interlocked.Read(ref _count);

    public void Record(double ms)
    {
        var i = (long)(Math.Max(0, ms) / BucketMs);
        if (i >= _buckets.Length)
        {
            Interlocked.Increment(ref _overflow);
        }
        else
        {
            Interlocked.Increment(ref _buckets[i]);
        }
        Interlocked.Increment(ref _count);
        double seen;
        while (ms > (seen = Volatile.Read(ref _max)) && Interlocked.CompareExchange(ref _max, ms, seen) != seen)
        {
        }
    }

    /// <summary>The p-th percentile (0–100) in ms, or null with no samples.</summary>
    public double? Percentile(double p)
    {
        var n = Count;
        if (n == 0)
        {
            return null;
        }
        var rank = (long)Math.Ceiling(p / 100 * n);
        long seen = 0;
        for (var i = 0; i < _buckets.Length; i++)
        {
            seen += _buckets[i];
            if (seen >= rank)
            {
                return (i + 0.5) * BucketMs;
            }
        }
        return Volatile.Read(ref _max);
    }

    public double? Max => Count == 0 ? null : Volatile.Read(ref _max);

    public static double Ms(long fromTimestamp, long toTimestamp) => (toTimestamp - fromTimestamp) * 1000.0 / Stopwatch.Frequency;

    public static double MsSince(long fromTimestamp) => Ms(fromTimestamp, Stopwatch.GetTimestamp());
}

/// <summary>
/// One measured run of room updates: when each update was sent (by key) and every delivery of it to a connection.
/// Latency is the client-side send time to the client-side arrival, on one clock (the bench's own process).
/// </summary>
public sealed class Delivery
{
    private readonly System.Collections.Concurrent.ConcurrentDictionary<long, long> _sent = new();
    private long _delivered;
    private long _lastArrival;

    public Histogram Latency { get; } = new();
    public long Delivered => Interlocked.Read(ref _delivered);
    public long LastArrival => Interlocked.Read(ref _lastArrival);

    /// <summary>Only these connections count (the healthy ones, when some are stalled); null counts all.</summary>
    public Func<int, bool>? Counts { get; init; }

    public void Sent(long key) => _sent[key] = Stopwatch.GetTimestamp();

    public void Received(int connection, long key)
    {
        if (_sent.TryGetValue(key, out var sentAt))
        {
            ReceivedStamped(connection, sentAt);
        }
    }

    public void ReceivedStamped(int connection, long sentAt)
    {
        if (Counts is { } counts && !counts(connection))
        {
            return;
        }
        var now = Stopwatch.GetTimestamp();
        Latency.Record(Histogram.Ms(sentAt, now));
        Interlocked.Increment(ref _delivered);
        Interlocked.Exchange(ref _lastArrival, now);
    }
}

/// <summary>CPU used by a process between two points, as a share of one core.</summary>
public sealed class CpuMeter(Func<double> cpuSeconds)
{
    private readonly double _startCpu = cpuSeconds();
    private readonly long _start = Stopwatch.GetTimestamp();

    public double Share => (cpuSeconds() - _startCpu) / Math.Max(1e-3, Stopwatch.GetElapsedTime(_start).TotalSeconds);

    public static double OwnCpuSeconds() => Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds;
}

/// <summary>
/// How busy each core was between two points, all processes together, from <c>/proc/stat</c> (Linux; NaN elsewhere). Less a
/// process's own share, it tells what the machine's other jobs took from that core.
/// </summary>
public sealed class CoreMeter
{
    private readonly double[] _start = Busy();
    private readonly long _started = Stopwatch.GetTimestamp();

    public double Share(int core)
    {
        var now = Busy();
        var seconds = Math.Max(1e-3, Stopwatch.GetElapsedTime(_started).TotalSeconds);
        return core < now.Length && core < _start.Length ? (now[core] - _start[core]) / seconds : double.NaN;
    }

    /// <summary>Busy seconds per core since boot: user, nice, system, irq, softirq and steal ticks (100 a second).</summary>
    private static double[] Busy()
    {
        try
        {
            return File.ReadLines("/proc/stat")
                .Where(l => l.StartsWith("cpu", StringComparison.Ordinal) && l.Length > 3 && char.IsDigit(l[3]))
                .Select(l =>
                {
                    var f = l.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                    return new[] { 1, 2, 3, 6, 7, 8 }.Sum(i => i < f.Length ? long.Parse(f[i], System.Globalization.CultureInfo.InvariantCulture) : 0) / 100.0;
                })
                .ToArray();
        }
        catch (IOException)
        {
            return [];
        }
    }
}
