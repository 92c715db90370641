using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using LiveHub.Admin;
using LiveHub.Events;
using LiveHub.Questions;
using LiveHub.Realtime;
using LiveHub.Tests.Cluster;
using LiveHub.Tests.Infrastructure;
using Microsoft.AspNetCore.SignalR.Client;

namespace LiveHub.Tests.Faults;

/// <summary>A passcode rotation on one node takes effect on every node before the organizer gets the answer.</summary>
[Collection(ClusterCollection.Name)]
public sealed class PasscodeRotationAcrossTheClusterTests(ClusterFixture fixture)
{
    [SkippableFact]
    public async Task ARotationOnNodeOneRefusesTheOldModeratorOnNodeThreeAtOnceAndStopsItsModeratorPushes()
    {
        var cluster = fixture.Cluster;
        var e = await cluster.CreateEventAsync(ModerationModes.Pre);
        var node3 = cluster.Nodes[2].BaseUri;
        await using var old = await TestClient.ConnectAsync(node3, moderatorOf: e.Code);
        old.Connection.On<JsonElement>("ModeratorRightsLost", lost => old.Received.Enqueue(("ModeratorRightsLost", lost)));
        await old.OkAsync<EventSnapshot>(nameof(EventHub.JoinEvent), e.Code);
        await old.JoinAsync(e.Keynote, SessionViews.Moderator);
        // Node 3 has just checked this sign-in's stamp, so it holds the stamp in its cache.
        using (var read = await old.Http.GetAsync($"/api/events/{e.Code}/audit"))
        {
            Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        }

        var cookies = new CookieContainer();
        using (var admin = new HttpClient(new HttpClientHandler { CookieContainer = cookies }) { BaseAddress = cluster.Nodes[0].BaseUri, Timeout = TestClient.Timeout })
        {
            (await admin.PostAsJsonAsync("/api/admin/session", new { key = LiveHubCluster.AdminKey })).EnsureSuccessStatusCode();
            (await admin.PostAsJsonAsync($"/api/admin/events/{e.Code}/passcode", new PasscodeRequest("rotated-on-node-1"))).EnsureSuccessStatusCode();
        }
        var call = await old.InvokeAsync<JsonElement>(nameof(EventHub.SetModerationMode), new SetModerationModeRequest(e.Keynote, ModerationModes.Open));
        using var audit = await old.Http.GetAsync($"/api/events/{e.Code}/audit");

        Assert.Equal(ErrorCodes.Forbidden, call.Error?.Code);
        Assert.Equal(HttpStatusCode.Forbidden, audit.StatusCode);

        await TestClient.EventuallyAsync(() => old.Received.Any(r => r.Name == "ModeratorRightsLost"), "node 3 tells the old connection it lost its rights");
        await using var current = await ModeratorScene.SignInAsync(node3, e.Code, "rotated-on-node-1");
        await current.JoinAsync(e.Keynote, SessionViews.Moderator);
        await using var audience = await TestClient.ConnectAsync(cluster.Nodes[1].BaseUri);
        await audience.JoinAsync(e.Keynote);
        var pending = await audience.AskAsync(e.Keynote, "Apakah moderator lama masih membaca ini?");
        await TestClient.EventuallyAsync(() => current.QuestionDeltas.Any(d => d.Question.Id == pending.Id),
            "the current moderator on node 3 sees the question asked on node 2");
        Assert.Empty(old.Received.SkipWhile(r => r.Name != "ModeratorRightsLost").Skip(1));
    }
}
