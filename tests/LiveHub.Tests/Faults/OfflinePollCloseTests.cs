using System.Globalization;
using Dapper;
using LiveHub.Data;
using LiveHub.Polls;
using LiveHub.Realtime;
using LiveHub.Tests.Browser;
using LiveHub.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace LiveHub.Tests.Faults;

/// <summary>
/// A phone whose Wi-Fi goes silent after it voted, while the rest of the hall votes and the moderator closes the poll:
/// it missed every frame and the close itself. When the network returns it must show what everyone else sees — the poll
/// closed, with the database's final count — not the last frame it happened to get.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class OfflinePollCloseTests(ServerFixture fixture, ITestOutputHelper output)
{
    private LiveHubServer Server => fixture.Server;

    [SkippableFact]
    public async Task APhoneOfflineWhileThePollClosesShowsTheClosedPollAndItsFinalCountWhenItIsBack()
    {
        var e = await Server.CreateEventAsync();
        await using var moderator = await TestClient.ConnectAsync(Server, moderatorOf: e.Code);
        var poll = await moderator.OkAsync<PollView>(nameof(EventHub.CreatePoll), new PollDraftRequest(e.Keynote, PollKinds.Single,
            "Transportasi apa yang paling dibutuhkan Kupang?", ["Bus kota", "Ojek daring", "Jalur sepeda", "Angkot"], null, null, null, null, PollVisibility.Live));
        await moderator.OkAsync<PollView>(nameof(EventHub.OpenPoll), new PollRequest(poll.Id));

        await using var proxy = FaultProxy.Start(Server.BaseUri);
        await using var session = await Infrastructure.Browser.LaunchAsync();
        session.ExpectNetworkErrors();
        var phone = await session.OpenAsync("phone", 360, 740);
        await phone.GotoAsync(new Uri(proxy.BaseUri, $"/e/{e.Code}?session={e.Keynote}").ToString());
        await Expect(phone.GetByTestId("connection-status")).ToHaveAttributeAsync("data-state", "connected");
        var card = phone.Locator($"[data-testid='poll'][data-poll-id='{poll.Id}']");
        await card.Locator("[data-testid='poll-option'][data-index='0']").ClickAsync();
        await Expect(phone.GetByTestId("poll-vote-state")).ToHaveAttributeAsync("data-state", "delivered");
        await session.StepAsync("voted before the outage");

        // The network goes silent (no reset, nothing the page could notice at once), and the hall goes on without it.
        proxy.Mode = FaultMode.Blackhole;
        var voters = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => TestClient.ConnectAsync(Server)));
        try
        {
            int[] choices = [1, 1, 2, 1, 3, 2];
            for (var i = 0; i < voters.Length; i++)
            {
                await voters[i].OkAsync<MyVote>(nameof(EventHub.CastVote), new CastVoteRequest(poll.Id, $"hall-{i}", [choices[i]], null, null, null, null));
            }
            await moderator.OkAsync<PollView>(nameof(EventHub.ClosePoll), new PollRequest(poll.Id));
            await Task.Delay(TimeSpan.FromSeconds(3));
            Assert.Equal("open", await card.GetAttributeAsync("data-status"));

            var back = System.Diagnostics.Stopwatch.StartNew();
            proxy.Mode = FaultMode.Pass;
            Dictionary<int, long> tally;
            await using (var connection = await Server.Services.GetRequiredService<Database>().OpenAsync(CancellationToken.None))
            {
                tally = (await connection.QueryAsync<(long Option, long Votes)>(
                    "SELECT option_index, COUNT(*) FROM vote_choices WHERE poll_id = @Id GROUP BY option_index", new { poll.Id }))
                    .ToDictionary(t => (int)t.Option, t => t.Votes);
            }
            var voted = tally.Values.Sum();
            Assert.Equal(7, voted);

            await Expect(card).ToHaveAttributeAsync("data-status", "closed", new() { Timeout = 20_000 });
            var closedAfter = back.Elapsed;
            foreach (var index in Enumerable.Range(0, 4))
            {
                var count = tally.GetValueOrDefault(index);
                var bar = card.Locator($"[data-testid='poll-bar'][data-index='{index}']");
                await Expect(bar.Locator(".bar-count")).ToHaveTextAsync(count.ToString(CultureInfo.InvariantCulture));
            }
            await Expect(card.GetByTestId("poll-count")).ToContainTextAsync("7");
            // The person's own vote is still theirs.
            await Expect(card.Locator("[data-testid='poll-option'][data-index='0']")).ToHaveAttributeAsync("aria-pressed", "true");
            output.WriteLine($"the phone showed the poll closed {closedAfter.TotalSeconds:0.0} s after the network returned, with the database's " +
                $"count ({string.Join(", ", Enumerable.Range(0, 4).Select(i => tally.GetValueOrDefault(i)))})");
            await Infrastructure.Browser.ScreenshotAsync(phone, "offline-poll-closed");
            await session.StepAsync("back online: the poll closed with the final count");
        }
        finally
        {
            await Task.WhenAll(voters.Select(v => v.DisposeAsync().AsTask()));
        }
    }
}
