using System.Diagnostics;
using LiveHub.Bench.Measure;

namespace LiveHub.Bench.Scenarios;

public sealed record FanOutSample(
    string Side, int Audience, double Rate, int Sent, long Expected, long Delivered, double MsgsPerSecond,
    double? P50, double? P95, double? P99, double? Max, int Errors, double ServerCpu, double ClientCpu, double Seconds)
{
    public double DeliveredShare => Expected == 0 ? 0 : (double)Delivered / Expected;

    /// <summary>How busy cores 0 (the servers') and 1 (the bench's) were during the run, every process on them counted.</summary>
    public double Core0Busy { get; init; } = double.NaN;
    public double Core1Busy { get; init; } = double.NaN;

    /// <summary>The server's CPU seconds from the first update sent to the end of the wait for the last deliveries.</summary>
    public double ServerCpuSeconds { get; init; } = double.NaN;
}

/// <summary>Sends room updates at a fixed rate (open loop: a slow update does not hold back the next) and measures their delivery.</summary>
public static class FanOut
{
    public static async Task<FanOutSample> RunAsync(IRoom room, double rate, double seconds, CancellationToken ct,
        int textLength = 120, Func<int, bool>? counts = null, int? countedAudience = null, CancellationToken stopEarly = default, double graceSeconds = 3)
    {
        var count = Math.Max(2, (int)Math.Ceiling(rate * seconds));
        await room.PrepareUpdatesAsync(count + 2, textLength, ct);
        var delivery = new Delivery { Counts = counts };
        var audience = countedAudience ?? room.Audience;
        room.Current = delivery;
        var serverCpu = room.Server is { } s ? new CpuMeter(s.CpuSeconds) : null;
        var serverCpuAtStart = room.Server?.CpuSeconds() ?? double.NaN;
        var clientCpu = new CpuMeter(CpuMeter.OwnCpuSeconds);
        var cores = new CoreMeter();
        var errors = 0;
        var pending = new List<Task>();
        var start = Stopwatch.GetTimestamp();
        var sent = 0;
        for (; sent < count && !stopEarly.IsCancellationRequested; sent++)
        {
            var due = TimeSpan.FromSeconds(sent / rate) - Stopwatch.GetElapsedTime(start);
            if (due > TimeSpan.Zero)
            {
                await Task.Delay(due, ct);
            }
            var seq = sent;
            pending.Add(Task.Run(async () =>
            {
                try
                {
                    await room.SendUpdateAsync(seq, delivery);
                }
                catch (Exception)
                {
                    Interlocked.Increment(ref errors);
                }
            }, ct));
        }
        var sendSeconds = Math.Max(1.0 / rate, Stopwatch.GetElapsedTime(start).TotalSeconds);
        var expected = (long)sent * audience;
        var graceEnd = Stopwatch.GetTimestamp() + (long)(graceSeconds * Stopwatch.Frequency);
        while (delivery.Delivered < expected && Stopwatch.GetTimestamp() < graceEnd)
        {
            await Task.Delay(20, ct);
        }
        room.Current = null;
        var serverShare = serverCpu?.Share ?? double.NaN;
        var serverCpuSeconds = (room.Server?.CpuSeconds() ?? double.NaN) - serverCpuAtStart;
        var clientShare = clientCpu.Share;
        var (core0, core1) = (cores.Share(0), cores.Share(1));
        // Updates still unanswered (a stalled connection can hold a broadcast) are abandoned, not awaited.
        var span = Math.Max(sendSeconds, delivery.LastArrival == 0 ? 0 : Histogram.Ms(start, delivery.LastArrival) / 1000);
        return new FanOutSample(room.Side, audience, rate, sent, expected, delivery.Delivered, delivery.Delivered / span,
            delivery.Latency.Percentile(50), delivery.Latency.Percentile(95), delivery.Latency.Percentile(99), delivery.Latency.Max,
            errors + pending.Count(t => !t.IsCompleted), serverShare, clientShare, span)
        {
            Core0Busy = core0,
            Core1Busy = core1,
            ServerCpuSeconds = serverCpuSeconds,
        };
    }

    public static string Describe(FanOutSample s) =>
        $"{s.Side,-8} n={s.Audience,-5} rate={s.Rate}/s sent={s.Sent} delivered={s.Delivered}/{s.Expected} ({s.DeliveredShare:P1}) " +
        $"{s.MsgsPerSecond:0} msg/s p50={s.P50:0.0} p95={s.P95:0.0} p99={s.P99:0.0} ms errors={s.Errors} " +
        $"cpu server={s.ServerCpu:P0} client={s.ClientCpu:P0}";
}
