using Microsoft.Extensions.DependencyInjection;
using LiveHub.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace LiveHub.Tests.Browser;

[Collection(ServerCollection.Name)]
public sealed class QuestionJourneyTests(ServerFixture fixture)
{
    private LiveHubServer Server => fixture.Server;

    [SkippableFact]
    public async Task AudienceAsksModeratorApprovesAndPutsItOnScreenAndTheProjectorShowsIt()
    {
        await using var session = await Infrastructure.Browser.LaunchAsync();
        var browser = session.Browser;
        var e = await Server.CreateEventAsync();
        var baseUrl = Server.BaseUri.GetLeftPart(UriPartial.Authority);
        const string text = "Bagaimana kota kecil dengan anggaran terbatas bisa memulai smart city?";

        var projector = await session.OpenAsync("projector", 1280, 720);
        await projector.GotoAsync($"{baseUrl}/e/{e.Code}/projector?session={e.Keynote}");
        await Expect(projector.GetByTestId("join-code")).ToContainTextAsync(e.Code);
        await session.StepAsync("projector open");

        var audience = await session.OpenAsync("audience", 360, 740);
        await audience.GotoAsync($"{baseUrl}/e/{e.Code}?session={e.Keynote}");
        await Expect(audience.GetByTestId("connection-status")).ToHaveAttributeAsync("data-state", "connected");
        await audience.GetByTestId("ask-text").FillAsync(text);
        await audience.GetByTestId("ask-send").ClickAsync();
        var mine = audience.GetByTestId("my-questions");
        await Expect(mine).ToContainTextAsync(text);
        await Expect(mine).ToContainTextAsync("Menunggu persetujuan moderator");
        await session.StepAsync("asked");

        var moderator = await session.OpenAsync("moderator", 1280, 800);
        await moderator.GotoAsync($"{baseUrl}/e/{e.Code}/moderator?session={e.Keynote}");
        await moderator.GetByTestId("passcode").FillAsync(LiveHubServer.Passcode);
        await moderator.GetByTestId("sign-in").ClickAsync();
        var card = moderator.GetByTestId("mod-question").Filter(new LocatorFilterOptions { HasText = text });
        await Expect(card).ToHaveAttributeAsync("data-status", "pending");
        await Infrastructure.Browser.ScreenshotAsync(moderator, "moderator-pending");
        await session.StepAsync("moderator signed in");

        await card.GetByTestId("action-approve").ClickAsync();
        var approved = moderator.GetByTestId("mod-question").Filter(new LocatorFilterOptions { HasText = text });
        await moderator.GetByTestId("queue-approved").ClickAsync();
        await Expect(approved).ToHaveAttributeAsync("data-status", "approved");
        await session.StepAsync("approved");
        await approved.GetByTestId("action-show").ClickAsync();

        await Expect(projector.GetByTestId("on-screen-question")).ToContainTextAsync(text);
        await Expect(audience.GetByTestId("question-list")).ToContainTextAsync(text);
        await Expect(projector.GetByTestId("freshness")).Not.ToBeEmptyAsync();

        await Infrastructure.Browser.ScreenshotAsync(audience, "audience");
        await Infrastructure.Browser.ScreenshotAsync(moderator, "moderator");
        await Infrastructure.Browser.ScreenshotAsync(projector, "projector");
        await session.StepAsync("on screen");
    }

    [SkippableFact]
    public async Task AQuestionAskedWhileOfflineWaitsInTheOutboxAndIsDeliveredOnceOnReconnect()
    {
        await using var session = await Infrastructure.Browser.LaunchAsync();
        var browser = session.Browser;
        var e = await Server.CreateEventAsync();
        var baseUrl = Server.BaseUri.GetLeftPart(UriPartial.Authority);
        const string text = "Apakah pertanyaan ini sampai walau sinyal putus?";

        var phone = await session.OpenAsync("phone", 360, 740);
        session.ExpectNetworkErrors();
        // The page's WebSockets pass through a switch the test controls: "down" drops them and refuses reconnects, as dead venue Wi-Fi does.
        await phone.AddInitScriptAsync("""
            (() => {
              const Native = window.WebSocket;
              const open = [];
              window.__lhNetwork = { down: false, drop() { this.down = true; open.forEach(s => s.close()); } };
              window.WebSocket = function (url, protocols) {
                const socket = new Native(window.__lhNetwork.down ? url.replace('/hub', '/hub-unreachable') : url, protocols);
                open.push(socket);
                return socket;
              };
              window.WebSocket.prototype = Native.prototype;
              Object.assign(window.WebSocket, { CONNECTING: 0, OPEN: 1, CLOSING: 2, CLOSED: 3 });
            })();
            """);
        await phone.GotoAsync($"{baseUrl}/e/{e.Code}?session={e.Keynote}");
        await Expect(phone.GetByTestId("connection-status")).ToHaveAttributeAsync("data-state", "connected");
        // The session must be on the page before the network goes: that is what the person sees when they type.
        await Expect(phone.GetByTestId("session-select")).ToHaveValueAsync(e.Keynote.ToString());

        await phone.EvaluateAsync("() => window.__lhNetwork.drop()");
        await Expect(phone.GetByTestId("connection-status")).Not.ToHaveAttributeAsync("data-state", "connected");
        await phone.GetByTestId("ask-text").FillAsync(text);
        await phone.GetByTestId("ask-send").ClickAsync();
        var item = phone.GetByTestId("outbox-item").Filter(new LocatorFilterOptions { HasText = text });
        await Expect(item).ToHaveAttributeAsync("data-state", "sending");
        await Infrastructure.Browser.ScreenshotAsync(phone, "audience-offline-outbox");
        await session.StepAsync("asked while offline");

        // The network comes back: the page reconnects at once rather than waiting out its back-off.
        await phone.EvaluateAsync("() => { window.__lhNetwork.down = false; window.dispatchEvent(new Event('online')); }");
        // Within 5 s of the network's return (the page had been retrying on its own meanwhile).
        await Expect(phone.GetByTestId("connection-status")).ToHaveAttributeAsync("data-state", "connected", new() { Timeout = 5_000 });
        await Expect(phone.GetByTestId("my-questions")).ToContainTextAsync("Menunggu persetujuan moderator");
        var questions = Server.Services.GetRequiredService<LiveHub.Data.Questions.QuestionStore>();
        await TestClient.EventuallyAsync(() => questions.CountAsync(e.Keynote, CancellationToken.None).GetAwaiter().GetResult() == 1, "the question is stored");

        // A reload after delivery resends nothing: still exactly one.
        await phone.ReloadAsync();
        await Expect(phone.GetByTestId("my-questions")).ToContainTextAsync(text);
        await Expect(phone.GetByTestId("connection-status")).ToHaveAttributeAsync("data-state", "connected");
        Assert.Equal(1, await questions.CountAsync(e.Keynote, CancellationToken.None));
        await session.StepAsync("reloaded");
    }
}
