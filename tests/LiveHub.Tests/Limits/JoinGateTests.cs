using System.Diagnostics.Metrics;
using LiveHub.Limits;
using LiveHub.Realtime;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace LiveHub.Tests.Limits;

/// <summary>The join gate's three answers: a turn, a wait for one, and "come back" once the queue is full or the wait is over.</summary>
public sealed class JoinGateTests
{
    [Fact]
    public async Task AJoinPastTheQueueIsTurnedAwayAtOnceAndOneThatWaitsTooLongAfterItsWait()
    {
        using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        using var gate = new JoinGate(Options.Create(new RealtimeOptions { JoinsAtOnce = 1, JoinQueue = 1, JoinWaitMilliseconds = 1000 }),
            new LiveHubMetrics(services.GetRequiredService<IMeterFactory>(), TimeProvider.System));
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var holding = gate.RunAsync(async () =>
        {
            await release.Task;
            return "first";
        }, CancellationToken.None).AsTask();

        var waiting = gate.RunAsync(() => ValueTask.FromResult("second"), CancellationToken.None).AsTask();
        var pastTheQueue = await gate.RunAsync(() => ValueTask.FromResult("third"), CancellationToken.None);
        Assert.Equal((false, null), pastTheQueue);
        Assert.False(waiting.IsCompleted, "the second join waits in the queue");

        Assert.Equal((false, null), await waiting.WaitAsync(TimeSpan.FromSeconds(5)));
        release.SetResult();
        Assert.Equal((true, "first"), await holding.WaitAsync(TimeSpan.FromSeconds(5)));
        Assert.Equal((true, "fourth"), await gate.RunAsync(() => ValueTask.FromResult("fourth"), CancellationToken.None));
        Assert.Equal(1, gate.Peak);
    }

    [Fact]
    public async Task AJoinThatWaitsGetsTheNextTurnWhenOneEndsInTime()
    {
        using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        using var gate = new JoinGate(Options.Create(new RealtimeOptions { JoinsAtOnce = 1, JoinQueue = 4, JoinWaitMilliseconds = 10_000 }),
            new LiveHubMetrics(services.GetRequiredService<IMeterFactory>(), TimeProvider.System));
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var holding = gate.RunAsync(async () =>
        {
            await release.Task;
            return 1;
        }, CancellationToken.None).AsTask();
        var waiting = gate.RunAsync(() => ValueTask.FromResult(2), CancellationToken.None).AsTask();
        release.SetResult();
        Assert.Equal((true, 1), await holding.WaitAsync(TimeSpan.FromSeconds(5)));
        Assert.Equal((true, 2), await waiting.WaitAsync(TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public void TheAnswerToAShedJoinIsATypedRetryableSlowDownOfOneToThreeSeconds()
    {
        var waits = Enumerable.Range(0, 200).Select(_ => JoinGate.ShedError()).ToList();
        Assert.All(waits, e =>
        {
            Assert.Equal(ErrorCodes.SlowDown, e.Code);
            Assert.Equal("error.slow_down", e.MessageKey);
            Assert.True(e.Retryable);
            Assert.InRange(e.RetryAfterSeconds!.Value, 1, 3);
        });
        Assert.True(waits.Select(e => e.RetryAfterSeconds).Distinct().Count() > 1, "the waits are spread, not one beat");
    }
}
