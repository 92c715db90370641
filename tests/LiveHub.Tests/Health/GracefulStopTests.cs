using System.Net;
using Dapper;
using LiveHub.Data;
using LiveHub.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace LiveHub.Tests.Health;

public sealed class GracefulStopTests
{
    [Fact]
    public async Task AStoppingNodeIsUnreadyAtOnceStaysAliveWhileItDrainsThenClosesItsHubConnections()
    {
        await using var server = await LiveHubServer.StartAsync(new Dictionary<string, string?> { ["LiveHub:Shutdown:DrainSeconds"] = "2" });
        var e = await server.CreateEventAsync(moderation: "open");
        await using var phone = await TestClient.ConnectAsync(server);
        await phone.JoinAsync(e.Keynote);
        var closed = new TaskCompletionSource<Exception?>(TaskCreationOptions.RunContinuationsAsynchronously);
        phone.Connection.Closed += ex =>
        {
            closed.TrySetResult(ex);
            return Task.CompletedTask;
        };
        using var http = new HttpClient { BaseAddress = server.BaseUri, Timeout = TimeSpan.FromSeconds(2) };
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/health/ready")).StatusCode);

        var stopping = server.StopAsync();
        var ready = await StatusAsync(http, "/health/ready");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready);

        // Draining: the clients it has still work, newcomers are sent elsewhere.
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(http, "/health/live"));
        var asked = await phone.AskAsync(e.Keynote, "Masih bisa bertanya saat server berhenti?");
        await Assert.ThrowsAnyAsync<Exception>(async () => await TestClient.ConnectAsync(server));

        // Liveness answers 200 until the server is gone; it never reports the node as broken.
        var live = new List<HttpStatusCode?>();
        while (!stopping.IsCompleted)
        {
            live.Add(await StatusAsync(http, "/health/live"));
            await Task.Delay(50);
        }
        await stopping;

        Assert.Contains(HttpStatusCode.OK, live);
        Assert.All(live.SkipWhile(s => s == HttpStatusCode.OK), s => Assert.Null(s));
        await closed.Task.WaitAsync(TestClient.Timeout);
        await using var connection = await server.Services.GetRequiredService<Database>().OpenAsync(CancellationToken.None);
        Assert.Equal(1, await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM questions WHERE id = @Id", new { asked.Id }));
    }

    /// <summary>The status, or null when the server no longer answers at all.</summary>
    private static async Task<HttpStatusCode?> StatusAsync(HttpClient http, string path)
    {
        try
        {
            using var response = await http.GetAsync(path);
            return response.StatusCode;
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            return null;
        }
    }
}
