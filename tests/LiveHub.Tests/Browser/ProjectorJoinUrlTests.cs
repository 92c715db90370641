using System.Net;
using LiveHub.Tests.Infrastructure;
using LiveHub.Web.Pages;
using Microsoft.Extensions.DependencyInjection;
using static Microsoft.Playwright.Assertions;

namespace LiveHub.Tests.Browser;

// In the server collection, as every browser test is: one Chromium at a time on a small machine.
[Collection(ServerCollection.Name)]
public sealed class ProjectorJoinUrlTests(ServerFixture fixture)
{
    [SkippableFact]
    public async Task AProjectorOpenedOnTheServerShowsThePhonesUrlAndWarnsWhenPhonesCannotOpenIt()
    {
        await using var session = await Infrastructure.Browser.LaunchAsync();
        // A server on every interface of a machine on the hall's network, and the shared one, on the loopback only.
        await using var wide = await LiveHubServer.StartAsync(urls: "http://0.0.0.0:0",
            services: s => s.AddSingleton(new LanAddresses(() => [IPAddress.Parse("192.0.2.10")])));
        var loopback = fixture.Server;
        var wideEvent = await wide.CreateEventAsync();
        var loopbackEvent = await loopback.CreateEventAsync();

        var reachable = await session.OpenAsync("reachable", 1280, 720);
        await reachable.GotoAsync($"http://127.0.0.1:{wide.BaseUri.Port}/e/{wideEvent.Code}/projector");
        await Expect(reachable.GetByTestId("join-url")).ToHaveTextAsync($"http://192.0.2.10:{wide.BaseUri.Port}/e/{wideEvent.Code}");
        await Expect(reachable.GetByTestId("join-url-warning")).ToBeHiddenAsync();

        var unreachable = await session.OpenAsync("unreachable", 1280, 720);
        await unreachable.GotoAsync($"http://127.0.0.1:{loopback.BaseUri.Port}/e/{loopbackEvent.Code}/projector");
        await Expect(unreachable.GetByTestId("join-url")).ToHaveTextAsync($"http://127.0.0.1:{loopback.BaseUri.Port}/e/{loopbackEvent.Code}");
        await Expect(unreachable.GetByTestId("join-url-warning")).ToBeVisibleAsync();
        await Expect(unreachable.GetByTestId("join-url-warning")).ToContainTextAsync("Ponsel peserta tidak dapat membuka alamat dan kode QR ini");
        await Infrastructure.Browser.ScreenshotAsync(unreachable, "projector-join-url-warning");
        await session.StepAsync("both projectors open");
    }
}
