using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using LiveHub.Admin;
using LiveHub.Events;
using LiveHub.Polls;
using LiveHub.Realtime;
using LiveHub.Tests.Infrastructure;
using LiveHub.Web.Moderators;

namespace LiveHub.Tests.Admin;

[Collection(AdminServerCollection.Name)]
public sealed class ScenarioImportTests(AdminServerFixture fixture)
{
    private LiveHubServer Server => fixture.Server;

    [Fact]
    public async Task TheDemoScenarioRoundTripsThroughImportAndExport()
    {
        using var admin = await AdminHttp.SignInAsync(Server);
        var code = Scenarios.NewCode();
        var demo = Scenario.Parse(await File.ReadAllTextAsync(Scenarios.DemoPath));

        using var created = await admin.Http.PostAsJsonAsync("/api/admin/events", Scenarios.DemoImport(code));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var exportedJson = await admin.Http.GetStringAsync($"/api/admin/events/{code}/scenario.json");
        var exported = Scenario.Parse(exportedJson);

        AssertSameEvent(demo, exported);

        // The export is itself a valid import, and importing it changes nothing more.
        var again = JsonNode.Parse(exportedJson)!.AsObject();
        var secondCode = Scenarios.NewCode();
        again["code"] = secondCode;
        again["moderatorPasscode"] = LiveHubServer.Passcode;
        (await admin.Http.PostAsJsonAsync("/api/admin/events", again)).EnsureSuccessStatusCode();
        Assert.Equal(exportedJson, await admin.Http.GetStringAsync($"/api/admin/events/{secondCode}/scenario.json"));
    }

    [Fact]
    public async Task AnImportedEventTakesItsModeratorPasscodeAndAppearsInTheList()
    {
        using var admin = await AdminHttp.SignInAsync(Server);
        var code = Scenarios.NewCode();

        using var created = await admin.Http.PostAsJsonAsync("/api/admin/events", Scenarios.DemoImport(code.ToLowerInvariant(), "organizer-secret-1"));
        var detail = await created.Content.ReadFromJsonAsync<AdminEventDetail>();
        var list = await admin.Http.GetFromJsonAsync<List<AdminEventSummary>>("/api/admin/events");
        using var moderator = AdminHttp.Anonymous(Server);
        using var signIn = await moderator.Http.PostAsJsonAsync($"/api/events/{code}/moderator/session", new { passcode = "organizer-secret-1" });

        Assert.Equal(code, detail!.Code);
        Assert.Equal(3, detail.Rooms.Count);
        Assert.All(detail.Rooms, r => Assert.NotNull(JoinCode.Normalize(r.Code)));
        Assert.Equal((1, "08:30"), (detail.Sessions[0].Day, detail.Sessions[0].Start));
        Assert.Contains(list!, e => e.Code == code && e.Rooms == 3 && e.Sessions == detail.Sessions.Count);
        Assert.True((await signIn.Content.ReadFromJsonAsync<ModeratorStatus>())!.IsModerator);
    }

    [Fact]
    public async Task WhetherAnEventFollowsTheBrowserLanguageRoundTripsAndIsOffWhenLeftOut()
    {
        using var admin = await AdminHttp.SignInAsync(Server);
        var (following, silent) = (Scenarios.NewCode(), Scenarios.NewCode());
        var body = Scenarios.DemoImport(following);
        body["event"]!["defaultLanguage"] = "en";
        body["event"]!["followBrowserLanguage"] = true;
        var withoutField = Scenarios.DemoImport(silent);
        withoutField["event"]!.AsObject().Remove("followBrowserLanguage");

        using var created = await admin.Http.PostAsJsonAsync("/api/admin/events", body);
        var detail = await created.Content.ReadFromJsonAsync<AdminEventDetail>();
        var exported = Scenario.Parse(await admin.Http.GetStringAsync($"/api/admin/events/{following}/scenario.json"));
        var leftOut = await (await admin.Http.PostAsJsonAsync("/api/admin/events", withoutField)).Content.ReadFromJsonAsync<AdminEventDetail>();

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal(("en", true), (detail!.DefaultLanguage, detail.FollowBrowserLanguage));
        Assert.Equal(("en", true), (exported.Event.DefaultLanguage, exported.Event.FollowBrowserLanguage));
        Assert.Equal(("id", false), (leftOut!.DefaultLanguage, leftOut.FollowBrowserLanguage));
    }

    public static TheoryData<string, string, string> BrokenImports => new()
    {
        { "code", "ABC", "error.invalid.code" },
        { "moderatorPasscode", "short", "error.invalid.passcode" },
        { "event.timeZone", "Mars/Olympus_Mons", "error.invalid.time_zone" },
        { "event.startDate", "16-10-2019", "error.invalid.date" },
        { "event.name", "", "error.invalid.name" },
        { "event.defaultLanguage", "fr", "error.invalid.default_language" },
        { "event.defaultLanguage", "en-US", "error.invalid.default_language" },
        { "sessions.0.room", "basement", "error.invalid.room" },
        { "sessions.1.key", "opening", "error.invalid.session" },
        { "sessions.0.end", "07:00", "error.invalid.time" },
        { "sessions.0.moderation", "sometimes", "error.invalid.moderation" },
        { "samplePolls.0.kind", "guess", "error.invalid.kind" },
        { "samplePolls.0.session", "nowhere", "error.invalid.poll" },
        { "rooms.1.key", "main-hall", "error.invalid.room" },
    };

    [Theory]
    [MemberData(nameof(BrokenImports))]
    public async Task ABrokenScenarioIsRefusedWithATypedErrorAndStoresNothing(string path, string value, string messageKey)
    {
        using var admin = await AdminHttp.SignInAsync(Server);
        var code = Scenarios.NewCode();
        var body = Scenarios.DemoImport(code);
        Set(body, path, value);

        using var response = await admin.Http.PostAsJsonAsync("/api/admin/events", body);
        var error = await response.Content.ReadFromJsonAsync<HubError>();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(messageKey, error!.MessageKey);
        Assert.False(string.IsNullOrEmpty(error.Message));
        Assert.Equal(HttpStatusCode.NotFound, (await admin.Http.GetAsync($"/api/admin/events/{code}")).StatusCode);
    }

    [Fact]
    public async Task JsonThatIsNotAScenarioIsRefusedWithATypedError()
    {
        using var admin = await AdminHttp.SignInAsync(Server);

        using var response = await admin.Http.PostAsync("/api/admin/events",
            new StringContent("{\"event\": [1, 2", System.Text.Encoding.UTF8, "application/json"));
        var error = await response.Content.ReadFromJsonAsync<HubError>();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("error.invalid.scenario", error!.MessageKey);
    }

    [Fact]
    public async Task ACodeInUseIsRefused()
    {
        using var admin = await AdminHttp.SignInAsync(Server);
        var e = await Server.CreateEventAsync();

        using var response = await admin.Http.PostAsJsonAsync("/api/admin/events", Scenarios.DemoImport(e.Code));
        var error = await response.Content.ReadFromJsonAsync<HubError>();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("code_taken", error!.Code);
    }

    private static void AssertSameEvent(Scenario expected, Scenario actual)
    {
        var (a, b) = (expected.Event, actual.Event);
        Assert.Equal(
            (a.Name, a.Theme, a.Host, a.City, a.TimeZone, a.StartDate, a.EndDate, a.DefaultLanguage, string.Join(',', a.Languages), a.FollowBrowserLanguage),
            (b.Name, b.Theme, b.Host, b.City, b.TimeZone, b.StartDate, b.EndDate, b.DefaultLanguage, string.Join(',', b.Languages), b.FollowBrowserLanguage));
        Assert.Equal(expected.Rooms, actual.Rooms);
        Assert.Equal(expected.Sessions.Select(Session), actual.Sessions.Select(Session));
        Assert.Equal(expected.SamplePolls!.Select(Poll), actual.SamplePolls!.Select(Poll));
    }

    private static string Session(ScenarioSession s) =>
        string.Join('|', s.Key, s.Room, s.Day, s.Start, s.End, s.Kind, s.Title, string.Join(';', s.Speakers ?? []), s.Moderation ?? ModerationModes.Pre);

    /// <summary>A poll as the rules store it, so defaults the file leaves out (scale 5, live results) compare equal to the export's explicit ones.</summary>
    private static (string Session, LiveHub.Data.Polls.PollDefinition Definition) Poll(ScenarioPoll p)
    {
        Assert.Null(PollRules.CheckDefinition(ScenarioRules.ToDraft(p), out var definition));
        return (p.Session, definition);
    }

    private static void Set(JsonObject body, string path, string value)
    {
        JsonNode node = body;
        var parts = path.Split('.');
        foreach (var part in parts[..^1])
        {
            node = int.TryParse(part, out var i) ? node[i]! : node[part]!;
        }
        node[parts[^1]] = value;
    }
}
