using System.Net;
using System.Net.Http.Json;
using System.Net.WebSockets;
using Dapper;
using LiveHub.Data;
using LiveHub.Realtime;
using LiveHub.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace LiveHub.Tests.Identity;

[Collection(ServerCollection.Name)]
public sealed class AccessTests(ServerFixture fixture)
{
    private LiveHubServer Server => fixture.Server;

    [Fact]
    public async Task WebSocketHandshakeFromAForeignOriginIsRefused()
    {
        var hub = new UriBuilder(Server.BaseUri) { Scheme = "ws", Path = "/hub" }.Uri;
        using var foreign = new ClientWebSocket();
        foreign.Options.SetRequestHeader("Origin", "http://evil.example");
        var error = await Assert.ThrowsAsync<WebSocketException>(() => foreign.ConnectAsync(hub, CancellationToken.None).WaitAsync(TestClient.Timeout));
        Assert.Contains("403", error.Message);

        // The page's own origin, with the participant cookie its page view left.
        var cookies = new CookieContainer();
        using (var page = new HttpClient(new HttpClientHandler { CookieContainer = cookies }) { BaseAddress = Server.BaseUri })
        {
            (await page.GetAsync("/")).EnsureSuccessStatusCode();
        }
        using var sameOrigin = new ClientWebSocket { Options = { Cookies = cookies } };
        sameOrigin.Options.SetRequestHeader("Origin", Server.BaseUri.GetLeftPart(UriPartial.Authority));
        await sameOrigin.ConnectAsync(hub, CancellationToken.None).WaitAsync(TestClient.Timeout);
        Assert.Equal(WebSocketState.Open, sameOrigin.State);
    }

    [Fact]
    public async Task WrongPasscodeIsRefusedWithATypedErrorAndGrantsNothing()
    {
        var e = await Server.CreateEventAsync();
        using var http = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer() }) { BaseAddress = Server.BaseUri };

        var response = await http.PostAsJsonAsync($"/api/events/{e.Code}/moderator/session", new { passcode = "guess" });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = await response.Content.ReadFromJsonAsync<HubError>();
        Assert.Equal("wrong_passcode", error!.Code);
        Assert.Equal("error.wrong_passcode", error.MessageKey);
        var status = await http.GetFromJsonAsync<LiveHub.Web.Moderators.ModeratorStatus>($"/api/events/{e.Code}/moderator/session");
        Assert.False(status!.IsModerator);
    }

    [Fact]
    public async Task PasscodeIsStoredOnlyAsAHash()
    {
        var e = await Server.CreateEventAsync();
        await using var connection = await Server.Services.GetRequiredService<Database>().OpenAsync(CancellationToken.None);
        var hash = await connection.ExecuteScalarAsync<string>("SELECT moderator_passcode_hash FROM events WHERE id = @Id", new { e.Id });

        Assert.DoesNotContain(LiveHubServer.Passcode, hash);
        Assert.True(LiveHub.Identity.PasscodeHasher.Verify(hash!, LiveHubServer.Passcode));
        Assert.False(LiveHub.Identity.PasscodeHasher.Verify(hash!, LiveHubServer.Passcode + "x"));
    }

    [Fact]
    public async Task ModeratorSignInLastsAcrossRequestsAndSignOutEndsIt()
    {
        var e = await Server.CreateEventAsync();
        await using var moderator = await TestClient.ConnectAsync(Server, moderatorOf: e.Code);
        var status = await moderator.Http.GetFromJsonAsync<LiveHub.Web.Moderators.ModeratorStatus>($"/api/events/{e.Code}/moderator/session");
        Assert.True(status!.IsModerator);

        (await moderator.Http.DeleteAsync($"/api/events/{e.Code}/moderator/session")).EnsureSuccessStatusCode();
        await moderator.ReconnectAsync();
        var join = await moderator.InvokeAsync<LiveHub.Events.SessionSnapshot>(nameof(EventHub.JoinSession), e.Keynote, "moderator");
        Assert.Equal(ErrorCodes.Forbidden, join.Error!.Code);
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/api/events/KUPANG")]
    public async Task EveryResponseCarriesAContentSecurityPolicyWithoutInlineScript(string path)
    {
        using var http = new HttpClient { BaseAddress = Server.BaseUri };
        using var response = await http.GetAsync(path);
        var csp = string.Join(";", response.Headers.GetValues("Content-Security-Policy"));

        Assert.Contains("script-src 'self'", csp);
        Assert.DoesNotContain("unsafe-inline", csp);
        Assert.DoesNotContain("unsafe-eval", csp);
    }

    [Fact]
    public async Task JoinQrCodeIsAnSvgOfTheAudienceUrl()
    {
        var e = await Server.CreateEventAsync();
        using var http = new HttpClient { BaseAddress = Server.BaseUri };
        using var response = await http.GetAsync($"/api/events/{e.Code.ToLowerInvariant()}/qr.svg");

        response.EnsureSuccessStatusCode();
        Assert.Equal("image/svg+xml", response.Content.Headers.ContentType!.MediaType);
        Assert.StartsWith("<svg", (await response.Content.ReadAsStringAsync()).TrimStart());
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync("/api/events/ZZZZZZ/qr.svg")).StatusCode);
    }
}

public sealed class SignInLimitTests
{
    [Fact]
    public async Task PasscodeGuessingIsSlowedDownPerAddress()
    {
        await using var server = await LiveHubServer.StartAsync(new Dictionary<string, string?> { ["LiveHub:Web:SignInAttemptsPerMinute"] = "3" });
        var e = await server.CreateEventAsync();
        using var http = new HttpClient { BaseAddress = server.BaseUri };

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 5; i++)
        {
            using var response = await http.PostAsJsonAsync($"/api/events/{e.Code}/moderator/session", new { passcode = $"guess-{i}" });
            statuses.Add(response.StatusCode);
        }

        Assert.Equal([HttpStatusCode.BadRequest, HttpStatusCode.BadRequest, HttpStatusCode.BadRequest, HttpStatusCode.TooManyRequests, HttpStatusCode.TooManyRequests], statuses);
    }
}

[Collection(ServerCollection.Name)]
public sealed class StaticAssetTests(ServerFixture fixture)
{
    [Fact]
    public async Task FingerprintedScriptsGoOutCompressedAndCachedForGoodAndPagesRevalidateCheaply()
    {
        using var http = new HttpClient(new HttpClientHandler { AutomaticDecompression = DecompressionMethods.None }) { BaseAddress = fixture.Server.BaseUri };
        using var page = await http.GetAsync("/");
        var html = await new HttpClient { BaseAddress = fixture.Server.BaseUri }.GetStringAsync("/");
        var module = System.Text.RegularExpressions.Regex.Match(html, @"<link rel=""modulepreload"" href=""(/js/[^""]+\.[a-z0-9]{10}\.js)"">").Groups[1].Value;
        Assert.NotEmpty(module);

        using var request = new HttpRequestMessage(HttpMethod.Get, module);
        request.Headers.AcceptEncoding.ParseAdd("br, gzip");
        using var script = await http.SendAsync(request);
        Assert.Contains(script.Content.Headers.ContentEncoding, e => e is "br" or "gzip");
        Assert.Contains("immutable", script.Headers.CacheControl!.ToString());

        var etag = page.Headers.ETag;
        Assert.NotNull(etag);
        using var again = new HttpRequestMessage(HttpMethod.Get, "/");
        again.Headers.IfNoneMatch.Add(etag);
        using var notModified = await http.SendAsync(again);
        Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);
    }
}
