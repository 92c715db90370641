using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace LiveHub.Realtime;

/// <summary>
/// A background job that runs on a fixed tick for the node's lifetime (coalesced pushes, timers, head counts).
/// A failed tick is logged and the next one tries again; only shutdown ends the loop.
/// </summary>
public abstract partial class TickingService(ILogger logger) : BackgroundService
{
    protected abstract TimeSpan Interval { get; }

    protected abstract Task TickAsync(CancellationToken ct);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    await TickAsync(stoppingToken);
                }
                // Only shutdown ends the loop: a store or Redis call cut off under a tick may end cancelled, too.
                catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
                {
                    LogTickFailed(logger, ex, GetType().Name);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    [LoggerMessage(EventId = 2000, Level = LogLevel.Warning, Message = "{Job} tick failed; trying again next tick")]
    private static partial void LogTickFailed(ILogger logger, Exception ex, string job);
}
