using System.Net;
using System.Net.Http.Json;
using LiveHub.Admin;
using LiveHub.Events;
using LiveHub.Realtime;
using LiveHub.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace LiveHub.Tests.Admin;

[Collection(AdminServerCollection.Name)]
public sealed class EventEditingTests(AdminServerFixture fixture)
{
    private LiveHubServer Server => fixture.Server;

    [Fact]
    public async Task OrganizerAddsEditsAndDeletesRoomsAndSessions()
    {
        using var admin = await AdminHttp.SignInAsync(Server);
        var e = await Server.CreateEventAsync();
        var api = $"/api/admin/events/{e.Code}";

        using var addedRoom = await admin.Http.PostAsJsonAsync($"{api}/rooms", new RoomRequest("room-d", "Ruang D", 80));
        Assert.Equal(HttpStatusCode.Created, addedRoom.StatusCode);
        var room = (await addedRoom.Content.ReadFromJsonAsync<AdminRoomView>())!;
        var renamed = await (await admin.Http.PutAsJsonAsync($"{api}/rooms/room-d", new RoomRequest(null, "Ruang Delta", 90))).Content.ReadFromJsonAsync<AdminRoomView>();

        var session = new SessionRequest("clinic", "room-d", 2, "13:00", "14:30", "breakout", "Klinik data kota",
            ["Dinas Kominfo Kota Kupang"], ModerationModes.Open, null);
        using var addedSession = await admin.Http.PostAsJsonAsync($"{api}/sessions", session);
        Assert.Equal(HttpStatusCode.Created, addedSession.StatusCode);
        var edited = await (await admin.Http.PutAsJsonAsync($"{api}/sessions/clinic",
            session with { Title = "Klinik data desa", End = "15:00", Status = SessionStatus.Live })).Content.ReadFromJsonAsync<AdminSessionView>();

        var snapshot = await admin.Http.GetFromJsonAsync<EventSnapshot>($"/api/events/{e.Code}");
        var shown = Assert.Single(snapshot!.Sessions, s => s.Key == "clinic");
        Assert.Equal(HttpStatusCode.BadRequest, (await admin.Http.DeleteAsync($"{api}/rooms/room-d")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.Http.DeleteAsync($"{api}/sessions/clinic")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.Http.DeleteAsync($"{api}/rooms/room-d")).StatusCode);
        var detail = await admin.Http.GetFromJsonAsync<AdminEventDetail>(api);

        Assert.NotNull(JoinCode.Normalize(room.Code));
        Assert.Equal(("Ruang Delta", 90L), (renamed!.Name, renamed.Capacity!.Value));
        Assert.Equal(("Klinik data desa", 2, "13:00", "15:00", SessionStatus.Live, "room-d"),
            (edited!.Title, edited.Day, edited.Start, edited.End, edited.StatusOverride, edited.Room));
        Assert.Equal(("Klinik data desa", SessionStatus.Live, ModerationModes.Open, room.Id), (shown.Title, shown.Status, shown.Moderation, shown.RoomId));
        Assert.Equal(shown.EndsAt - shown.StartsAt, (long)TimeSpan.FromHours(2).TotalMilliseconds);
        Assert.DoesNotContain(detail!.Sessions, s => s.Key == "clinic");
        Assert.DoesNotContain(detail.Rooms, r => r.Key == "room-d");
    }

    [Fact]
    public async Task ASessionIsPlacedInTheEventsLocalTime()
    {
        using var admin = await AdminHttp.SignInAsync(Server);
        var e = await Server.CreateEventAsync();
        var detail = await admin.Http.GetFromJsonAsync<AdminEventDetail>($"/api/admin/events/{e.Code}");

        using var added = await admin.Http.PostAsJsonAsync($"/api/admin/events/{e.Code}/sessions",
            new SessionRequest("early", "main-hall", 1, "07:00", "07:45", "briefing", "Briefing panitia", null, null, null));
        var session = (await added.Content.ReadFromJsonAsync<AdminSessionView>())!;

        // Kupang is WITA, UTC+8: 07:00 local on the first day is 23:00 UTC the day before.
        var firstDay = DateOnly.ParseExact(detail!.StartDate!, "yyyy-MM-dd");
        Assert.Equal(new DateTimeOffset(firstDay.ToDateTime(new TimeOnly(7, 0)), TimeSpan.FromHours(8)).ToUnixTimeMilliseconds(), session.StartsAt);
        Assert.Equal(ModerationModes.Pre, session.Moderation);
        Assert.Null(session.StatusOverride);
    }

    [Fact]
    public async Task ANewTimeZoneKeepsTheAgendasLocalTimes()
    {
        using var admin = await AdminHttp.SignInAsync(Server);
        var e = await Server.CreateEventAsync();
        var before = await admin.Http.GetFromJsonAsync<AdminEventDetail>($"/api/admin/events/{e.Code}");

        using var response = await admin.Http.PutAsJsonAsync($"/api/admin/events/{e.Code}",
            new EventEditRequest("Seminar Citynet 2019 (revisi)", "Smart City", before!.Host, before.City, "Asia/Jakarta"));
        var after = await response.Content.ReadFromJsonAsync<AdminEventDetail>();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(("Seminar Citynet 2019 (revisi)", "Smart City", "Asia/Jakarta"), (after!.Name, after.Theme, after.TimeZone));
        Assert.Equal(before.Sessions.Select(s => (s.Key, s.Day, s.Start, s.End)), after.Sessions.Select(s => (s.Key, s.Day, s.Start, s.End)));
        // WIB is an hour behind WITA: the same wall-clock time is an hour later in UTC.
        Assert.All(before.Sessions.Zip(after.Sessions), p => Assert.Equal(p.First.StartsAt + 3_600_000, p.Second.StartsAt));
    }

    [Fact]
    public async Task AnUnknownTimeZoneIsRefused()
    {
        using var admin = await AdminHttp.SignInAsync(Server);
        var e = await Server.CreateEventAsync();

        using var response = await admin.Http.PutAsJsonAsync($"/api/admin/events/{e.Code}", new EventEditRequest("X", null, null, null, "Mars/Olympus_Mons"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("error.invalid.time_zone", (await response.Content.ReadFromJsonAsync<HubError>())!.MessageKey);
    }

    [Fact]
    public async Task TheOrganizerSetsTheInterfaceLanguageAndWhetherBrowsersAreFollowed()
    {
        using var admin = await AdminHttp.SignInAsync(Server);
        var e = await Server.CreateEventAsync();
        var api = $"/api/admin/events/{e.Code}";
        var languages = Server.Services.GetRequiredService<EventLanguages>();
        var before = (await admin.Http.GetFromJsonAsync<AdminEventDetail>(api))!;
        var cachedBefore = await languages.FindAsync(e.Code, CancellationToken.None);

        using var response = await admin.Http.PutAsJsonAsync(api,
            new EventEditRequest(before.Name, before.Theme, before.Host, before.City, null, InterfaceLanguage.English, FollowBrowserLanguage: true));
        var after = await response.Content.ReadFromJsonAsync<AdminEventDetail>();
        var snapshot = await admin.Http.GetFromJsonAsync<EventSnapshot>($"/api/events/{e.Code}");
        var cachedAfter = await languages.FindAsync(e.Code, CancellationToken.None);
        // A later edit that leaves both out keeps them.
        var renamed = await (await admin.Http.PutAsJsonAsync(api, new EventEditRequest("Seminar (revisi)", null, null, null, null)))
            .Content.ReadFromJsonAsync<AdminEventDetail>();

        Assert.Equal(("id", false), (before.DefaultLanguage, before.FollowBrowserLanguage));
        Assert.Equal(new EventLanguageSettings("id", false), cachedBefore);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(("en", true), (after!.DefaultLanguage, after.FollowBrowserLanguage));
        Assert.Equal(("en", true), (snapshot!.DefaultLanguage, snapshot.FollowBrowserLanguage));
        Assert.Equal(new EventLanguageSettings("en", true), cachedAfter);
        Assert.Equal(("Seminar (revisi)", "en", true), (renamed!.Name, renamed.DefaultLanguage, renamed.FollowBrowserLanguage));
    }

    [Fact]
    public async Task AnInterfaceLanguageTheInterfaceDoesNotHaveIsRefused()
    {
        using var admin = await AdminHttp.SignInAsync(Server);
        var e = await Server.CreateEventAsync();
        var api = $"/api/admin/events/{e.Code}";

        using var response = await admin.Http.PutAsJsonAsync(api, new EventEditRequest("X", null, null, null, null, "fr", FollowBrowserLanguage: true));
        var error = await response.Content.ReadFromJsonAsync<HubError>();
        var detail = await admin.Http.GetFromJsonAsync<AdminEventDetail>(api);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal((ErrorCodes.Invalid, "error.invalid.default_language"), (error!.Code, error.MessageKey));
        Assert.Equal(("id", false), (detail!.DefaultLanguage, detail.FollowBrowserLanguage));
        Assert.NotEqual("X", detail.Name);
    }

    [Fact]
    public async Task ASessionWithQuestionsCannotBeDeleted()
    {
        using var admin = await AdminHttp.SignInAsync(Server);
        var e = await Server.CreateEventAsync();
        await using var phone = await TestClient.ConnectAsync(Server);
        await phone.AskAsync(e.Keynote, "Apakah sesi ini direkam?");

        using var response = await admin.Http.DeleteAsync($"/api/admin/events/{e.Code}/sessions/keynote");
        var error = await response.Content.ReadFromJsonAsync<HubError>();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(("invalid_state", "error.session_in_use"), (error!.Code, error.MessageKey));
    }

    [Fact]
    public async Task InvalidSessionsAndDuplicateKeysAreRefusedWithTypedErrors()
    {
        using var admin = await AdminHttp.SignInAsync(Server);
        var e = await Server.CreateEventAsync();
        var api = $"/api/admin/events/{e.Code}";
        var good = new SessionRequest("extra", "main-hall", 1, "16:00", "17:00", "panel", "Sesi tambahan", null, null, null);

        async Task<string> KeyOf(HttpResponseMessage r) => (await r.Content.ReadFromJsonAsync<HubError>())!.MessageKey;

        Assert.Equal("error.key_taken", await KeyOf(await admin.Http.PostAsJsonAsync($"{api}/sessions", good with { Key = "keynote" })));
        Assert.Equal("error.invalid.room", await KeyOf(await admin.Http.PostAsJsonAsync($"{api}/sessions", good with { Room = "attic" })));
        Assert.Equal("error.invalid.time", await KeyOf(await admin.Http.PostAsJsonAsync($"{api}/sessions", good with { End = "15:00" })));
        Assert.Equal("error.invalid.status", await KeyOf(await admin.Http.PostAsJsonAsync($"{api}/sessions", good with { Status = "paused" })));
        Assert.Equal("error.invalid.key", await KeyOf(await admin.Http.PostAsJsonAsync($"{api}/sessions", good with { Key = "with space" })));
        Assert.Equal("error.key_taken", await KeyOf(await admin.Http.PostAsJsonAsync($"{api}/rooms", new RoomRequest("main-hall", "Aula", null))));
        Assert.Equal(HttpStatusCode.NotFound, (await admin.Http.PutAsJsonAsync($"{api}/sessions/nothing", good)).StatusCode);
    }

    [Fact]
    public async Task ChangingASessionsModerationModeReachesConnectedPhones()
    {
        using var admin = await AdminHttp.SignInAsync(Server);
        var e = await Server.CreateEventAsync();
        await using var phone = await TestClient.ConnectAsync(Server);
        var snapshot = await phone.JoinAsync(e.Keynote);
        var detail = (await admin.Http.GetFromJsonAsync<AdminEventDetail>($"/api/admin/events/{e.Code}"))!;
        var keynote = detail.Sessions.Single(s => s.Key == "keynote");

        (await admin.Http.PutAsJsonAsync($"/api/admin/events/{e.Code}/sessions/keynote", new SessionRequest(null, keynote.Room, keynote.Day,
            keynote.Start, keynote.End, keynote.Kind, keynote.Title, keynote.Speakers, ModerationModes.Open, keynote.StatusOverride))).EnsureSuccessStatusCode();

        var delta = await TestClient.EventuallyValueAsync(() => phone.Received
            .Where(r => r.Payload is LiveHub.Questions.SessionModeDelta).Select(r => (LiveHub.Questions.SessionModeDelta)r.Payload).FirstOrDefault());
        Assert.Equal((ModerationModes.Open, snapshot.Version + 1), (delta.Moderation, delta.Version));
    }

    [Fact]
    public async Task AnEditedSessionReachesEveryoneInTheEventAndIsAudited()
    {
        using var admin = await AdminHttp.SignInAsync(Server);
        var e = await Server.CreateEventAsync();
        await using var phone = await TestClient.ConnectAsync(Server);
        await phone.OkAsync<EventSnapshot>(nameof(EventHub.JoinEvent), e.Code);
        await using var moderator = await TestClient.ConnectAsync(Server, moderatorOf: e.Code);

        (await admin.Http.PutAsJsonAsync($"/api/admin/events/{e.Code}/sessions/keynote", new SessionRequest(null, "room-b", 1, "09:30", "10:45",
            "keynote", "Keynote (pindah ke Ruang B)", ["Rudiantara"], ModerationModes.Pre, SessionStatus.Live))).EnsureSuccessStatusCode();
        (await admin.Http.PostAsJsonAsync($"/api/admin/events/{e.Code}/passcode", new PasscodeRequest("another-passcode-3"))).EnsureSuccessStatusCode();

        var pushed = await TestClient.EventuallyValueAsync(() => phone.Received
            .Where(r => r.Payload is SessionView).Select(r => (SessionView)r.Payload).FirstOrDefault());
        Assert.Equal(("Keynote (pindah ke Ruang B)", SessionStatus.Live), (pushed.Title, pushed.Status));
        await moderator.Http.PostAsJsonAsync($"/api/events/{e.Code}/moderator/session", new { passcode = "another-passcode-3" });
        var audit = await moderator.Http.GetFromJsonAsync<List<LiveHub.Data.Moderation.AuditEntry>>($"/api/events/{e.Code}/audit");
        Assert.Contains(audit!, a => a.Action == "session-edited" && a.Actor == AdminService.Actor && a.SessionId == e.Keynote
            && a.Detail == "title, speakers, room, time");
        Assert.Contains(audit!, a => a.Action == "passcode-rotated" && a.Actor == AdminService.Actor);
    }

    [Fact]
    public async Task EachRoomHasAJoinQrCodeForItsRoomUrl()
    {
        using var admin = await AdminHttp.SignInAsync(Server);
        var e = await Server.CreateEventAsync();
        var room = (await admin.Http.GetFromJsonAsync<AdminEventDetail>($"/api/admin/events/{e.Code}"))!.Rooms[0];

        using var anyone = new HttpClient { BaseAddress = Server.BaseUri };
        using var qr = await anyone.GetAsync($"/api/rooms/{room.Code!.ToLowerInvariant()}/qr.svg");

        qr.EnsureSuccessStatusCode();
        Assert.Equal("image/svg+xml", qr.Content.Headers.ContentType!.MediaType);
        Assert.StartsWith("<svg", (await qr.Content.ReadAsStringAsync()).TrimStart());
        Assert.Equal(HttpStatusCode.NotFound, (await anyone.GetAsync("/api/rooms/ZZZZZZ/qr.svg")).StatusCode);
    }
}
