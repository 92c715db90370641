using LiveHub.Announcements;
using LiveHub.Events;
using LiveHub.Realtime;
using LiveHub.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace LiveHub.Tests.Browser;

[Collection(ServerCollection.Name)]
public sealed class AgendaJourneyTests(ServerFixture fixture)
{
    private LiveHubServer Server => fixture.Server;

    private string BaseUrl => Server.BaseUri.GetLeftPart(UriPartial.Authority);

    [SkippableFact]
    public async Task TheFoldedAgendaShowsWhatIsLiveInEachRoomAndSwitchesRoomInOneTap()
    {
        await using var session = await Infrastructure.Browser.LaunchAsync();
        var browser = session.Browser;
        var e = await Server.CreateEventAsync();
        await using var moderator = await TestClient.ConnectAsync(Server, moderatorOf: e.Code);
        var traffic = e.Sessions["traffic"];
        await moderator.OkAsync<SessionView>(nameof(EventHub.SetSessionStatus), new SetSessionStatusRequest(traffic, SessionStatus.Live));

        var phone = await session.OpenAsync("phone", 360, 740);
        await phone.GotoAsync($"{BaseUrl}/e/{e.Code}");
        // With a session live, the first screen is the session's: the rooms wait folded, one tap away.
        var agenda = phone.GetByTestId("agenda-home");
        await Expect(agenda).ToBeVisibleAsync();
        await Expect(agenda).Not.ToHaveAttributeAsync("open", "");
        await agenda.Locator("summary").ClickAsync();
        var roomB = phone.Locator("[data-testid='agenda-room'][data-room-key='room-b']");
        await Expect(roomB).ToContainTextAsync("Mengatasi kemacetan kota");
        await Expect(roomB).ToContainTextAsync("Sedang berlangsung");
        await Expect(phone.Locator("[data-testid='agenda-room'][data-room-key='main-hall']")).ToContainTextAsync("Keynote");
        await Infrastructure.Browser.ScreenshotAsync(phone, "agenda-home");
        await session.StepAsync("agenda unfolded");

        await roomB.ClickAsync();
        await Expect(phone.GetByTestId("session-select")).ToHaveValueAsync(traffic.ToString());
        await Expect(phone.GetByTestId("connection-status")).ToHaveAttributeAsync("data-state", "connected");
        await phone.GetByTestId("ask-text").FillAsync("Kapan jalur bus kota dibuka?");
        await phone.GetByTestId("ask-send").ClickAsync();
        await Expect(phone.GetByTestId("my-questions")).ToContainTextAsync("Kapan jalur bus kota dibuka?");
        await session.StepAsync("asked in room B");
        var questions = Server.Services.GetRequiredService<LiveHub.Data.Questions.QuestionStore>();
        await TestClient.EventuallyAsync(() => questions.CountAsync(traffic, CancellationToken.None).GetAwaiter().GetResult() == 1,
            "the question lands in the session the tap chose");
    }

    [SkippableFact]
    public async Task TheRoomCodeOnTheDoorFollowsWhateverSessionIsLiveInTheRoom()
    {
        await using var session = await Infrastructure.Browser.LaunchAsync();
        var browser = session.Browser;
        var e = await Server.CreateEventAsync();
        await using var moderator = await TestClient.ConnectAsync(Server, moderatorOf: e.Code);
        var snapshot = await Server.Services.GetRequiredService<EventService>().SnapshotAsync(e.Code, false, CancellationToken.None);
        var roomC = snapshot!.Rooms.Single(r => r.Key == "room-c");
        var safety = e.Sessions["safety"];
        var reform = e.Sessions["reform"];
        await moderator.OkAsync<SessionView>(nameof(EventHub.SetSessionStatus), new SetSessionStatusRequest(safety, SessionStatus.Live));

        var phone = await session.OpenAsync("phone", 360, 740);
        await phone.GotoAsync($"{BaseUrl}/r/{roomC.Code}");
        await Expect(phone.GetByTestId("session-select")).ToHaveValueAsync(safety.ToString());

        // The first breakout ends and the next one in the same room goes live: the phone follows by itself.
        await moderator.OkAsync<SessionView>(nameof(EventHub.SetSessionStatus), new SetSessionStatusRequest(safety, SessionStatus.Ended));
        await moderator.OkAsync<SessionView>(nameof(EventHub.SetSessionStatus), new SetSessionStatusRequest(reform, SessionStatus.Live));
        await Expect(phone.GetByTestId("session-select")).ToHaveValueAsync(reform.ToString());
        await Expect(phone.GetByTestId("follow-note")).ToContainTextAsync("Reformasi administrasi");
        await Infrastructure.Browser.ScreenshotAsync(phone, "room-following");
    }

    [SkippableFact]
    public async Task AnnouncementReachesTheProjectorAndThePhonesOfItsRoomOnly()
    {
        await using var session = await Infrastructure.Browser.LaunchAsync();
        var browser = session.Browser;
        var e = await Server.CreateEventAsync();
        await using var moderator = await TestClient.ConnectAsync(Server, moderatorOf: e.Code);
        var rooms = (await Server.Services.GetRequiredService<EventService>().SnapshotAsync(e.Code, false, CancellationToken.None))!.Rooms;

        var projector = await session.OpenAsync("projector", 1280, 720);
        await projector.GotoAsync($"{BaseUrl}/e/{e.Code}/projector?session={e.Keynote}");
        var phone = await session.OpenAsync("phone", 360, 740);
        await phone.GotoAsync($"{BaseUrl}/e/{e.Code}?session={e.Keynote}");
        await Expect(projector.GetByTestId("connection-status")).ToHaveAttributeAsync("data-state", "connected");
        await Expect(phone.GetByTestId("connection-status")).ToHaveAttributeAsync("data-state", "connected");

        const string elsewhere = "Sesi Ruang B mundur 10 menit.";
        const string everyone = "Makan siang di Aula Utama pukul 12.30.";
        await moderator.OkAsync<AnnouncementView>(nameof(EventHub.PostAnnouncement),
            new PostAnnouncementRequest(e.Id, rooms.Single(r => r.Key == "room-b").Id, elsewhere));
        await moderator.OkAsync<AnnouncementView>(nameof(EventHub.PostAnnouncement), new PostAnnouncementRequest(e.Id, null, everyone));

        await Expect(projector.GetByTestId("announcement-banner")).ToContainTextAsync(everyone);
        await Expect(phone.GetByTestId("announcement-banner")).ToContainTextAsync(everyone);
        await Expect(projector.GetByTestId("announcement-banner")).Not.ToContainTextAsync(elsewhere);
        await Expect(phone.GetByTestId("announcement-list")).Not.ToContainTextAsync(elsewhere);
        await Infrastructure.Browser.ScreenshotAsync(projector, "announcement-projector");
        await Infrastructure.Browser.ScreenshotAsync(phone, "announcement-audience");
        await session.StepAsync("announcements posted");
    }
}
