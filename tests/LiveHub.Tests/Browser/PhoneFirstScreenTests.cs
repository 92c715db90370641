using LiveHub.Polls;
using LiveHub.Realtime;
using LiveHub.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace LiveHub.Tests.Browser;

/// <summary>What a person holding a 360×740 phone sees first, and what calls them when a poll starts.</summary>
[Collection(ServerCollection.Name)]
public sealed class PhoneFirstScreenTests(ServerFixture fixture)
{
    private LiveHubServer Server => fixture.Server;

    private string BaseUrl => Server.BaseUri.GetLeftPart(UriPartial.Authority);

    [SkippableFact]
    public async Task WithASessionLiveTheFirstScreenHoldsTheWayToAskAndTheAgendaWaitsFolded()
    {
        await using var session = await Infrastructure.Browser.LaunchAsync();
        var e = await Server.CreateEventAsync();
        var phone = await session.OpenAsync("phone", 360, 740);
        // The event's front door (no session in the address), as a QR code on a poster leads there.
        await phone.GotoAsync($"{BaseUrl}/e/{e.Code}");
        await Expect(phone.GetByTestId("connection-status")).ToHaveAttributeAsync("data-state", "connected");
        await Expect(phone.GetByTestId("ask-send")).ToBeEnabledAsync();

        await Expect(phone.GetByTestId("agenda-home")).Not.ToHaveAttributeAsync("open", "");
        foreach (var id in new[] { "ask-text", "ask-name", "ask-send" })
        {
            var bottom = await phone.GetByTestId(id).EvaluateAsync<double>("e => e.getBoundingClientRect().bottom");
            Assert.True(bottom <= 740, $"{id} ends at {bottom}px, below the first screen of a 360x740 phone");
        }
        await Infrastructure.Browser.ScreenshotAsync(phone, "phone-first-screen");
        await session.StepAsync("first screen");
    }

    [SkippableFact]
    public async Task APollThatOpensWhileThePersonIsScrolledAwayCallsThemWithOneTapToReachIt()
    {
        await using var session = await Infrastructure.Browser.LaunchAsync();
        var e = await Server.CreateEventAsync(sampleQuestions: true);
        await using var moderator = await TestClient.ConnectAsync(Server, moderatorOf: e.Code);
        var phone = await session.OpenAsync("phone", 360, 740);
        await phone.GotoAsync($"{BaseUrl}/e/{e.Code}?session={e.Keynote}");
        await Expect(phone.GetByTestId("connection-status")).ToHaveAttributeAsync("data-state", "connected");

        // Reading the questions at the bottom of the page.
        await Expect(phone.GetByTestId("question").First).ToBeVisibleAsync();
        await phone.EvaluateAsync("() => window.scrollTo(0, document.body.scrollHeight)");
        Assert.True(await phone.EvaluateAsync<double>("() => window.scrollY") > 300, "the page is scrolled down to the questions");
        var poll = await moderator.OkAsync<PollView>(nameof(EventHub.CreatePoll),
            new PollDraftRequest(e.Keynote, PollKinds.Single, "Layanan apa yang paling dibutuhkan warga?", ["Kesehatan", "Pendidikan", "Transportasi"], null, null, null, null, null));
        await moderator.OkAsync<PollView>(nameof(EventHub.OpenPoll), new PollRequest(poll.Id));

        var alert = phone.GetByTestId("poll-alert");
        await Expect(alert).ToBeVisibleAsync();
        await Expect(alert).ToContainTextAsync("Layanan apa yang paling dibutuhkan warga?");
        await Expect(phone.Locator("#lh-announcer")).ToContainTextAsync("Jajak pendapat baru");
        await Infrastructure.Browser.ScreenshotAsync(phone, "phone-poll-alert");
        await session.StepAsync("the poll calls");

        await phone.GetByTestId("poll-alert-go").ClickAsync();
        await Expect(alert).ToBeHiddenAsync();
        var card = phone.GetByTestId("poll");
        await Expect(card).ToBeInViewportAsync();
        await card.Locator("[data-testid='poll-option'][data-index='1']").ClickAsync();
        await Expect(card.GetByTestId("poll-vote-state")).ToHaveAttributeAsync("data-state", "delivered");
        await session.StepAsync("voted after one tap");
    }

    [SkippableFact]
    public async Task WithAWordCloudOpenTheTwoSendButtonsSayWhatTheySend()
    {
        await using var session = await Infrastructure.Browser.LaunchAsync();
        var e = await Server.CreateEventAsync();
        await using var moderator = await TestClient.ConnectAsync(Server, moderatorOf: e.Code);
        var poll = await moderator.OkAsync<PollView>(nameof(EventHub.CreatePoll),
            new PollDraftRequest(e.Keynote, PollKinds.WordCloud, "Satu kata untuk Kupang?", null, null, null, null, null, null));
        await moderator.OkAsync<PollView>(nameof(EventHub.OpenPoll), new PollRequest(poll.Id));
        var phone = await session.OpenAsync("phone", 360, 740);
        await phone.GotoAsync($"{BaseUrl}/e/{e.Code}?session={e.Keynote}");
        await Expect(phone.GetByTestId("poll")).ToHaveAttributeAsync("data-kind", "wordcloud");

        await Expect(phone.GetByRole(AriaRole.Button, new() { Name = "Kirim", Exact = true })).ToHaveCountAsync(1);
        await Expect(phone.GetByRole(AriaRole.Button, new() { Name = "Kirim jawaban", Exact = true })).ToHaveCountAsync(1);
        await session.StepAsync("two distinct buttons");
    }

    /// <summary>A projector PC without an emoji font showed empty boxes: reactions are drawn from LiveHub's own images.</summary>
    [SkippableFact]
    public async Task ReactionsAreDrawnFromLiveHubsOwnImagesOnThePhoneAndTheProjector()
    {
        await using var session = await Infrastructure.Browser.LaunchAsync();
        var e = await Server.CreateEventAsync();
        var projector = await session.OpenAsync("projector", 1280, 720);
        await projector.GotoAsync($"{BaseUrl}/e/{e.Code}/projector?session={e.Keynote}");
        await Expect(projector.GetByTestId("connection-status")).ToHaveAttributeAsync("data-state", "connected");
        var phone = await session.OpenAsync("phone", 360, 740);
        await phone.GotoAsync($"{BaseUrl}/e/{e.Code}?session={e.Keynote}");
        await Expect(phone.GetByTestId("connection-status")).ToHaveAttributeAsync("data-state", "connected");
        var clap = phone.Locator("[data-testid='reaction'][data-reaction='clap']");
        await phone.Locator("#reactions").ScrollIntoViewIfNeededAsync();
        await Expect(clap.Locator("svg use")).ToHaveCountAsync(1);
        Assert.Equal("", (await clap.TextContentAsync())?.Trim());
        Assert.Equal("Tepuk tangan", await clap.GetAttributeAsync("aria-label"));

        await clap.ClickAsync();
        // Read in one go: a floating reaction leaves the screen again within seconds.
        const string firstFloat = "() => { const f = document.querySelector(\"[data-testid='reaction-float']\"); " +
            "return f ? { text: f.textContent.trim(), uses: f.querySelectorAll('svg use').length, href: f.querySelector('use')?.getAttribute('href') } : null; }";
        var floating = await (await projector.WaitForFunctionAsync(firstFloat)).JsonValueAsync<System.Text.Json.JsonElement>();
        Assert.Equal(1, floating.GetProperty("uses").GetInt32());
        Assert.Equal("", floating.GetProperty("text").GetString());
        // The image itself arrived: the sprite answers, and the symbol the page uses is in it.
        var href = floating.GetProperty("href").GetString();
        using var http = new HttpClient { BaseAddress = Server.BaseUri };
        var sprite = await http.GetStringAsync(href!.Split('#')[0]);
        Assert.Contains("<symbol id=\"clap\"", sprite);
        await session.StepAsync("a clap floats on the projector");
    }

    [SkippableFact]
    public async Task AProjectorOpenedOverAPlainHttpLanAddressSaysTheScreenMaySleepAndWhatToDo()
    {
        await using var session = await Infrastructure.Browser.LaunchAsync(extraArgs: ["--host-resolver-rules=MAP venue.test 127.0.0.1"]);
        var e = await Server.CreateEventAsync();
        var projector = await session.OpenAsync("projector", 1280, 720);
        await projector.GotoAsync($"http://venue.test:{Server.BaseUri.Port}/e/{e.Code}/projector?session={e.Keynote}");
        var notice = projector.GetByTestId("wake-notice");
        await Expect(notice).ToBeVisibleAsync();
        await Expect(notice).ToHaveAttributeAsync("data-reason", "insecure");
        await Expect(notice).ToContainTextAsync("HTTPS");
        await Infrastructure.Browser.ScreenshotAsync(projector, "projector-wake-notice");
        await session.StepAsync("wake notice");
    }
}
