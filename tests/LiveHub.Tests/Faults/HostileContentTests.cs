using System.Text;
using System.Text.Json;
using LiveHub.Announcements;
using LiveHub.Events;
using LiveHub.Polls;
using LiveHub.Questions;
using LiveHub.Realtime;
using LiveHub.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

using LiveHub.Tests.Browser;

namespace LiveHub.Tests.Faults;

/// <summary>
/// What people really type — the longest question, the longest unbroken name, right-to-left overrides, zero-width
/// characters, emoji, text that looks like markup — through the phone, the moderator page, the projector, the report
/// and the exports. Every screen is checked whole after every step (see <see cref="ScreenCheck"/>).
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class HostileContentTests(ServerFixture fixture)
{
    /// <summary>A name that starts with a right-to-left override: unisolated, it reverses the rest of its line.</summary>
    private const string RtlName = "\u202Eaman terbalik";

    /// <summary>Sixty characters without a place to break: a name pasted from a URL or typed on one key.</summary>
    private static readonly string UnbrokenName = new('W', 60);

    private static readonly string MarkupText = "<img src=x onerror=alert(1)> <b>tebal</b> {{x}} ${y} \u200B\u200B\u200D 👩🏽‍💻🇮🇩 ";

    private LiveHubServer Server => fixture.Server;

    private string BaseUrl => Server.BaseUri.GetLeftPart(UriPartial.Authority);

    /// <summary>A question of exactly the longest length a phone may send, in words, with one long unbroken run.</summary>
    private static string LongestQuestion(int length)
    {
        var text = new StringBuilder("Bagaimana pemerintah daerah di Nusa Tenggara Timur dapat ");
        text.Append(new string('X', 70)).Append(' ');
        var words = "membangun layanan digital yang inklusif bagi warga desa yang jauh dari pusat kota tanpa menambah beban anggaran".Split(' ');
        for (var i = 0; text.Length < length - 1; i++)
        {
            text.Append(words[i % words.Length]).Append(' ');
        }
        return text.ToString(0, length - 1) + "?";
    }

    [SkippableFact]
    public async Task AQuestionOnScreenWithoutAReplyShowsNoStrayWordOnTheProjectorOrTheModeratorPage()
    {
        await using var session = await Infrastructure.Browser.LaunchAsync();
        var e = await Server.CreateEventAsync();
        await using var phone = await TestClient.ConnectAsync(Server);
        await using var moderatorClient = await TestClient.ConnectAsync(Server, moderatorOf: e.Code);
        var q = await phone.AskAsync(e.Keynote, "Apa rencana transportasi umum untuk Kupang?");
        await moderatorClient.ModerateAsync(e.Keynote, q.Id, "approve");
        await moderatorClient.ModerateAsync(e.Keynote, q.Id, "show");

        var projector = await session.OpenAsync("projector", 1280, 720);
        await projector.GotoAsync($"{BaseUrl}/e/{e.Code}/projector?session={e.Keynote}");
        await Expect(projector.GetByTestId("on-screen-question")).ToContainTextAsync("transportasi umum");
        var moderator = await OpenModeratorAsync(session, e, 1366, 768);
        var box = moderator.GetByTestId("on-screen");
        await Expect(box).ToContainTextAsync("transportasi umum");

        // Exactly the question, its author and its upvotes: nothing else under it.
        Assert.Equal("Di layar|Apa rencana transportasi umum untuk Kupang?|Anonim▲ 0 dukungan",
            await projector.GetByTestId("on-screen-question").EvaluateAsync<string>("e => [...e.children].map(c => c.textContent.trim()).join('|')"));
        Assert.DoesNotContain("null", await box.InnerTextAsync());
        await session.StepAsync("on screen without a reply");
    }

    [SkippableTheory]
    [InlineData(1280, 720)]
    [InlineData(1920, 1080)]
    public async Task TheLongestQuestionFitsWholeOnTheProjectorWithItsAuthorLineAtEachSize(int width, int height)
    {
        await using var session = await Infrastructure.Browser.LaunchAsync($"fit-{width}x{height}");
        var e = await Server.CreateEventAsync();
        await using var asker = await TestClient.ConnectAsync(Server);
        await using var moderatorClient = await TestClient.ConnectAsync(Server, moderatorOf: e.Code);
        var projector = await session.OpenAsync("projector", width, height);
        await projector.GotoAsync($"{BaseUrl}/e/{e.Code}/projector?session={e.Keynote}");
        var onScreen = projector.GetByTestId("on-screen-question");

        var sizes = new Dictionary<string, double>();
        foreach (var (name, length, author, reply) in new[]
        {
            ("short", 40, "Ani", (string?)null),
            ("150", 150, "Budi Santoso dari Dinas Kominfo Kota Kupang", null),
            ("500", 500, UnbrokenName, null),
            ("500-with-reply", 500, RtlName, "Terima kasih, pertanyaan ini akan dijawab oleh Bapak Menteri di akhir sesi."),
            ("500-with-long-reply", 500, "Ani", LongestQuestion(1000)),
        })
        {
            var text = LongestQuestion(length);
            var q = await asker.AskAsync(e.Keynote, text, author);
            await moderatorClient.ModerateAsync(e.Keynote, q.Id, "approve");
            if (reply is not null)
            {
                await moderatorClient.OkAsync<QuestionView>(nameof(EventHub.ReplyToQuestion), new ReplyToQuestionRequest(e.Keynote, q.Id, reply));
            }
            await moderatorClient.ModerateAsync(e.Keynote, q.Id, "show");
            await Expect(onScreen).ToHaveAttributeAsync("data-question-id", q.Id.ToString());
            await Expect(projector.GetByTestId("on-screen-text")).ToHaveTextAsync(text);

            // The whole question and its author line are on the screen (the screen check also fails on any cut text).
            var fit = await onScreen.EvaluateAsync<JsonElement>("""
                box => {
                  const text = box.querySelector('.proj-question-text');
                  const meta = box.querySelector('.proj-question-meta');
                  const r = meta.getBoundingClientRect();
                  return { size: parseFloat(getComputedStyle(text).fontSize), metaBottom: r.bottom, viewport: innerHeight,
                           whole: box.scrollHeight <= box.clientHeight + 1, reply: box.dataset.reply };
                }
                """);
            var size = fit.GetProperty("size").GetDouble();
            Assert.True(fit.GetProperty("whole").GetBoolean(), $"{name}: the on-screen question does not fit its box");
            Assert.True(fit.GetProperty("metaBottom").GetDouble() <= fit.GetProperty("viewport").GetDouble(), $"{name}: the author line is below the screen");
            Assert.True(size >= 24, $"{name}: the question is drawn at {size}px, below the 24px the back row reads");
            sizes[name] = size;
            await Infrastructure.Browser.ScreenshotAsync(projector, $"projector-fit-{width}x{height}-{name}");
            await session.StepAsync($"question {name} on screen");
        }
        // As large as fits: a short question gets the largest size, and each longer one no larger than the one before.
        Assert.True(sizes["short"] >= sizes["150"] && sizes["150"] >= sizes["500"], string.Join(", ", sizes));
        Assert.True(sizes["short"] >= width * 0.05, $"a short question is drawn at {sizes["short"]}px on a {width}px screen");
        await File.WriteAllTextAsync(Path.Combine(Repo.Artifacts, $"projector-fit-{width}x{height}.json"), JsonSerializer.Serialize(sizes));
    }

    [SkippableFact]
    public async Task HostileTextStaysInItsPlaceOnThePhoneTheModeratorPageTheProjectorTheReportAndTheExports()
    {
        await using var session = await Infrastructure.Browser.LaunchAsync();
        var e = await Server.CreateEventAsync();
        await using var moderatorClient = await TestClient.ConnectAsync(Server, moderatorOf: e.Code);
        await using var rtl = await TestClient.ConnectAsync(Server);
        var question = LongestQuestion(480) + MarkupText.Trim();
        question = question[..Math.Min(question.Length, 500)];

        // The phone: the longest unbroken name asks, at the narrowest phone.
        var phone = await session.OpenAsync("phone", 320, 640);
        await phone.GotoAsync($"{BaseUrl}/e/{e.Code}?session={e.Keynote}");
        await Expect(phone.GetByTestId("connection-status")).ToHaveAttributeAsync("data-state", "connected");
        await phone.GetByTestId("ask-text").FillAsync(question);
        await phone.GetByTestId("ask-name").FillAsync(UnbrokenName);
        await phone.GetByTestId("ask-send").ClickAsync();
        await Expect(phone.GetByTestId("my-questions")).ToContainTextAsync("Menunggu persetujuan moderator");
        await session.StepAsync("the longest question asked by the longest name");

        var mine = await rtl.AskAsync(e.Keynote, MarkupText + "Apakah data kota terbuka untuk umum?", RtlName);
        var poll = await moderatorClient.OkAsync<PollView>(nameof(EventHub.CreatePoll),
            new PollDraftRequest(e.Keynote, PollKinds.Text, "Satu usul untuk Kupang? " + MarkupText, null, null, null, null, null, null));
        await moderatorClient.OkAsync<PollView>(nameof(EventHub.OpenPoll), new PollRequest(poll.Id));
        await moderatorClient.OkAsync<AnnouncementView>(nameof(EventHub.PostAnnouncement),
            new PostAnnouncementRequest(e.Id, null, RtlName + " " + new string('A', 80) + " " + MarkupText));

        // The phone answers the open-text poll under the long name and waits for the moderator.
        var card = phone.GetByTestId("poll");
        await Expect(card).ToHaveAttributeAsync("data-kind", "text");
        await card.GetByTestId("poll-text").FillAsync(new string('Z', 120) + " " + MarkupText);
        await card.GetByTestId("poll-submit").ClickAsync();
        await Expect(card.GetByTestId("poll-vote-state")).ToContainTextAsync("menunggu persetujuan moderator");
        await session.StepAsync("an open-text answer waits for review");

        // The moderator's page at a laptop's width: approve everything, reply, label, show.
        var moderator = await OpenModeratorAsync(session, e, 1366, 768);
        var pending = moderator.GetByTestId("mod-question");
        await Expect(pending).ToHaveCountAsync(2);
        await session.StepAsync("moderator sees both pending");
        foreach (var id in (await moderatorClient.JoinAsync(e.Keynote, SessionViews.Moderator)).Questions.Where(q => q.Status == "pending").Select(q => q.Id))
        {
            await moderatorClient.ModerateAsync(e.Keynote, id, "approve");
        }
        var long1 = (await moderatorClient.JoinAsync(e.Keynote, SessionViews.Moderator)).Questions.Single(q => q.AuthorName == UnbrokenName);
        await moderatorClient.OkAsync<QuestionView>(nameof(EventHub.ReplyToQuestion), new ReplyToQuestionRequest(e.Keynote, mine.Id, RtlName + " " + MarkupText));
        await moderatorClient.OkAsync<QuestionView>(nameof(EventHub.LabelQuestion), new LabelQuestionRequest(e.Keynote, mine.Id, ["\u202Elabel", new string('L', 30)]));
        var answers = (await moderatorClient.JoinAsync(e.Keynote, SessionViews.Moderator)).Results.Single(f => f.PollId == poll.Id);
        await moderatorClient.OkAsync<AnswerResult>(nameof(EventHub.ModeratePollAnswer), new ModeratePollAnswerRequest(poll.Id, answers.Answers.Single().Id, "approve"));
        // A second answer waits for review: the screens count only the answers they list.
        await rtl.OkAsync<MyVote>(nameof(EventHub.CastVote), new CastVoteRequest(poll.Id, "usul-kedua", null, null, null, "Usul kedua yang belum disetujui", UnbrokenName));
        await moderatorClient.ModerateAsync(e.Keynote, long1.Id, "show");
        await moderator.GetByTestId("queue-approved").ClickAsync();
        await Expect(moderator.GetByTestId("on-screen")).ToContainTextAsync(UnbrokenName);
        await Expect(moderator.GetByTestId("label-chip").First).ToBeVisibleAsync();
        await session.StepAsync("moderator approved, replied, labelled, showed");

        // The phone learns its answer was approved (MyVoteChanged), and sees the question list with the names.
        await Expect(card.GetByTestId("poll-my-answer-status")).ToContainTextAsync("Disetujui");
        await Expect(phone.GetByTestId("question-list")).ToContainTextAsync("Apakah data kota terbuka untuk umum?");
        await session.StepAsync("the phone sees the approved questions and answer");

        // The projector: the question with the long name on screen, then the poll with the approved answer.
        var projector = await session.OpenAsync("projector", 1280, 720);
        await projector.GotoAsync($"{BaseUrl}/e/{e.Code}/projector?session={e.Keynote}");
        await Expect(projector.GetByTestId("on-screen-question")).ToHaveAttributeAsync("data-question-id", long1.Id.ToString());
        await session.StepAsync("the projector shows the longest question");
        await moderatorClient.OkAsync<ProjectorDelta>(nameof(EventHub.SetProjector), new SetProjectorRequest(e.Keynote, ProjectorModes.Poll, poll.Id));
        await Expect(projector.GetByTestId("poll-answer")).ToHaveCountAsync(1);
        await Expect(projector.GetByTestId("poll-count")).ToHaveTextAsync("1 jawaban");
        await session.StepAsync("the projector shows the approved answer");

        // The report names the right-to-left author in an isolated run: the line around it reads in order.
        var report = await session.OpenAsync("report", 1100, 900);
        await report.GotoAsync($"{BaseUrl}/e/{e.Code}/report?session={e.Keynote}");
        await report.GetByTestId("passcode").FillAsync(LiveHubServer.Passcode);
        await report.GetByTestId("sign-in").ClickAsync();
        await Expect(report.GetByTestId("report-question").First).ToBeVisibleAsync();
        await session.StepAsync("the report");

        // The exports carry every text exactly as typed.
        var json = JsonDocument.Parse(await moderatorClient.Http.GetStringAsync($"/api/sessions/{e.Keynote}/export/questions.json"));
        var strings = Strings(json.RootElement).ToList();
        Assert.Contains(question, strings);
        Assert.Contains(MarkupText + "Apakah data kota terbuka untuk umum?", strings);
        Assert.Contains((RtlName + " " + MarkupText).Trim(), strings);
        var csv = await moderatorClient.Http.GetStringAsync($"/api/sessions/{e.Keynote}/export/questions.csv");
        Assert.Contains(question.Replace("\"", "\"\""), csv);
        Assert.Contains(UnbrokenName, csv);
    }

    private static IEnumerable<string> Strings(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.String => [e.GetString()!],
        JsonValueKind.Array => e.EnumerateArray().SelectMany(Strings),
        JsonValueKind.Object => e.EnumerateObject().SelectMany(p => Strings(p.Value)),
        _ => [],
    };

    private async Task<IPage> OpenModeratorAsync(Infrastructure.Browser.Session session, TestEvent e, int width, int height)
    {
        var moderator = await session.OpenAsync("moderator", width, height);
        await moderator.GotoAsync($"{BaseUrl}/e/{e.Code}/moderator?session={e.Keynote}");
        await moderator.GetByTestId("passcode").FillAsync(LiveHubServer.Passcode);
        await moderator.GetByTestId("sign-in").ClickAsync();
        await Expect(moderator.GetByTestId("connection-status")).ToHaveAttributeAsync("data-state", "connected");
        return moderator;
    }
}
