using System.Diagnostics;
using LiveHub.Events;
using LiveHub.Questions;
using LiveHub.Realtime;
using LiveHub.Tests.Infrastructure;
using Xunit.Abstractions;

namespace LiveHub.Tests.Questions;

/// <summary>
/// Upvote counts reach moderators every tick, and a hall's phones less often the larger it is: each room frame carries every
/// question upvoted since the last, the room's version stream has no gap, and the last frame every phone holds is the stored
/// count.
/// </summary>
public sealed class UpvoteFrameRateTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData(0, 250)]
    [InlineData(478, 250)] // the Kupang keynote: every flush
    [InlineData(1250, 250)]
    [InlineData(2500, 500)]
    [InlineData(10000, 2000)]
    [InlineData(15000, 3000)]
    [InlineData(100000, 5000)] // never slower than the slowest
    public void ARoomsUpvoteIntervalGrowsWithItsSize(long headCount, long intervalMs)
    {
        var options = new QuestionOptions();
        Assert.Equal(intervalMs, UpvoteCoalescer.RoomIntervalMs(headCount, options));
        Assert.True(headCount * 1000 / intervalMs <= options.RoomUpvoteMessagesPerSecond || intervalMs == options.RoomUpvoteSlowestMilliseconds);
    }

    [Fact]
    public async Task AHallsPhonesGetUpvoteCountsOnceASecondWhileModeratorsGetEveryTick()
    {
        // A budget of six messages a second makes six phones "a hall": each phone one frame a second.
        await using var server = await LiveHubServer.StartAsync(new Dictionary<string, string?>
        {
            ["LiveHub:Questions:RoomUpvoteMessagesPerSecond"] = "6",
            ["LiveHub:Questions:UpvotesPerMinute"] = "10000",
        });
        var e = await server.CreateEventAsync(moderation: ModerationModes.Open);
        await using var moderator = await TestClient.ConnectAsync(server, moderatorOf: e.Code);
        await moderator.JoinAsync(e.Keynote, SessionViews.Moderator);
        var phones = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => TestClient.ConnectAsync(server)));
        try
        {
            await Task.WhenAll(phones.Select(p => p.JoinAsync(e.Keynote)));
            var questions = new List<QuestionView>();
            foreach (var text in new[] { "Bagaimana data lalu lintas dibuka?", "Kapan Wi-Fi publik sampai ke desa?", "Siapa yang mengelola sensor banjir?" })
            {
                questions.Add(await phones[0].AskAsync(e.Keynote, text));
            }
            var before = phones.Select(p => p.Received.Count).ToList();

            // Three seconds of upvotes switched on and off: the counts change on every tick.
            var clock = Stopwatch.StartNew();
            await Task.WhenAll(phones.Select(async (phone, i) =>
            {
                for (var n = 0; clock.Elapsed < TimeSpan.FromSeconds(3); n++)
                {
                    await phone.OkAsync<UpvoteView>(nameof(EventHub.Upvote), new UpvoteRequest(questions[(i + n) % 3].Id, n % 2 == 0));
                    await Task.Delay(60);
                }
            }));
            var stored = new Dictionary<long, long>();
            foreach (var q in questions)
            {
                stored[q.Id] = await server.ScalarAsync("SELECT upvotes FROM questions WHERE id = @Id", new { q.Id });
            }

            IReadOnlyDictionary<long, long> Last(TestClient client) => client.Received.Where(r => r.Payload is UpvotesDelta)
                .SelectMany(r => ((UpvotesDelta)r.Payload).Counts).GroupBy(c => c.QuestionId).ToDictionary(g => g.Key, g => g.Last().Upvotes);
            await TestClient.EventuallyAsync(() => phones.Append(moderator).All(p => questions.All(q =>
                    Last(p).TryGetValue(q.Id, out var n) ? n == stored[q.Id] : stored[q.Id] == 0)),
                "every phone and the moderator end with the stored counts");
            var seconds = clock.Elapsed.TotalSeconds;

            var phoneFrames = phones.Select(p => p.Received.Count(r => r.Payload is UpvotesDelta)).ToList();
            var moderatorFrames = moderator.Received.Count(r => r.Payload is UpvotesDelta);
            output.WriteLine($"{seconds:F1} s of upvotes and settling: phones got {string.Join(", ", phoneFrames)} frames, the moderator {moderatorFrames}");
            var budget = (int)Math.Ceiling(seconds) + 1;
            Assert.All(phoneFrames, n => Assert.True(n <= budget, $"a phone got {n} upvote frames in {seconds:F1} s; one a second allows {budget}"));
            Assert.True(moderatorFrames > 2 * budget, $"moderators keep the tick's rate: {moderatorFrames} frames in {seconds:F1} s");

            // Nothing else changed the room meanwhile, so its upvote frames take consecutive versions: no phone sees a gap.
            foreach (var (phone, i) in phones.Select((p, i) => (p, i)))
            {
                var versions = phone.Received.Skip(before[i]).Where(r => r.Payload is UpvotesDelta).Select(r => ((UpvotesDelta)r.Payload).Version).ToList();
                Assert.Equal(Enumerable.Range(0, versions.Count).Select(k => versions[0] + k), versions);
            }
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
