using System.Diagnostics;
using Dapper;
using LiveHub.Data;
using LiveHub.Data.Polls;
using LiveHub.Events;
using LiveHub.Polls;
using LiveHub.Realtime;
using LiveHub.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace LiveHub.Tests.Polls;

[Collection(ServerCollection.Name)]
public sealed class PollFlowTests(ServerFixture fixture, ITestOutputHelper output)
{
    private LiveHubServer Server => fixture.Server;

    private static PollDraftRequest Single(long sessionId, string visibility = PollVisibility.Live) =>
        new(sessionId, PollKinds.Single, "Masalah kota mana yang paling mendesak di daerah Anda?",
            ["Kemacetan", "Keamanan warga", "Penumpukan sampah", "Reformasi administrasi"], null, null, null, null, visibility);

    [Fact]
    public async Task TwoHundredVotersWithChangesAndRetriesEndAtTheDatabasesCountWithinTheFrameBudget()
    {
        var e = await Server.CreateEventAsync();
        await using var moderator = await TestClient.ConnectAsync(Server, moderatorOf: e.Code);
        await using var projector = await TestClient.ConnectAsync(Server);
        await projector.JoinAsync(e.Keynote, SessionViews.Projector);
        await moderator.JoinAsync(e.Keynote, SessionViews.Moderator);
        var poll = await moderator.OkAsync<PollView>(nameof(EventHub.CreatePoll), Single(e.Keynote));

        var voters = new List<TestClient>();
        foreach (var batch in Enumerable.Range(0, 200).Chunk(25))
        {
            voters.AddRange(await Task.WhenAll(batch.Select(_ => TestClient.ConnectAsync(Server))));
        }
        try
        {
            await Task.WhenAll(voters.Select(v => v.JoinAsync(e.Keynote)));
            var clock = Stopwatch.StartNew();
            await moderator.OkAsync<PollView>(nameof(EventHub.OpenPoll), new PollRequest(poll.Id));

            // Everyone votes; every fourth changes their mind; every fifth resends its first vote with the same client id.
            await Task.WhenAll(voters.Select(async (v, i) =>
            {
                var first = new CastVoteRequest(poll.Id, Guid.NewGuid().ToString("N"), [i % 4], null, null, null, null);
                await v.OkAsync<MyVote>(nameof(EventHub.CastVote), first);
                if (i % 4 == 0)
                {
                    await v.OkAsync<MyVote>(nameof(EventHub.CastVote), first with { ClientId = Guid.NewGuid().ToString("N"), Choices = [3] });
                }
                if (i % 5 == 0)
                {
                    var retried = await v.OkAsync<MyVote>(nameof(EventHub.CastVote), first);
                    Assert.Equal(i % 4 == 0 ? [3] : [i % 4], retried.Choices);
                }
            }));

            var truth = await TallyFromSqlAsync(poll.Id);
            Assert.Equal(200, truth.Values.Sum());
            bool Matches(PollResults r) => r.Voters == 200 && r.Options.All(o => o.Votes == truth.GetValueOrDefault(o.Index));
            await TestClient.EventuallyAsync(() => projector.ResultFrames.Any(Matches), "the projector shows the database's count");
            await TestClient.EventuallyAsync(() => moderator.ResultFrames.Any(Matches), "the moderator shows the database's count");
            foreach (var v in voters)
            {
                await TestClient.EventuallyAsync(() => v.ResultFrames.Any(Matches), "every phone shows the database's count");
            }
            var seconds = clock.Elapsed.TotalSeconds;

            // The last frame each screen holds is the database's count.
            Assert.True(Matches(projector.ResultFrames.MaxBy(f => f.Version)!));
            Assert.All(voters, v => Assert.True(Matches(v.ResultFrames.MaxBy(f => f.Version)!)));
            var most = voters.Max(v => v.ResultFrames.Count());
            var budget = (int)Math.Ceiling(seconds) * 4 + 2;
            output.WriteLine($"200 voters, {voters.Count(v => true) / 4} changes: {seconds:F2} s; most frames on one phone {most} (budget {budget}); projector {projector.ResultFrames.Count()} frames");
            Assert.All(voters, v => Assert.True(v.ResultFrames.Count() <= budget, $"{v.ResultFrames.Count()} frames > {budget}"));
            Assert.Equal(truth.Values.Sum(), await CountAsync("SELECT COUNT(*) FROM votes WHERE poll_id = @Id", new { poll.Id }));
        }
        finally
        {
            await Task.WhenAll(voters.Select(v => v.DisposeAsync().AsTask()));
        }
    }

    /// <summary>
    /// The moderator's card says what the hall sees by the server's own rule, never a copy of it: a running quiz keeps its
    /// spread from the audience and the screen, however its results are set and even when revealed, until it closes.
    /// </summary>
    [Fact]
    public async Task TheModeratorsPollViewSaysWhetherTheAudienceSeesResultsByTheServersRule()
    {
        var e = await Server.CreateEventAsync();
        await using var moderator = await TestClient.ConnectAsync(Server, moderatorOf: e.Code);
        string[] cities = ["Kupang", "Ende", "Maumere"];

        var quiz = await moderator.OkAsync<PollView>(nameof(EventHub.CreatePoll),
            new PollDraftRequest(e.Keynote, PollKinds.Quiz, "Ibu kota NTT?", cities, null, null, [0], 60, PollVisibility.Live));
        quiz = await moderator.OkAsync<PollView>(nameof(EventHub.OpenPoll), new PollRequest(quiz.Id));
        Assert.True(quiz.ResultsVisible, "moderators always see results");
        Assert.False(quiz.AudienceSeesResults, "a running quiz with live results shows the hall nothing");
        quiz = await moderator.OkAsync<PollView>(nameof(EventHub.RevealPollResults), new RevealPollRequest(quiz.Id, true));
        Assert.False(quiz.AudienceSeesResults, "revealed, but still running");
        quiz = await moderator.OkAsync<PollView>(nameof(EventHub.ClosePoll), new PollRequest(quiz.Id));
        Assert.True(quiz.AudienceSeesResults, "closed");

        var single = await moderator.OkAsync<PollView>(nameof(EventHub.CreatePoll), Single(e.Keynote, PollVisibility.OnClose));
        single = await moderator.OkAsync<PollView>(nameof(EventHub.OpenPoll), new PollRequest(single.Id));
        Assert.False(single.AudienceSeesResults);
        single = await moderator.OkAsync<PollView>(nameof(EventHub.ClosePoll), new PollRequest(single.Id));
        Assert.True(single.AudienceSeesResults);

        // The same flag in the moderator's snapshot as in the action's answer.
        var snapshot = await moderator.JoinAsync(e.Keynote, SessionViews.Moderator);
        Assert.Equal([true, true], snapshot.Polls.Where(p => p.Id == quiz.Id || p.Id == single.Id).OrderBy(p => p.Id).Select(p => p.AudienceSeesResults));
    }

    [Fact]
    public async Task AnOpenRevealedQuizSendsNoDistributionToTheAudienceOrProjectorUntilItCloses()
    {
        await using var hall = await KeynoteScreensAsync();
        var (e, moderator, phone, projector) = hall;
        var quiz = await moderator.OkAsync<PollView>(nameof(EventHub.CreatePoll),
            new PollDraftRequest(e.Keynote, PollKinds.Quiz, "Ibu kota NTT?", ["Kupang", "Ende", "Maumere"], null, null, [0], 600, PollVisibility.Live));
        await moderator.OkAsync<PollView>(nameof(EventHub.OpenPoll), new PollRequest(quiz.Id));
        await phone.OkAsync<MyVote>(nameof(EventHub.CastVote), new CastVoteRequest(quiz.Id, "q1", [1], null, null, null, null));
        await TestClient.EventuallyAsync(() => moderator.ResultFrames.Any(r => r.PollId == quiz.Id && r.Voters == 1), "the moderator sees the vote");
        var framesBefore = moderator.ResultFrames.Count(r => r.PollId == quiz.Id);

        var revealed = await moderator.OkAsync<PollView>(nameof(EventHub.RevealPollResults), new RevealPollRequest(quiz.Id, true));
        Assert.True(revealed.Revealed);
        Assert.False(revealed.AudienceSeesResults, "a running quiz shows the hall nothing, revealed or not");
        // The reveal pushes a fresh frame to moderators; a public one would go out in the same send.
        await TestClient.EventuallyAsync(() => moderator.ResultFrames.Count(r => r.PollId == quiz.Id) > framesBefore, "the reveal pushed a frame to moderators");
        var publicReveal = await TestClient.EventuallyValueAsync(() => phone.Received
            .Where(r => r.Name == nameof(ILiveClient.PollRevealed)).Select(r => ((PollDelta)r.Payload).Poll).FirstOrDefault(p => p.Id == quiz.Id));
        Assert.False(publicReveal.ResultsVisible);
        Assert.False(publicReveal.AudienceSeesResults);
        foreach (var view in new[] { SessionViews.Audience, SessionViews.Projector })
        {
            var snapshot = await (view == SessionViews.Audience ? phone : projector).JoinAsync(e.Keynote, view);
            Assert.DoesNotContain(snapshot.Results, r => r.PollId == quiz.Id);
            Assert.False(snapshot.Polls.Single(p => p.Id == quiz.Id).ResultsVisible);
        }
        Assert.DoesNotContain(phone.ResultFrames, r => r.PollId == quiz.Id);
        Assert.DoesNotContain(projector.ResultFrames, r => r.PollId == quiz.Id);

        // Closing flips the flag: the delta carries the new view, and the results follow.
        await moderator.OkAsync<PollView>(nameof(EventHub.ClosePoll), new PollRequest(quiz.Id));
        var publicClose = await TestClient.EventuallyValueAsync(() => projector.Received
            .Where(r => r.Name == nameof(ILiveClient.PollClosed)).Select(r => ((PollDelta)r.Payload).Poll).FirstOrDefault(p => p.Id == quiz.Id));
        Assert.True(publicClose.ResultsVisible);
        await TestClient.EventuallyAsync(() => phone.ResultFrames.Any(r => r.PollId == quiz.Id && r.Voters == 1), "once closed the phone gets the results");
        await TestClient.EventuallyAsync(() => projector.ResultFrames.Any(r => r.PollId == quiz.Id && r.Voters == 1), "and the projector");
    }

    [Fact]
    public async Task HiddenResultsNeverReachTheAudienceBeforeReveal()
    {
        await using var hall = await KeynoteScreensAsync();
        var (e, moderator, phone, projector) = hall;
        var poll = await moderator.OkAsync<PollView>(nameof(EventHub.CreatePoll), Single(e.Keynote, PollVisibility.Hidden));
        await moderator.OkAsync<PollView>(nameof(EventHub.OpenPoll), new PollRequest(poll.Id));

        await phone.OkAsync<MyVote>(nameof(EventHub.CastVote), new CastVoteRequest(poll.Id, "v1", [1], null, null, null, null));
        await TestClient.EventuallyAsync(() => moderator.ResultFrames.Any(r => r.PollId == poll.Id && r.Voters == 1), "the moderator sees the vote");
        await moderator.OkAsync<PollView>(nameof(EventHub.ClosePoll), new PollRequest(poll.Id));
        await TestClient.EventuallyAsync(() => moderator.ResultFrames.Count(r => r.PollId == poll.Id) >= 2, "the close pushed a frame to moderators");

        Assert.DoesNotContain(phone.ResultFrames, r => r.PollId == poll.Id);
        Assert.DoesNotContain(projector.ResultFrames, r => r.PollId == poll.Id);
        var snapshot = await phone.JoinAsync(e.Keynote);
        Assert.DoesNotContain(snapshot.Results, r => r.PollId == poll.Id);
        Assert.False(snapshot.Polls.Single(p => p.Id == poll.Id).ResultsVisible);

        await moderator.OkAsync<PollView>(nameof(EventHub.RevealPollResults), new RevealPollRequest(poll.Id, true));
        await TestClient.EventuallyAsync(() => phone.ResultFrames.Any(r => r.PollId == poll.Id && r.Voters == 1), "after reveal the phone gets the results");
        await TestClient.EventuallyAsync(() => projector.ResultFrames.Any(r => r.PollId == poll.Id && r.Voters == 1), "and the projector");
    }

    [Fact]
    public async Task VoteOnAClosedPollGetsATypedErrorAndChangesNothing()
    {
        var e = await Server.CreateEventAsync();
        await using var moderator = await TestClient.ConnectAsync(Server, moderatorOf: e.Code);
        await using var phone = await TestClient.ConnectAsync(Server);
        var poll = await moderator.OkAsync<PollView>(nameof(EventHub.CreatePoll), Single(e.Keynote));
        var vote = new CastVoteRequest(poll.Id, "early", [0], null, null, null, null);

        var draft = await phone.InvokeAsync<MyVote>(nameof(EventHub.CastVote), vote);
        Assert.Equal(ErrorCodes.NotFound, draft.Error!.Code);

        await moderator.OkAsync<PollView>(nameof(EventHub.OpenPoll), new PollRequest(poll.Id));
        await phone.OkAsync<MyVote>(nameof(EventHub.CastVote), vote with { ClientId = "first" });
        await moderator.OkAsync<PollView>(nameof(EventHub.ClosePoll), new PollRequest(poll.Id));

        var late = await phone.InvokeAsync<MyVote>(nameof(EventHub.CastVote), vote with { ClientId = "second", Choices = [2] });
        Assert.False(late.Ok);
        Assert.Equal("poll_closed", late.Error!.Code);
        Assert.Equal("error.poll_closed", late.Error.MessageKey);
        Assert.Equal(new Dictionary<int, long> { [0] = 1 }, await TallyFromSqlAsync(poll.Id));

        // The first vote's acknowledgement was lost: its resend after the close answers as it did, changing nothing.
        var resent = await phone.InvokeAsync<MyVote>(nameof(EventHub.CastVote), vote with { ClientId = "first" });
        Assert.True(resent.Ok);
        Assert.Equal([0], resent.Value!.Choices);
        Assert.Equal(new Dictionary<int, long> { [0] = 1 }, await TallyFromSqlAsync(poll.Id));
    }

    [Fact]
    public async Task ChosenAnswerStaysMarkedAfterAReload()
    {
        var e = await Server.CreateEventAsync();
        await using var moderator = await TestClient.ConnectAsync(Server, moderatorOf: e.Code);
        await using var phone = await TestClient.ConnectAsync(Server);
        var ranking = await moderator.OkAsync<PollView>(nameof(EventHub.CreatePoll),
            new PollDraftRequest(e.Keynote, PollKinds.Ranking, "Urutkan prioritas", ["Air", "Jalan", "Internet"], null, null, null, null, null));
        await moderator.OkAsync<PollView>(nameof(EventHub.OpenPoll), new PollRequest(ranking.Id));
        await phone.OkAsync<MyVote>(nameof(EventHub.CastVote), new CastVoteRequest(ranking.Id, "r1", null, null, [2, 0, 1], null, null));

        await phone.ReconnectAsync();
        var snapshot = await phone.JoinAsync(e.Keynote);

        var mine = Assert.Single(snapshot.MyVotes);
        Assert.Equal([2, 0, 1], mine.Ranking);
        Assert.Equal(PollStatus.Open, Assert.Single(snapshot.Polls).Status);
    }

    [Fact]
    public async Task AudienceCannotRunPollsAndDraftsStayWithModerators()
    {
        var e = await Server.CreateEventAsync();
        await using var moderator = await TestClient.ConnectAsync(Server, moderatorOf: e.Code);
        await using var phone = await TestClient.ConnectAsync(Server);
        await phone.JoinAsync(e.Keynote);
        var poll = await moderator.OkAsync<PollView>(nameof(EventHub.CreatePoll), Single(e.Keynote));

        Assert.Equal(ErrorCodes.Forbidden, (await phone.InvokeAsync<PollView>(nameof(EventHub.CreatePoll), Single(e.Keynote))).Error!.Code);
        Assert.Equal(ErrorCodes.Forbidden, (await phone.InvokeAsync<PollView>(nameof(EventHub.OpenPoll), new PollRequest(poll.Id))).Error!.Code);
        Assert.Equal(ErrorCodes.Forbidden, (await phone.InvokeAsync<PollView>(nameof(EventHub.ResetPoll), new PollRequest(poll.Id))).Error!.Code);
        Assert.Equal(ErrorCodes.Forbidden, (await phone.InvokeAsync<ProjectorDelta>(nameof(EventHub.SetProjector), new SetProjectorRequest(e.Keynote, ProjectorModes.Idle, null))).Error!.Code);

        var snapshot = await phone.JoinAsync(e.Keynote);
        Assert.Empty(snapshot.Polls);
        Assert.DoesNotContain(phone.Received, r => r.Payload is PollDelta);
    }

    [Fact]
    public async Task QuizScoresByCorrectnessAndSpeedAndTheTimerClosesIt()
    {
        var e = await Server.CreateEventAsync();
        await using var moderator = await TestClient.ConnectAsync(Server, moderatorOf: e.Code);
        await using var fast = await TestClient.ConnectAsync(Server);
        await using var wrong = await TestClient.ConnectAsync(Server);
        await using var projector = await TestClient.ConnectAsync(Server);
        await projector.JoinAsync(e.Keynote, SessionViews.Projector);
        var quiz = await moderator.OkAsync<PollView>(nameof(EventHub.CreatePoll),
            new PollDraftRequest(e.Keynote, PollKinds.Quiz, "Ibu kota NTT?", ["Kupang", "Ende", "Maumere"], null, null, [0], 5, PollVisibility.OnClose));
        var opened = await moderator.OkAsync<PollView>(nameof(EventHub.OpenPoll), new PollRequest(quiz.Id));
        Assert.NotNull(opened.ClosesAt);

        await fast.OkAsync<MyVote>(nameof(EventHub.CastVote), new CastVoteRequest(quiz.Id, "q1", [0], null, null, null, "Ani"));
        await wrong.OkAsync<MyVote>(nameof(EventHub.CastVote), new CastVoteRequest(quiz.Id, "q2", [1], null, null, null, null));

        // The timer closes the quiz by itself; the projector then gets the answer and the leaderboard.
        await TestClient.EventuallyAsync(() => projector.Received.Any(r => r.Name == nameof(ILiveClient.PollClosed)), "the timer closes the quiz", TimeSpan.FromSeconds(15));
        await TestClient.EventuallyAsync(() => projector.ResultFrames.Any(r => r.PollId == quiz.Id && r.Leaderboard.Count == 2), "the leaderboard reaches the projector");
        var frame = projector.ResultFrames.Last(r => r.PollId == quiz.Id);
        Assert.Equal([0], frame.Correct);
        Assert.Equal("Ani", frame.Leaderboard[0].Name);
        Assert.InRange(frame.Leaderboard[0].Score, 501, 1000);
        Assert.Equal(0, frame.Leaderboard[1].Score);
        var late = await fast.InvokeAsync<MyVote>(nameof(EventHub.CastVote), new CastVoteRequest(quiz.Id, "q3", [0], null, null, null, "Ani"));
        Assert.Equal("poll_closed", late.Error!.Code);
    }

    [Fact]
    public async Task WordCloudAndOpenTextCountAndModerate()
    {
        var e = await Server.CreateEventAsync();
        await using var moderator = await TestClient.ConnectAsync(Server, moderatorOf: e.Code);
        await using var projector = await TestClient.ConnectAsync(Server);
        await projector.JoinAsync(e.Keynote, SessionViews.Projector);
        await moderator.JoinAsync(e.Keynote, SessionViews.Moderator);
        var cloud = await moderator.OkAsync<PollView>(nameof(EventHub.CreatePoll),
            new PollDraftRequest(e.Keynote, PollKinds.WordCloud, "Satu kata untuk smart city?", null, null, null, null, null, null));
        var text = await moderator.OkAsync<PollView>(nameof(EventHub.CreatePoll),
            new PollDraftRequest(e.Keynote, PollKinds.Text, "Saran Anda?", null, null, null, null, null, null));
        await moderator.OkAsync<PollView>(nameof(EventHub.OpenPoll), new PollRequest(cloud.Id));
        await moderator.OkAsync<PollView>(nameof(EventHub.OpenPoll), new PollRequest(text.Id));

        var phones = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => TestClient.ConnectAsync(Server)));
        try
        {
            string[] words = ["Efisien!", "efisien", "Transparan"];
            for (var i = 0; i < phones.Length; i++)
            {
                await phones[i].OkAsync<MyVote>(nameof(EventHub.CastVote), new CastVoteRequest(cloud.Id, $"w{i}", null, null, null, words[i], null));
            }
            await phones[0].OkAsync<MyVote>(nameof(EventHub.CastVote), new CastVoteRequest(text.Id, "t0", null, null, null, "Perbanyak Wi-Fi publik", null));
            await TestClient.EventuallyAsync(
                () => projector.ResultFrames.Any(r => r.PollId == cloud.Id && r.Words.Any(w => w.Word == "efisien" && w.Votes == 2)),
                "the cloud counts normalised words");

            var answers = await TestClient.EventuallyValueAsync(() => moderator.ResultFrames.LastOrDefault(r => r.PollId == text.Id && r.Answers.Count == 1));
            Assert.DoesNotContain(projector.ResultFrames, r => r.PollId == text.Id && r.Answers.Count > 0);
            var approved = await moderator.OkAsync<AnswerResult>(nameof(EventHub.ModeratePollAnswer), new ModeratePollAnswerRequest(text.Id, answers.Answers[0].Id, "approve"));
            Assert.Equal("Perbanyak Wi-Fi publik", approved.Text);
            await TestClient.EventuallyAsync(() => phones[0].Received.Any(r => r.Name == nameof(ILiveClient.MyVoteChanged)), "the author learns the answer was approved");
            await TestClient.EventuallyAsync(() => projector.ResultFrames.Any(r => r.PollId == text.Id && r.Answers.Any(a => a.Text == "Perbanyak Wi-Fi publik")), "an approved answer reaches the screen");
        }
        finally
        {
            await Task.WhenAll(phones.Select(p => p.DisposeAsync().AsTask()));
        }
    }

    [Fact]
    public async Task DraftsAreEditableUntilLaunchedAndReusableAsTemplates()
    {
        var e = await Server.CreateEventAsync();
        await using var moderator = await TestClient.ConnectAsync(Server, moderatorOf: e.Code);
        var poll = await moderator.OkAsync<PollView>(nameof(EventHub.CreatePoll), Single(e.Keynote));
        var edited = await moderator.OkAsync<PollView>(nameof(EventHub.UpdatePoll), new UpdatePollRequest(poll.Id, Single(e.Keynote) with { Options = ["Ya", "Tidak"] }));
        Assert.Equal(["Ya", "Tidak"], edited.Options);

        await moderator.OkAsync<PollView>(nameof(EventHub.OpenPoll), new PollRequest(poll.Id));
        var locked = await moderator.InvokeAsync<PollView>(nameof(EventHub.UpdatePoll), new UpdatePollRequest(poll.Id, Single(e.Keynote)));
        Assert.Equal("poll_locked", locked.Error!.Code);

        var copy = await moderator.OkAsync<PollView>(nameof(EventHub.CopyPoll), new CopyPollRequest(poll.Id, e.Panel));
        Assert.Equal(e.Panel, copy.SessionId);
        Assert.Equal(PollStatus.Draft, copy.Status);
        Assert.Equal(["Ya", "Tidak"], copy.Options);

        await moderator.OkAsync<PollView>(nameof(EventHub.ClosePoll), new PollRequest(poll.Id));
        var reset = await moderator.OkAsync<PollView>(nameof(EventHub.ResetPoll), new PollRequest(poll.Id));
        Assert.Equal(PollStatus.Draft, reset.Status);
    }

    [Fact]
    public async Task ProjectorFollowsTheModeratorsChoice()
    {
        var e = await Server.CreateEventAsync();
        await using var moderator = await TestClient.ConnectAsync(Server, moderatorOf: e.Code);
        await using var projector = await TestClient.ConnectAsync(Server);
        var start = await projector.JoinAsync(e.Keynote, SessionViews.Projector);
        Assert.Equal(ProjectorModes.Questions, start.ProjectorMode);
        var poll = await moderator.OkAsync<PollView>(nameof(EventHub.CreatePoll), Single(e.Keynote));

        var refused = await moderator.InvokeAsync<ProjectorDelta>(nameof(EventHub.SetProjector), new SetProjectorRequest(e.Keynote, ProjectorModes.Poll, poll.Id));
        Assert.Equal(ErrorCodes.Invalid, refused.Error!.Code);
        await moderator.OkAsync<PollView>(nameof(EventHub.OpenPoll), new PollRequest(poll.Id));
        await moderator.OkAsync<ProjectorDelta>(nameof(EventHub.SetProjector), new SetProjectorRequest(e.Keynote, ProjectorModes.Poll, poll.Id));

        await TestClient.EventuallyAsync(() => projector.Received.Any(r => r.Payload is ProjectorDelta { Mode: ProjectorModes.Poll } d && d.PollId == poll.Id), "the projector switches to the poll");
        var after = await projector.JoinAsync(e.Keynote, SessionViews.Projector);
        Assert.Equal(poll.Id, after.ProjectorPollId);

        // Resetting the poll on screen sends the projector back to the questions.
        await moderator.OkAsync<PollView>(nameof(EventHub.ClosePoll), new PollRequest(poll.Id));
        await moderator.OkAsync<PollView>(nameof(EventHub.ResetPoll), new PollRequest(poll.Id));
        await TestClient.EventuallyAsync(() => projector.Received.Any(r => r.Payload is ProjectorDelta { Mode: ProjectorModes.Questions }), "the projector leaves the reset poll");
    }

    private async Task<Dictionary<int, long>> TallyFromSqlAsync(long pollId)
    {
        await using var connection = await Server.Services.GetRequiredService<Database>().OpenAsync(CancellationToken.None);
        var rows = await connection.QueryAsync<(long Option, long Count)>(
            "SELECT option_index, COUNT(*) FROM vote_choices WHERE poll_id = @pollId GROUP BY option_index", new { pollId });
        return rows.ToDictionary(r => (int)r.Option, r => r.Count);
    }

    private async Task<long> CountAsync(string sql, object args)
    {
        await using var connection = await Server.Services.GetRequiredService<Database>().OpenAsync(CancellationToken.None);
        return await connection.ExecuteScalarAsync<long>(sql, args);
    }

    /// <summary>A new event's keynote with its three screens joined: a moderator, a phone and the projector.</summary>
    private sealed record KeynoteScreens(TestEvent Event, TestClient Moderator, TestClient Phone, TestClient Projector) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await Moderator.DisposeAsync();
            await Phone.DisposeAsync();
            await Projector.DisposeAsync();
        }
    }

    private async Task<KeynoteScreens> KeynoteScreensAsync()
    {
        var e = await Server.CreateEventAsync();
        var screens = new KeynoteScreens(e, await TestClient.ConnectAsync(Server, moderatorOf: e.Code), await TestClient.ConnectAsync(Server),
            await TestClient.ConnectAsync(Server));
        await screens.Moderator.JoinAsync(e.Keynote, SessionViews.Moderator);
        await screens.Phone.JoinAsync(e.Keynote);
        await screens.Projector.JoinAsync(e.Keynote, SessionViews.Projector);
        return screens;
    }
}

[Collection(ServerCollection.Name)]
public sealed class SamplePollTests(ServerFixture fixture)
{
    [Fact]
    public async Task TheScenariosSamplePollsArePreparedAsDraftsInTheirSessions()
    {
        var e = await fixture.Server.CreateEventAsync();
        await using var moderator = await TestClient.ConnectAsync(fixture.Server, moderatorOf: e.Code);

        var keynote = await moderator.JoinAsync(e.Keynote, SessionViews.Moderator);
        var panel = await moderator.JoinAsync(e.Panel, SessionViews.Moderator);

        Assert.Equal([PollKinds.Single, PollKinds.WordCloud], keynote.Polls.Select(p => p.Kind));
        Assert.Equal(["Kemacetan", "Keamanan warga", "Penumpukan sampah", "Reformasi administrasi"], keynote.Polls[0].Options);
        var rating = Assert.Single(panel.Polls);
        Assert.Equal(5, rating.Scale);
        Assert.All(keynote.Polls.Concat(panel.Polls), p => Assert.Equal(Data.Polls.PollStatus.Draft, p.Status));
    }
}
