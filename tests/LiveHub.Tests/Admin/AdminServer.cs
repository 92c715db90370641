using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using LiveHub.Tests.Infrastructure;

namespace LiveHub.Tests.Admin;

/// <summary>One server with a configured admin key for the organizer's tests; every test makes its own event on it.</summary>
public sealed class AdminServerFixture : IAsyncLifetime
{
    public const string AdminKey = "test-admin-key-0123456789";

    public LiveHubServer Server { get; private set; } = null!;

    public async Task InitializeAsync() => Server = await LiveHubServer.StartAsync(new Dictionary<string, string?>
    {
        ["LiveHub:Admin:Key"] = AdminKey,
        ["LiveHub:Admin:SignInAttemptsPerMinute"] = "10000",
        ["LiveHub:Web:SignInAttemptsPerMinute"] = "10000",
        ["LiveHub:Questions:UpvoteFlushMilliseconds"] = "100",
    });

    public async Task DisposeAsync() => await Server.DisposeAsync();
}

[CollectionDefinition(Name)]
public sealed class AdminServerCollection : ICollectionFixture<AdminServerFixture>
{
    public const string Name = "admin-server";
}

/// <summary>An HTTP client with its own cookie jar, optionally signed in as the organizer.</summary>
public sealed class AdminHttp : IDisposable
{
    private AdminHttp(CookieContainer cookies, HttpClient http)
    {
        Cookies = cookies;
        Http = http;
    }

    public CookieContainer Cookies { get; }
    public HttpClient Http { get; }

    public static async Task<AdminHttp> SignInAsync(LiveHubServer server, string key = AdminServerFixture.AdminKey)
    {
        var client = Anonymous(server);
        using var response = await client.Http.PostAsJsonAsync("/api/admin/session", new { key });
        response.EnsureSuccessStatusCode();
        return client;
    }

    public static AdminHttp Anonymous(LiveHubServer server)
    {
        var cookies = new CookieContainer();
        var http = new HttpClient(new HttpClientHandler { CookieContainer = cookies, AllowAutoRedirect = false })
        {
            BaseAddress = server.BaseUri,
            Timeout = TestClient.Timeout,
        };
        return new AdminHttp(cookies, http);
    }

    public void Dispose() => Http.Dispose();
}

public static class Scenarios
{
    public static string DemoPath => Path.Combine(Repo.Root, "src", "Web", "Demo", "citynet-kupang-2019.json");

    /// <summary>The demo scenario file as an import body: the file itself plus a code and a moderator passcode.</summary>
    public static JsonObject DemoImport(string code, string passcode = LiveHubServer.Passcode)
    {
        var body = JsonNode.Parse(File.ReadAllText(DemoPath), documentOptions: new System.Text.Json.JsonDocumentOptions
        {
            CommentHandling = System.Text.Json.JsonCommentHandling.Skip,
        })!.AsObject();
        body["code"] = code;
        body["moderatorPasscode"] = passcode;
        return body;
    }

    public static string NewCode() => System.Security.Cryptography.RandomNumberGenerator.GetString(LiveHub.Events.JoinCode.Alphabet, LiveHub.Events.JoinCode.Length);
}
