using System.Net;
using System.Net.Http.Json;
using LiveHub.Admin;
using LiveHub.Events;
using LiveHub.Realtime;
using LiveHub.Tests.Infrastructure;
using LiveHub.Web.Moderators;

namespace LiveHub.Tests.Admin;

[Collection(AdminServerCollection.Name)]
public sealed class PasscodeRotationTests(AdminServerFixture fixture)
{
    private LiveHubServer Server => fixture.Server;

    [Fact]
    public async Task RotatingThePasscodeLocksOutTheOldModeratorSession()
    {
        using var admin = await AdminHttp.SignInAsync(Server);
        var e = await Server.CreateEventAsync();
        await using var moderator = await TestClient.ConnectAsync(Server, moderatorOf: e.Code);
        await moderator.JoinAsync(e.Keynote, SessionViews.Moderator);
        Assert.Equal(HttpStatusCode.OK, (await moderator.Http.GetAsync($"/api/sessions/{e.Keynote}?view=moderator")).StatusCode);

        using var rotated = await admin.Http.PostAsJsonAsync($"/api/admin/events/{e.Code}/passcode", new PasscodeRequest("rotated-passcode-2"));
        Assert.Equal("rotated-passcode-2", (await rotated.Content.ReadFromJsonAsync<PasscodeRotated>())!.Passcode);

        // The open connection, signed in before the rotation, is refused at once, before it reconnects.
        var stillOpen = await moderator.InvokeAsync<SessionView>(nameof(EventHub.SetModerationMode),
            new LiveHub.Questions.SetModerationModeRequest(e.Keynote, ModerationModes.Open));
        Assert.Equal(ErrorCodes.Forbidden, stillOpen.Error!.Code);
        using var http = await moderator.Http.GetAsync($"/api/sessions/{e.Keynote}?view=moderator");
        Assert.Equal(HttpStatusCode.Forbidden, http.StatusCode);
        await moderator.ReconnectAsync();
        var join = await moderator.InvokeAsync<SessionSnapshot>(nameof(EventHub.JoinSession), e.Keynote, SessionViews.Moderator);
        Assert.Equal(ErrorCodes.Forbidden, join.Error!.Code);
        var status = await moderator.Http.GetFromJsonAsync<ModeratorStatus>($"/api/events/{e.Code}/moderator/session");
        Assert.False(status!.IsModerator);

        using var oldPasscode = await moderator.Http.PostAsJsonAsync($"/api/events/{e.Code}/moderator/session", new { passcode = LiveHubServer.Passcode });
        Assert.Equal(HttpStatusCode.BadRequest, oldPasscode.StatusCode);
        using var newPasscode = await moderator.Http.PostAsJsonAsync($"/api/events/{e.Code}/moderator/session", new { passcode = "rotated-passcode-2" });
        newPasscode.EnsureSuccessStatusCode();
        await moderator.ReconnectAsync();
        await moderator.JoinAsync(e.Keynote, SessionViews.Moderator);
    }

    [Fact]
    public async Task RotatingWithoutAPasscodeMakesAStrongOne()
    {
        using var admin = await AdminHttp.SignInAsync(Server);
        var e = await Server.CreateEventAsync();

        using var rotated = await admin.Http.PostAsJsonAsync($"/api/admin/events/{e.Code}/passcode", new PasscodeRequest(null));
        var passcode = (await rotated.Content.ReadFromJsonAsync<PasscodeRotated>())!.Passcode;
        using var moderator = AdminHttp.Anonymous(Server);
        using var signIn = await moderator.Http.PostAsJsonAsync($"/api/events/{e.Code}/moderator/session", new { passcode });

        Assert.True(passcode.Length >= 10);
        Assert.All(passcode, c => Assert.Contains(c, JoinCode.Alphabet));
        signIn.EnsureSuccessStatusCode();
    }

    [Fact]
    public async Task ATooShortPasscodeIsRefusedAndTheOldOneStays()
    {
        using var admin = await AdminHttp.SignInAsync(Server);
        var e = await Server.CreateEventAsync();

        using var rotated = await admin.Http.PostAsJsonAsync($"/api/admin/events/{e.Code}/passcode", new PasscodeRequest("1234"));
        using var moderator = AdminHttp.Anonymous(Server);
        using var signIn = await moderator.Http.PostAsJsonAsync($"/api/events/{e.Code}/moderator/session", new { passcode = LiveHubServer.Passcode });

        Assert.Equal("error.invalid.passcode", (await rotated.Content.ReadFromJsonAsync<HubError>())!.MessageKey);
        signIn.EnsureSuccessStatusCode();
    }

    [Fact]
    public async Task TheOrganizerCanOpenAnEventAsModeratorWithoutItsPasscode()
    {
        using var admin = await AdminHttp.SignInAsync(Server);
        var e = await Server.CreateEventAsync();

        (await admin.Http.PostAsJsonAsync($"/api/admin/events/{e.Code}/moderator-session", new { })).EnsureSuccessStatusCode();

        Assert.Equal(HttpStatusCode.OK, (await admin.Http.GetAsync($"/api/sessions/{e.Keynote}?view=moderator")).StatusCode);
    }
}
