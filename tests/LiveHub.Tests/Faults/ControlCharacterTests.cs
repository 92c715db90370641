using System.Net.Http.Json;
using LiveHub.Announcements;
using LiveHub.Events;
using LiveHub.Polls;
using LiveHub.Questions;
using LiveHub.Realtime;
using LiveHub.Tests.Infrastructure;
using LiveHub.Tests.ScaleOut;
using Microsoft.AspNetCore.SignalR.Client;

namespace LiveHub.Tests.Faults;

/// <summary>
/// PostgreSQL refuses U+0000 in text; SQLite stores it. Both now refuse control characters alike, before anything is written,
/// with a typed error a phone shows instead of resending for ever; line breaks and tabs stay where a field has lines.
/// </summary>
public sealed class ControlCharacterTests(PostgresFixture postgres) : IClassFixture<PostgresFixture>
{
    [SkippableTheory, OnBothEngines]
    public async Task AQuestionWithAControlCharacterIsRefusedForGoodAndNothingIsStored(string engine)
    {
        await using var server = await postgres.StartAsync(engine);
        var e = await server.CreateEventAsync(ModerationModes.Open);
        await using var phone = await TestClient.ConnectAsync(server);

        foreach (var (text, name) in new[] { ("Halo\u0000?", null), ("Bel\u0007?", null), ("Escape\u001b[31m?", null), ("Nama?", "Ani\u0000"), ("Nama?", "Ani\nBudi") })
        {
            var refused = await phone.InvokeAsync<QuestionView>(nameof(EventHub.AskQuestion), new AskQuestionRequest(e.Keynote, Guid.NewGuid().ToString("N"), text, name));
            Assert.False(refused.Ok, $"{Escape(text)} / {Escape(name)} was stored");
            Assert.Equal(("text_invalid", "error.text_invalid", false), (refused.Error!.Code, refused.Error.MessageKey, refused.Error.Retryable));
        }
        Assert.Equal(0, await server.ScalarAsync("SELECT COUNT(*) FROM questions WHERE session_id = @Keynote", new { e.Keynote }));
        Assert.Equal(HubConnectionState.Connected, phone.Connection.State);

        // A question's lines and tabs are kept as typed.
        var kept = await phone.AskAsync(e.Keynote, "Baris satu\r\nBaris\tdua?");
        Assert.Equal("Baris satu\r\nBaris\tdua?", kept.Text);
    }

    [SkippableTheory, OnBothEngines]
    public async Task EveryTextAHubCallStoresRefusesControlCharactersAlike(string engine)
    {
        await using var scene = await postgres.ModeratedEventAsync(engine);
        var (server, e, moderator) = scene;
        await using var phone = await TestClient.ConnectAsync(server);
        var question = await phone.AskAsync(e.Keynote, "Pertanyaan biasa?");
        var text = await moderator.OkAsync<PollView>(nameof(EventHub.CreatePoll),
            new PollDraftRequest(e.Keynote, PollKinds.Text, "Saran?", null, null, null, null, null, null));
        var cloud = await moderator.OkAsync<PollView>(nameof(EventHub.CreatePoll),
            new PollDraftRequest(e.Keynote, PollKinds.WordCloud, "Satu kata?", null, null, null, null, null, null));
        await moderator.OkAsync<PollView>(nameof(EventHub.OpenPoll), new PollRequest(text.Id));
        await moderator.OkAsync<PollView>(nameof(EventHub.OpenPoll), new PollRequest(cloud.Id));

        var calls = new (string What, Func<Task<HubError?>> Call)[]
        {
            ("edit", () => ErrorOf(moderator.InvokeAsync<QuestionView>(nameof(EventHub.EditQuestion), new EditQuestionRequest(e.Keynote, question.Id, "Ubah\u0000")))),
            ("reply", () => ErrorOf(moderator.InvokeAsync<QuestionView>(nameof(EventHub.ReplyToQuestion), new ReplyToQuestionRequest(e.Keynote, question.Id, "Jawab\u0000")))),
            ("label", () => ErrorOf(moderator.InvokeAsync<QuestionView>(nameof(EventHub.LabelQuestion), new LabelQuestionRequest(e.Keynote, question.Id, ["dana\u0000"])))),
            ("announcement", () => ErrorOf(moderator.InvokeAsync<AnnouncementView>(nameof(EventHub.PostAnnouncement), new PostAnnouncementRequest(e.Id, null, "Info\u0000")))),
            ("profanity list", () => ErrorOf(moderator.InvokeAsync<IReadOnlyList<string>>(nameof(EventHub.SetProfanityWords), new SetProfanityWordsRequest(e.Id, ["kata\u0000"])))),
            ("poll question", () => ErrorOf(moderator.InvokeAsync<PollView>(nameof(EventHub.CreatePoll),
                new PollDraftRequest(e.Keynote, PollKinds.Single, "Pilih\u0000", ["A", "B"], null, null, null, null, null)))),
            ("poll option", () => ErrorOf(moderator.InvokeAsync<PollView>(nameof(EventHub.CreatePoll),
                new PollDraftRequest(e.Keynote, PollKinds.Single, "Pilih", ["A\u0000", "B"], null, null, null, null, null)))),
            ("open answer", () => ErrorOf(phone.InvokeAsync<MyVote>(nameof(EventHub.CastVote), new CastVoteRequest(text.Id, "t1", null, null, null, "Saran\u0000", null)))),
            ("word", () => ErrorOf(phone.InvokeAsync<MyVote>(nameof(EventHub.CastVote), new CastVoteRequest(cloud.Id, "w1", null, null, null, "kata\u0000", null)))),
            ("voter name", () => ErrorOf(phone.InvokeAsync<MyVote>(nameof(EventHub.CastVote), new CastVoteRequest(text.Id, "t2", null, null, null, "Saran", "Ani\u0000")))),
        };

        var stored = new List<string>();
        foreach (var (what, call) in calls)
        {
            var error = await call();
            if (error is not { Code: "text_invalid", Retryable: false })
            {
                stored.Add($"{what}: {error?.Code ?? "stored"}");
            }
        }
        Assert.True(stored.Count == 0, $"Not refused as text_invalid: {string.Join("; ", stored)}");
        Assert.Equal(0, await server.ScalarAsync("SELECT COUNT(*) FROM votes WHERE poll_id IN (@A, @B)", new { A = text.Id, B = cloud.Id }));
        Assert.Equal(HubConnectionState.Connected, moderator.Connection.State);
    }

    /// <summary>The same rule on the HTTP side: a moderator's sign-in name and the organizer's event fields.</summary>
    [SkippableTheory, OnBothEngines]
    public async Task SignInNamesAndEventFieldsRefuseControlCharactersAlike(string engine)
    {
        const string key = "test-admin-key-0123456789";
        await using var server = await postgres.StartAsync(engine, new Dictionary<string, string?> { ["LiveHub:Admin:Key"] = key });
        var e = await server.CreateEventAsync();
        using var http = new HttpClient { BaseAddress = server.BaseUri, Timeout = TestClient.Timeout };

        using var signIn = await http.PostAsJsonAsync($"/api/events/{e.Code}/moderator/session", new { passcode = LiveHubServer.Passcode, name = "Ani\u0000" });
        using var admin = await Admin.AdminHttp.SignInAsync(server, key);
        using var edit = await admin.Http.PutAsJsonAsync($"/api/admin/events/{e.Code}", new { name = "Acara", city = "Kupang\u0000" });
        using var room = await admin.Http.PostAsJsonAsync($"/api/admin/events/{e.Code}/rooms", new { key = "baru", name = "Ruang\u0007" });

        foreach (var response in new[] { signIn, edit, room })
        {
            Assert.Equal(System.Net.HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Equal("text_invalid", (await response.Content.ReadFromJsonAsync<HubError>())!.Code);
        }
    }

    private static async Task<HubError?> ErrorOf<T>(Task<HubResult<T>> call) => (await call).Error;

    private static string Escape(string? s) => s is null ? "null" : string.Concat(s.Select(c => char.IsControl(c) ? $"\\u{(int)c:x4}" : c.ToString()));

}
