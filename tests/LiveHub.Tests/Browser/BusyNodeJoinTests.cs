using System.Globalization;
using LiveHub.Limits;
using LiveHub.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using static Microsoft.Playwright.Assertions;

namespace LiveHub.Tests.Browser;

/// <summary>
/// A phone whose joins a busy node turns away (<c>slow_down</c>, retryable, with a wait): the page keeps its connection,
/// comes back after the wait it was given, and shows the session as soon as the node has room; no error, no reload.
/// </summary>
public sealed class BusyNodeJoinTests
{
    [SkippableFact]
    public async Task APhoneTurnedAwayByABusyNodeJoinsOnItsOwnOnceTheNodeHasRoom()
    {
        // One join at a time and none waiting: while the test holds the one turn, every join is turned away at once.
        await using var server = await LiveHubServer.StartAsync(new Dictionary<string, string?>
        {
            ["LiveHub:Realtime:JoinsAtOnce"] = "1",
            ["LiveHub:Realtime:JoinQueue"] = "0",
        });
        var e = await server.CreateEventAsync(sampleQuestions: true);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var busy = server.Services.GetRequiredService<JoinGate>().RunAsync(async () =>
        {
            await release.Task;
            return true;
        }, CancellationToken.None).AsTask();
        try
        {
            await using var session = await Infrastructure.Browser.LaunchAsync();
            var phone = await session.OpenAsync("phone", 360, 740);
            var turnedAway = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            phone.Console += (_, message) =>
            {
                if (message.Type == "warning" && message.Text.Contains("rejoin failed", StringComparison.Ordinal))
                {
                    turnedAway.TrySetResult();
                }
            };
            await phone.GotoAsync(new Uri(server.BaseUri, $"/e/{e.Code}?session={e.Keynote.ToString(CultureInfo.InvariantCulture)}").ToString());
            await turnedAway.Task.WaitAsync(TimeSpan.FromSeconds(15));
            await Expect(phone.GetByTestId("connection-status")).ToHaveAttributeAsync("data-state", "connected");
            await session.StepAsync("turned away by a busy node");

            release.SetResult();
            Assert.True(await busy.WaitAsync(TestClient.Timeout) is (true, true), "the test held the node's one turn");
            // The wait the node named (at most 3 s) plus up to a second of jitter, then both joins.
            await Expect(phone.GetByTestId("question").First).ToBeVisibleAsync(new() { Timeout = 8_000 });
            await Expect(phone.GetByTestId("connection-status")).ToHaveAttributeAsync("data-state", "connected");
            await session.StepAsync("joined once the node had room");
        }
        finally
        {
            release.TrySetResult();
            await busy;
        }
    }
}
