using LiveHub.Events;
using LiveHub.Polls;
using LiveHub.Questions;
using LiveHub.Realtime;
using LiveHub.Tests.Admin;
using LiveHub.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace LiveHub.Tests.Export;

[Collection(AdminServerCollection.Name)]
public sealed class ReportPageTests(AdminServerFixture fixture)
{
    private LiveHubServer Server => fixture.Server;

    [SkippableFact]
    public async Task AModeratorSeesTheSessionReportAndItPrintsWithoutNavigation()
    {
        await using var chromium = await Infrastructure.Browser.LaunchAsync();
        var e = await Server.CreateEventAsync(ModerationModes.Pre);
        await using var moderator = await TestClient.ConnectAsync(Server, moderatorOf: e.Code);
        await using var ani = await TestClient.ConnectAsync(Server);
        await using var budi = await TestClient.ConnectAsync(Server);
        const string popular = "Bagaimana kota kecil dengan anggaran terbatas bisa memulai smart city?";
        var q1 = await ani.AskAsync(e.Keynote, popular, "Ani");
        var q2 = await budi.AskAsync(e.Keynote, "Apakah materi keynote akan dibagikan?");
        var q3 = await budi.AskAsync(e.Keynote, "Pertanyaan yang tidak relevan");
        await ani.AskAsync(e.Keynote, "Masih menunggu moderator");
        await moderator.ModerateAsync(e.Keynote, q1.Id, ModerationActions.Approve);
        await moderator.ModerateAsync(e.Keynote, q2.Id, ModerationActions.Approve);
        await moderator.ModerateAsync(e.Keynote, q2.Id, ModerationActions.Answer);
        await moderator.ModerateAsync(e.Keynote, q3.Id, ModerationActions.Dismiss);
        await budi.OkAsync<UpvoteView>(nameof(EventHub.Upvote), new UpvoteRequest(q1.Id, true));
        await moderator.OkAsync<UpvoteView>(nameof(EventHub.Upvote), new UpvoteRequest(q1.Id, true));

        var snapshot = await moderator.JoinAsync(e.Keynote, SessionViews.Moderator);
        var single = snapshot.Polls.First(p => p.Kind == PollKinds.Single);
        await moderator.OkAsync<PollView>(nameof(EventHub.OpenPoll), new PollRequest(single.Id));
        await ani.OkAsync<MyVote>(nameof(EventHub.CastVote), new CastVoteRequest(single.Id, "v-ani", [0], null, null, null, null));
        await budi.OkAsync<MyVote>(nameof(EventHub.CastVote), new CastVoteRequest(single.Id, "v-budi", [2], null, null, null, null));
        await moderator.OkAsync<MyVote>(nameof(EventHub.CastVote), new CastVoteRequest(single.Id, "v-mod", [0], null, null, null, null));
        await moderator.OkAsync<PollView>(nameof(EventHub.ClosePoll), new PollRequest(single.Id));
        var cloud = snapshot.Polls.First(p => p.Kind == PollKinds.WordCloud);
        await moderator.OkAsync<PollView>(nameof(EventHub.OpenPoll), new PollRequest(cloud.Id));
        await ani.OkAsync<MyVote>(nameof(EventHub.CastVote), new CastVoteRequest(cloud.Id, "w-ani", null, null, null, "Terhubung", null));
        await budi.OkAsync<MyVote>(nameof(EventHub.CastVote), new CastVoteRequest(cloud.Id, "w-budi", null, null, null, "terhubung!", null));

        await Reactions.SendAsync(Server, e.Keynote, ("clap", 4), ("wow", 1));
        await Reactions.WaitForTotalAsync(moderator.Http, $"/api/sessions/{e.Keynote}/export/reactions.json", 5);

        var page = await chromium.OpenAsync("report", 1100, 900);
        await page.GotoAsync($"{Server.BaseUri.GetLeftPart(UriPartial.Authority)}/e/{e.Code}/report?session={e.Keynote}");
        await page.GetByTestId("passcode").FillAsync(LiveHubServer.Passcode);
        await page.GetByTestId("sign-in").ClickAsync();

        await Expect(page.GetByTestId("report-title")).ToHaveTextAsync("Keynote: Strategi Pengembangan Smart City");
        await Expect(page.GetByTestId("report-meta")).ToContainTextAsync("Aula Utama");
        await Expect(page.GetByTestId("count-questions").Locator("dd")).ToHaveTextAsync("4");
        await Expect(page.GetByTestId("count-pending").Locator("dd")).ToHaveTextAsync("1");
        await Expect(page.GetByTestId("count-dismissed").Locator("dd")).ToHaveTextAsync("1");
        await Expect(page.GetByTestId("count-upvotes").Locator("dd")).ToHaveTextAsync("2");
        await Expect(page.GetByTestId("count-votes").Locator("dd")).ToHaveTextAsync("5");
        await Expect(page.GetByTestId("count-reactions").Locator("dd")).ToHaveTextAsync("5");
        await Expect(page.GetByTestId("report-reactions")).ToContainTextAsync("Tepuk tangan: 4");
        var top = page.GetByTestId("report-question");
        await Expect(top).ToHaveCountAsync(2);
        await Expect(top.First).ToContainTextAsync(popular);
        await Expect(top.First).ToContainTextAsync("2 dukungan");
        await Expect(page.GetByTestId("report-top")).Not.ToContainTextAsync("tidak relevan");
        var polls = page.GetByTestId("report-poll");
        await Expect(polls).ToHaveCountAsync(2);
        await Expect(polls.First).ToContainTextAsync("Masalah kota mana yang paling mendesak di daerah Anda?");
        await Expect(polls.First).ToContainTextAsync("66,7%");
        await Expect(polls.Nth(1)).ToContainTextAsync("terhubung");
        var widest = await polls.First.Locator(".report-bar-fill").First.EvaluateAsync<string>("e => e.style.width");
        Assert.Equal("66.7%", widest);
        await Infrastructure.Browser.ScreenshotAsync(page, "report-screen");
        await chromium.StepAsync("report read");

        await page.EmulateMediaAsync(new PageEmulateMediaOptions { Media = Media.Print });
        await Expect(page.Locator("header.topbar")).ToBeHiddenAsync();
        await Expect(page.GetByTestId("session-select")).ToBeHiddenAsync();
        await Expect(page.GetByTestId("report-print")).ToBeHiddenAsync();
        await Expect(page.GetByTestId("report-title")).ToBeVisibleAsync();
        Assert.Equal("page", await polls.Nth(1).EvaluateAsync<string>("e => getComputedStyle(e).breakBefore"));
        await Infrastructure.Browser.ScreenshotAsync(page, "report");
        await chromium.StepAsync("printed");
    }

    [SkippableFact]
    public async Task TheOrganizerManagesAnEventFromTheAdminPage()
    {
        await using var chromium = await Infrastructure.Browser.LaunchAsync();
        var e = await Server.CreateEventAsync();
        var baseUrl = Server.BaseUri.GetLeftPart(UriPartial.Authority);

        var page = await chromium.OpenAsync("admin", 1280, 900);
        await page.GotoAsync($"{baseUrl}/admin");
        await page.GetByTestId("admin-key").FillAsync("not the key at all");
        await page.GetByTestId("admin-sign-in").ClickAsync();
        await Expect(page.GetByTestId("admin-signin-error")).ToContainTextAsync("Kunci admin salah");
        // The browser logs the refused sign-in (400) as a console error; that one was asked for.
        ((List<string>)chromium.ErrorsOf(page)).Clear();
        await page.GetByTestId("admin-key").FillAsync(AdminServerFixture.AdminKey);
        await page.GetByTestId("admin-sign-in").ClickAsync();

        await Expect(page.GetByTestId("event-list")).ToContainTextAsync(e.Code);
        await page.GetByTestId($"manage-{e.Code}").ClickAsync();
        await Expect(page.GetByTestId("event-title")).ToHaveTextAsync("Seminar dan Sharing Best Practice Citynet Indonesia 2019");
        var hall = page.GetByTestId("admin-room").Filter(new LocatorFilterOptions { HasText = "Aula Utama" });
        await Expect(hall.GetByTestId("room-qr")).ToBeVisibleAsync();
        Assert.True(await hall.GetByTestId("room-qr").EvaluateAsync<bool>("img => img.complete && img.naturalWidth > 0"));
        await hall.GetByTestId("make-kiosk-link").ClickAsync();
        await Expect(hall.GetByTestId("kiosk-url")).ToContainTextAsync($"{baseUrl}/k/");

        var keynote = page.GetByTestId("admin-session").Filter(new LocatorFilterOptions { HasText = "Keynote" });
        await keynote.GetByTestId("edit-session").ClickAsync();
        await page.GetByTestId("session-title").FillAsync("Keynote: Kota Cerdas untuk Semua");
        await page.GetByTestId("session-status").SelectOptionAsync("ended");
        await page.GetByTestId("session-save").ClickAsync();
        await Expect(page.GetByTestId("admin-session").Filter(new LocatorFilterOptions { HasText = "Kota Cerdas untuk Semua" })).ToContainTextAsync("Telah berakhir");
        await Expect(page.GetByTestId("session-report").First).ToHaveAttributeAsync("href", new System.Text.RegularExpressions.Regex($"/e/{e.Code}/report\\?session="));

        await Infrastructure.Browser.ScreenshotAsync(page, "admin");
        await chromium.StepAsync("session edited");

        // Signing out leaves nothing of the event on the page; the next sign-in starts at the list.
        await page.GetByTestId("admin-sign-out").ClickAsync();
        await Expect(page.GetByTestId("admin-key")).ToBeFocusedAsync();
        await Expect(page.GetByTestId("event-detail")).ToBeHiddenAsync();
        await chromium.StepAsync("signed out");
        await page.GetByTestId("admin-key").FillAsync(AdminServerFixture.AdminKey);
        await page.GetByTestId("admin-sign-in").ClickAsync();
        await Expect(page.GetByTestId("event-list")).ToBeVisibleAsync();
        await Expect(page.GetByTestId("event-list")).ToContainTextAsync(e.Code);
        await Expect(page.GetByTestId("back-to-events")).ToBeHiddenAsync();
        await Expect(page.GetByTestId("event-detail")).ToBeHiddenAsync();
        await chromium.StepAsync("signed in again");

        using var check = await AdminHttp.SignInAsync(Server);
        var stored = await System.Net.Http.Json.HttpClientJsonExtensions.GetFromJsonAsync<EventSnapshot>(check.Http, $"/api/events/{e.Code}");
        var session = stored!.Sessions.Single(s => s.Id == e.Keynote);
        Assert.Equal(("Keynote: Kota Cerdas untuk Semua", SessionStatus.Ended), (session.Title, session.Status));
    }
}
