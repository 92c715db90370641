using System.Diagnostics;
using LiveHub.Events;
using LiveHub.Realtime;
using LiveHub.Tests.Infrastructure;

namespace LiveHub.Tests.Faults;

/// <summary>The per-connection call limit (10 calls a second, bursts of 40) holds exactly, whatever the load.</summary>
public sealed class CallLimitTests
{
    private const int Burst = 40;
    private const int PerSecond = 10;

    /// <summary>
    /// Sixteen connections, each firing sixty calls at once after sitting idle for a moment: each gets its burst of forty and
    /// then no more than ten a second for as long as its calls took, and every refused call answers a retryable
    /// <c>slow_down</c> on a connection that stays up.
    /// </summary>
    [Fact]
    public async Task ManyConnectionsFiringAtOnceGetTheBurstAndTheRateAndNoMore()
    {
        await using var server = await LiveHubServer.StartAsync();
        var e = await server.CreateEventAsync();
        var phones = await Task.WhenAll(Enumerable.Range(0, 16).Select(_ => TestClient.ConnectAsync(server)));
        try
        {
            foreach (var phone in phones)
            {
                await phone.OkAsync<bool>(nameof(EventHub.LeaveSession), e.Keynote);
            }
            // Phones that sat idle with a full budget: the idle time itself is what this test is about, so it waits it out.
            await Task.Delay(TimeSpan.FromSeconds(1.5));

            var bursts = await Task.WhenAll(phones.Select(async phone =>
            {
                var started = Stopwatch.GetTimestamp();
                // Calls that read the database, as a phone's do: the burst takes long enough for a refill to land inside it.
                var results = await Task.WhenAll(Enumerable.Range(0, 60).Select(_ => phone.InvokeAsync<EventSnapshot>(nameof(EventHub.JoinEvent), e.Code)));
                return (Results: results, Elapsed: Stopwatch.GetElapsedTime(started));
            }));

            // One call before the idle moment, then this burst: a full bucket of 40 and what refilled while the calls ran.
            var outcomes = bursts.Select(b => (Accepted: b.Results.Count(r => r.Ok), Allowed: Burst + (int)(PerSecond * b.Elapsed.TotalSeconds), b.Elapsed)).ToList();
            var broken = outcomes.Where(o => o.Accepted < Burst || o.Accepted > o.Allowed)
                .Select(o => $"{o.Accepted} of 60 accepted in {o.Elapsed.TotalMilliseconds:F0} ms (the limit allows {Burst} to {o.Allowed})").ToList();
            Assert.True(broken.Count == 0, string.Join("; ", broken));
            var refused = bursts.SelectMany(b => b.Results).Where(r => !r.Ok).ToList();
            Assert.All(refused, r => Assert.Equal((ErrorCodes.SlowDown, true), (r.Error!.Code, r.Error.Retryable)));
            Assert.All(phones, phone => Assert.Equal(Microsoft.AspNetCore.SignalR.Client.HubConnectionState.Connected, phone.Connection.State));
        }
        finally
        {
            foreach (var phone in phones)
            {
                await phone.DisposeAsync();
            }
        }
    }
}
