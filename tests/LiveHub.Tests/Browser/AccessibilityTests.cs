using System.Net;
using LiveHub.Events;
using LiveHub.Polls;
using LiveHub.Questions;
using LiveHub.Realtime;
using LiveHub.Tests.Admin;
using LiveHub.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace LiveHub.Tests.Browser;

/// <summary>
/// axe-core on every screen, in both languages, on a phone and on a laptop (the projector at kiosk sizes): no violation of
/// impact serious or critical. Each view is saved as a screenshot (which also runs the screen check: nothing wider than the
/// screen, no stray words) with its full axe list beside it, so what axe saw can be looked at.
/// </summary>
[Collection(AdminServerCollection.Name)]
public sealed class AccessibilityTests(AdminServerFixture fixture)
{
    private static readonly string[] Languages = ["id", "en"];

    private static readonly (string Name, int Width, int Height)[] Sizes = [("phone", 360, 740), ("desktop", 1280, 800)];

    private static readonly (string Name, int Width, int Height)[] ProjectorSizes = [("720p", 1280, 720), ("1080p", 1920, 1080)];

    private LiveHubServer Server => fixture.Server;

    private string BaseUrl => Server.BaseUri.GetLeftPart(UriPartial.Authority);

    /// <summary>The check itself: an unlabelled field and low-contrast text put into a real page are reported.</summary>
    [SkippableFact]
    public async Task AxeReportsViolationsPutIntoAPage()
    {
        await using var chromium = await Infrastructure.Browser.LaunchAsync();
        var (page, _) = await Infrastructure.Browser.OpenAsync(chromium.Browser, 360, 740);
        await page.GotoAsync($"{BaseUrl}/");
        await page.EvaluateAsync("""
            () => {
              const main = document.querySelector('main');
              main.append(Object.assign(document.createElement('input'), { type: 'text' }));
              const faint = Object.assign(document.createElement('p'), { textContent: 'Teks pucat' });
              faint.style.color = '#cccccc';
              main.append(faint);
            }
            """);

        var violations = await Axe.RunAsync(page);

        Assert.Contains(violations, v => v.Id == "label" && v.Impact == "critical");
        Assert.Contains(violations, v => v.Id == "color-contrast" && v.Nodes.Any(n => n.Html.Contains("Teks pucat")));
    }

    [SkippableFact]
    public async Task TheHomePageHasNoSeriousViolations()
    {
        await using var chromium = await Infrastructure.Browser.LaunchAsync();
        var audit = new Audit();
        foreach (var (lang, size) in Views(Sizes))
        {
            var page = await OpenAsync(chromium.Browser, size, audit);
            await page.GotoAsync($"{BaseUrl}/?lang={lang}");
            await Expect(page.GetByTestId("event-code")).ToBeVisibleAsync();
            await audit.CheckAsync(page, $"a11y-home-{lang}-{size.Name}");
        }
        audit.AssertClean();
    }

    [SkippableFact]
    public async Task TheAudiencePageWithQuestionsHasNoSeriousViolations()
    {
        await using var chromium = await Infrastructure.Browser.LaunchAsync();
        var e = await Server.CreateEventAsync();
        await using var moderator = await TestClient.ConnectAsync(Server, moderatorOf: e.Code);
        await using var ani = await TestClient.ConnectAsync(Server);
        var onScreen = await ani.AskAsync(e.Keynote, "Bagaimana kota kecil dengan anggaran terbatas bisa memulai smart city?", "Ani");
        var popular = await ani.AskAsync(e.Keynote, "Apakah data lalu lintas akan dibuka untuk umum?");
        var answered = await ani.AskAsync(e.Keynote, "Apakah materi keynote akan dibagikan?", "Budi");
        foreach (var q in new[] { onScreen, popular, answered })
        {
            await moderator.ModerateAsync(e.Keynote, q.Id, ModerationActions.Approve);
        }
        await moderator.ModerateAsync(e.Keynote, onScreen.Id, ModerationActions.Show);
        await moderator.ModerateAsync(e.Keynote, answered.Id, ModerationActions.Answer);
        await moderator.OkAsync<UpvoteView>(nameof(EventHub.Upvote), new UpvoteRequest(popular.Id, true));
        await moderator.OkAsync<LiveHub.Announcements.AnnouncementView>(nameof(EventHub.PostAnnouncement),
            new LiveHub.Announcements.PostAnnouncementRequest(e.Id, null, "Makan siang di Aula Utama pukul 12.30."));

        var audit = new Audit();
        foreach (var (lang, size) in Views(Sizes))
        {
            var page = await OpenAsync(chromium.Browser, size, audit);
            await page.GotoAsync($"{BaseUrl}/e/{e.Code}?session={e.Keynote}&lang={lang}");
            await Expect(page.GetByTestId("announcement-banner")).ToContainTextAsync("Makan siang");
            await Expect(page.GetByTestId("connection-status")).ToHaveAttributeAsync("data-state", "connected");
            await Expect(page.GetByTestId("question-list")).ToContainTextAsync(popular.Text);
            await Expect(page.GetByTestId("answered-list")).ToContainTextAsync(answered.Text);
            // This person's own question, waiting for the moderator, and an upvote of theirs.
            await page.GetByTestId("ask-text").FillAsync($"Pertanyaan saya ({lang}, {size.Name})");
            await page.GetByTestId("ask-send").ClickAsync();
            await Expect(page.GetByTestId("my-questions")).ToContainTextAsync($"({lang}, {size.Name})");
            var upvote = page.GetByTestId("question").Filter(new() { HasText = popular.Text }).GetByTestId("upvote");
            await upvote.ClickAsync();
            await Expect(upvote).ToHaveAttributeAsync("aria-pressed", "true");
            await page.GetByTestId("agenda-home").Locator("summary").ClickAsync();
            await Expect(page.GetByTestId("agenda-room").First).ToBeVisibleAsync();
            await audit.CheckAsync(page, $"a11y-audience-questions-{lang}-{size.Name}");
        }
        audit.AssertClean();
    }

    [SkippableFact]
    public async Task TheAudiencePageWithOpenPollsOfEveryKindHasNoSeriousViolations()
    {
        await using var chromium = await Infrastructure.Browser.LaunchAsync();
        var e = await Server.CreateEventAsync();
        await using var moderator = await TestClient.ConnectAsync(Server, moderatorOf: e.Code);
        await using var voter = await TestClient.ConnectAsync(Server);
        string[] cities = ["Kupang", "Ende", "Maumere", "Labuan Bajo"];
        // A closed poll with its results shown, then one open poll of each kind a phone answers differently.
        var closed = await moderator.OkAsync<PollView>(nameof(EventHub.CreatePoll),
            new PollDraftRequest(e.Keynote, PollKinds.Single, "Dari kota mana Anda datang?", cities, null, null, null, null, null));
        await moderator.OkAsync<PollView>(nameof(EventHub.OpenPoll), new PollRequest(closed.Id));
        await voter.OkAsync<MyVote>(nameof(EventHub.CastVote), new CastVoteRequest(closed.Id, "v1", [1], null, null, null, null));
        await moderator.OkAsync<PollView>(nameof(EventHub.ClosePoll), new PollRequest(closed.Id));
        PollDraftRequest[] open =
        [
            new(e.Keynote, PollKinds.Single, "Layanan mana yang paling Anda perlukan?", cities, null, null, null, null, null),
            new(e.Keynote, PollKinds.Multiple, "Layanan digital mana yang sudah ada?", cities, 2, null, null, null, null),
            new(e.Keynote, PollKinds.Rating, "Seberapa siap daerah Anda?", null, null, 5, null, null, null),
            new(e.Keynote, PollKinds.WordCloud, "Satu kata untuk smart city?", null, null, null, null, null, null),
            new(e.Keynote, PollKinds.Ranking, "Urutkan prioritas kota", cities, null, null, null, null, null),
            new(e.Keynote, PollKinds.Quiz, "Ibu kota Nusa Tenggara Timur?", cities, null, null, [0], 600, PollVisibility.OnClose),
        ];
        var opened = new List<PollView>();
        foreach (var draft in open)
        {
            var poll = await moderator.OkAsync<PollView>(nameof(EventHub.CreatePoll), draft);
            opened.Add(await moderator.OkAsync<PollView>(nameof(EventHub.OpenPoll), new PollRequest(poll.Id)));
        }

        var audit = new Audit();
        foreach (var (lang, size) in Views(Sizes))
        {
            var page = await OpenAsync(chromium.Browser, size, audit);
            await page.GotoAsync($"{BaseUrl}/e/{e.Code}?session={e.Keynote}&lang={lang}");
            await Expect(page.GetByTestId("connection-status")).ToHaveAttributeAsync("data-state", "connected");
            await Expect(page.GetByTestId("poll")).ToHaveCountAsync(open.Length + 1);
            var single = page.GetByTestId("poll").And(page.Locator("[data-kind='single'][data-status='open']"));
            await single.Locator("[data-testid='poll-option'][data-index='2']").ClickAsync();
            await Expect(page.GetByTestId("poll-vote-state").First).ToHaveAttributeAsync("data-state", "delivered");
            await audit.CheckAsync(page, $"a11y-audience-polls-{lang}-{size.Name}");
        }

        // Every poll answered by someone and closed: the results of each kind on the phone, the quiz's outcome among them.
        await voter.OkAsync<MyVote>(nameof(EventHub.CastVote), new CastVoteRequest(opened[2].Id, "r1", null, 4, null, null, null));
        await voter.OkAsync<MyVote>(nameof(EventHub.CastVote), new CastVoteRequest(opened[3].Id, "w1", null, null, null, "Terhubung", null));
        await voter.OkAsync<MyVote>(nameof(EventHub.CastVote), new CastVoteRequest(opened[4].Id, "k1", null, null, [2, 0, 1, 3], null, null));
        await voter.OkAsync<MyVote>(nameof(EventHub.CastVote), new CastVoteRequest(opened[5].Id, "q1", [0], null, null, null, "Ani"));
        foreach (var poll in opened)
        {
            await moderator.OkAsync<PollView>(nameof(EventHub.ClosePoll), new PollRequest(poll.Id));
        }
        foreach (var (lang, size) in Views(Sizes))
        {
            var page = await OpenAsync(chromium.Browser, size, audit);
            await page.GotoAsync($"{BaseUrl}/e/{e.Code}?session={e.Keynote}&lang={lang}");
            await Expect(page.GetByTestId("connection-status")).ToHaveAttributeAsync("data-state", "connected");
            await Expect(page.GetByTestId("poll-earlier")).ToBeVisibleAsync();
            await page.Locator("#poll-earlier-title").ClickAsync();
            var cards = page.GetByTestId("poll-earlier").Locator("summary.poll-summary");
            for (var i = 0; i < await cards.CountAsync(); i++)
            {
                await cards.Nth(i).ClickAsync();
            }
            await Expect(page.GetByTestId("poll-results").First).ToBeVisibleAsync();
            await audit.CheckAsync(page, $"a11y-audience-polls-closed-{lang}-{size.Name}");
        }
        audit.AssertClean();
    }

    [SkippableFact]
    public async Task TheModeratorPageHasNoSeriousViolations()
    {
        await using var chromium = await Infrastructure.Browser.LaunchAsync();
        var e = await Server.CreateEventAsync();
        await using var moderator = await TestClient.ConnectAsync(Server, moderatorOf: e.Code, moderatorName: "Rina");
        await using var ani = await TestClient.ConnectAsync(Server);
        var approved = await ani.AskAsync(e.Keynote, "Bagaimana kota kecil dengan anggaran terbatas bisa memulai smart city?", "Ani");
        await ani.AskAsync(e.Keynote, "Apakah data lalu lintas akan dibuka untuk umum?");
        await ani.AskAsync(e.Keynote, "Kapan aplikasi layanan publik diluncurkan?", "Budi");
        await moderator.ModerateAsync(e.Keynote, approved.Id, ModerationActions.Approve);
        await moderator.ModerateAsync(e.Keynote, approved.Id, ModerationActions.Show);
        var snapshot = await moderator.JoinAsync(e.Keynote, SessionViews.Moderator);
        await moderator.OkAsync<PollView>(nameof(EventHub.OpenPoll), new PollRequest(snapshot.Polls.First(p => p.Kind == PollKinds.Single).Id));
        await moderator.OkAsync<LiveHub.Announcements.AnnouncementView>(nameof(EventHub.PostAnnouncement),
            new LiveHub.Announcements.PostAnnouncementRequest(e.Id, null, "Makan siang di Aula Utama pukul 12.30."));

        var audit = new Audit();
        foreach (var (lang, size) in Views(Sizes))
        {
            var page = await OpenAsync(chromium.Browser, size, audit);
            await page.GotoAsync($"{BaseUrl}/e/{e.Code}/moderator?session={e.Keynote}&lang={lang}");
            await Expect(page.GetByTestId("passcode")).ToBeVisibleAsync();
            await audit.CheckAsync(page, $"a11y-moderator-signin-{lang}-{size.Name}");

            await page.GetByTestId("passcode").FillAsync(LiveHubServer.Passcode);
            await page.GetByTestId("sign-in").ClickAsync();
            await Expect(page.GetByTestId("mod-question")).ToHaveCountAsync(2);
            await Expect(page.GetByTestId("poll-item").First).ToBeVisibleAsync();
            await Expect(page.GetByTestId("on-screen")).ToContainTextAsync(approved.Text);
            await page.Locator("#audit > summary").ClickAsync();
            await Expect(page.GetByTestId("audit-entry").First).ToBeVisibleAsync();
            await audit.CheckAsync(page, $"a11y-moderator-{lang}-{size.Name}");

            await page.GetByTestId("poll-new").ClickAsync();
            await Expect(page.GetByTestId("poll-form")).ToBeVisibleAsync();
            await page.GetByTestId("queue-approved").ClickAsync();
            await Expect(page.GetByTestId("mod-question").First).ToHaveAttributeAsync("data-status", "approved");
            await page.GetByTestId("mod-question").First.GetByTestId("action-reply").ClickAsync();
            await Expect(page.GetByTestId("reply-text")).ToBeVisibleAsync();
            await page.Locator("#profanity > summary").ClickAsync();
            await Expect(page.GetByTestId("profanity-words")).ToBeVisibleAsync();
            await audit.CheckAsync(page, $"a11y-moderator-tools-{lang}-{size.Name}");
        }
        audit.AssertClean();
    }

    [SkippableFact]
    public async Task TheProjectorHasNoSeriousViolationsWithAQuestionAPollOrNothingOnScreen()
    {
        await using var chromium = await Infrastructure.Browser.LaunchAsync();
        var e = await Server.CreateEventAsync();
        await using var moderator = await TestClient.ConnectAsync(Server, moderatorOf: e.Code);
        await using var ani = await TestClient.ConnectAsync(Server);
        var onScreen = await ani.AskAsync(e.Keynote, "Bagaimana kota kecil dengan anggaran terbatas bisa memulai smart city?", "Ani");
        var next = await ani.AskAsync(e.Keynote, "Apakah data lalu lintas akan dibuka untuk umum?");
        await moderator.ModerateAsync(e.Keynote, onScreen.Id, ModerationActions.Approve);
        await moderator.ModerateAsync(e.Keynote, next.Id, ModerationActions.Approve);
        await moderator.ModerateAsync(e.Keynote, onScreen.Id, ModerationActions.Show);
        var poll = await moderator.OkAsync<PollView>(nameof(EventHub.CreatePoll),
            new PollDraftRequest(e.Keynote, PollKinds.Single, "Dari kota mana Anda datang?", ["Kupang", "Ende", "Maumere"], null, null, null, null, null));
        await moderator.OkAsync<PollView>(nameof(EventHub.OpenPoll), new PollRequest(poll.Id));
        await ani.OkAsync<MyVote>(nameof(EventHub.CastVote), new CastVoteRequest(poll.Id, "v1", [0], null, null, null, null));

        var audit = new Audit();
        // The projector speaks the event's language whatever is asked; ?lang= is the one way to see the other.
        foreach (var (lang, size) in Views(ProjectorSizes))
        {
            var page = await OpenAsync(chromium.Browser, size, audit);
            await page.GotoAsync($"{BaseUrl}/e/{e.Code}/projector?session={e.Keynote}&lang={lang}");
            await Expect(page.GetByTestId("join-code")).ToContainTextAsync(e.Code);

            await moderator.OkAsync<ProjectorDelta>(nameof(EventHub.SetProjector), new SetProjectorRequest(e.Keynote, ProjectorModes.Questions, null));
            await Expect(page.GetByTestId("on-screen-question")).ToContainTextAsync(onScreen.Text);
            await Expect(page.GetByTestId("top-questions")).ToContainTextAsync(next.Text);
            await audit.CheckAsync(page, $"a11y-projector-questions-{lang}-{size.Name}");

            await moderator.OkAsync<ProjectorDelta>(nameof(EventHub.SetProjector), new SetProjectorRequest(e.Keynote, ProjectorModes.Poll, poll.Id));
            await Expect(page.GetByTestId("projector-poll")).ToHaveAttributeAsync("data-poll-id", poll.Id.ToString());
            await Expect(page.GetByTestId("poll-bar").First).ToBeVisibleAsync();
            await audit.CheckAsync(page, $"a11y-projector-poll-{lang}-{size.Name}");

            await moderator.OkAsync<ProjectorDelta>(nameof(EventHub.SetProjector), new SetProjectorRequest(e.Keynote, ProjectorModes.Idle, null));
            await Expect(page.GetByTestId("idle-screen")).ToBeVisibleAsync();
            await audit.CheckAsync(page, $"a11y-projector-idle-{lang}-{size.Name}");
        }

        // The other kinds of poll, then an announcement over the last, in the kiosk's usual size.
        var projector = await OpenAsync(chromium.Browser, ProjectorSizes[0], audit);
        await projector.GotoAsync($"{BaseUrl}/e/{e.Code}/projector?session={e.Keynote}");
        await Expect(projector.GetByTestId("idle-screen")).ToBeVisibleAsync();
        string[] cities = ["Kupang", "Ende", "Maumere", "Labuan Bajo"];
        var kinds = new (string Name, PollDraftRequest Draft, CastVoteRequest Vote, string Shows)[]
        {
            ("multiple", new(e.Keynote, PollKinds.Multiple, "Layanan digital mana yang sudah ada?", cities, 2, null, null, null, null),
                new(0, "m", [0, 2], null, null, null, null), "poll-bar"),
            ("rating", new(e.Keynote, PollKinds.Rating, "Seberapa siap daerah Anda?", null, null, 5, null, null, null),
                new(0, "r", null, 4, null, null, null), "rating-average"),
            ("wordcloud", new(e.Keynote, PollKinds.WordCloud, "Satu kata untuk smart city?", null, null, null, null, null, null),
                new(0, "w", null, null, null, "Terhubung", null), "word-cloud"),
            ("ranking", new(e.Keynote, PollKinds.Ranking, "Urutkan prioritas kota", cities, null, null, null, null, null),
                new(0, "k", null, null, [1, 0, 3, 2], null, null), "ranking-item"),
            ("quiz", new(e.Keynote, PollKinds.Quiz, "Ibu kota Nusa Tenggara Timur?", cities, null, null, [0], 30, PollVisibility.OnClose),
                new(0, "q", [0], null, null, null, "Ani"), "leaderboard"),
        };
        foreach (var (name, draft, vote, shows) in kinds)
        {
            var kind = await moderator.OkAsync<PollView>(nameof(EventHub.CreatePoll), draft);
            await moderator.OkAsync<PollView>(nameof(EventHub.OpenPoll), new PollRequest(kind.Id));
            await moderator.OkAsync<ProjectorDelta>(nameof(EventHub.SetProjector), new SetProjectorRequest(e.Keynote, ProjectorModes.Poll, kind.Id));
            await ani.OkAsync<MyVote>(nameof(EventHub.CastVote), vote with { PollId = kind.Id });
            if (name == "quiz")
            {
                await moderator.OkAsync<PollView>(nameof(EventHub.ClosePoll), new PollRequest(kind.Id));
            }
            await Expect(projector.GetByTestId("projector-poll")).ToHaveAttributeAsync("data-poll-id", kind.Id.ToString());
            await Expect(projector.GetByTestId(shows).First).ToBeVisibleAsync();
            await audit.CheckAsync(projector, $"a11y-projector-poll-{name}");
        }
        await moderator.OkAsync<LiveHub.Announcements.AnnouncementView>(nameof(EventHub.PostAnnouncement),
            new LiveHub.Announcements.PostAnnouncementRequest(e.Id, null, "Makan siang di Aula Utama pukul 12.30."));
        await Expect(projector.GetByTestId("announcement-banner")).ToContainTextAsync("Makan siang");
        await audit.CheckAsync(projector, "a11y-projector-announcement");
        audit.AssertClean();
    }

    [SkippableFact]
    public async Task TheAdminPageHasNoSeriousViolations()
    {
        await using var chromium = await Infrastructure.Browser.LaunchAsync();
        var e = await Server.CreateEventAsync();
        var audit = new Audit();
        foreach (var (lang, size) in Views(Sizes))
        {
            var page = await OpenAsync(chromium.Browser, size, audit);
            await page.GotoAsync($"{BaseUrl}/admin?lang={lang}#event={e.Code}");
            await Expect(page.GetByTestId("admin-key")).ToBeVisibleAsync();
            await audit.CheckAsync(page, $"a11y-admin-signin-{lang}-{size.Name}");

            await page.GetByTestId("admin-key").FillAsync(AdminServerFixture.AdminKey);
            await page.GetByTestId("admin-sign-in").ClickAsync();
            await Expect(page.GetByTestId("event-detail")).ToContainTextAsync(e.Code);
            await audit.CheckAsync(page, $"a11y-admin-event-{lang}-{size.Name}");

            await page.GetByTestId("back-to-events").ClickAsync();
            await Expect(page.Locator($"[data-testid='admin-event'][data-code='{e.Code}']")).ToBeVisibleAsync();
            await page.GetByTestId("new-event").ClickAsync();
            await Expect(page.GetByTestId("create-json")).ToBeVisibleAsync();
            await audit.CheckAsync(page, $"a11y-admin-events-{lang}-{size.Name}");
        }
        audit.AssertClean();
    }

    [SkippableFact]
    public async Task TheSessionReportHasNoSeriousViolations()
    {
        await using var chromium = await Infrastructure.Browser.LaunchAsync();
        var e = await Server.CreateEventAsync();
        await using var moderator = await TestClient.ConnectAsync(Server, moderatorOf: e.Code);
        await using var ani = await TestClient.ConnectAsync(Server);
        var q = await ani.AskAsync(e.Keynote, "Bagaimana kota kecil dengan anggaran terbatas bisa memulai smart city?", "Ani");
        await moderator.ModerateAsync(e.Keynote, q.Id, ModerationActions.Approve);
        await ani.OkAsync<UpvoteView>(nameof(EventHub.Upvote), new UpvoteRequest(q.Id, true));
        var snapshot = await moderator.JoinAsync(e.Keynote, SessionViews.Moderator);
        var single = snapshot.Polls.First(p => p.Kind == PollKinds.Single);
        await moderator.OkAsync<PollView>(nameof(EventHub.OpenPoll), new PollRequest(single.Id));
        await ani.OkAsync<MyVote>(nameof(EventHub.CastVote), new CastVoteRequest(single.Id, "v1", [0], null, null, null, null));
        await moderator.OkAsync<PollView>(nameof(EventHub.ClosePoll), new PollRequest(single.Id));

        var audit = new Audit();
        foreach (var (lang, size) in Views(Sizes))
        {
            var page = await OpenAsync(chromium.Browser, size, audit);
            await page.GotoAsync($"{BaseUrl}/e/{e.Code}/report?session={e.Keynote}&lang={lang}");
            await Expect(page.GetByTestId("passcode")).ToBeVisibleAsync();
            await audit.CheckAsync(page, $"a11y-report-signin-{lang}-{size.Name}");

            await page.GetByTestId("passcode").FillAsync(LiveHubServer.Passcode);
            await page.GetByTestId("sign-in").ClickAsync();
            await Expect(page.GetByTestId("report-top")).ToContainTextAsync(q.Text);
            await Expect(page.GetByTestId("report-poll").First).ToBeVisibleAsync();
            await audit.CheckAsync(page, $"a11y-report-{lang}-{size.Name}");
        }
        audit.AssertClean();
    }

    [SkippableFact]
    public async Task AnUnknownEventCodeHasNoSeriousViolations()
    {
        await using var chromium = await Infrastructure.Browser.LaunchAsync();
        var audit = new Audit();
        foreach (var (lang, size) in Views(Sizes))
        {
            var page = await OpenAsync(chromium.Browser, size, audit);
            await page.GotoAsync($"{BaseUrl}/e/ZZZZ99?lang={lang}");
            await Expect(page.Locator("#fatal")).ToBeVisibleAsync();
            await audit.CheckAsync(page, $"a11y-unknown-event-{lang}-{size.Name}");
        }
        audit.AssertClean();
    }

    [SkippableFact]
    public async Task TheNotFoundPageHasNoSeriousViolations()
    {
        await using var chromium = await Infrastructure.Browser.LaunchAsync();
        var audit = new Audit();
        foreach (var (lang, size) in Views(Sizes))
        {
            var page = await OpenAsync(chromium.Browser, size, audit);
            var response = await page.GotoAsync($"{BaseUrl}/no/such/page?lang={lang}");
            Assert.Equal((int)HttpStatusCode.NotFound, response!.Status);
            // Chromium logs the page's own 404 status as an error; that is the page doing its job.
            audit.Errors[^1].RemoveAll(error => error.Contains("status of 404", StringComparison.Ordinal));
            await audit.CheckAsync(page, $"a11y-not-found-{lang}-{size.Name}");
        }
        audit.AssertClean();
    }

    private static IEnumerable<(string Lang, (string Name, int Width, int Height) Size)> Views((string Name, int Width, int Height)[] sizes) =>
        from lang in Languages from size in sizes select (lang, size);

    private static async Task<IPage> OpenAsync(IBrowser browser, (string Name, int Width, int Height) size, Audit audit)
    {
        var (page, errors) = await Infrastructure.Browser.OpenAsync(browser, size.Width, size.Height);
        audit.Errors.Add(errors);
        return page;
    }

    /// <summary>Runs axe on each view and gathers the serious and critical violations, so one run lists them for every view.</summary>
    private sealed class Audit
    {
        private readonly List<string> _failures = [];

        public List<List<string>> Errors { get; } = [];

        public async Task CheckAsync(IPage page, string name)
        {
            await Infrastructure.Browser.ScreenshotAsync(page, name);
            var (violations, incomplete) = await Axe.RunAllAsync(page);
            await Axe.SaveAsync(name, violations, incomplete);
            var serious = violations.Where(v => v.Impact is "serious" or "critical").ToList();
            if (serious.Count > 0)
            {
                _failures.Add($"{name} ({page.Url}):\n{Axe.Describe(serious)}");
            }
        }

        public void AssertClean()
        {
            Assert.True(_failures.Count == 0, "axe found serious or critical violations:\n" + string.Join("\n", _failures));
            Assert.All(Errors, Assert.Empty);
        }
    }
}
