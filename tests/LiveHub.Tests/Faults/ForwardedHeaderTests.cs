using System.Net;
using System.Net.Http.Json;
using LiveHub.Tests.Infrastructure;

namespace LiveHub.Tests.Faults;

/// <summary>
/// The per-address limits count the address the server can trust: <c>X-Forwarded-For</c> only from a proxy listed in
/// <c>LiveHub:Web:TrustedProxies</c>, the loopback included; anyone else could write a new address on every try.
/// </summary>
public sealed class ForwardedHeaderTests
{
    [Fact]
    public async Task AForgedForwardedForFromTheLoopbackDoesNotDodgeTheAdminSignInLimit()
    {
        await using var server = await LiveHubServer.StartAsync(new Dictionary<string, string?>
        {
            ["LiveHub:Admin:Key"] = "forwarded-admin-key-0123456789",
            ["LiveHub:Admin:SignInAttemptsPerMinute"] = "3",
        });

        var statuses = await SignInAttemptsAsync(server, Enumerable.Range(1, 5).Select(i => $"203.0.113.{i}"));

        Assert.Equal([HttpStatusCode.BadRequest, HttpStatusCode.BadRequest, HttpStatusCode.BadRequest, HttpStatusCode.TooManyRequests, HttpStatusCode.TooManyRequests], statuses);
    }

    [Fact]
    public async Task AForgedForwardedForFromTheLoopbackDoesNotDodgeTheModeratorSignInLimit()
    {
        await using var server = await LiveHubServer.StartAsync(new Dictionary<string, string?> { ["LiveHub:Web:SignInAttemptsPerMinute"] = "3" });
        var e = await server.CreateEventAsync();
        using var http = new HttpClient { BaseAddress = server.BaseUri };

        var statuses = new List<HttpStatusCode>();
        for (var i = 1; i <= 5; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/events/{e.Code}/moderator/session")
            {
                Content = JsonContent.Create(new { passcode = $"guess-{i}" }),
            };
            request.Headers.Add("X-Forwarded-For", $"203.0.113.{i}");
            using var response = await http.SendAsync(request);
            statuses.Add(response.StatusCode);
        }

        Assert.Equal([HttpStatusCode.BadRequest, HttpStatusCode.BadRequest, HttpStatusCode.BadRequest, HttpStatusCode.TooManyRequests, HttpStatusCode.TooManyRequests], statuses);
    }

    [Fact]
    public async Task BehindAConfiguredLoopbackProxyEachClientAddressHasItsOwnLimit()
    {
        await using var server = await LiveHubServer.StartAsync(new Dictionary<string, string?>
        {
            ["LiveHub:Admin:Key"] = "forwarded-admin-key-0123456789",
            ["LiveHub:Admin:SignInAttemptsPerMinute"] = "3",
            ["LiveHub:Web:TrustedProxies:0"] = "127.0.0.1",
        });

        var spread = await SignInAttemptsAsync(server, Enumerable.Range(1, 5).Select(i => $"203.0.113.{i}"));
        var one = await SignInAttemptsAsync(server, Enumerable.Repeat("198.51.100.7", 4));

        Assert.All(spread, s => Assert.Equal(HttpStatusCode.BadRequest, s));
        Assert.Equal([HttpStatusCode.BadRequest, HttpStatusCode.BadRequest, HttpStatusCode.BadRequest, HttpStatusCode.TooManyRequests], one);
    }

    private static async Task<List<HttpStatusCode>> SignInAttemptsAsync(LiveHubServer server, IEnumerable<string> forwardedFor)
    {
        using var http = new HttpClient { BaseAddress = server.BaseUri };
        var statuses = new List<HttpStatusCode>();
        foreach (var address in forwardedFor)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/admin/session") { Content = JsonContent.Create(new { key = "a-wrong-admin-key-000" }) };
            request.Headers.Add("X-Forwarded-For", address);
            using var response = await http.SendAsync(request);
            statuses.Add(response.StatusCode);
        }
        return statuses;
    }
}
