using System.Net.Http.Json;
using System.Text;
using LiveHub.Export;
using LiveHub.Reactions;
using LiveHub.Realtime;
using LiveHub.Tests.Admin;
using LiveHub.Tests.Infrastructure;
using LiveHub.Web.Export;

namespace LiveHub.Tests.Export;

[Collection(AdminServerCollection.Name)]
public sealed class ReactionExportTests(AdminServerFixture fixture)
{
    private LiveHubServer Server => fixture.Server;

    [Fact]
    public async Task ReactionTotalsAreExportedPerSession()
    {
        var e = await Server.CreateEventAsync();
        await using var moderator = await TestClient.ConnectAsync(Server, moderatorOf: e.Code);
        await Reactions.SendAsync(Server, e.Keynote, ("clap", 3), ("heart", 1));
        await Reactions.SendAsync(Server, e.Panel, ("up", 2));

        var export = await Reactions.WaitForTotalAsync(moderator.Http, $"/api/events/{e.Code}/export/reactions.json", 6);
        var session = await moderator.Http.GetFromJsonAsync<ReactionExport>($"/api/sessions/{e.Keynote}/export/reactions.json");
        var csv = await moderator.Http.GetByteArrayAsync($"/api/sessions/{e.Keynote}/export/reactions.csv");
        var rows = CsvReader.Parse(Encoding.UTF8.GetString(csv, 3, csv.Length - 3));

        Assert.Equal([("keynote", "clap", "👏", 3L), ("keynote", "heart", "❤️", 1L), ("panel-regions", "up", "👍", 2L)],
            export.Reactions.Select(r => (r.SessionKey, r.Reaction, r.Emoji, r.Total)));
        Assert.Equal(2, session!.Reactions.Count);
        Assert.Equal(ExportApi.ReactionColumns, rows[0]);
        Assert.Equal(["clap", "heart"], rows.Skip(1).Select(r => r[3]));
    }
}

/// <summary>Sends reactions and waits for their totals, which are stored once per tick.</summary>
public static class Reactions
{
    /// <summary>Reactions from a fresh phone; each stays within the per-participant burst.</summary>
    public static async Task SendAsync(LiveHubServer server, long sessionId, params (string Reaction, int Times)[] reactions)
    {
        await using var phone = await TestClient.ConnectAsync(server);
        foreach (var (reaction, times) in reactions)
        {
            for (var i = 0; i < times; i++)
            {
                await phone.OkAsync<bool>(nameof(EventHub.SendReaction), new SendReactionRequest(sessionId, reaction));
            }
        }
    }

    /// <summary>Totals are stored once per tick: read the export until it holds them all.</summary>
    public static async Task<ReactionExport> WaitForTotalAsync(HttpClient http, string url, long total)
    {
        var deadline = DateTime.UtcNow + TestClient.Timeout;
        while (true)
        {
            var export = await http.GetFromJsonAsync<ReactionExport>(url);
            if (export!.Reactions.Sum(r => r.Total) >= total)
            {
                return export;
            }
            Assert.True(DateTime.UtcNow < deadline, $"Timed out waiting for {total} reactions in {url}");
            await Task.Delay(50);
        }
    }
}
