using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using LiveHub.Data;
using LiveHub.Identity;
using LiveHub.Realtime;
using LiveHub.Tests.Admin;
using LiveHub.Tests.Infrastructure;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace LiveHub.Tests.Faults;

/// <summary>One server whose organizer and moderator are signed in, and one origin besides its own that it allows.</summary>
public sealed class CrossSiteServerFixture : IAsyncLifetime
{
    public const string AllowedOrigin = "https://screens.example.org";

    public LiveHubServer Server { get; private set; } = null!;

    public async Task InitializeAsync() => Server = await LiveHubServer.StartAsync(new Dictionary<string, string?>
    {
        ["LiveHub:Admin:Key"] = AdminServerFixture.AdminKey,
        ["LiveHub:Admin:SignInAttemptsPerMinute"] = "10000",
        ["LiveHub:Web:SignInAttemptsPerMinute"] = "10000",
        ["LiveHub:Realtime:AllowedOrigins:0"] = AllowedOrigin,
    });

    public async Task DisposeAsync() => await Server.DisposeAsync();
}

/// <summary>
/// A page of another origin (another site, or another origin of the same site, which SameSite cookies do not stop) makes the
/// organizer's or moderator's browser send a form or a request that changes something: every state-changing endpoint refuses
/// it and stores nothing. The endpoints are read from the app itself, so a new one cannot skip the rule.
/// </summary>
public sealed class CrossSiteWriteTests(CrossSiteServerFixture fixture) : IClassFixture<CrossSiteServerFixture>
{
    private static readonly string[] StateChanging = [HttpMethods.Post, HttpMethods.Put, HttpMethods.Patch, HttpMethods.Delete];

    private LiveHubServer Server => fixture.Server;

    // Another port of the same host: another origin of the same site, where SameSite cookies still travel.
    private string ForeignOrigin => $"http://{Server.BaseUri.Host}:1";

    private string OwnOrigin => Server.BaseUri.GetLeftPart(UriPartial.Authority);

    [Fact]
    public async Task EveryStateChangingEndpointRefusesFormsAndForeignOriginsAndStoresNothing()
    {
        var e = await Server.CreateEventAsync();
        using var signedIn = await SignedInAsync(e.Code);
        var endpoints = StateChangingEndpoints();
        Assert.Contains(endpoints, x => x.Method == HttpMethods.Post && x.Pattern == "/api/admin/events");
        Assert.Contains(endpoints, x => x.Method == HttpMethods.Post && x.Pattern == "/api/admin/events/{code}/passcode");
        Assert.Contains(endpoints, x => x.Method == HttpMethods.Delete && x.Pattern == "/api/admin/events/{code}");
        var before = await DatabaseFingerprintAsync();

        var failures = new List<string>();
        foreach (var (method, pattern) in endpoints)
        {
            var path = Fill(pattern, e.Code);
            var json = ValidBody(method, pattern, e.Code);
            var attempts = new (string What, HttpContent? Content, string? Origin, HttpStatusCode Expected)[]
            {
                ("text/plain form", new StringContent(json, Encoding.UTF8, "text/plain"), null, HttpStatusCode.UnsupportedMediaType),
                ("urlencoded form", new FormUrlEncodedContent(new Dictionary<string, string> { [json] = "" }), null, HttpStatusCode.UnsupportedMediaType),
                ("multipart form", new MultipartFormDataContent { { new StringContent(json), "body" } }, null, HttpStatusCode.UnsupportedMediaType),
                ("text/plain form from a foreign origin", new StringContent(json, Encoding.UTF8, "text/plain"), ForeignOrigin, HttpStatusCode.Forbidden),
                ("JSON from a foreign origin", JsonBody(json), ForeignOrigin, HttpStatusCode.Forbidden),
                ("JSON from an opaque origin", JsonBody(json), "null", HttpStatusCode.Forbidden),
            };
            foreach (var (what, content, origin, expected) in attempts)
            {
                // Signed in afresh each time: a sign-out that got through must not hide the next endpoint's answer.
                await SignInAsync(signedIn, e.Code);
                using var request = new HttpRequestMessage(new HttpMethod(method), path) { Content = content };
                if (origin is not null)
                {
                    request.Headers.Add("Origin", origin);
                }
                using var response = await signedIn.Http.SendAsync(request);
                var cookies = response.Headers.TryGetValues("Set-Cookie", out var set) ? string.Join("; ", set) : "";
                if (response.StatusCode != expected || cookies.Length > 0)
                {
                    failures.Add($"{method} {pattern}, {what}: {(int)response.StatusCode} {response.StatusCode}" +
                        (cookies.Length > 0 ? $", set {cookies.Split('=')[0]}" : ""));
                }
                else if (!await IsTypedErrorAsync(response))
                {
                    failures.Add($"{method} {pattern}, {what}: no typed error in the body");
                }
            }
        }

        Assert.True(failures.Count == 0, $"{failures.Count} cross-site writes were not refused:\n{string.Join("\n", failures)}");
        var after = await DatabaseFingerprintAsync();
        var changed = after.Split('\n').Except(before.Split('\n')).Take(5).ToList();
        Assert.True(before == after, $"the database changed:\n{string.Join("\n", changed)}");
    }

    [Fact]
    public async Task AJsonWriteFromThePagesOwnOriginAnAllowedOriginOrANonBrowserClientIsAccepted()
    {
        var e = await Server.CreateEventAsync();
        using var signedIn = await SignedInAsync(e.Code);

        foreach (var origin in new string?[] { OwnOrigin, CrossSiteServerFixture.AllowedOrigin, null })
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/admin/events/{e.Code}/passcode")
            {
                Content = JsonContent.Create(new { passcode = "rotated-passcode-9" }),
            };
            if (origin is not null)
            {
                request.Headers.Add("Origin", origin);
            }
            using var response = await signedIn.Http.SendAsync(request);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"from {origin ?? "no origin"}: {(int)response.StatusCode}");
        }

        // A write without a body still says it speaks JSON; DELETE needs no body at all.
        using var bodyless = await signedIn.Http.PostAsync($"/api/admin/events/{e.Code}/moderator-session", JsonBody(""));
        Assert.Equal(HttpStatusCode.OK, bodyless.StatusCode);
        using var signOut = await signedIn.Http.DeleteAsync($"/api/events/{e.Code}/moderator/session");
        Assert.Equal(HttpStatusCode.OK, signOut.StatusCode);
    }

    /// <summary>Every mapped route that takes POST, PUT, PATCH or DELETE, except the hub's (it has its own handshake rules).</summary>
    private List<(string Method, string Pattern)> StateChangingEndpoints()
    {
        var found = new List<(string, string)>();
        foreach (var endpoint in Server.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>())
        {
            var pattern = "/" + (endpoint.RoutePattern.RawText ?? "").Trim('/');
            if (pattern.StartsWith("/hub", StringComparison.Ordinal))
            {
                continue;
            }
            var methods = endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? StateChanging;
            found.AddRange(methods.Where(m => StateChanging.Contains(m, StringComparer.OrdinalIgnoreCase)).Select(m => (m.ToUpperInvariant(), pattern)));
        }
        return found;
    }

    /// <summary>The route with real values, so the request would reach a real event, room and session.</summary>
    private static string Fill(string pattern, string code) => System.Text.RegularExpressions.Regex.Replace(pattern, @"\{([^}:?]+)[^}]*\}", m => m.Groups[1].Value switch
    {
        "code" => code,
        "roomKey" => "main-hall",
        "sessionKey" => "keynote",
        var name => throw new InvalidOperationException($"{pattern}: give the test a value for {{{name}}}"),
    });

    /// <summary>A body the endpoint would accept as JSON, so a refusal is the rule's and not the body's.</summary>
    private static string ValidBody(string method, string pattern, string code) => (method, pattern) switch
    {
        // The organizer's confirmation of a deletion: a forged one would carry the code just the same.
        ("DELETE", "/api/admin/events/{code}") => $$"""{"confirm":"{{code}}"}""",
        ("POST", "/api/admin/session") => $$"""{"key":"{{AdminServerFixture.AdminKey}}"}""",
        ("POST", "/api/admin/events") => Scenarios.DemoImport(Scenarios.NewCode()).ToJsonString(),
        ("PUT", "/api/admin/events/{code}") => """{"name":"Renamed from another site"}""",
        ("POST", "/api/admin/events/{code}/rooms") => """{"key":"attic","name":"Attic","capacity":20}""",
        ("PUT", "/api/admin/events/{code}/rooms/{roomKey}") => """{"name":"Renamed hall","capacity":20}""",
        ("POST", "/api/admin/events/{code}/sessions") =>
            """{"key":"night","room":"main-hall","day":1,"start":"20:00","end":"21:00","kind":"talk","title":"Night talk"}""",
        ("PUT", "/api/admin/events/{code}/sessions/{sessionKey}") =>
            """{"room":"main-hall","day":1,"start":"20:00","end":"21:00","kind":"talk","title":"Moved","status":"ended"}""",
        ("POST", "/api/admin/events/{code}/passcode") => """{"passcode":"chosen-by-another-site"}""",
        ("POST", "/api/events/{code}/moderator/session") => $$"""{"passcode":"{{LiveHubServer.Passcode}}"}""",
        _ => "{}",
    };

    private static async Task<bool> IsTypedErrorAsync(HttpResponseMessage response)
    {
        try
        {
            return JsonNode.Parse(await response.Content.ReadAsStringAsync())?["code"]?.GetValue<string>() is { Length: > 0 };
        }
        catch (System.Text.Json.JsonException)
        {
            return false;
        }
    }

    private static StringContent JsonBody(string json) => new(json, Encoding.UTF8, "application/json");

    /// <summary>An organizer and a moderator of the event in one cookie jar: what a victim's browser carries.</summary>
    private async Task<AdminHttp> SignedInAsync(string code)
    {
        var client = AdminHttp.Anonymous(Server);
        await SignInAsync(client, code);
        Assert.Contains(client.Cookies.GetCookies(Server.BaseUri), c => c.Name == CookieNames.Participant);
        return client;
    }

    private static async Task SignInAsync(AdminHttp client, string code)
    {
        using var admin = await client.Http.PostAsJsonAsync("/api/admin/session", new { key = AdminServerFixture.AdminKey });
        admin.EnsureSuccessStatusCode();
        // Through the organizer, not the passcode: a rotation that got through must not stop the test here.
        using var moderator = await client.Http.PostAsync($"/api/admin/events/{code}/moderator-session", JsonBody(""));
        moderator.EnsureSuccessStatusCode();
    }

    /// <summary>Every row of every table: equal before and after means nothing was stored, changed or deleted.</summary>
    private async Task<string> DatabaseFingerprintAsync()
    {
        await using var connection = await Server.Services.GetRequiredService<Database>().OpenAsync(CancellationToken.None);
        var text = new StringBuilder();
        var tables = new List<string>();
        await using (var list = connection.CreateCommand())
        {
            list.CommandText = "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name";
            await using var reader = await list.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                tables.Add(reader.GetString(0));
            }
        }
        foreach (var table in tables)
        {
            await using var rows = connection.CreateCommand();
            rows.CommandText = $"SELECT * FROM \"{table}\" ORDER BY 1";
            await using var reader = await rows.ExecuteReaderAsync();
            text.Append(table).Append('\n');
            while (await reader.ReadAsync())
            {
                for (var i = 0; i < reader.FieldCount; i++)
                {
                    text.Append(reader.IsDBNull(i) ? "null" : Convert.ToString(reader.GetValue(i), System.Globalization.CultureInfo.InvariantCulture)).Append('|');
                }
                text.Append('\n');
            }
        }
        return text.ToString();
    }
}
