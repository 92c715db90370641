using LiveHub.Events;
using LiveHub.Realtime;
using LiveHub.Tests.Admin;
using LiveHub.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace LiveHub.Tests.Browser;

/// <summary>
/// The organizer deletes an event on the admin page by typing its code; the phone, the projector and the moderator page
/// showing it say, each in its own language, that the organizer deleted it.
/// </summary>
[Collection(AdminServerCollection.Name)]
public sealed class EventDeletionJourneyTests(AdminServerFixture fixture)
{
    private LiveHubServer Server => fixture.Server;

    private string BaseUrl => Server.BaseUri.GetLeftPart(UriPartial.Authority);

    private static async Task UntilAsync(Func<Task<bool>> condition, string failure)
    {
        var until = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < until, failure);
            await Task.Delay(100);
        }
    }

    /// <summary>Whether any of the page's caches holds the page at this path.</summary>
    private const string CachedPage = """
        async (path) => {
          for (const name of await caches.keys()) {
            const cache = await caches.open(name);
            if ((await cache.keys()).some((r) => new URL(r.url).pathname === path)) {
              return true;
            }
          }
          return false;
        }
        """;

    [SkippableFact]
    public async Task TheOrganizerDeletesAnEventByTypingItsCodeAndItsOpenScreensSaySo()
    {
        await using var session = await Infrastructure.Browser.LaunchAsync();
        var e = await Server.CreateEventAsync(ModerationModes.Open);
        await using (var ani = await TestClient.ConnectAsync(Server))
        {
            await ani.AskAsync(e.Keynote, "Apakah acara ini masih ada?", "Ani");
        }

        var phone = await session.OpenAsync("phone", 360, 740);
        await phone.GotoAsync($"{BaseUrl}/e/{e.Code}?session={e.Keynote}");
        var projector = await session.OpenAsync("projector", 1280, 720);
        await projector.GotoAsync($"{BaseUrl}/e/{e.Code}/projector?session={e.Keynote}");
        var moderator = await session.OpenAsync("moderator", 1280, 800, "en-US");
        await moderator.GotoAsync($"{BaseUrl}/e/{e.Code}/moderator?session={e.Keynote}&lang=en");
        await moderator.GetByTestId("passcode").FillAsync(LiveHubServer.Passcode);
        await moderator.GetByTestId("sign-in").ClickAsync();
        await Expect(phone.GetByTestId("connection-status")).ToHaveAttributeAsync("data-state", "connected");
        await Expect(projector.GetByTestId("connection-status")).ToHaveAttributeAsync("data-state", "connected");
        await Expect(moderator.GetByTestId("connection-status")).ToHaveAttributeAsync("data-state", "connected");
        Assert.NotNull(await phone.EvaluateAsync<string?>($"localStorage.getItem('lh.event.{e.Code}')"));
        // The service worker keeps the page for a reload without a network.
        await UntilAsync(async () => await phone.EvaluateAsync<bool>(CachedPage, $"/e/{e.Code}"), "the service worker never kept the page");

        var admin = await session.OpenAsync("admin", 1280, 900, "en-US");
        await admin.GotoAsync($"{BaseUrl}/admin?lang=en#event={e.Code}");
        await admin.GetByTestId("admin-key").FillAsync(AdminServerFixture.AdminKey);
        await admin.GetByTestId("admin-sign-in").ClickAsync();
        await Expect(admin.GetByTestId("event-detail")).ToContainTextAsync(e.Code);
        var delete = admin.GetByTestId("delete-event");
        await delete.ScrollIntoViewIfNeededAsync();
        await Expect(delete).ToBeDisabledAsync();
        await admin.GetByTestId("delete-confirm").FillAsync(e.Code[..5]);
        await Expect(delete).ToBeDisabledAsync();
        await session.StepAsync("typing-the-code");
        await Infrastructure.Browser.ScreenshotAsync(admin, "event-delete-panel");

        // Lower case counts: it is the same code.
        await admin.GetByTestId("delete-confirm").FillAsync(e.Code.ToLowerInvariant());
        await Expect(delete).ToBeEnabledAsync();
        await delete.ClickAsync();
        await Expect(admin.GetByTestId("admin-notice")).ToContainTextAsync($"Event {e.Code} was deleted");
        await Expect(admin.Locator($"[data-testid='admin-event'][data-code='{e.Code}']")).ToHaveCountAsync(0);

        // The phone speaks the event's language (Bahasa Indonesia), as does the projector.
        await Expect(phone.Locator("#fatal")).ToBeVisibleAsync();
        await Expect(phone.Locator("#fatal")).ToContainTextAsync("Penyelenggara telah menghapus acara ini");
        await Expect(projector.Locator("#fatal")).ToContainTextAsync("Penyelenggara telah menghapus acara ini");
        await Expect(projector.GetByTestId("top-questions")).ToBeHiddenAsync();
        // The moderator chose English: the same news in English.
        await Expect(moderator.Locator("#fatal")).ToContainTextAsync("The organizer has deleted this event");
        await Expect(moderator.Locator("#app")).ToBeHiddenAsync();
        Assert.Null(await phone.EvaluateAsync<string?>($"localStorage.getItem('lh.event.{e.Code}')"));
        await UntilAsync(async () => !await phone.EvaluateAsync<bool>(CachedPage, $"/e/{e.Code}"), "the service worker still keeps the deleted event's page");
        Assert.Null(await Server.Services.GetRequiredService<EventService>().FindByCodeAsync(e.Code, CancellationToken.None));
        await session.StepAsync("deleted");
        await Infrastructure.Browser.ScreenshotAsync(phone, "event-deleted-phone");
        await Infrastructure.Browser.ScreenshotAsync(projector, "event-deleted-projector");
        await Infrastructure.Browser.ScreenshotAsync(admin, "event-deleted-admin");
        await Infrastructure.Browser.ScreenshotAsync(moderator, "event-deleted-moderator");

        // A reload finds no such event.
        await phone.ReloadAsync();
        await Expect(phone.Locator("#fatal")).ToContainTextAsync("Acara dengan kode ini tidak ditemukan");
        await session.StepAsync("reloaded");
    }
}
