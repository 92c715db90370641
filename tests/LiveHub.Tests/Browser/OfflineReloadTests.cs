using System.Globalization;
using LiveHub.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using static Microsoft.Playwright.Assertions;

namespace LiveHub.Tests.Browser;

/// <summary>
/// A phone that reloads the page while the venue's network is down: the page, its outbox and the last state it saw
/// open from the device (the service worker and local storage), marked as not fresh, and everything goes out once
/// the network is back.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class OfflineReloadTests(ServerFixture fixture)
{
    private LiveHubServer Server => fixture.Server;

    [SkippableFact]
    public async Task AReloadUnderDeadWiFiOpensTheLastPageAndStateSeenAndAQuestionAskedThenIsDeliveredOnceBack()
    {
        await using var proxy = FaultProxy.Start(Server.BaseUri);
        await using var session = await Infrastructure.Browser.LaunchAsync();
        var e = await Server.CreateEventAsync(sampleQuestions: true);
        var phone = await session.OpenAsync("phone", 360, 740);
        session.ExpectNetworkErrors();
        var url = new Uri(proxy.BaseUri, $"/e/{e.Code}?session={e.Keynote.ToString(CultureInfo.InvariantCulture)}").ToString();
        await phone.GotoAsync(url);
        await Expect(phone.GetByTestId("connection-status")).ToHaveAttributeAsync("data-state", "connected");
        var first = phone.GetByTestId("question").First;
        await Expect(first).ToBeVisibleAsync();
        var seen = await first.Locator(".q-text").InnerTextAsync();
        // The service worker controls the page, and the state seen has been kept on the device.
        await phone.WaitForFunctionAsync("() => navigator.serviceWorker.controller !== null");
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!await phone.EvaluateAsync<bool>("async () => !!(await (await caches.open('livehub-v1')).match(location.pathname))"))
        {
            Assert.True(DateTime.UtcNow < deadline, "the page was never kept for a reload without a network");
            await Task.Delay(100);
        }
        await phone.WaitForFunctionAsync("() => localStorage.getItem(Object.keys(localStorage).find(k => k.startsWith('lh.state.')) ?? '') !== null");
        await session.StepAsync("online");
        var questions = Server.Services.GetRequiredService<LiveHub.Data.Questions.QuestionStore>();
        var before = await questions.CountAsync(e.Keynote, CancellationToken.None);

        proxy.Mode = FaultMode.Reset;
        await phone.ReloadAsync();
        await Expect(phone.Locator("h1")).ToHaveTextAsync("Seminar dan Sharing Best Practice Citynet Indonesia 2019");
        await Expect(phone.GetByTestId("question-list")).ToContainTextAsync(seen);
        await Expect(phone.GetByTestId("stale-note")).ToBeVisibleAsync();
        await Expect(phone.GetByTestId("connection-status")).Not.ToHaveAttributeAsync("data-state", "connected");
        const string text = "Apakah materi presentasi dibagikan setelah sesi?";
        await phone.GetByTestId("ask-text").FillAsync(text);
        await phone.GetByTestId("ask-send").ClickAsync();
        await Expect(phone.GetByTestId("outbox-item").Filter(new() { HasText = text })).ToHaveAttributeAsync("data-state", "sending");
        await Infrastructure.Browser.ScreenshotAsync(phone, "audience-reloaded-offline");
        await session.StepAsync("reloaded under dead Wi-Fi");

        proxy.Mode = FaultMode.Pass;
        await Expect(phone.GetByTestId("connection-status")).ToHaveAttributeAsync("data-state", "connected", new() { Timeout = 5_000 });
        await Expect(phone.GetByTestId("stale-note")).ToBeHiddenAsync();
        await Expect(phone.GetByTestId("my-questions")).ToContainTextAsync("Menunggu persetujuan moderator");
        await TestClient.EventuallyAsync(() => questions.CountAsync(e.Keynote, CancellationToken.None).GetAwaiter().GetResult() == before + 1,
            "the question asked offline is stored, once");
        await session.StepAsync("back online");
    }
}
