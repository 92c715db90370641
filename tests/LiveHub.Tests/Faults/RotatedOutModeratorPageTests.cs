using LiveHub.Tests.Admin;
using LiveHub.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace LiveHub.Tests.Faults;

[Collection(AdminServerCollection.Name)]
public sealed class RotatedOutModeratorPageTests(AdminServerFixture fixture)
{
    private LiveHubServer Server => fixture.Server;

    [SkippableFact]
    public async Task AnOpenModeratorPageGoesBackToSignInSayingThePasscodeChangedWhenTheOrganizerRotatesIt()
    {
        await using var session = await Infrastructure.Browser.LaunchAsync();
        var e = await Server.CreateEventAsync();
        var baseUrl = Server.BaseUri.GetLeftPart(UriPartial.Authority);
        var moderator = await session.OpenAsync("moderator", 1280, 800, locale: "en-US");
        await moderator.GotoAsync($"{baseUrl}/e/{e.Code}/moderator?session={e.Keynote}&lang=en");
        await moderator.GetByTestId("passcode").FillAsync(LiveHubServer.Passcode);
        await moderator.GetByTestId("sign-in").ClickAsync();
        await Expect(moderator.GetByTestId("connection-status")).ToHaveAttributeAsync("data-state", "connected");
        await session.StepAsync("signed in");

        await ModeratorScene.RotateAsync(Server, e.Code, "rotated-passcode-7");

        // Without touching the page: the server's push brings it back to the sign-in form.
        await Expect(moderator.GetByTestId("signin-error")).ToContainTextAsync("The moderator passcode was changed");
        await Expect(moderator.GetByTestId("passcode")).ToBeVisibleAsync();
        await session.StepAsync("rotated out");
    }
}
