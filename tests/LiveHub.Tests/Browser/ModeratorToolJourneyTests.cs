using LiveHub.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace LiveHub.Tests.Browser;

[Collection(ServerCollection.Name)]
public sealed class ModeratorToolJourneyTests(ServerFixture fixture)
{
    private LiveHubServer Server => fixture.Server;

    [SkippableFact]
    public async Task TheModeratorFixesATypoRepliesLabelsAndMergesADuplicateFromTheCards()
    {
        await using var session = await Infrastructure.Browser.LaunchAsync();
        var e = await Server.CreateEventAsync();
        var baseUrl = Server.BaseUri.GetLeftPart(UriPartial.Authority);
        await using var phone = await TestClient.ConnectAsync(Server);
        await phone.JoinAsync(e.Keynote);
        var kept = await phone.AskAsync(e.Keynote, "Bagaimana data warga dilindungi dalam smart ctiy?");
        var duplicate = await phone.AskAsync(e.Keynote, "Data warga aman atau tidak?");

        var page = await session.OpenAsync("moderator", 1280, 800);
        await page.GotoAsync($"{baseUrl}/e/{e.Code}/moderator?session={e.Keynote}");
        await page.GetByTestId("passcode").FillAsync(LiveHubServer.Passcode);
        await page.GetByTestId("sign-in").ClickAsync();
        var card = page.Locator($"[data-testid=mod-question][data-question-id=\"{kept.Id}\"]");
        await Expect(card).ToHaveAttributeAsync("data-status", "pending");
        await session.StepAsync("signed in");

        await card.GetByTestId("action-edit").ClickAsync();
        await card.GetByTestId("edit-text").FillAsync("Bagaimana data warga dilindungi dalam smart city?");
        await card.GetByTestId("action-save").ClickAsync();
        await Expect(card.Locator(".q-text")).ToHaveTextAsync("Bagaimana data warga dilindungi dalam smart city?");
        await Expect(card.GetByTestId("action-edit")).ToBeFocusedAsync();
        await session.StepAsync("typo fixed");

        await card.GetByTestId("action-reply").ClickAsync();
        await Expect(card.GetByTestId("reply-text")).ToBeFocusedAsync();
        await card.GetByTestId("reply-text").FillAsync("Dijawab di sesi panel sore ini.");
        await card.GetByTestId("reply-save").ClickAsync();
        await Expect(card).ToContainTextAsync("Dijawab di sesi panel sore ini.");
        await Expect(card.GetByTestId("reply-text")).ToHaveCountAsync(0);
        await session.StepAsync("replied");

        await card.GetByTestId("action-labels").ClickAsync();
        await card.GetByTestId("labels-input").FillAsync("privasi, data");
        await card.GetByTestId("labels-input").PressAsync("Enter");
        await Expect(card.GetByTestId("label-chip")).ToHaveCountAsync(2);
        await card.Locator("[data-testid=label-chip][data-label=privasi]").ClickAsync();
        await Expect(page.GetByTestId("mod-question")).ToHaveCountAsync(1);
        await card.Locator("[data-testid=label-chip][data-label=privasi]").ClickAsync();
        await Expect(page.GetByTestId("mod-question")).ToHaveCountAsync(2);
        await session.StepAsync("labelled and filtered");

        var source = page.Locator($"[data-testid=mod-question][data-question-id=\"{duplicate.Id}\"]");
        await source.GetByTestId("action-merge").ClickAsync();
        await source.GetByTestId("merge-search").FillAsync("dilindungi");
        await source.Locator($"[data-testid=merge-target][data-question-id=\"{kept.Id}\"]").ClickAsync();
        await Expect(source).ToHaveCountAsync(0);
        await Expect(card.Locator("[data-testid=merged-note][data-kind=target]")).ToBeVisibleAsync();
        await Expect(card.Locator($".merged-source[data-question-id=\"{duplicate.Id}\"]")).ToContainTextAsync("Data warga aman atau tidak?");
        await session.StepAsync("duplicate merged");
    }
}
