using LiveHub.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace LiveHub.Tests.Browser;

/// <summary>
/// The start page holds and checks a typed code's length by the server's limit (spaces and dashes dropped as typed) and leaves
/// which characters make a code to the server.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class HomeJoinTests(ServerFixture fixture)
{
    [SkippableFact]
    public async Task ACodeOfTheWrongLengthIsExplainedWithTheServersLengthAndAnUnknownCodeIsNoEvent()
    {
        await using var session = await Infrastructure.Browser.LaunchAsync();
        var phone = await session.OpenAsync("phone", 360, 740);
        await phone.GotoAsync(new Uri(fixture.Server.BaseUri, "/").ToString());

        await phone.GetByTestId("event-code").FillAsync("ab1");
        await phone.GetByTestId("join").ClickAsync();
        var error = phone.GetByTestId("join-error");
        await Expect(error).ToHaveTextAsync("Kode acara terdiri dari 6 huruf atau angka. Silakan periksa kembali.");
        await session.StepAsync("a code too short");

        // Typed with a dash, the input keeps a code's six characters (its maxlength is the server's length); one of them a
        // zero the alphabet leaves out: the server says there is no such event (its 404 is the answer, logged by the browser
        // as a failed load).
        session.ExpectNetworkErrors();
        await phone.GetByTestId("event-code").FillAsync("");
        await phone.GetByTestId("event-code").PressSequentiallyAsync("KUP-AN0");
        await Expect(phone.GetByTestId("event-code")).ToHaveValueAsync("KUPAN0");
        await phone.GetByTestId("join").ClickAsync();
        await Expect(error).ToHaveTextAsync("Acara dengan kode ini tidak ditemukan. Silakan periksa kembali kodenya.");
        await session.StepAsync("a code of no event");
    }
}
