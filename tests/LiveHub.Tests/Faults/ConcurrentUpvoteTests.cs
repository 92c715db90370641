using System.Net;
using LiveHub.Events;
using LiveHub.Questions;
using LiveHub.Realtime;
using LiveHub.Tests.Infrastructure;
using LiveHub.Tests.ScaleOut;

namespace LiveHub.Tests.Faults;

public sealed class ConcurrentUpvoteTests(PostgresFixture postgres) : IClassFixture<PostgresFixture>
{
    /// <summary>
    /// Ten participants, two phones each, sixty on/off toggles at once: the count on the moderator's screen ends equal to the
    /// upvote rows in the database, on either engine.
    /// </summary>
    [SkippableTheory, OnBothEngines]
    public async Task SimultaneousTogglesReachTheModeratorAsTheCountOfRows(string engine)
    {
        await using var scene = await postgres.ModeratedEventAsync(engine,
            settings: new Dictionary<string, string?> { ["LiveHub:Questions:UpvoteFlushMilliseconds"] = "50" });
        var (server, e, moderator) = scene;
        await moderator.JoinAsync(e.Keynote, SessionViews.Moderator);
        await using var author = await TestClient.ConnectAsync(server);
        var question = await author.AskAsync(e.Keynote, "Siapa yang setuju?");

        var phones = new List<TestClient>();
        try
        {
            for (var who = 0; who < 10; who++)
            {
                var first = await TestClient.ConnectAsync(server);
                phones.Add(first);
                phones.Add(await TestClient.ConnectAsync(server.BaseUri, cookies: first.Cookies));
            }
            await Task.WhenAll(phones.Select((phone, i) => Task.Run(async () =>
            {
                foreach (var on in new[] { i % 2 == 0, i % 2 == 1, i % 3 == 0 })
                {
                    var result = await phone.InvokeAsync<UpvoteView>(nameof(EventHub.Upvote), new UpvoteRequest(question.Id, on));
                    Assert.True(result.Ok, result.Error?.Code);
                }
            })));

            var rows = await server.ScalarAsync("SELECT COUNT(*) FROM upvotes WHERE question_id = @Id", new { question.Id });
            Assert.Equal(rows, await server.ScalarAsync("SELECT upvotes FROM questions WHERE id = @Id", new { question.Id }));
            await TestClient.EventuallyAsync(() => LastCount(moderator, question.Id) == rows,
                $"the moderator's count reaches the {rows} upvote rows (last seen {LastCount(moderator, question.Id)})");
        }
        finally
        {
            foreach (var phone in phones)
            {
                await phone.DisposeAsync();
            }
        }
    }

    private static long? LastCount(TestClient client, long questionId) =>
        client.Received.Select(r => r.Payload).OfType<UpvotesDelta>().SelectMany(d => d.Counts)
            .LastOrDefault(c => c.QuestionId == questionId)?.Upvotes;

}
