using System.Diagnostics;
using LiveHub.Events;
using LiveHub.Polls;
using LiveHub.Realtime;
using LiveHub.Tests.Infrastructure;
using Xunit.Abstractions;

namespace LiveHub.Tests.Polls;

/// <summary>
/// A hall's phones get fewer results frames each, so that one poll's frames to the whole room stay within a budget of
/// messages a second; the projector and the moderators keep their rate whatever the room's size.
/// </summary>
public sealed class PhoneFrameRateTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData(0, 4)]
    [InlineData(1, 4)]
    [InlineData(478, 4)] // the Kupang keynote
    [InlineData(500, 4)]
    [InlineData(501, 3)]
    [InlineData(667, 2)] // 2,000 / 667 = 2.998…: never more than the budget
    [InlineData(1000, 2)]
    [InlineData(1001, 1)]
    [InlineData(2000, 1)]
    [InlineData(15000, 1)] // a hall far beyond the budget still gets one frame a second
    public void APhonesRateFallsAsTheRoomGrowsAndNeverBelowOneASecond(long headCount, int framesPerSecond)
    {
        var options = new PollOptions();
        Assert.Equal(framesPerSecond, PollResultsCoalescer.PhoneFramesPerSecond(headCount, options));
        Assert.True(framesPerSecond * headCount <= options.PhoneMessagesPerSecond || framesPerSecond == 1);
    }

    [Fact]
    public async Task PhonesOfARoomBeyondTheBudgetGetOneFrameASecondWhileTheProjectorKeepsItsRate()
    {
        // A budget of one message a second makes any room "a hall": each phone one frame a second.
        await using var server = await LiveHubServer.StartAsync(new Dictionary<string, string?>
        {
            ["LiveHub:Polls:PhoneMessagesPerSecond"] = "1",
        });
        var e = await server.CreateEventAsync();
        await using var moderator = await TestClient.ConnectAsync(server, moderatorOf: e.Code);
        await using var projector = await TestClient.ConnectAsync(server);
        await moderator.JoinAsync(e.Keynote, SessionViews.Moderator);
        await projector.JoinAsync(e.Keynote, SessionViews.Projector);
        var phones = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => TestClient.ConnectAsync(server)));
        try
        {
            await Task.WhenAll(phones.Select(p => p.JoinAsync(e.Keynote)));
            var poll = await moderator.OkAsync<PollView>(nameof(EventHub.CreatePoll), new PollDraftRequest(e.Keynote, PollKinds.Single,
                "Dari kota mana Anda datang?", ["Kupang", "Ende", "Maumere"], null, null, null, null, PollVisibility.Live));
            await moderator.OkAsync<PollView>(nameof(EventHub.OpenPoll), new PollRequest(poll.Id));

            // Three seconds of votes changing all the time: a frame is due on every tick.
            var clock = Stopwatch.StartNew();
            await Task.WhenAll(phones.Select(async (phone, i) =>
            {
                for (var n = 0; clock.Elapsed < TimeSpan.FromSeconds(3); n++)
                {
                    await phone.OkAsync<MyVote>(nameof(EventHub.CastVote), new CastVoteRequest(poll.Id, $"v{i}-{n}", [(i + n) % 3], null, null, null, null));
                    await Task.Delay(150);
                }
            }));
            await TestClient.EventuallyAsync(() => phones.All(p => p.ResultFrames.Any(f => f.PollId == poll.Id && f.Voters == 4)),
                "every phone ends with the whole count");
            var seconds = clock.Elapsed.TotalSeconds;

            var phoneFrames = phones.Select(p => p.ResultFrames.Count(f => f.PollId == poll.Id)).ToList();
            var projectorFrames = projector.ResultFrames.Count(f => f.PollId == poll.Id);
            output.WriteLine($"{seconds:F1} s of voting and settling: phones got {string.Join(", ", phoneFrames)} frames, the projector {projectorFrames}");
            // One a second (and the first at once), counted over the whole run.
            var budget = (int)Math.Ceiling(seconds) + 1;
            Assert.All(phoneFrames, n => Assert.True(n <= budget, $"a phone got {n} frames in {seconds:F1} s; one a second allows {budget}"));
            Assert.True(projectorFrames > budget, $"the projector keeps its own rate: {projectorFrames} frames in {seconds:F1} s");
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
