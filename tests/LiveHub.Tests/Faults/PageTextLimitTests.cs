using System.Text.Json;
using LiveHub.Events;
using LiveHub.Polls;
using LiveHub.Realtime;
using LiveHub.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace LiveHub.Tests.Faults;

/// <summary>
/// The pages count and check text by the server's rule (characters as people see them) and say what the server said when
/// it refuses a call it cannot read.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class PageTextLimitTests(ServerFixture fixture)
{
    private LiveHubServer Server => fixture.Server;

    private string BaseUrl => Server.BaseUri.GetLeftPart(UriPartial.Authority);

    [SkippableFact]
    public async Task ThePhoneCountsEmojiAsOneCharacterSendsThreeHundredAndRefusesFiveHundredAndOne()
    {
        await using var session = await Infrastructure.Browser.LaunchAsync();
        var e = await Server.CreateEventAsync();
        await using var moderator = await TestClient.ConnectAsync(Server, moderatorOf: e.Code);
        var phone = await session.OpenAsync("phone", 360, 740);
        await phone.GotoAsync($"{BaseUrl}/e/{e.Code}?session={e.Keynote}");
        await Expect(phone.GetByTestId("connection-status")).ToHaveAttributeAsync("data-state", "connected");

        await phone.GetByTestId("ask-text").FillAsync(Graphemes.Thumbs(300));
        await Expect(phone.Locator("#ask-counter")).ToHaveTextAsync("300/500 karakter");
        await Expect(phone.Locator("#ask-counter")).Not.ToHaveClassAsync(new System.Text.RegularExpressions.Regex("over"));
        await phone.GetByTestId("ask-send").ClickAsync();
        await Expect(phone.GetByTestId("my-questions")).ToContainTextAsync("Menunggu persetujuan moderator");
        await session.StepAsync("three hundred emoji asked");

        await phone.GetByTestId("ask-text").FillAsync(Graphemes.Accented(501));
        await Expect(phone.Locator("#ask-counter")).ToHaveTextAsync("501/500 karakter");
        await Expect(phone.Locator("#ask-counter")).ToHaveClassAsync(new System.Text.RegularExpressions.Regex("over"));
        await phone.GetByTestId("ask-send").ClickAsync();
        await Expect(phone.GetByTestId("ask-error")).ToContainTextAsync("500 karakter");
        await phone.GetByTestId("ask-name").FillAsync(Graphemes.Thumbs(60));
        Assert.Equal(Graphemes.Thumbs(60), await phone.GetByTestId("ask-name").InputValueAsync());
        await session.StepAsync("five hundred and one refused on the phone");

        var stored = (await moderator.JoinAsync(e.Keynote, SessionViews.Moderator)).Questions;
        Assert.Equal(Graphemes.Thumbs(300), Assert.Single(stored).Text);

        var poll = await moderator.OkAsync<PollView>(nameof(EventHub.CreatePoll),
            new PollDraftRequest(e.Keynote, PollKinds.Text, "Satu usul untuk Kupang?", null, null, null, null, null, null));
        await moderator.OkAsync<PollView>(nameof(EventHub.OpenPoll), new PollRequest(poll.Id));
        var card = phone.GetByTestId("poll");
        await card.GetByTestId("poll-text").FillAsync(Graphemes.Accented(281));
        await Expect(card.Locator(".counter")).ToHaveTextAsync("281/280 karakter");
        await card.GetByTestId("poll-submit").ClickAsync();
        await Expect(card.GetByTestId("poll-vote-state")).ToHaveAttributeAsync("data-state", "failed");
        await card.GetByTestId("poll-text").FillAsync(Graphemes.Thumbs(280));
        await Expect(card.Locator(".counter")).ToHaveTextAsync("280/280 karakter");
        await card.GetByTestId("poll-submit").ClickAsync();
        await Expect(card.GetByTestId("poll-vote-state")).ToContainTextAsync("menunggu persetujuan moderator");
        await session.StepAsync("an open answer of 280 emoji sent");
    }

    [SkippableFact]
    public async Task TheModeratorsAnnouncementCounterCountsEmojiAsOneCharacter()
    {
        await using var session = await Infrastructure.Browser.LaunchAsync();
        var e = await Server.CreateEventAsync();
        var page = await session.OpenAsync("moderator", 1366, 768);
        await page.GotoAsync($"{BaseUrl}/e/{e.Code}/moderator?session={e.Keynote}");
        await page.GetByTestId("passcode").FillAsync(LiveHubServer.Passcode);
        await page.GetByTestId("sign-in").ClickAsync();
        await Expect(page.GetByTestId("connection-status")).ToHaveAttributeAsync("data-state", "connected");

        await page.GetByTestId("announcement-text").FillAsync(Graphemes.Thumbs(500));
        await Expect(page.Locator("#announcement-counter")).ToHaveTextAsync("500/500 karakter");
        await page.GetByTestId("announcement-text").FillAsync(Graphemes.Accented(501));
        await Expect(page.Locator("#announcement-counter")).ToHaveTextAsync("501/500 karakter");
        await session.StepAsync("announcement counted");
    }

    [SkippableFact]
    public async Task ACallTheServerCannotReadReachesThePageAsInvalidWithTheServersTextNotAsARetryableOutage()
    {
        await using var session = await Infrastructure.Browser.LaunchAsync();
        var e = await Server.CreateEventAsync();
        var phone = await session.OpenAsync("phone", 360, 740);
        await phone.GotoAsync($"{BaseUrl}/e/{e.Code}?session={e.Keynote}");
        await Expect(phone.GetByTestId("connection-status")).ToHaveAttributeAsync("data-state", "connected");

        var error = await phone.EvaluateAsync<JsonElement>("""
            async () => {
              const { call } = await import('/js/lib/connection.js');
              try {
                await call('AskQuestion', 'not a request', 42);
                return null;
              } catch (e) {
                return { code: e.code, messageKey: e.messageKey, retryable: e.retryable, detail: e.detail ?? null };
              }
            }
            """);

        Assert.Equal("invalid", error.GetProperty("code").GetString());
        Assert.Equal("error.invalid.request", error.GetProperty("messageKey").GetString());
        Assert.False(error.GetProperty("retryable").GetBoolean());
        Assert.Equal("Failed to invoke 'AskQuestion' due to an error on the server.", error.GetProperty("detail").GetString());
        await Expect(phone.GetByTestId("connection-status")).ToHaveAttributeAsync("data-state", "connected");
    }
}
