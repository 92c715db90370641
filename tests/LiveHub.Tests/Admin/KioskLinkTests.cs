using System.Net;
using System.Net.Http.Json;
using LiveHub.Tests.Infrastructure;
using LiveHub.Web.Admin;

namespace LiveHub.Tests.Admin;

[Collection(AdminServerCollection.Name)]
public sealed class KioskLinkTests(AdminServerFixture fixture)
{
    private LiveHubServer Server => fixture.Server;

    [Fact]
    public async Task AKioskLinkOpensTheRoomsProjectorWithoutSignIn()
    {
        using var admin = await AdminHttp.SignInAsync(Server);
        var e = await Server.CreateEventAsync();

        var link = await admin.Http.GetFromJsonAsync<KioskLink>($"/api/admin/events/{e.Code}/rooms/room-b/kiosk-link");
        using var kiosk = AdminHttp.Anonymous(Server);
        using var response = await kiosk.Http.GetAsync(link!.Path);

        Assert.StartsWith(Server.BaseUri.GetLeftPart(UriPartial.Authority) + "/k/", link.Url);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal($"/e/{e.Code}/projector?room=room-b", response.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task ATamperedKioskLinkIsNotFound()
    {
        using var admin = await AdminHttp.SignInAsync(Server);
        var e = await Server.CreateEventAsync();
        var link = await admin.Http.GetFromJsonAsync<KioskLink>($"/api/admin/events/{e.Code}/rooms/room-b/kiosk-link");
        var token = link!.Path["/k/".Length..];
        var flipped = token[..10] + (token[10] == 'A' ? 'B' : 'A') + token[11..];

        using var kiosk = AdminHttp.Anonymous(Server);

        Assert.Equal(HttpStatusCode.NotFound, (await kiosk.Http.GetAsync($"/k/{flipped}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await kiosk.Http.GetAsync($"/k/{token[..^2]}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await kiosk.Http.GetAsync("/k/not-a-token")).StatusCode);
    }

    [Fact]
    public async Task AKioskLinkIsOnlyMadeForARoomOfTheEvent()
    {
        using var admin = await AdminHttp.SignInAsync(Server);
        var e = await Server.CreateEventAsync();

        using var response = await admin.Http.GetAsync($"/api/admin/events/{e.Code}/rooms/attic/kiosk-link");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }
}
