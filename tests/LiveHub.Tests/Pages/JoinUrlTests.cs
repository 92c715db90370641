using System.Net;
using System.Net.Http.Json;
using LiveHub.Data.Events;
using LiveHub.Events;
using LiveHub.Realtime;
using LiveHub.Tests.Infrastructure;
using LiveHub.Web.Pages;
using LiveHub.Web.Qr;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace LiveHub.Tests.Pages;

/// <summary>The projector opened on the server laptop as localhost: where its QR code and its URL send the phones.</summary>
public sealed class JoinUrlTests
{
    // TEST-NET-1, an address for documentation: the machine pretends to be on a hall network it does not have.
    private static readonly IPAddress HallAddress = IPAddress.Parse("192.0.2.10");

    [Fact]
    public async Task OpenedOnTheServerTheQrCodeAndTheProjectorSendPhonesToTheLanAddress()
    {
        var log = new LogCapture();
        await using var server = await LiveHubServer.StartAsync(urls: "http://0.0.0.0:0", services: s => OnHallNetwork(s, log));
        var e = await server.CreateEventAsync();
        var port = server.BaseUri.Port;
        var expected = $"http://192.0.2.10:{port}/e/{e.Code}";
        await using var projector = await TestClient.ConnectAsync(server);
        var room = (await server.Services.GetRequiredService<EventStore>().ListRoomsAsync(e.Id, CancellationToken.None)).First(r => r.Code is not null);

        var snapshot = await projector.OkAsync<EventSnapshot>(nameof(EventHub.JoinEvent), e.Code);
        var overHttp = await projector.Http.GetFromJsonAsync<EventSnapshot>($"/api/events/{e.Code}");
        var qr = await projector.Http.GetStringAsync($"/api/events/{e.Code}/qr.svg");
        var roomQr = await projector.Http.GetStringAsync($"/api/rooms/{room.Code}/qr.svg");

        Assert.Equal("127.0.0.1", projector.BaseUri.Host);
        Assert.Equal((expected, null), (snapshot.JoinUrl, snapshot.JoinUrlWarning));
        Assert.Equal((expected, null), (overHttp!.JoinUrl, overHttp.JoinUrlWarning));
        Assert.Equal(QrCodes.Svg(expected), qr);
        Assert.Equal(QrCodes.Svg($"http://192.0.2.10:{port}/r/{room.Code}"), roomQr);
        Assert.Contains(log.Messages, m => m.Level == LogLevel.Warning
            && m.Message.Contains("LiveHub:Web:PublicUrl", StringComparison.Ordinal)
            && m.Message.Contains($"http://192.0.2.10:{port}", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AServerOnTheLoopbackOnlyFlagsItsJoinUrlAndSaysHowToOpenItToPhones()
    {
        var log = new LogCapture();
        await using var server = await LiveHubServer.StartAsync(services: s => OnHallNetwork(s, log));
        var e = await server.CreateEventAsync();
        var port = server.BaseUri.Port;
        var expected = $"http://127.0.0.1:{port}/e/{e.Code}";
        await using var projector = await TestClient.ConnectAsync(server);

        var snapshot = await projector.OkAsync<EventSnapshot>(nameof(EventHub.JoinEvent), e.Code);
        var qr = await projector.Http.GetStringAsync($"/api/events/{e.Code}/qr.svg");

        Assert.Equal((expected, JoinUrlWarnings.LoopbackOnly), (snapshot.JoinUrl, snapshot.JoinUrlWarning));
        Assert.Equal(QrCodes.Svg(expected), qr);
        Assert.Contains(log.Messages, m => m.Level == LogLevel.Warning
            && m.Message.Contains($"--urls http://0.0.0.0:{port}", StringComparison.Ordinal)
            && m.Message.Contains($"--LiveHub:Web:PublicUrl=http://192.0.2.10:{port}", StringComparison.Ordinal));
    }

    [Fact]
    public async Task APageOpenedByTheServersNetworkNameKeepsThatName()
    {
        await using var server = await LiveHubServer.StartAsync(services: s => OnHallNetwork(s, new LogCapture()));
        var e = await server.CreateEventAsync();
        var host = $"livehub.lan:{server.BaseUri.Port}";
        using var http = new HttpClient { BaseAddress = server.BaseUri };

        var snapshot = await GetAsync<EventSnapshot>(http, $"/api/events/{e.Code}", host);
        var qr = await GetAsync<string>(http, $"/api/events/{e.Code}/qr.svg", host);

        Assert.Equal(($"http://{host}/e/{e.Code}", null), (snapshot.JoinUrl, snapshot.JoinUrlWarning));
        Assert.Equal(QrCodes.Svg($"http://{host}/e/{e.Code}"), qr);
    }

    private static void OnHallNetwork(IServiceCollection services, LogCapture log)
    {
        services.AddSingleton(new LanAddresses(() => [HallAddress]));
        services.AddSingleton<ILoggerProvider>(log);
    }

    private static async Task<T> GetAsync<T>(HttpClient http, string path, string host)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Host = host;
        using var response = await http.SendAsync(request);
        response.EnsureSuccessStatusCode();
        return typeof(T) == typeof(string)
            ? (T)(object)await response.Content.ReadAsStringAsync()
            : (await response.Content.ReadFromJsonAsync<T>())!;
    }
}
