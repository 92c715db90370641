using System.Net;
using System.Net.Http.Json;
using LiveHub.Admin;
using LiveHub.Announcements;
using LiveHub.Events;
using LiveHub.Polls;
using LiveHub.Questions;
using LiveHub.Realtime;
using LiveHub.Tests.Admin;
using LiveHub.Tests.Infrastructure;

namespace LiveHub.Tests.Faults;

/// <summary>What people type in characters they see: one emoji with its skin tone, one letter with its accent.</summary>
public static class Graphemes
{
    /// <summary>n thumbs-up with a skin tone: n characters on screen, 4n UTF-16 code units.</summary>
    public static string Thumbs(int n) => string.Concat(Enumerable.Repeat("\U0001F44D\U0001F3FD", n));

    /// <summary>n e's with a combining acute accent: n characters on screen, 2n code units, few bytes on the wire.</summary>
    public static string Accented(int n) => string.Concat(Enumerable.Repeat("e\u0301", n));

    /// <summary>n e's each under four stacked marks: n characters on screen, 5n code units.</summary>
    public static string Stacked(int n) => string.Concat(Enumerable.Repeat("e\u0301\u0302\u0303\u0304", n));
}

/// <summary>
/// Every limit on text a person types counts what a person sees as characters (grapheme clusters), not UTF-16 code units:
/// 300 emoji fit in a 500-character question, 501 accented letters do not. (The .NET client escapes every non-ASCII code
/// unit as six bytes, so the longest texts here are accented letters, to stay within the hub's 8 KiB message.)
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class TextLimitTests(ServerFixture fixture)
{
    private LiveHubServer Server => fixture.Server;

    [Fact]
    public async Task ThreeHundredEmojiAreAcceptedAsAQuestionAndFiveHundredAndOneCharactersAreRefused()
    {
        var e = await Server.CreateEventAsync();
        await using var phone = await TestClient.ConnectAsync(Server);
        await using var moderator = await TestClient.ConnectAsync(Server, moderatorOf: e.Code);

        var emoji = await Ask(phone, e.Keynote, Graphemes.Thumbs(300));
        var longest = await Ask(phone, e.Keynote, Graphemes.Accented(500));
        var tooLong = await Ask(phone, e.Keynote, Graphemes.Accented(501));
        var emojiName = await Ask(phone, e.Keynote, "Nama panjang?", Graphemes.Thumbs(60));
        var tooLongName = await Ask(phone, e.Keynote, "Nama terlalu panjang?", Graphemes.Thumbs(61));

        Assert.True(emoji.Ok, emoji.Error?.Message);
        Assert.Equal(Graphemes.Thumbs(300), emoji.Value!.Text);
        Assert.True(longest.Ok, longest.Error?.Message);
        Assert.Equal(ErrorCodes.TextTooLong, tooLong.Error?.Code);
        Assert.True(emojiName.Ok, emojiName.Error?.Message);
        Assert.Equal(Graphemes.Thumbs(60), emojiName.Value!.AuthorName);
        Assert.Equal(ErrorCodes.NameTooLong, tooLongName.Error?.Code);

        var edited = await moderator.InvokeAsync<QuestionView>(nameof(EventHub.EditQuestion), new EditQuestionRequest(e.Keynote, emoji.Value.Id, Graphemes.Accented(500)));
        var overEdited = await moderator.InvokeAsync<QuestionView>(nameof(EventHub.EditQuestion), new EditQuestionRequest(e.Keynote, emoji.Value.Id, Graphemes.Accented(501)));
        Assert.True(edited.Ok, edited.Error?.Message);
        Assert.Equal(ErrorCodes.TextTooLong, overEdited.Error?.Code);
    }

    [Fact]
    public async Task ModeratorRepliesLabelsAnnouncementsAndWordListsCountCharactersAsPeopleSeeThem()
    {
        var e = await Server.CreateEventAsync();
        await using var phone = await TestClient.ConnectAsync(Server);
        await using var moderator = await TestClient.ConnectAsync(Server, moderatorOf: e.Code, moderatorName: Graphemes.Thumbs(60));
        var question = (await Ask(phone, e.Keynote, "Pertanyaan untuk dibalas?")).Value!;

        async Task<(bool Fits, string? Over)> Check<T>(string method, Func<string, object> request, string fits, string over)
        {
            var ok = await moderator.InvokeAsync<T>(method, request(fits));
            var refused = await moderator.InvokeAsync<T>(method, request(over));
            Assert.False(refused.Ok, $"{method} took {over.Length} code units past its limit");
            return (ok.Ok, ok.Error?.Message);
        }

        var reply = await Check<QuestionView>(nameof(EventHub.ReplyToQuestion),
            t => new ReplyToQuestionRequest(e.Keynote, question.Id, t), Graphemes.Accented(1000), Graphemes.Accented(1001));
        var label = await Check<QuestionView>(nameof(EventHub.LabelQuestion),
            t => new LabelQuestionRequest(e.Keynote, question.Id, [t]), Graphemes.Thumbs(30), Graphemes.Thumbs(31));
        var announcement = await Check<AnnouncementView>(nameof(EventHub.PostAnnouncement),
            t => new PostAnnouncementRequest(e.Id, null, t), Graphemes.Accented(500), Graphemes.Accented(501));
        var words = await Check<IReadOnlyList<string>>(nameof(EventHub.SetProfanityWords),
            t => new SetProfanityWordsRequest(e.Id, [t]), Graphemes.Accented(40), Graphemes.Accented(41));

        Assert.True(reply.Fits, reply.Over);
        Assert.True(label.Fits, label.Over);
        Assert.True(announcement.Fits, announcement.Over);
        Assert.True(words.Fits, words.Over);
        // The name given at sign-in is kept for the audit log when it fits in 60 characters as people see them.
        var audit = await moderator.Http.GetFromJsonAsync<List<LiveHub.Data.Moderation.AuditEntry>>($"/api/events/{e.Code}/audit");
        Assert.Contains(audit!, a => a.Actor == Graphemes.Thumbs(60));
    }

    [Fact]
    public async Task PollTextsAndAnswersCountCharactersAsPeopleSeeThem()
    {
        var e = await Server.CreateEventAsync();
        await using var moderator = await TestClient.ConnectAsync(Server, moderatorOf: e.Code);
        await using var phone = await TestClient.ConnectAsync(Server);
        PollDraftRequest Draft(string kind, string question, IReadOnlyList<string>? options) =>
            new(e.Keynote, kind, question, options, null, null, kind == PollKinds.Quiz ? [0] : null, null, PollVisibility.Live);

        var emojiPoll = await moderator.InvokeAsync<PollView>(nameof(EventHub.CreatePoll),
            Draft(PollKinds.Single, Graphemes.Accented(300), [Graphemes.Thumbs(120), "Ende"]));
        var longQuestion = await moderator.InvokeAsync<PollView>(nameof(EventHub.CreatePoll), Draft(PollKinds.Single, Graphemes.Accented(301), ["A", "B"]));
        var longOption = await moderator.InvokeAsync<PollView>(nameof(EventHub.CreatePoll), Draft(PollKinds.Single, "Kota?", [Graphemes.Thumbs(121), "B"]));
        Assert.True(emojiPoll.Ok, emojiPoll.Error?.Message);
        Assert.Equal(ErrorCodes.TextTooLong, longQuestion.Error?.Code);
        Assert.Equal("error.invalid.options", longOption.Error?.MessageKey);

        var text = await moderator.OkAsync<PollView>(nameof(EventHub.CreatePoll), Draft(PollKinds.Text, "Saran Anda?", null));
        await moderator.OkAsync<PollView>(nameof(EventHub.OpenPoll), new PollRequest(text.Id));
        var longAnswer = await phone.InvokeAsync<MyVote>(nameof(EventHub.CastVote),
            new CastVoteRequest(text.Id, Guid.NewGuid().ToString("N"), null, null, null, Graphemes.Accented(281), null));
        var emojiAnswer = await phone.InvokeAsync<MyVote>(nameof(EventHub.CastVote),
            new CastVoteRequest(text.Id, Guid.NewGuid().ToString("N"), null, null, null, Graphemes.Thumbs(280), null));
        Assert.Equal(ErrorCodes.TextTooLong, longAnswer.Error?.Code);
        Assert.True(emojiAnswer.Ok, emojiAnswer.Error?.Message);

        var quiz = await moderator.OkAsync<PollView>(nameof(EventHub.CreatePoll), Draft(PollKinds.Quiz, "Ibu kota NTT?", ["Kupang", "Ende"]));
        await moderator.OkAsync<PollView>(nameof(EventHub.OpenPoll), new PollRequest(quiz.Id));
        var longName = await phone.InvokeAsync<MyVote>(nameof(EventHub.CastVote),
            new CastVoteRequest(quiz.Id, Guid.NewGuid().ToString("N"), [0], null, null, null, Graphemes.Thumbs(61)));
        var emojiName = await phone.InvokeAsync<MyVote>(nameof(EventHub.CastVote),
            new CastVoteRequest(quiz.Id, Guid.NewGuid().ToString("N"), [0], null, null, null, Graphemes.Thumbs(60)));
        Assert.Equal(ErrorCodes.NameTooLong, longName.Error?.Code);
        Assert.True(emojiName.Ok, emojiName.Error?.Message);
    }

    [Fact]
    public async Task AFloodOfStackedMarksIsTooLongAtFourCodeUnitsPerCharacterOfTheLimit()
    {
        var e = await Server.CreateEventAsync();
        await using var phone = await TestClient.ConnectAsync(Server);

        // 48 characters of 5 code units: 240, four per character of the 60-character name limit; 49 are 245.
        var fits = await Ask(phone, e.Keynote, "Nama bertumpuk?", Graphemes.Stacked(48));
        var over = await Ask(phone, e.Keynote, "Nama bertumpuk?", Graphemes.Stacked(49));

        Assert.True(fits.Ok, fits.Error?.Message);
        Assert.Equal(ErrorCodes.NameTooLong, over.Error?.Code);
    }

    [Fact]
    public void OrganizerTextsCountCharactersAsPeopleSeeThem()
    {
        Assert.Null(ScenarioRules.CheckEvent(Graphemes.Thumbs(200), "Asia/Makassar"));
        Assert.NotNull(ScenarioRules.CheckEvent(Graphemes.Accented(201), "Asia/Makassar"));
        Assert.Null(ScenarioRules.CheckRoom("hall", Graphemes.Thumbs(100), null));
        Assert.NotNull(ScenarioRules.CheckRoom("hall", Graphemes.Accented(101), null));
        Assert.Null(ScenarioRules.CheckSession("talk", 1, "09:00", "10:00", Graphemes.Thumbs(40), Graphemes.Thumbs(200), [Graphemes.Thumbs(200)], null, null));
        Assert.NotNull(ScenarioRules.CheckSession("talk", 1, "09:00", "10:00", Graphemes.Accented(41), "Title", null, null, null));
        Assert.NotNull(ScenarioRules.CheckSession("talk", 1, "09:00", "10:00", "talk", Graphemes.Accented(201), null, null, null));
        Assert.NotNull(ScenarioRules.CheckSession("talk", 1, "09:00", "10:00", "talk", "Title", [Graphemes.Accented(201)], null, null));
    }

    private static Task<HubResult<QuestionView>> Ask(TestClient client, long sessionId, string text, string? name = null) =>
        client.InvokeAsync<QuestionView>(nameof(EventHub.AskQuestion), new AskQuestionRequest(sessionId, Guid.NewGuid().ToString("N"), text, name));
}

/// <summary>The organizer's edit of an event's theme, host and city counts characters as people see them.</summary>
[Collection(AdminServerCollection.Name)]
public sealed class OrganizerTextLimitTests(AdminServerFixture fixture)
{
    [Fact]
    public async Task AnEventThemeOfTwoHundredEmojiIsAcceptedAndOfTwoHundredAndOneCharactersRefused()
    {
        using var admin = await AdminHttp.SignInAsync(fixture.Server);
        var e = await fixture.Server.CreateEventAsync();

        using var fits = await admin.Http.PutAsJsonAsync($"/api/admin/events/{e.Code}", new EventEditRequest("Kupang", Graphemes.Thumbs(200), Graphemes.Thumbs(200), Graphemes.Thumbs(200), null));
        using var over = await admin.Http.PutAsJsonAsync($"/api/admin/events/{e.Code}", new EventEditRequest("Kupang", Graphemes.Accented(201), null, null, null));

        Assert.Equal(HttpStatusCode.OK, fits.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, over.StatusCode);
    }
}
