using LiveHub.Events;
using LiveHub.Polls;
using LiveHub.Realtime;
using LiveHub.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace LiveHub.Tests.Browser;

[Collection(ServerCollection.Name)]
public sealed class PollJourneyTests(ServerFixture fixture)
{
    private LiveHubServer Server => fixture.Server;

    [SkippableFact]
    public async Task ModeratorLaunchesTheSamplePollTwoPhonesVoteAndTheProjectorShowsTheBars()
    {
        await using var session = await Infrastructure.Browser.LaunchAsync();
        var browser = session.Browser;
        var e = await Server.CreateEventAsync();
        var baseUrl = Server.BaseUri.GetLeftPart(UriPartial.Authority);

        var moderator = await session.OpenAsync("moderator", 1280, 800);
        await moderator.GotoAsync($"{baseUrl}/e/{e.Code}/moderator?session={e.Keynote}");
        await moderator.GetByTestId("passcode").FillAsync(LiveHubServer.Passcode);
        await moderator.GetByTestId("sign-in").ClickAsync();
        var item = moderator.GetByTestId("poll-item").And(moderator.Locator("[data-kind='single']"));
        await Expect(item).ToHaveAttributeAsync("data-status", "draft");
        await item.GetByTestId("poll-open").ClickAsync();
        await Expect(item).ToHaveAttributeAsync("data-status", "open");
        await item.GetByTestId("poll-show").ClickAsync();
        await session.StepAsync("poll launched");

        var projector = await session.OpenAsync("projector", 1280, 720);
        await projector.GotoAsync($"{baseUrl}/e/{e.Code}/projector?session={e.Keynote}");
        await Expect(projector.GetByTestId("projector-poll")).ToHaveAttributeAsync("data-kind", "single");

        var phones = new List<IPage>();
        foreach (var choice in new[] { 0, 2 })
        {
            var phone = await session.OpenAsync($"phone{choice}", 360, 740);
            await phone.GotoAsync($"{baseUrl}/e/{e.Code}?session={e.Keynote}");
            var poll = phone.GetByTestId("poll");
            await Expect(poll).ToHaveAttributeAsync("data-kind", "single");
            // The open poll is on the first screen, above the form.
            Assert.True(await poll.EvaluateAsync<bool>("p => p.getBoundingClientRect().top < window.innerHeight / 2"), "the poll starts in the top half of the first screen");
            await poll.Locator($"[data-testid='poll-option'][data-index='{choice}']").ClickAsync();
            await Expect(poll.Locator($"[data-testid='poll-option'][data-index='{choice}']")).ToHaveAttributeAsync("aria-pressed", "true");
            await Expect(phone.GetByTestId("poll-vote-state")).ToHaveAttributeAsync("data-state", "delivered");
            phones.Add(phone);
            await session.StepAsync($"voted {choice}");
        }

        await Expect(projector.GetByTestId("poll-count")).ToContainTextAsync("2");
        await Expect(projector.Locator("[data-testid='poll-bar'][data-index='0']")).ToContainTextAsync("50");
        await Expect(projector.Locator("[data-testid='poll-bar'][data-index='2']")).ToContainTextAsync("50");
        await Expect(projector.Locator("[data-testid='poll-bar'][data-index='1']")).ToContainTextAsync("0");

        // A reload keeps the chosen answer marked.
        await phones[0].ReloadAsync();
        await Expect(phones[0].Locator("[data-testid='poll-option'][data-index='0']")).ToHaveAttributeAsync("aria-pressed", "true");

        await Infrastructure.Browser.ScreenshotAsync(phones[0], "poll-audience");
        await Infrastructure.Browser.ScreenshotAsync(moderator, "poll-moderator");
        await Infrastructure.Browser.ScreenshotAsync(projector, "poll-projector-single");
        await session.StepAsync("reloaded");
    }

    /// <summary>Every kind on the projector, driven through the hub; a screenshot of each lands beside the test results.</summary>
    [SkippableFact]
    public async Task EveryPollKindIsLegibleOnTheProjector()
    {
        await using var session = await Infrastructure.Browser.LaunchAsync();
        var browser = session.Browser;
        var e = await Server.CreateEventAsync();
        var baseUrl = Server.BaseUri.GetLeftPart(UriPartial.Authority);
        await using var moderator = await TestClient.ConnectAsync(Server, moderatorOf: e.Code);
        var voters = await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => TestClient.ConnectAsync(Server)));
        var projector = await session.OpenAsync("projector", 1280, 720);
        await projector.GotoAsync($"{baseUrl}/e/{e.Code}/projector?session={e.Keynote}");
        await Expect(projector.GetByTestId("join-code")).ToContainTextAsync(e.Code);
        try
        {
            string[] cities = ["Kupang", "Ende", "Maumere", "Labuan Bajo"];
            var kinds = new (string Name, PollDraftRequest Draft, Func<int, CastVoteRequest> Vote, string Shows)[]
            {
                ("multiple", new(e.Keynote, PollKinds.Multiple, "Layanan digital mana yang sudah ada?", cities, 2, null, null, null, null),
                    i => Vote(choices: [i % 4, (i + 1) % 4]), "poll-bar"),
                ("rating", new(e.Keynote, PollKinds.Rating, "Seberapa siap daerah Anda? (1-5)", null, null, 5, null, null, null),
                    i => Vote(rating: 1 + i % 5), "rating-average"),
                ("wordcloud", new(e.Keynote, PollKinds.WordCloud, "Satu kata untuk smart city?", null, null, null, null, null, null),
                    i => Vote(text: new[] { "Efisien", "efisien!", "Transparan", "Inklusif", "Cepat" }[i]), "word-cloud"),
                ("ranking", new(e.Keynote, PollKinds.Ranking, "Urutkan prioritas kota", cities, null, null, null, null, null),
                    i => Vote(ranking: i % 2 == 0 ? [0, 1, 2, 3] : [1, 0, 3, 2]), "ranking-item"),
                ("hidden", new(e.Keynote, PollKinds.Single, "Hasil disembunyikan", cities, null, null, null, null, PollVisibility.Hidden),
                    i => Vote(choices: [i % 4]), "results-hidden"),
                ("quiz", new(e.Keynote, PollKinds.Quiz, "Ibu kota Nusa Tenggara Timur?", cities, null, null, [0], 30, PollVisibility.OnClose),
                    i => Vote(choices: [i % 3 == 0 ? 1 : 0], name: $"Peserta {i + 1}"), "leaderboard"),
            };

            foreach (var (name, draft, vote, shows) in kinds)
            {
                var poll = await moderator.OkAsync<PollView>(nameof(EventHub.CreatePoll), draft);
                await moderator.OkAsync<PollView>(nameof(EventHub.OpenPoll), new PollRequest(poll.Id));
                await moderator.OkAsync<ProjectorDelta>(nameof(EventHub.SetProjector), new SetProjectorRequest(e.Keynote, ProjectorModes.Poll, poll.Id));
                for (var i = 0; i < voters.Length; i++)
                {
                    await voters[i].OkAsync<MyVote>(nameof(EventHub.CastVote), vote(i) with { PollId = poll.Id });
                }
                if (name == "quiz")
                {
                    await moderator.OkAsync<PollView>(nameof(EventHub.ClosePoll), new PollRequest(poll.Id));
                }
                await Expect(projector.GetByTestId("projector-poll")).ToHaveAttributeAsync("data-poll-id", poll.Id.ToString());
                await Expect(projector.GetByTestId(shows).First).ToBeVisibleAsync();
                if (name == "hidden")
                {
                    await Expect(projector.GetByTestId("poll-count")).ToHaveCountAsync(0);
                }
                await AssertLegibleAsync(projector);
                await Infrastructure.Browser.ScreenshotAsync(projector, $"poll-projector-{name}");
                await session.StepAsync(name);
            }

            await moderator.OkAsync<ProjectorDelta>(nameof(EventHub.SetProjector), new SetProjectorRequest(e.Keynote, ProjectorModes.Idle, null));
            await Expect(projector.GetByTestId("idle-screen")).ToBeVisibleAsync();
            await Infrastructure.Browser.ScreenshotAsync(projector, "poll-projector-idle");
            await session.StepAsync("idle");
        }
        finally
        {
            await Task.WhenAll(voters.Select(v => v.DisposeAsync().AsTask()));
        }
    }

    /// <summary>
    /// The pages follow the server's flag, with no rule of their own: a revealed quiz keeps its spread of answers off the phone
    /// and the projector while it runs, and shows it the moment it closes.
    /// </summary>
    [SkippableFact]
    public async Task ThePhoneAndTheProjectorShowARevealedQuizsResultsOnlyOnceItCloses()
    {
        await using var session = await Infrastructure.Browser.LaunchAsync();
        var e = await Server.CreateEventAsync();
        var baseUrl = Server.BaseUri.GetLeftPart(UriPartial.Authority);
        await using var moderator = await TestClient.ConnectAsync(Server, moderatorOf: e.Code);
        await using var voter = await TestClient.ConnectAsync(Server);
        await moderator.JoinAsync(e.Keynote, SessionViews.Moderator);
        var quiz = await moderator.OkAsync<PollView>(nameof(EventHub.CreatePoll),
            new PollDraftRequest(e.Keynote, PollKinds.Quiz, "Ibu kota Nusa Tenggara Timur?", ["Kupang", "Ende", "Maumere"], null, null, [0], 600, PollVisibility.Live));
        await moderator.OkAsync<PollView>(nameof(EventHub.OpenPoll), new PollRequest(quiz.Id));
        await moderator.OkAsync<ProjectorDelta>(nameof(EventHub.SetProjector), new SetProjectorRequest(e.Keynote, ProjectorModes.Poll, quiz.Id));

        var projector = await session.OpenAsync("projector", 1280, 720);
        await projector.GotoAsync($"{baseUrl}/e/{e.Code}/projector?session={e.Keynote}");
        var screen = projector.GetByTestId("projector-poll");
        await Expect(screen).ToHaveAttributeAsync("data-poll-id", quiz.Id.ToString());
        var phone = await session.OpenAsync("phone", 360, 740);
        await phone.GotoAsync($"{baseUrl}/e/{e.Code}?session={e.Keynote}");
        var card = phone.Locator($"[data-testid='poll'][data-poll-id='{quiz.Id}']");
        await Expect(card).ToHaveAttributeAsync("data-status", "open");

        await voter.OkAsync<MyVote>(nameof(EventHub.CastVote), Vote(choices: [1], name: "Ani") with { PollId = quiz.Id });
        await TestClient.EventuallyAsync(() => moderator.ResultFrames.Any(r => r.PollId == quiz.Id && r.Voters == 1), "the moderator sees the vote");
        var frames = moderator.ResultFrames.Count(r => r.PollId == quiz.Id);
        var revealed = await moderator.OkAsync<PollView>(nameof(EventHub.RevealPollResults), new RevealPollRequest(quiz.Id, true));
        Assert.False(revealed.AudienceSeesResults);
        // The reveal's fresh frame went to moderators, and would have gone to the hall in the same send; an announcement
        // posted after it reaches each page after anything of the reveal.
        await TestClient.EventuallyAsync(() => moderator.ResultFrames.Count(r => r.PollId == quiz.Id) > frames, "the reveal pushed a frame to moderators");
        await moderator.OkAsync<LiveHub.Announcements.AnnouncementView>(nameof(EventHub.PostAnnouncement),
            new LiveHub.Announcements.PostAnnouncementRequest(e.Id, null, "Kuis masih berjalan."));
        await Expect(phone.GetByTestId("announcement-banner")).ToContainTextAsync("Kuis masih berjalan.");
        await Expect(projector.GetByTestId("announcement-banner")).ToContainTextAsync("Kuis masih berjalan.");

        await Expect(screen).ToHaveAttributeAsync("data-results", "hidden");
        await Expect(screen.GetByTestId("poll-results")).ToHaveCountAsync(0);
        await Expect(screen.GetByTestId("quiz-countdown")).ToBeVisibleAsync();
        await Expect(card.GetByTestId("poll-results")).ToHaveCountAsync(0);
        await session.StepAsync("revealed while running");

        await moderator.OkAsync<PollView>(nameof(EventHub.ClosePoll), new PollRequest(quiz.Id));
        await Expect(screen).ToHaveAttributeAsync("data-results", "visible");
        await Expect(screen.GetByTestId("poll-count")).ToContainTextAsync("1");
        await Expect(card).ToHaveAttributeAsync("data-status", "closed");
        await Expect(card.GetByTestId("poll-results")).ToBeVisibleAsync();
        await Expect(card.GetByTestId("poll-count")).ToContainTextAsync("1");
        await session.StepAsync("closed");
    }

    /// <summary>Nothing that carries the poll on the projector is set smaller than the back row can read at 1280×720.</summary>
    private static async Task AssertLegibleAsync(IPage projector)
    {
        var smallest = await projector.EvaluateAsync<double>("""
            () => {
              const root = document.querySelector("[data-testid='projector-poll']");
              let min = Infinity;
              for (const el of root.querySelectorAll('*')) {
                const visible = el.offsetParent !== null && el.getClientRects().length > 0;
                const ownText = [...el.childNodes].some(n => n.nodeType === 3 && n.textContent.trim().length > 0);
                if (visible && ownText) min = Math.min(min, parseFloat(getComputedStyle(el).fontSize));
              }
              return min;
            }
            """);
        Assert.True(smallest >= 24, $"smallest poll text on the projector is {smallest}px");
    }

    private static CastVoteRequest Vote(int[]? choices = null, int? rating = null, int[]? ranking = null, string? text = null, string? name = null) =>
        new(0, Guid.NewGuid().ToString("N"), choices, rating, ranking, text, name);
}
