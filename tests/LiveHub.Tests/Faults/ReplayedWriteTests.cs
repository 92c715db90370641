using LiveHub.Events;
using LiveHub.Polls;
using LiveHub.Questions;
using LiveHub.Realtime;
using LiveHub.Tests.Infrastructure;
using LiveHub.Tests.ScaleOut;

namespace LiveHub.Tests.Faults;

/// <summary>
/// A phone's outbox replays what it is not sure landed, sometimes from two tabs at once: every replayed or duplicated write
/// answers as the first one did and changes no count.
/// </summary>
public sealed class ReplayedWriteTests(PostgresFixture postgres) : IClassFixture<PostgresFixture>
{
    [SkippableTheory, OnBothEngines]
    public async Task ReplayedAndDuplicatedAsksUpvotesAndVotesChangeNoCount(string engine)
    {
        await using var scene = await postgres.ModeratedEventAsync(engine);
        var (server, e, moderator) = scene;
        await moderator.JoinAsync(e.Keynote, SessionViews.Moderator);
        var poll = await moderator.OpenPollAsync(e.Keynote);
        // One participant, two tabs, each sending every write three times at once.
        await using var tab = await TestClient.ConnectAsync(server);
        await using var otherTab = await TestClient.ConnectAsync(server.BaseUri, cookies: tab.Cookies);
        Task<HubResult<T>[]> SixTimes<T>(string method, object request) =>
            Task.WhenAll(new[] { tab, otherTab }.SelectMany(c => Enumerable.Range(0, 3).Select(_ => c.InvokeAsync<T>(method, request))));

        var asks = await SixTimes<QuestionView>(nameof(EventHub.AskQuestion), new AskQuestionRequest(e.Keynote, "replayed-ask", "Sekali saja?", null));
        var question = asks.First(a => a.Ok).Value!;
        var upvotes = await SixTimes<UpvoteView>(nameof(EventHub.Upvote), new UpvoteRequest(question.Id, true));
        var votes = await SixTimes<MyVote>(nameof(EventHub.CastVote), new CastVoteRequest(poll.Id, "replayed-vote", [1], null, null, null, null));

        var stored = new[]
        {
            await server.ScalarAsync($"SELECT COUNT(*) FROM questions WHERE session_id = {e.Keynote}"),
            await server.ScalarAsync($"SELECT COUNT(*) FROM upvotes WHERE question_id = {question.Id}"),
            await server.ScalarAsync($"SELECT COUNT(*) FROM vote_requests WHERE poll_id = {poll.Id}"),
        };
        FaultLedger.Record($"Replayed and duplicated writes ({engine})", stored.Length, stored.Count(n => n == 0), (int)stored.Sum(n => Math.Max(0, n - 1)));

        // Each copy counts against the asker's limit of five, as a resend does; one refused while the first was still being
        // written answers a retryable slow_down, and its own resend later finds the stored question.
        Assert.All(asks, a => Assert.True(a.Ok ? a.Value!.Id == question.Id : a.Error is { Code: ErrorCodes.SlowDown, Retryable: true }, a.Error?.Code));
        Assert.All(upvotes, u => Assert.Equal((true, 1L), (u.Ok, u.Value!.Upvotes)));
        Assert.All(votes, v => Assert.Equal((true, 1), (v.Ok, v.Value!.Choices.Single())));
        Assert.Equal(1, await server.ScalarAsync($"SELECT COUNT(*) FROM questions WHERE session_id = {e.Keynote}"));
        Assert.Equal(1, await server.ScalarAsync($"SELECT upvotes FROM questions WHERE id = {question.Id}"));
        Assert.Equal(1, await server.ScalarAsync($"SELECT COUNT(*) FROM upvotes WHERE question_id = {question.Id}"));
        Assert.Equal(1, await server.ScalarAsync($"SELECT COUNT(*) FROM votes WHERE poll_id = {poll.Id}"));
        Assert.Equal(1, await server.ScalarAsync($"SELECT COUNT(*) FROM vote_choices WHERE poll_id = {poll.Id}"));

        // Withdrawn twice from each tab: still counted from the rows, so zero, not minus three.
        var withdrawn = await SixTimes<UpvoteView>(nameof(EventHub.Upvote), new UpvoteRequest(question.Id, false));
        Assert.All(withdrawn, u => Assert.Equal(0, u.Value!.Upvotes));
        Assert.Equal(0, await server.ScalarAsync($"SELECT upvotes FROM questions WHERE id = {question.Id}"));

        // The moderator heard of the question once: a later question's delta, sent after it on the same connection, has arrived.
        // (Another participant asks it: each of the six copies counted against the asker's limit, as a resend does.)
        var marker = await moderator.AskAsync(e.Keynote, "Penanda?");
        await TestClient.EventuallyAsync(() => moderator.QuestionDeltas.Any(d => d.Question.Id == marker.Id), "the marker reaches the moderator");
        Assert.Single(moderator.QuestionDeltas, d => d.Question.Id == question.Id);
    }

}
