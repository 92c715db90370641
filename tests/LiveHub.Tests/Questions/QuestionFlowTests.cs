using Dapper;
using LiveHub.Data;
using LiveHub.Data.Questions;
using LiveHub.Events;
using LiveHub.Questions;
using LiveHub.Realtime;
using LiveHub.Tests.Infrastructure;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;

namespace LiveHub.Tests.Questions;

[Collection(ServerCollection.Name)]
public sealed class QuestionFlowTests(ServerFixture fixture)
{
    private LiveHubServer Server => fixture.Server;

    [Fact]
    public async Task AskedQuestionReachesModeratorAndAfterApprovalEveryAudienceClient()
    {
        var e = await Server.CreateEventAsync();
        await using var author = await TestClient.ConnectAsync(Server);
        await using var neighbour = await TestClient.ConnectAsync(Server);
        await using var moderator = await TestClient.ConnectAsync(Server, moderatorOf: e.Code);
        await author.JoinAsync(e.Keynote);
        var neighbourSnapshot = await neighbour.JoinAsync(e.Keynote);
        var modSnapshot = await moderator.JoinAsync(e.Keynote, SessionViews.Moderator);

        var asked = await author.AskAsync(e.Keynote, "  Bagaimana kota kecil memulai smart city?  ", name: "Maria");
        Assert.Equal("Bagaimana kota kecil memulai smart city?", asked.Text);
        Assert.Equal(QuestionStatus.Pending, asked.Status);

        await TestClient.EventuallyAsync(() => moderator.QuestionDeltas.Any(d => d.Question.Id == asked.Id), "the moderator sees the new question");
        var modDelta = moderator.QuestionDeltas.Single(d => d.Question.Id == asked.Id);
        Assert.Equal(modSnapshot.Version + 1, modDelta.Version);
        Assert.Equal("Maria", modDelta.Question.AuthorName);

        await moderator.ModerateAsync(e.Keynote, asked.Id, ModerationActions.Approve);

        foreach (var audience in new[] { author, neighbour })
        {
            await TestClient.EventuallyAsync(
                () => audience.Received.Any(r => r.Name == nameof(ILiveClient.QuestionApproved) && ((QuestionDelta)r.Payload).Question.Id == asked.Id),
                "each audience client gets the approved question");
        }
        var approved = neighbour.QuestionDeltas.Single(d => d.Question.Id == asked.Id);
        Assert.Equal(neighbourSnapshot.Version + 1, approved.Version);
        Assert.Equal(QuestionStatus.Approved, approved.Question.Status);
        Assert.Null(approved.Question.ClientId);
    }

    [Fact]
    public async Task PendingQuestionIsVisibleOnlyToModeratorsAndItsAuthor()
    {
        var e = await Server.CreateEventAsync();
        await using var author = await TestClient.ConnectAsync(Server);
        await using var other = await TestClient.ConnectAsync(Server);
        await using var projector = await TestClient.ConnectAsync(Server);
        await using var moderator = await TestClient.ConnectAsync(Server, moderatorOf: e.Code);
        await author.JoinAsync(e.Keynote);
        await other.JoinAsync(e.Keynote);
        await projector.JoinAsync(e.Keynote, SessionViews.Projector);
        await moderator.JoinAsync(e.Keynote, SessionViews.Moderator);

        var pending = await author.AskAsync(e.Keynote, "Pertanyaan yang masih menunggu");
        await TestClient.EventuallyAsync(() => moderator.QuestionDeltas.Any(d => d.Question.Id == pending.Id), "the moderator sees it");
        await TestClient.EventuallyAsync(() => author.MyQuestionChanges.Any(q => q.Id == pending.Id), "the author is told it is waiting");

        // A later public change proves the others' streams are flowing: the pending question must not be in them.
        var open = await author.AskAsync(e.Keynote, "Pertanyaan kedua");
        await moderator.ModerateAsync(e.Keynote, open.Id, ModerationActions.Approve);
        await TestClient.EventuallyAsync(() => other.QuestionDeltas.Any(d => d.Question.Id == open.Id), "the other phone sees the approved one");
        await TestClient.EventuallyAsync(() => projector.QuestionDeltas.Any(d => d.Question.Id == open.Id), "the projector sees the approved one");

        Assert.DoesNotContain(other.QuestionDeltas, d => d.Question.Id == pending.Id);
        Assert.DoesNotContain(projector.QuestionDeltas, d => d.Question.Id == pending.Id);
        Assert.DoesNotContain(other.MyQuestionChanges, q => q.Id == pending.Id);

        var otherSnapshot = await other.JoinAsync(e.Keynote);
        Assert.DoesNotContain(otherSnapshot.Questions.Concat(otherSnapshot.Mine), q => q.Id == pending.Id);
        var authorSnapshot = await author.JoinAsync(e.Keynote);
        var mine = Assert.Single(authorSnapshot.Mine, q => q.Id == pending.Id);
        Assert.Equal(QuestionStatus.Pending, mine.Status);
        Assert.NotNull(mine.ClientId);

        // Over HTTP as well: the public snapshot never carries it.
        var http = await other.Http.GetStringAsync($"/api/sessions/{e.Keynote}?view=projector");
        Assert.DoesNotContain("masih menunggu", http);
    }

    [Fact]
    public async Task SameClientIdSentTwiceStoresOneRowAndBothCallsGetTheSameAnswer()
    {
        var e = await Server.CreateEventAsync();
        await using var phone = await TestClient.ConnectAsync(Server);
        var clientId = Guid.NewGuid().ToString("N");
        var request = new AskQuestionRequest(e.Keynote, clientId, "Apakah ada pendampingan teknis?", null);

        var first = await phone.InvokeAsync<QuestionView>(nameof(EventHub.AskQuestion), request);
        // The phone lost the acknowledgement, reconnected, and resends from its outbox.
        await phone.ReconnectAsync();
        var second = await phone.InvokeAsync<QuestionView>(nameof(EventHub.AskQuestion), request);

        Assert.True(first.Ok);
        Assert.Equal(first.Value, second.Value);
        Assert.Equal(1, await CountRowsAsync("SELECT COUNT(*) FROM questions WHERE client_id = @clientId", new { clientId }));
    }

    [Fact]
    public async Task ConcurrentRetriesOfOneClientIdStoreOneRow()
    {
        var e = await Server.CreateEventAsync();
        await using var phone = await TestClient.ConnectAsync(Server);
        var request = new AskQuestionRequest(e.Keynote, Guid.NewGuid().ToString("N"), "Dikirim dua kali sekaligus", null);

        var results = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => phone.InvokeAsync<QuestionView>(nameof(EventHub.AskQuestion), request)));

        Assert.All(results, r => Assert.True(r.Ok));
        Assert.Single(results.Select(r => r.Value!.Id).Distinct());
        Assert.Equal(1, await CountRowsAsync("SELECT COUNT(*) FROM questions WHERE client_id = @ClientId", new { request.ClientId }));
    }

    [Fact]
    public async Task AudienceCallingModeratorMethodsIsRefusedAndNothingChanges()
    {
        var e = await Server.CreateEventAsync();
        var other = await Server.CreateEventAsync();
        await using var author = await TestClient.ConnectAsync(Server);
        await using var impostor = await TestClient.ConnectAsync(Server);
        // A real moderator, but of another event.
        await using var foreignModerator = await TestClient.ConnectAsync(Server, moderatorOf: other.Code);
        var q = await author.AskAsync(e.Keynote, "Tolong jangan disetujui oleh peserta");

        foreach (var caller in new[] { impostor, author, foreignModerator })
        {
            var moderate = await caller.InvokeAsync<QuestionView>(nameof(EventHub.ModerateQuestion), new ModerateQuestionRequest(e.Keynote, q.Id, ModerationActions.Approve));
            Assert.False(moderate.Ok);
            Assert.Equal(ErrorCodes.Forbidden, moderate.Error!.Code);
            Assert.Equal("error.forbidden", moderate.Error.MessageKey);

            var edit = await caller.InvokeAsync<QuestionView>(nameof(EventHub.EditQuestion), new EditQuestionRequest(e.Keynote, q.Id, "diubah"));
            Assert.Equal(ErrorCodes.Forbidden, edit.Error!.Code);

            var mode = await caller.InvokeAsync<SessionView>(nameof(EventHub.SetModerationMode), new SetModerationModeRequest(e.Keynote, ModerationModes.Open));
            Assert.Equal(ErrorCodes.Forbidden, mode.Error!.Code);

            var join = await caller.InvokeAsync<SessionSnapshot>(nameof(EventHub.JoinSession), e.Keynote, SessionViews.Moderator);
            Assert.Equal(ErrorCodes.Forbidden, join.Error!.Code);
        }

        var stored = await Server.Services.GetRequiredService<QuestionStore>().FindAsync(q.Id, CancellationToken.None);
        Assert.Equal(QuestionStatus.Pending, stored!.Status);
        Assert.Equal("Tolong jangan disetujui oleh peserta", stored.Text);
        var session = await Server.Services.GetRequiredService<EventService>().FindSessionAsync(e.Keynote, CancellationToken.None);
        Assert.Equal(ModerationModes.Pre, session!.Moderation);
        Assert.Null(session.OnScreenQuestionId);

        var http = await impostor.Http.GetAsync($"/api/sessions/{e.Keynote}?view=moderator");
        Assert.Equal(System.Net.HttpStatusCode.Forbidden, http.StatusCode);
    }

    [Fact]
    public async Task BadInputGetsATypedErrorAndTheConnectionStaysUp()
    {
        var e = await Server.CreateEventAsync();
        await using var phone = await TestClient.ConnectAsync(Server);
        await using var moderator = await TestClient.ConnectAsync(Server, moderatorOf: e.Code);
        string Id() => Guid.NewGuid().ToString("N");

        async Task Expect(string code, string method, object? arg, TestClient? caller = null)
        {
            var result = await (caller ?? phone).InvokeAsync<object>(method, arg);
            Assert.False(result.Ok);
            Assert.Equal(code, result.Error!.Code);
            Assert.StartsWith("error.", result.Error.MessageKey);
        }

        await Expect(ErrorCodes.TextEmpty, nameof(EventHub.AskQuestion), new AskQuestionRequest(e.Keynote, Id(), "   \n\t ", null));
        await Expect(ErrorCodes.TextEmpty, nameof(EventHub.AskQuestion), new AskQuestionRequest(e.Keynote, Id(), null, null));
        await Expect(ErrorCodes.TextTooLong, nameof(EventHub.AskQuestion), new AskQuestionRequest(e.Keynote, Id(), new string('a', 501), null));
        await Expect(ErrorCodes.NameTooLong, nameof(EventHub.AskQuestion), new AskQuestionRequest(e.Keynote, Id(), "Halo", new string('n', 61)));
        await Expect(ErrorCodes.Invalid, nameof(EventHub.AskQuestion), new AskQuestionRequest(e.Keynote, "bad id!", "Halo", null));
        await Expect(ErrorCodes.Invalid, nameof(EventHub.AskQuestion), new AskQuestionRequest(e.Keynote, new string('x', 65), "Halo", null));
        await Expect(ErrorCodes.Invalid, nameof(EventHub.AskQuestion), null);
        await Expect(ErrorCodes.NotFound, nameof(EventHub.AskQuestion), new AskQuestionRequest(987654, Id(), "Halo", null));
        await Expect(ErrorCodes.InvalidState, nameof(EventHub.AskQuestion), new AskQuestionRequest(e.Sessions["opening"], Id(), "Halo", null));
        await Expect(ErrorCodes.Invalid, nameof(EventHub.Upvote), new UpvoteRequest(0, true));
        await Expect(ErrorCodes.NotFound, nameof(EventHub.Upvote), new UpvoteRequest(987654, true));
        await Expect(ErrorCodes.Invalid, nameof(EventHub.ModerateQuestion), new ModerateQuestionRequest(e.Keynote, 1, "delete-everything"), moderator);
        await Expect(ErrorCodes.NotFound, nameof(EventHub.ModerateQuestion), new ModerateQuestionRequest(e.Keynote, 987654, ModerationActions.Approve), moderator);
        await Expect(ErrorCodes.Invalid, nameof(EventHub.SetModerationMode), new SetModerationModeRequest(e.Keynote, "anarchy"), moderator);
        await Expect(ErrorCodes.NotFound, nameof(EventHub.JoinEvent), "NOPE00");

        var badView = await phone.InvokeAsync<SessionSnapshot>(nameof(EventHub.JoinSession), e.Keynote, "admin");
        Assert.Equal(ErrorCodes.Invalid, badView.Error!.Code);

        // A call the server cannot even bind (wrong argument type) fails alone; the connection survives.
        await Assert.ThrowsAnyAsync<Exception>(() => phone.Connection.InvokeAsync<object>(nameof(EventHub.JoinSession), "not-a-number", "audience").WaitAsync(TestClient.Timeout));

        Assert.Equal(HubConnectionState.Connected, phone.Connection.State);
        var ok = await phone.AskAsync(e.Keynote, "Masih tersambung?");
        Assert.Equal(QuestionStatus.Pending, ok.Status);
    }

    [Fact]
    public async Task AskingTooFastGetsSlowDownAndStoresNothingExtra()
    {
        var e = await Server.CreateEventAsync();
        await using var phone = await TestClient.ConnectAsync(Server);
        var limit = 5;
        for (var i = 0; i < limit; i++)
        {
            await phone.AskAsync(e.Keynote, $"Pertanyaan nomor {i}");
        }
        var refused = await phone.InvokeAsync<QuestionView>(nameof(EventHub.AskQuestion), new AskQuestionRequest(e.Keynote, Guid.NewGuid().ToString("N"), "Satu lagi", null));

        Assert.False(refused.Ok);
        Assert.Equal(ErrorCodes.SlowDown, refused.Error!.Code);
        Assert.True(refused.Error.Retryable);
        Assert.True(refused.Error.RetryAfterSeconds > 0);
        Assert.Equal(limit, await CountRowsAsync("SELECT COUNT(*) FROM questions WHERE session_id = @s", new { s = e.Keynote }));
    }

    [Fact]
    public async Task OpenModeQuestionsArePublicAtOnce()
    {
        var e = await Server.CreateEventAsync(moderation: ModerationModes.Open);
        await using var author = await TestClient.ConnectAsync(Server);
        await using var other = await TestClient.ConnectAsync(Server);
        await other.JoinAsync(e.Keynote);

        var q = await author.AskAsync(e.Keynote, "Langsung terlihat");

        Assert.Equal(QuestionStatus.Approved, q.Status);
        await TestClient.EventuallyAsync(() => other.QuestionDeltas.Any(d => d.Question.Id == q.Id), "the other phone sees it at once");
    }

    [Fact]
    public async Task ModeratorCanSwitchModeAndTheAudienceIsTold()
    {
        var e = await Server.CreateEventAsync();
        await using var phone = await TestClient.ConnectAsync(Server);
        await using var moderator = await TestClient.ConnectAsync(Server, moderatorOf: e.Code);
        var snapshot = await phone.JoinAsync(e.Keynote);

        var result = await moderator.InvokeAsync<SessionView>(nameof(EventHub.SetModerationMode), new SetModerationModeRequest(e.Keynote, ModerationModes.Open));

        Assert.True(result.Ok);
        await TestClient.EventuallyAsync(() => phone.Received.Any(r => r.Payload is SessionModeDelta d && d.Version == snapshot.Version + 1 && d.Moderation == ModerationModes.Open), "the phone learns the mode");
        Assert.Equal(QuestionStatus.Approved, (await phone.AskAsync(e.Keynote, "Sekarang terbuka")).Status);
    }

    [Fact]
    public async Task OnlyOneQuestionIsOnScreenPerSession()
    {
        var e = await Server.CreateEventAsync(moderation: ModerationModes.Open);
        await using var phone = await TestClient.ConnectAsync(Server);
        await using var moderator = await TestClient.ConnectAsync(Server, moderatorOf: e.Code);
        var projector = await TestClient.ConnectAsync(Server);
        await using var _ = projector;
        await projector.JoinAsync(e.Keynote, SessionViews.Projector);
        var first = await phone.AskAsync(e.Keynote, "Pertama");
        var second = await phone.AskAsync(e.Keynote, "Kedua");

        await moderator.ModerateAsync(e.Keynote, first.Id, ModerationActions.Show);
        await moderator.ModerateAsync(e.Keynote, second.Id, ModerationActions.Show);
        await TestClient.EventuallyAsync(() => projector.QuestionDeltas.Any(d => d.OnScreenQuestionId == second.Id), "the projector switches to the second");

        var snapshot = await projector.JoinAsync(e.Keynote, SessionViews.Projector);
        Assert.Equal(second.Id, snapshot.OnScreenQuestionId);

        // Marking it answered takes it off the screen and keeps it in the answered list.
        await moderator.ModerateAsync(e.Keynote, second.Id, ModerationActions.Answer);
        snapshot = await projector.JoinAsync(e.Keynote, SessionViews.Projector);
        Assert.Null(snapshot.OnScreenQuestionId);
        Assert.Equal(QuestionStatus.Answered, snapshot.Questions.Single(q => q.Id == second.Id).Status);
    }

    [Fact]
    public async Task ShowingAPendingQuestionApprovesIt()
    {
        var e = await Server.CreateEventAsync();
        await using var phone = await TestClient.ConnectAsync(Server);
        await using var moderator = await TestClient.ConnectAsync(Server, moderatorOf: e.Code);
        var q = await phone.AskAsync(e.Keynote, "Langsung ke layar");

        var shown = await moderator.ModerateAsync(e.Keynote, q.Id, ModerationActions.Show);

        Assert.Equal(QuestionStatus.Approved, shown.Status);
        await TestClient.EventuallyAsync(() => phone.MyQuestionChanges.Any(m => m.Id == q.Id && m.Status == QuestionStatus.Approved), "the author learns it was approved");
    }

    [Fact]
    public async Task DismissedQuestionIsReportedToItsAuthorAndCanBeRestored()
    {
        var e = await Server.CreateEventAsync();
        await using var phone = await TestClient.ConnectAsync(Server);
        await using var moderator = await TestClient.ConnectAsync(Server, moderatorOf: e.Code);
        var q = await phone.AskAsync(e.Keynote, "Akan ditolak");

        await moderator.ModerateAsync(e.Keynote, q.Id, ModerationActions.Dismiss);
        await TestClient.EventuallyAsync(() => phone.MyQuestionChanges.Any(m => m.Id == q.Id && m.Status == QuestionStatus.Dismissed), "the author is told");

        // Undoing the dismissal of a question that was never approved sends it back to review, not onto screens.
        var restored = await moderator.ModerateAsync(e.Keynote, q.Id, ModerationActions.Restore);
        Assert.Equal(QuestionStatus.Pending, restored.Status);

        await moderator.ModerateAsync(e.Keynote, q.Id, ModerationActions.Approve);
        await moderator.ModerateAsync(e.Keynote, q.Id, ModerationActions.Dismiss);
        var again = await moderator.ModerateAsync(e.Keynote, q.Id, ModerationActions.Restore);
        Assert.Equal(QuestionStatus.Approved, again.Status);
    }

    [Fact]
    public async Task ModeratorEditFixesTheTextEveryoneSees()
    {
        var e = await Server.CreateEventAsync();
        await using var phone = await TestClient.ConnectAsync(Server);
        await using var moderator = await TestClient.ConnectAsync(Server, moderatorOf: e.Code);
        var q = await phone.AskAsync(e.Keynote, "Bagaimna caranya?");

        var edited = await moderator.InvokeAsync<QuestionView>(nameof(EventHub.EditQuestion), new EditQuestionRequest(e.Keynote, q.Id, "Bagaimana caranya?"));

        Assert.True(edited.Ok);
        var stored = await Server.Services.GetRequiredService<QuestionStore>().FindAsync(q.Id, CancellationToken.None);
        Assert.Equal("Bagaimana caranya?", stored!.Text);
    }

    [Fact]
    public async Task UpvotesAreOnePerParticipantWithdrawableAndPushedCoalesced()
    {
        var e = await Server.CreateEventAsync(moderation: ModerationModes.Open);
        await using var author = await TestClient.ConnectAsync(Server);
        await using var voter = await TestClient.ConnectAsync(Server);
        await using var watcher = await TestClient.ConnectAsync(Server);
        var start = await watcher.JoinAsync(e.Keynote);
        var q = await author.AskAsync(e.Keynote, "Dukung saya");

        var first = await voter.InvokeAsync<UpvoteView>(nameof(EventHub.Upvote), new UpvoteRequest(q.Id, true));
        var again = await voter.InvokeAsync<UpvoteView>(nameof(EventHub.Upvote), new UpvoteRequest(q.Id, true));
        Assert.Equal(1, first.Value!.Upvotes);
        Assert.Equal(1, again.Value!.Upvotes);
        await author.InvokeAsync<UpvoteView>(nameof(EventHub.Upvote), new UpvoteRequest(q.Id, true));

        await TestClient.EventuallyAsync(
            () => watcher.Received.Any(r => r.Payload is UpvotesDelta d && d.Counts.Any(c => c.QuestionId == q.Id && c.Upvotes == 2)),
            "the watcher sees two upvotes");
        var withdrawn = await voter.InvokeAsync<UpvoteView>(nameof(EventHub.Upvote), new UpvoteRequest(q.Id, false));
        Assert.Equal(1, withdrawn.Value!.Upvotes);
        Assert.False(withdrawn.Value.Upvoted);
        await TestClient.EventuallyAsync(
            () => watcher.Received.Any(r => r.Payload is UpvotesDelta d && d.Counts.Any(c => c.QuestionId == q.Id && c.Upvotes == 1)),
            "the watcher sees the withdrawal");

        Assert.Equal(1, await CountRowsAsync("SELECT COUNT(*) FROM upvotes WHERE question_id = @Id", new { q.Id }));
        // Versions the watcher saw are consecutive from its snapshot: no gaps, no repeats.
        var versions = watcher.Received.Select(r => r.Payload switch { QuestionDelta d => d.Version, UpvotesDelta u => u.Version, _ => -1 }).ToList();
        Assert.Equal(Enumerable.Range((int)start.Version + 1, versions.Count).Select(v => (long)v), versions);
        Assert.True(watcher.Received.Count(r => r.Payload is UpvotesDelta) <= 3, "three upvote changes make at most three pushes");
    }

    [Fact]
    public async Task ReconnectingClientConvergesToTheSnapshot()
    {
        var e = await Server.CreateEventAsync(moderation: ModerationModes.Open);
        await using var phone = await TestClient.ConnectAsync(Server);
        await using var other = await TestClient.ConnectAsync(Server);
        await using var moderator = await TestClient.ConnectAsync(Server, moderatorOf: e.Code);
        var before = await phone.JoinAsync(e.Keynote);

        // The phone sleeps; the room moves on without it.
        await phone.Connection.StopAsync();
        var a = await other.AskAsync(e.Keynote, "Selama Anda tidur");
        var b = await other.AskAsync(e.Keynote, "Yang ini dijawab");
        await moderator.ModerateAsync(e.Keynote, b.Id, ModerationActions.Answer);
        await moderator.ModerateAsync(e.Keynote, a.Id, ModerationActions.Show);

        await phone.ReconnectAsync();
        var after = await phone.JoinAsync(e.Keynote);

        Assert.True(after.Version > before.Version);
        Assert.Equal(a.Id, after.OnScreenQuestionId);
        var truth = await Server.Services.GetRequiredService<QuestionStore>().ReadSessionAsync(e.Keynote, "nobody", everyQuestion: true, CancellationToken.None);
        Assert.Equal(
            truth!.Questions.Where(q => QuestionStatus.IsPublic(q.Status)).Select(q => (q.Id, q.Status, q.Text)).OrderBy(x => x.Id),
            after.Questions.Select(q => (q.Id, q.Status, q.Text)).OrderBy(x => x.Id));
        Assert.Equal(truth.Session.Version, after.Version);

        // And it is live again: the next change arrives with the next version.
        var c = await other.AskAsync(e.Keynote, "Setelah bangun");
        await TestClient.EventuallyAsync(() => phone.QuestionDeltas.Any(d => d.Question.Id == c.Id && d.Version == after.Version + 1), "the next delta follows the snapshot");
    }

    [Fact]
    public async Task ParticipantIdentitySurvivesReloadsAndCannotBeForged()
    {
        var e = await Server.CreateEventAsync();
        await using var phone = await TestClient.ConnectAsync(Server);
        var q = await phone.AskAsync(e.Keynote, "Milik saya");

        // A reload: a new connection with the same cookie jar still owns the question.
        await phone.ReconnectAsync();
        var snapshot = await phone.JoinAsync(e.Keynote);
        Assert.Contains(snapshot.Mine, m => m.Id == q.Id);

        // A forged cookie value is not an identity: the server issues a fresh one instead.
        var forged = new System.Net.CookieContainer();
        forged.Add(Server.BaseUri, new System.Net.Cookie(LiveHub.Identity.CookieNames.Participant, "made-up-value"));
        using var http = new HttpClient(new HttpClientHandler { CookieContainer = forged }) { BaseAddress = Server.BaseUri };
        var response = await http.GetAsync("/");
        Assert.Contains(response.Headers.GetValues("Set-Cookie"), c => c.StartsWith(LiveHub.Identity.CookieNames.Participant + "=", StringComparison.Ordinal));
    }

    private async Task<long> CountRowsAsync(string sql, object args)
    {
        await using var connection = await Server.Services.GetRequiredService<Database>().OpenAsync(CancellationToken.None);
        return await connection.ExecuteScalarAsync<long>(sql, args);
    }
}

public sealed class LockedDatabaseTests
{
    [Fact]
    public async Task AskDuringALockedDatabaseFailsRetryablyAndTheRetryStoresItOnce()
    {
        await using var server = await LiveHubServer.StartAsync(new Dictionary<string, string?> { ["LiveHub:Store:BusyTimeoutMilliseconds"] = "200" });
        var e = await server.CreateEventAsync();
        await using var phone = await TestClient.ConnectAsync(server);
        var request = new AskQuestionRequest(e.Keynote, Guid.NewGuid().ToString("N"), "Ditulis saat basis data terkunci", null);

        // Another process's writer holds the database.
        var path = ((SqliteDatabase)server.Services.GetRequiredService<Database>()).SqlitePath;
        await using (var blocker = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={path};Pooling=false"))
        {
            await blocker.OpenAsync();
            await blocker.ExecuteAsync("BEGIN IMMEDIATE");
            var failed = await phone.InvokeAsync<QuestionView>(nameof(EventHub.AskQuestion), request);
            Assert.False(failed.Ok);
            Assert.Equal(ErrorCodes.Unavailable, failed.Error!.Code);
            Assert.True(failed.Error.Retryable);
            await blocker.ExecuteAsync("ROLLBACK");
        }

        Assert.Equal(HubConnectionState.Connected, phone.Connection.State);
        var retried = await phone.InvokeAsync<QuestionView>(nameof(EventHub.AskQuestion), request);
        Assert.True(retried.Ok);
        await using var check = await server.Services.GetRequiredService<Database>().OpenAsync(CancellationToken.None);
        Assert.Equal(1, await check.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM questions WHERE client_id = @ClientId", new { request.ClientId }));
    }
}
