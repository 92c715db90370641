using System.Net;
using System.Net.Http.Json;
using LiveHub.Data;
using LiveHub.Realtime;
using LiveHub.Tests.Infrastructure;
using LiveHub.Web.Admin;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace LiveHub.Tests.Admin;

[Collection(AdminServerCollection.Name)]
public sealed class AdminAccessTests(AdminServerFixture fixture)
{
    private LiveHubServer Server => fixture.Server;

    [Theory]
    [InlineData("GET", "/api/admin/events")]
    [InlineData("POST", "/api/admin/events")]
    [InlineData("GET", "/api/admin/events/KUPANG")]
    [InlineData("PUT", "/api/admin/events/KUPANG")]
    [InlineData("GET", "/api/admin/events/KUPANG/scenario.json")]
    [InlineData("POST", "/api/admin/events/KUPANG/rooms")]
    [InlineData("DELETE", "/api/admin/events/KUPANG/sessions/keynote")]
    [InlineData("POST", "/api/admin/events/KUPANG/passcode")]
    [InlineData("GET", "/api/admin/events/KUPANG/rooms/main-hall/kiosk-link")]
    [InlineData("POST", "/api/admin/events/KUPANG/moderator-session")]
    public async Task AdminEndpointsRefuseCallersWithoutTheAdminSignIn(string method, string path)
    {
        using var anonymous = AdminHttp.Anonymous(Server);
        using var request = new HttpRequestMessage(new HttpMethod(method), path) { Content = JsonContent.Create(new { }) };

        using var response = await anonymous.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task AModeratorSignInIsNoAdminSignIn()
    {
        var e = await Server.CreateEventAsync();
        await using var moderator = await TestClient.ConnectAsync(Server, moderatorOf: e.Code);

        using var response = await moderator.Http.GetAsync("/api/admin/events");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task AWrongAdminKeyIsRefusedWithATypedErrorAndGrantsNothing()
    {
        using var client = AdminHttp.Anonymous(Server);

        using var signIn = await client.Http.PostAsJsonAsync("/api/admin/session", new { key = AdminServerFixture.AdminKey + "x" });
        var error = await signIn.Content.ReadFromJsonAsync<HubError>();
        using var list = await client.Http.GetAsync("/api/admin/events");
        var status = await client.Http.GetFromJsonAsync<AdminStatus>("/api/admin/session");

        Assert.Equal(HttpStatusCode.BadRequest, signIn.StatusCode);
        Assert.Equal("wrong_admin_key", error!.Code);
        Assert.Equal("error.wrong_admin_key", error.MessageKey);
        Assert.Equal(HttpStatusCode.Unauthorized, list.StatusCode);
        Assert.False(status!.IsAdmin);
    }

    [Fact]
    public async Task TheAdminKeyBuysASignInThatSignOutEnds()
    {
        using var admin = await AdminHttp.SignInAsync(Server);
        var cookie = admin.Cookies.GetCookies(Server.BaseUri)[LiveHub.Identity.CookieNames.Admin];

        using var list = await admin.Http.GetAsync("/api/admin/events");
        Assert.Equal(HttpStatusCode.OK, list.StatusCode);
        Assert.True((await admin.Http.GetFromJsonAsync<AdminStatus>("/api/admin/session"))!.IsAdmin);
        Assert.NotNull(cookie);
        Assert.True(cookie.HttpOnly);

        (await admin.Http.DeleteAsync("/api/admin/session")).EnsureSuccessStatusCode();
        using var after = await admin.Http.GetAsync("/api/admin/events");
        Assert.Equal(HttpStatusCode.Unauthorized, after.StatusCode);
    }
}

public sealed class AdminKeyTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "livehub-tests", Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task AGeneratedAdminKeyIsPrintedOnceAndOnlyItsHashIsKept()
    {
        var db = new SqliteDatabase(Path.Combine(_dir, "livehub.db"));
        var firstLog = new ListLogger();
        var first = new AdminKeys(Options.Create(new AdminOptions()), db, firstLog);
        await first.PrepareAsync(CancellationToken.None);

        var printed = Assert.Single(firstLog.Messages, m => m.Contains("Admin key:"));
        var key = printed.Split("Admin key: ")[1].Split('\n')[0].Trim();
        var stored = await File.ReadAllTextAsync(Path.Combine(_dir, AdminKeys.HashFileName));
        Assert.True(key.Length >= 20);
        Assert.DoesNotContain(key, stored);
        Assert.True(first.Verify(key));

        var secondLog = new ListLogger();
        var second = new AdminKeys(Options.Create(new AdminOptions()), db, secondLog);
        await second.PrepareAsync(CancellationToken.None);

        Assert.DoesNotContain(secondLog.Messages, m => m.Contains(key));
        Assert.Contains(secondLog.Messages, m => m.Contains("printed at first start") && m.Contains("delete"));
        Assert.True(second.Verify(key));
        Assert.False(second.Verify(key + "x"));
        Assert.Equal(first.Stamp, second.Stamp);
    }

    [Fact]
    public async Task AConfiguredAdminKeyWritesNoFile()
    {
        var db = new SqliteDatabase(Path.Combine(_dir, "livehub.db"));
        var keys = new AdminKeys(Options.Create(new AdminOptions { Key = "configured-key-0123456789" }), db, NullLogger<AdminKeys>.Instance);
        await keys.PrepareAsync(CancellationToken.None);

        Assert.True(keys.Verify("configured-key-0123456789"));
        Assert.False(keys.Verify("configured-key-012345678"));
        Assert.False(File.Exists(Path.Combine(_dir, AdminKeys.HashFileName)));
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private sealed class ListLogger : ILogger<AdminKeys>
    {
        public List<string> Messages { get; } = [];

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Messages.Add(formatter(state, exception));
    }
}

public sealed class AdminSignInLimitTests
{
    [Fact]
    public async Task ChangingTheAdminKeyEndsSignInsMadeWithTheOldKey()
    {
        var dir = Path.Combine(Path.GetTempPath(), "livehub-tests", Guid.NewGuid().ToString("N"));
        var database = Path.Combine(dir, "livehub.db");
        var cookies = new CookieContainer();
        try
        {
            await using (var before = await LiveHubServer.StartAsync(new Dictionary<string, string?>
            {
                ["LiveHub:Store:SqlitePath"] = database,
                ["LiveHub:Admin:Key"] = AdminServerFixture.AdminKey,
            }))
            {
                using var http = new HttpClient(new HttpClientHandler { CookieContainer = cookies }) { BaseAddress = before.BaseUri };
                (await http.PostAsJsonAsync("/api/admin/session", new { key = AdminServerFixture.AdminKey })).EnsureSuccessStatusCode();
                Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/api/admin/events")).StatusCode);
            }

            // Same data folder, so the same Data Protection keys: the old cookie still decrypts, but carries the old key's stamp.
            await using var after = await LiveHubServer.StartAsync(new Dictionary<string, string?>
            {
                ["LiveHub:Store:SqlitePath"] = database,
                ["LiveHub:Admin:Key"] = AdminServerFixture.AdminKey + "-new",
            });
            using var again = new HttpClient(new HttpClientHandler { CookieContainer = cookies }) { BaseAddress = after.BaseUri };
            Assert.Equal(HttpStatusCode.Unauthorized, (await again.GetAsync("/api/admin/events")).StatusCode);
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            try
            {
                Directory.Delete(dir, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }

    [Fact]
    public async Task AdminKeyGuessingIsSlowedDownPerAddress()
    {
        await using var server = await LiveHubServer.StartAsync(new Dictionary<string, string?>
        {
            ["LiveHub:Admin:Key"] = AdminServerFixture.AdminKey,
            ["LiveHub:Admin:SignInAttemptsPerMinute"] = "3",
        });
        using var client = AdminHttp.Anonymous(server);

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 5; i++)
        {
            using var response = await client.Http.PostAsJsonAsync("/api/admin/session", new { key = $"guess-{i}" });
            statuses.Add(response.StatusCode);
        }

        Assert.Equal([HttpStatusCode.BadRequest, HttpStatusCode.BadRequest, HttpStatusCode.BadRequest, HttpStatusCode.TooManyRequests, HttpStatusCode.TooManyRequests], statuses);
    }
}
