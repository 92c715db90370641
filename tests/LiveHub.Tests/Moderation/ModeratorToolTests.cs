using System.Net;
using System.Net.Http.Json;
using Dapper;
using LiveHub.Data;
using LiveHub.Data.Moderation;
using LiveHub.Data.Questions;
using LiveHub.Events;
using LiveHub.Moderation;
using LiveHub.Questions;
using LiveHub.Realtime;
using LiveHub.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace LiveHub.Tests.Moderation;

[Collection(ServerCollection.Name)]
public sealed class ModeratorToolTests(ServerFixture fixture)
{
    private LiveHubServer Server => fixture.Server;

    [Fact]
    public async Task MergingCarriesUpvotesOverWithoutCountingAnyoneTwice()
    {
        var e = await Server.CreateEventAsync(moderation: ModerationModes.Open);
        await using var moderator = await TestClient.ConnectAsync(Server, moderatorOf: e.Code);
        await using var watcher = await TestClient.ConnectAsync(Server);
        await moderator.JoinAsync(e.Keynote, SessionViews.Moderator);
        await watcher.JoinAsync(e.Keynote);
        var phones = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => TestClient.ConnectAsync(Server)));
        try
        {
            var target = await phones[0].AskAsync(e.Keynote, "Bagaimana pendanaan smart city?");
            var duplicate = await phones[1].AskAsync(e.Keynote, "Dari mana dana smart city?");
            // phones[2] upvoted both: it must count once. phones[3] upvoted only the duplicate.
            foreach (var (phone, question) in new[] { (phones[2], target), (phones[2], duplicate), (phones[3], duplicate) })
            {
                await phone.OkAsync<UpvoteView>(nameof(EventHub.Upvote), new UpvoteRequest(question.Id, true));
            }

            var merged = await moderator.OkAsync<QuestionView>(nameof(EventHub.MergeQuestions), new MergeQuestionsRequest(e.Keynote, duplicate.Id, target.Id));

            // Upvoters: phones[2] (once), phones[3], and the duplicate's author phones[1].
            Assert.Equal(3, merged.Upvotes);
            Assert.Equal(3, await CountAsync("SELECT COUNT(*) FROM upvotes WHERE question_id = @Id", new { target.Id }));
            var source = await Server.Services.GetRequiredService<QuestionStore>().FindAsync(duplicate.Id, CancellationToken.None);
            Assert.Equal(QuestionStatus.Archived, source!.Status);
            Assert.Equal(target.Id, source.MergedIntoId);

            await TestClient.EventuallyAsync(() => watcher.Received.Any(r => r.Name == nameof(ILiveClient.QuestionMerged)), "the audience drops the duplicate");
            await TestClient.EventuallyAsync(
                () => watcher.Received.Any(r => r.Payload is UpvotesDelta d && d.Counts.Any(c => c.QuestionId == target.Id && c.Upvotes == 3)),
                "the audience sees the merged count");
            var modSnapshot = await moderator.JoinAsync(e.Keynote, SessionViews.Moderator);
            Assert.Equal(target.Id, modSnapshot.Questions.Single(q => q.Id == duplicate.Id).MergedIntoId);
            await TestClient.EventuallyAsync(() => phones[1].MyQuestionChanges.Any(m => m.Id == duplicate.Id && m.MergedIntoId == target.Id), "the duplicate's author learns where it went");

            var again = await moderator.InvokeAsync<QuestionView>(nameof(EventHub.MergeQuestions), new MergeQuestionsRequest(e.Keynote, duplicate.Id, target.Id));
            Assert.Equal(ErrorCodes.InvalidState, again.Error!.Code);
        }
        finally
        {
            await Task.WhenAll(phones.Select(p => p.DisposeAsync().AsTask()));
        }
    }

    [Fact]
    public async Task ReplyShowsUnderTheQuestionAndLabelsStayWithModerators()
    {
        var e = await Server.CreateEventAsync(moderation: ModerationModes.Open);
        await using var moderator = await TestClient.ConnectAsync(Server, moderatorOf: e.Code);
        await using var phone = await TestClient.ConnectAsync(Server);
        await moderator.JoinAsync(e.Keynote, SessionViews.Moderator);
        await phone.JoinAsync(e.Keynote);
        var q = await phone.AskAsync(e.Keynote, "Kapan program dimulai?");

        await moderator.OkAsync<QuestionView>(nameof(EventHub.ReplyToQuestion), new ReplyToQuestionRequest(e.Keynote, q.Id, "  Tahun depan, tahap pertama.  "));
        var labeled = await moderator.OkAsync<QuestionView>(nameof(EventHub.LabelQuestion), new LabelQuestionRequest(e.Keynote, q.Id, ["anggaran", "Panel B", "anggaran"]));

        Assert.Equal(["anggaran", "Panel B"], labeled.Labels);
        await TestClient.EventuallyAsync(
            () => phone.Received.Any(r => r.Name == nameof(ILiveClient.QuestionReplied) && ((QuestionDelta)r.Payload).Question.Reply == "Tahun depan, tahap pertama."),
            "the audience sees the reply");
        await TestClient.EventuallyAsync(() => moderator.Received.Any(r => r.Name == nameof(ILiveClient.QuestionLabeled)), "moderators see labels");
        var snapshot = await phone.JoinAsync(e.Keynote);
        var seen = snapshot.Questions.Single(x => x.Id == q.Id);
        Assert.Equal("Tahun depan, tahap pertama.", seen.Reply);
        Assert.Null(seen.Labels);
        Assert.DoesNotContain(phone.Received, r => r.Name == nameof(ILiveClient.QuestionLabeled));
    }

    [Fact]
    public async Task ProfanityHoldsAQuestionForReviewEvenInOpenMode()
    {
        var e = await Server.CreateEventAsync(moderation: ModerationModes.Open);
        await using var moderator = await TestClient.ConnectAsync(Server, moderatorOf: e.Code);
        await using var phone = await TestClient.ConnectAsync(Server);
        await using var other = await TestClient.ConnectAsync(Server);
        await other.JoinAsync(e.Keynote);

        var rude = await phone.AskAsync(e.Keynote, "Dasar b4ngsaaat, kapan jalan diperbaiki?");
        var fine = await phone.AskAsync(e.Keynote, "Kapan Bangsal rumah sakit diperbaiki?");

        Assert.Equal(QuestionStatus.Pending, rude.Status);
        Assert.Equal(QuestionStatus.Approved, fine.Status);
        var modSnapshot = await moderator.JoinAsync(e.Keynote, SessionViews.Moderator);
        Assert.True(modSnapshot.Questions.Single(q => q.Id == rude.Id).Flagged);
        await TestClient.EventuallyAsync(() => other.QuestionDeltas.Any(d => d.Question.Id == fine.Id), "the clean one is public");
        Assert.DoesNotContain(other.QuestionDeltas, d => d.Question.Id == rude.Id);

        // The event edits its list: now "jalan" is held and "bangsat" passes.
        await moderator.OkAsync<IReadOnlyList<string>>(nameof(EventHub.SetProfanityWords), new SetProfanityWordsRequest(e.Id, ["jalan"]));
        Assert.Equal(QuestionStatus.Pending, (await phone.AskAsync(e.Keynote, "Jalan rusak")).Status);
        Assert.Equal(QuestionStatus.Approved, (await phone.AskAsync(e.Keynote, "bangsat")).Status);
    }

    [Theory]
    [InlineData("ANJING lewat", true)]
    [InlineData("anjiiing", true)]
    [InlineData("f*ck", false)]
    [InlineData("fuuuck this", true)]
    [InlineData("Kota Bangsal", false)]
    [InlineData("assessment of the class", false)]
    [InlineData("Tai!", true)]
    public void ProfanityMatchesWholeWordsAfterFolding(string text, bool flagged)
    {
        var words = new HashSet<string>(ProfanityFilter.Indonesian.Concat(ProfanityFilter.English).Select(ProfanityFilter.Fold));
        Assert.Equal(flagged, ProfanityFilter.FirstMatch(words, text) is not null);
    }

    [Fact]
    public async Task EveryModeratorActionLandsInTheAuditLogWithWhoAndWhen()
    {
        var e = await Server.CreateEventAsync();
        await using var moderator = await TestClient.ConnectAsync(Server, moderatorOf: e.Code, moderatorName: "Yuliana");
        await using var phone = await TestClient.ConnectAsync(Server);
        var q = await phone.AskAsync(e.Keynote, "Audit saya");

        await moderator.ModerateAsync(e.Keynote, q.Id, ModerationActions.Approve);
        await moderator.ModerateAsync(e.Keynote, q.Id, ModerationActions.Show);
        await moderator.OkAsync<QuestionView>(nameof(EventHub.EditQuestion), new EditQuestionRequest(e.Keynote, q.Id, "Audit kami"));

        var log = await moderator.Http.GetFromJsonAsync<List<AuditEntry>>($"/api/events/{e.Code}/audit");
        var mine = log!.Where(a => a.QuestionId == q.Id).OrderBy(a => a.Id).ToList();
        Assert.Equal(["approve", "show", "edit"], mine.Select(a => a.Action));
        Assert.All(mine, a => Assert.Equal("Yuliana", a.Actor));
        Assert.All(mine, a => Assert.True(a.At > 0));
        Assert.Equal("pending -> approved", mine[0].Detail);

        Assert.Equal(HttpStatusCode.Forbidden, (await phone.Http.GetAsync($"/api/events/{e.Code}/audit")).StatusCode);
    }

    private async Task<long> CountAsync(string sql, object args)
    {
        await using var connection = await Server.Services.GetRequiredService<Database>().OpenAsync(CancellationToken.None);
        return await connection.ExecuteScalarAsync<long>(sql, args);
    }
}

[Collection(ServerCollection.Name)]
public sealed class MergeVisibilityTests(ServerFixture fixture)
{
    [Fact]
    public async Task APublicDuplicateMergedIntoAPendingQuestionLeavesTheAudiencesScreens()
    {
        var e = await fixture.Server.CreateEventAsync();
        await using var moderator = await TestClient.ConnectAsync(fixture.Server, moderatorOf: e.Code);
        await using var phone = await TestClient.ConnectAsync(fixture.Server);
        await phone.JoinAsync(e.Keynote);
        var pending = await phone.AskAsync(e.Keynote, "Masih menunggu");
        var duplicate = await phone.AskAsync(e.Keynote, "Sudah tampil");
        await moderator.ModerateAsync(e.Keynote, duplicate.Id, ModerationActions.Approve);

        await moderator.OkAsync<QuestionView>(nameof(EventHub.MergeQuestions), new MergeQuestionsRequest(e.Keynote, duplicate.Id, pending.Id));

        await TestClient.EventuallyAsync(
            () => phone.Received.Any(r => r.Name == nameof(ILiveClient.QuestionMerged) && ((QuestionDelta)r.Payload).Question.Id == duplicate.Id),
            "the audience drops the merged duplicate");
        var snapshot = await phone.JoinAsync(e.Keynote);
        Assert.DoesNotContain(snapshot.Questions, q => q.Id == duplicate.Id);
    }
}
