using System.Net;
using System.Reflection;
using System.Net.Http.Json;
using System.Text.Json;
using LiveHub.Events;
using LiveHub.Identity;
using LiveHub.Questions;
using LiveHub.Realtime;
using LiveHub.Tests.Admin;
using LiveHub.Tests.Infrastructure;
using Microsoft.AspNetCore.SignalR.Client;

namespace LiveHub.Tests.Faults;

/// <summary>
/// Moderator rights are one check, made before every moderator-only hub method and endpoint: the sign-in names the event and
/// carries the event's current passcode stamp. Each test calls them as people who must be refused.
/// </summary>
[Collection(AdminServerCollection.Name)]
public sealed class ModeratorRightsTests(AdminServerFixture fixture)
{
    private LiveHubServer Server => fixture.Server;

    [Fact]
    public async Task EveryModeratorOnlyHubMethodAnswersForbiddenAndChangesNothingForTheAudienceAnotherEventsModeratorAndARotatedOutModerator()
    {
        await using var scene = await ModeratorScene.SetUpAsync(Server);
        var declared = AccessDeclarationTests.HubMethods().Where(m => m.GetCustomAttributes<ModeratorAttribute>().Any()).Select(m => m.Name);
        Assert.Equal(declared.Order(), scene.ModeratorCalls().Keys.Order());

        var failures = new List<string>();
        foreach (var (method, args) in scene.ModeratorCalls())
        {
            foreach (var (who, client) in scene.Refused)
            {
                var before = await scene.StateAsync();
                var result = await client.InvokeAsync<JsonElement>(method, args);
                if (result.Error?.Code != ErrorCodes.Forbidden)
                {
                    failures.Add($"{method} as {who}: {(result.Ok ? "ok" : result.Error!.Code)}");
                }
                else if (await scene.StateAsync() != before)
                {
                    failures.Add($"{method} as {who}: forbidden, but the event changed");
                }
            }
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [Fact]
    public async Task EveryModeratorOnlyEndpointAnswersTheTypedForbiddenErrorToTheAudienceAnotherEventsModeratorAndARotatedOutModerator()
    {
        await using var scene = await ModeratorScene.SetUpAsync(Server);
        var declared = AccessDeclarationTests.Endpoints(Server).Where(e => e.Endpoint.Metadata.OfType<ModeratorAttribute>().Any()).Select(e => e.Name);
        Assert.Equal(declared.Order(), scene.ModeratorEndpoints().Keys.Order());

        var failures = new List<string>();
        foreach (var (route, path) in scene.ModeratorEndpoints())
        {
            foreach (var (who, client) in scene.Refused)
            {
                using var response = await client.Http.GetAsync(path);
                var body = await response.Content.ReadAsStringAsync();
                var code = response.Content.Headers.ContentType?.MediaType == "application/json" && body.StartsWith('{')
                    ? JsonSerializer.Deserialize<HubError>(body, JsonSerializerOptions.Web)?.Code
                    : null;
                if (response.StatusCode != HttpStatusCode.Forbidden || code != ErrorCodes.Forbidden)
                {
                    failures.Add($"{route} as {who}: {(int)response.StatusCode} {code}");
                }
            }
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [Fact]
    public async Task AfterARotationJoinEventAnswersTheOldModeratorAsAudienceWithoutHeadCountsOrTheProfanityList()
    {
        var e = await Server.CreateEventAsync();
        await using var moderator = await TestClient.ConnectAsync(Server, moderatorOf: e.Code);
        var before = await moderator.OkAsync<EventSnapshot>(nameof(EventHub.JoinEvent), e.Code);
        Assert.True(before.IsModerator);
        Assert.NotNull(before.ProfanityWords);

        await ModeratorScene.RotateAsync(Server, e.Code, "rotated-passcode-4");
        var after = await moderator.OkAsync<EventSnapshot>(nameof(EventHub.JoinEvent), e.Code);
        var overHttp = await moderator.Http.GetFromJsonAsync<EventSnapshot>($"/api/events/{e.Code}");

        Assert.Equal((false, null, null), (after.IsModerator, after.Presence, after.ProfanityWords));
        Assert.Equal((false, null, null), (overHttp!.IsModerator, overHttp.Presence, overHttp.ProfanityWords));
    }

    [Fact]
    public async Task ARotationTakesOldModeratorConnectionsOutOfTheModeratorGroupsAndTellsThem()
    {
        var e = await Server.CreateEventAsync(ModerationModes.Pre);
        await using var old = await TestClient.ConnectAsync(Server, moderatorOf: e.Code);
        old.Connection.On<JsonElement>("ModeratorRightsLost", lost => old.Received.Enqueue(("ModeratorRightsLost", lost)));
        await old.OkAsync<EventSnapshot>(nameof(EventHub.JoinEvent), e.Code);
        await old.JoinAsync(e.Keynote, SessionViews.Moderator);

        await ModeratorScene.RotateAsync(Server, e.Code, "rotated-passcode-5");
        await TestClient.EventuallyAsync(() => old.Received.Any(r => r.Name == "ModeratorRightsLost"), "the old connection is told it lost its rights");

        await using var current = await ModeratorScene.SignInAsync(Server.BaseUri, e.Code, "rotated-passcode-5");
        await current.OkAsync<EventSnapshot>(nameof(EventHub.JoinEvent), e.Code);
        await current.JoinAsync(e.Keynote, SessionViews.Moderator);
        await using var audience = await TestClient.ConnectAsync(Server);
        await audience.JoinAsync(e.Keynote);
        var pending = await audience.AskAsync(e.Keynote, "Siapa yang masih melihat pertanyaan ini?");
        await TestClient.EventuallyAsync(() => current.QuestionDeltas.Any(d => d.Question.Id == pending.Id), "the current moderator sees the pending question");
        // Head counts go to the event's moderators every 2 s: the current moderator's one proves the old one was passed over.
        await TestClient.EventuallyAsync(() => current.Received.Any(r => r.Name == nameof(ILiveClient.PresenceChanged)),
            "the current moderator gets head counts");

        var afterLoss = old.Received.SkipWhile(r => r.Name != "ModeratorRightsLost").Skip(1).Select(r => r.Name).ToList();
        Assert.Empty(afterLoss);
        Assert.Equal(JsonValueKind.Number, ((JsonElement)old.Received.First(r => r.Name == "ModeratorRightsLost").Payload).GetProperty("eventId").ValueKind);
    }
}
