using LiveHub.Tests.Admin;
using LiveHub.Tests.Infrastructure;

namespace LiveHub.Tests.Export;

[Collection(AdminServerCollection.Name)]
public sealed class ExportDownloadTests(AdminServerFixture fixture)
{
    private LiveHubServer Server => fixture.Server;

    [Theory]
    [InlineData("questions.json")]
    [InlineData("polls.json")]
    [InlineData("reactions.json")]
    [InlineData("questions.csv")]
    [InlineData("polls.csv")]
    [InlineData("reactions.csv")]
    public async Task EveryExportDownloadsAsAnAttachmentNamedForItsEventAndSession(string file)
    {
        var e = await Server.CreateEventAsync();
        await using var moderator = await TestClient.ConnectAsync(Server, moderatorOf: e.Code);

        using var whole = await moderator.Http.GetAsync($"/api/events/{e.Code}/export/{file}");
        using var session = await moderator.Http.GetAsync($"/api/sessions/{e.Panel}/export/{file}");

        foreach (var (response, name) in new[] { (whole, $"{e.Code}-{file}"), (session, $"{e.Code}-panel-regions-{file}") })
        {
            response.EnsureSuccessStatusCode();
            var disposition = response.Content.Headers.ContentDisposition;
            Assert.NotNull(disposition);
            Assert.Equal(("attachment", name), (disposition.DispositionType, disposition.FileName?.Trim('"')));
            Assert.Equal(file.EndsWith(".json", StringComparison.Ordinal) ? "application/json" : "text/csv", response.Content.Headers.ContentType?.MediaType);
        }
    }
}
