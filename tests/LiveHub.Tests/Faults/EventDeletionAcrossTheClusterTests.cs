using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using LiveHub.Events;
using LiveHub.Questions;
using LiveHub.Reactions;
using LiveHub.Realtime;
using LiveHub.Tests.Cluster;
using LiveHub.Tests.Infrastructure;

namespace LiveHub.Tests.Faults;

/// <summary>An event deleted through node 1 is gone on every node: their screens are told, and their caches let nothing of it through.</summary>
[Collection(ClusterCollection.Name)]
public sealed class EventDeletionAcrossTheClusterTests(ClusterFixture fixture)
{
    /// <summary>Well inside the 5 s the caches by code and by event would take to expire by themselves.</summary>
    private static readonly TimeSpan Promptly = TimeSpan.FromSeconds(2);

    [SkippableFact]
    public async Task AnEventDeletedOnNodeOneIsToldToScreensOnNodesTwoAndThreeAndForgottenThereAtOnce()
    {
        var cluster = fixture.Cluster;
        var a = await cluster.CreateEventAsync(ModerationModes.Open);
        var b = await cluster.CreateEventAsync(ModerationModes.Open);
        var node3 = cluster.Nodes[2].BaseUri;
        await using var phone2 = await TestClient.ConnectAsync(cluster.Nodes[1].BaseUri);
        await using var phone3 = await TestClient.ConnectAsync(node3);
        foreach (var phone in new[] { phone2, phone3 })
        {
            await phone.OkAsync<EventSnapshot>(nameof(EventHub.JoinEvent), a.Code);
            await phone.JoinAsync(a.Keynote);
        }
        // Node 3 now knows the phone's participant as stored, the keynote as a session, and the event's page by its code.
        await phone3.AskAsync(a.Keynote, "Pertanyaan dari node 3?");
        await phone3.OkAsync<bool>(nameof(EventHub.SendReaction), new SendReactionRequest(a.Keynote, "clap"));
        using var anyone = new HttpClient { BaseAddress = node3, Timeout = TestClient.Timeout };
        Assert.Equal(HttpStatusCode.OK, (await anyone.GetAsync($"/e/{a.Code}/app.webmanifest")).StatusCode);

        var cookies = new CookieContainer();
        using (var admin = new HttpClient(new HttpClientHandler { CookieContainer = cookies }) { BaseAddress = cluster.Nodes[0].BaseUri, Timeout = TestClient.Timeout })
        {
            (await admin.PostAsJsonAsync("/api/admin/session", new { key = LiveHubCluster.AdminKey })).EnsureSuccessStatusCode();
            using var request = new HttpRequestMessage(HttpMethod.Delete, $"/api/admin/events/{a.Code}") { Content = JsonContent.Create(new { confirm = a.Code }) };
            (await admin.SendAsync(request)).EnsureSuccessStatusCode();
        }
        var deletedAt = Stopwatch.StartNew();

        foreach (var phone in new[] { phone2, phone3 })
        {
            var notice = await TestClient.EventuallyValueAsync(() => phone.Received
                .Where(r => r.Name == nameof(ILiveClient.EventDeleted)).Select(r => (EventDeletedNotice)r.Payload).FirstOrDefault());
            Assert.Equal((a.Code, "error.not_found.event_deleted"), (notice.Code, notice.Error.MessageKey));
        }
        Assert.Equal(0L, await cluster.ScalarAsync<long>("SELECT COUNT(*) FROM events WHERE id = @Id", new { a.Id }));

        // Node 3 forgot the event's code, its session and the participant it knew, on the deleting node's word.
        await PromptlyAsync(async () => (await anyone.GetAsync($"/e/{a.Code}/app.webmanifest")).StatusCode == HttpStatusCode.NotFound,
            "node 3 still serves the deleted event's manifest from its cache", deletedAt);
        await PromptlyAsync(async () => (await phone3.InvokeAsync<bool>(nameof(EventHub.SendReaction), new SendReactionRequest(a.Keynote, "clap"))).Error?.Code == ErrorCodes.NotFound,
            "node 3 still takes reactions for the deleted event's session", deletedAt);
        var asked = await phone3.InvokeAsync<QuestionView>(nameof(EventHub.AskQuestion), new AskQuestionRequest(b.Keynote, "after-delete", "Di acara lain?", null));
        Assert.True(asked.Ok, $"the deleted participant could not ask in another event on node 3: {asked.Error?.Code} {asked.Error?.Message}");
    }

    private static async Task PromptlyAsync(Func<Task<bool>> condition, string failure, Stopwatch since)
    {
        while (!await condition())
        {
            Assert.True(since.Elapsed < Promptly, failure);
            await Task.Delay(50);
        }
    }
}
