using LiveHub.Admin;
using LiveHub.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace LiveHub.Tests.Browser;

/// <summary>
/// The interface language follows the event, not the phone: many phones in Indonesia run in English, and the seminar
/// is in Bahasa Indonesia. The first paint is already in the page's language, before any script runs.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class LanguageJourneyTests(ServerFixture fixture)
{
    private LiveHubServer Server => fixture.Server;

    private string BaseUrl => Server.BaseUri.GetLeftPart(UriPartial.Authority);

    [SkippableFact]
    public async Task AnEnglishPhoneAtAnIndonesianEventSeesBahasaIndonesiaFromTheFirstPaintWithoutAnyScript()
    {
        await using var session = await Infrastructure.Browser.LaunchAsync();
        var e = await Server.CreateEventAsync();
        // No script at all: what a slow 3G phone shows before its scripts arrive.
        var phone = await session.OpenAsync("phone", 360, 740, "en-US", new BrowserNewContextOptions { JavaScriptEnabled = false });
        await phone.GotoAsync($"{BaseUrl}/e/{e.Code}?session={e.Keynote}");

        Assert.Equal("id", await phone.Locator("html").GetAttributeAsync("lang"));
        await Expect(phone.Locator("h1")).ToHaveTextAsync("Seminar dan Sharing Best Practice Citynet Indonesia 2019");
        await Expect(phone.GetByTestId("ask-send")).ToHaveTextAsync("Kirim");
        await Expect(phone.GetByTestId("ask-send")).ToBeDisabledAsync();
        await Expect(phone.GetByTestId("connection-status")).ToHaveTextAsync("Menyambungkan…");
        await Expect(phone.GetByTestId("session-summary")).ToHaveTextAsync("Memuat sesi…");
        await Infrastructure.Browser.ScreenshotAsync(phone, "first-paint-without-script");
        await session.StepAsync("first paint");
    }

    [SkippableFact]
    public async Task AnEventThatFollowsTheBrowserSpeaksEnglishToAnEnglishPhoneAndTheProjectorKeepsTheEventsLanguage()
    {
        await using var session = await Infrastructure.Browser.LaunchAsync();
        var e = await Server.CreateEventAsync();
        var edited = await Server.Services.GetRequiredService<AdminService>().UpdateEventAsync(e.Code,
            new EventEditRequest("Seminar Citynet", null, null, null, "Asia/Makassar", "id", FollowBrowserLanguage: true), CancellationToken.None);
        Assert.True(edited.Ok, edited.Error?.Message);

        var phone = await session.OpenAsync("phone", 360, 740, "en-US");
        await phone.GotoAsync($"{BaseUrl}/e/{e.Code}?session={e.Keynote}");
        await Expect(phone.GetByTestId("connection-status")).ToHaveAttributeAsync("data-state", "connected");
        Assert.Equal("en", await phone.Locator("html").GetAttributeAsync("lang"));
        await Expect(phone.GetByTestId("ask-send")).ToHaveTextAsync("Send");

        var projector = await session.OpenAsync("projector", 1280, 720, "en-US");
        await projector.GotoAsync($"{BaseUrl}/e/{e.Code}/projector?session={e.Keynote}");
        await Expect(projector.GetByTestId("connection-status")).ToHaveAttributeAsync("data-state", "connected");
        Assert.Equal("id", await projector.Locator("html").GetAttributeAsync("lang"));
        await Expect(projector.Locator(".ask-at")).ToHaveTextAsync("Ajukan pertanyaan di");
        await session.StepAsync("phone in English, projector in the event's language");
    }

    [SkippableFact]
    public async Task APersonsOwnLanguageSwitchIsRememberedAcrossPagesButNotByTheProjector()
    {
        await using var session = await Infrastructure.Browser.LaunchAsync();
        var e = await Server.CreateEventAsync();
        var phone = await session.OpenAsync("phone", 360, 740, "id-ID");
        await phone.GotoAsync($"{BaseUrl}/e/{e.Code}?session={e.Keynote}");
        await Expect(phone.GetByTestId("connection-status")).ToHaveAttributeAsync("data-state", "connected");
        await Expect(phone.GetByTestId("ask-send")).ToHaveTextAsync("Kirim");

        await phone.GetByTestId("lang-switch").ClickAsync();
        await Expect(phone.GetByTestId("ask-send")).ToHaveTextAsync("Send");
        await Expect(phone.GetByTestId("connection-status")).ToHaveTextAsync("Connected");
        Assert.Equal("en", await phone.Locator("html").GetAttributeAsync("lang"));
        await session.StepAsync("switched to English");

        await phone.ReloadAsync();
        Assert.Equal("en", await phone.Locator("html").GetAttributeAsync("lang"));
        await Expect(phone.GetByTestId("ask-send")).ToHaveTextAsync("Send");
        await session.StepAsync("reloaded in English");

        // The same browser opens the room's screen: the projector speaks the event's language whatever the person chose.
        var projector = await phone.Context.NewPageAsync();
        await projector.SetViewportSizeAsync(1280, 720);
        await projector.GotoAsync($"{BaseUrl}/e/{e.Code}/projector?session={e.Keynote}");
        Assert.Equal("id", await projector.Locator("html").GetAttributeAsync("lang"));
        await Expect(projector.Locator(".ask-at")).ToHaveTextAsync("Ajukan pertanyaan di");
        await ScreenCheck.AssertCleanAsync(projector, "projector-after-english-switch", "opened");
        await session.StepAsync("projector in the event's language");
    }
}
