using Dapper;
using LiveHub.Data;
using LiveHub.Tests.Infrastructure;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;

namespace LiveHub.Tests.Faults;

/// <summary>What a broken or hostile client can send over the hub, and what it costs: at most its own connection.</summary>
[Collection(ServerCollection.Name)]
public sealed class HostileInputTests(ServerFixture fixture)
{
    private LiveHubServer Server => fixture.Server;

    [Fact]
    public async Task ACallThatCannotBeBoundFailsAloneAndTheConnectionStaysUp()
    {
        var e = await Server.CreateEventAsync();
        await using var hub = await RawHub.ConnectAsync(Server);

        foreach (var (target, arguments) in new[] { ("AskQuestion", "[\"x\"]"), ("AskQuestion", "[1,2,3]"), ("AskQuestion", "[[[[1]]]]"), ("DropTables", "[]") })
        {
            var completion = await hub.InvokeAsync("bad", target, arguments);
            Assert.NotNull(completion);
            Assert.NotNull(completion["error"]);
        }

        var asked = await hub.InvokeAsync("good", "AskQuestion", $$"""[{"sessionId":{{e.Keynote}},"clientId":"after-bad-calls","text":"Masih bisa?"}]""");
        Assert.True((bool?)asked!["result"]!["ok"], asked.ToJsonString());
    }

    /// <summary>
    /// Text that is not JSON, JSON cut off, nesting two hundred deep and a frame over the 8 KiB limit each close the sender's
    /// connection (SignalR's rule; the close allows a reconnect); nothing is stored, and every other connection carries on.
    /// </summary>
    [Fact]
    public async Task MalformedDeepOrOversizedInputClosesOnlyItsOwnConnectionAndStoresNothing()
    {
        var e = await Server.CreateEventAsync();
        await using var bystander = await TestClient.ConnectAsync(Server);
        await bystander.JoinAsync(e.Keynote);
        var deep = new string('[', 200) + new string(']', 200);
        var big = new string('a', 9 * 1024);
        string[] records =
        [
            "hello",
            $$"""{"type":1,"invocationId":"1","target":"AskQuestion","arguments":[{"sessionId":{{e.Keynote}},"clientId":"cut","text":"Terpotong""",
            $$"""{"type":1,"invocationId":"1","target":"AskQuestion","arguments":[{{deep}}]}""",
            $$"""{"type":1,"invocationId":"1","target":"AskQuestion","arguments":[{"sessionId":{{e.Keynote}},"clientId":"big","text":"{{big}}"}]}""",
        ];

        foreach (var record in records)
        {
            await using var hub = await RawHub.ConnectAsync(Server);
            await hub.SendAsync(record);
            var close = await hub.ClosedAsync();
            Assert.True(close is null || (bool?)close["allowReconnect"] == true, close?.ToJsonString());
        }

        Assert.Equal(0, await CountAsync("SELECT COUNT(*) FROM questions WHERE session_id = @Keynote", new { e.Keynote }));
        Assert.Equal(HubConnectionState.Connected, bystander.Connection.State);
        await bystander.AskAsync(e.Keynote, "Saya masih terhubung?");
    }

    private async Task<long> CountAsync(string sql, object args)
    {
        await using var connection = await Server.Services.GetRequiredService<Database>().OpenAsync(CancellationToken.None);
        return await connection.ExecuteScalarAsync<long>(sql, args);
    }
}
