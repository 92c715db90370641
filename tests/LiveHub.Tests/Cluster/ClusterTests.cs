using System.Net;
using System.Net.Http.Json;
using System.Net.WebSockets;
using LiveHub.Data.Questions;
using LiveHub.Events;
using LiveHub.Polls;
using LiveHub.Questions;
using LiveHub.Realtime;
using LiveHub.Tests.Infrastructure;
using LiveHub.Web.Moderators;

namespace LiveHub.Tests.Cluster;

/// <summary>Three nodes behind nginx behave as one LiveHub: same questions, same tallies, same people, same head counts.</summary>
[Collection(ClusterCollection.Name)]
public sealed class ClusterTests(ClusterFixture fixture)
{
    private static readonly TimeSpan Converge = TimeSpan.FromSeconds(10);

    /// <summary>Two audience clients straight on each node and three through nginx.</summary>
    private static async Task<List<TestClient>> SpreadAudienceAsync(LiveHubCluster cluster, long sessionId)
    {
        var addresses = cluster.Nodes.SelectMany(n => new[] { n.BaseUri, n.BaseUri }).Concat(Enumerable.Repeat(cluster.Public, 3));
        var clients = (await Task.WhenAll(addresses.Select(a => TestClient.ConnectAsync(a)))).ToList();
        await Task.WhenAll(clients.Select(c => c.JoinAsync(sessionId)));
        return clients;
    }

    [SkippableFact]
    public async Task ClientsOnEveryNodeSeeTheSameQuestionsUpvotesAndPollTallies()
    {
        var cluster = fixture.Cluster;
        var e = await cluster.CreateEventAsync(ModerationModes.Open);
        await using var moderator = await TestClient.ConnectAsync(cluster.Nodes[1].BaseUri, moderatorOf: e.Code);
        await moderator.JoinAsync(e.Keynote, SessionViews.Moderator);
        var audience = await SpreadAudienceAsync(cluster, e.Keynote);
        try
        {
            var asked = await Task.WhenAll(audience.Select((c, i) => c.AskAsync(e.Keynote, $"Pertanyaan dari klien {i} di {c.BaseUri.Port}?")));
            // Each client upvotes the next client's question: every question ends with one upvote, cast on another node.
            await Task.WhenAll(audience.Select((c, i) =>
                c.OkAsync<UpvoteView>(nameof(EventHub.Upvote), new UpvoteRequest(asked[(i + 1) % asked.Length].Id, true))));
            var poll = await moderator.OkAsync<PollView>(nameof(EventHub.CreatePoll), new PollDraftRequest(e.Keynote, PollKinds.Single,
                "Masalah kota mana yang paling mendesak?", ["Kemacetan", "Keamanan", "Sampah", "Administrasi"], null, null, null, null, PollVisibility.Live));
            await moderator.OkAsync<PollView>(nameof(EventHub.OpenPoll), new PollRequest(poll.Id));
            await Task.WhenAll(audience.Select((c, i) =>
                c.OkAsync<MyVote>(nameof(EventHub.CastVote), new CastVoteRequest(poll.Id, $"v{i}", [i % 4], null, null, null, null))));

            var ids = asked.Select(q => q.Id).ToHashSet();
            foreach (var client in audience.Append(moderator))
            {
                await TestClient.EventuallyAsync(() => ids.IsSubsetOf(client.QuestionDeltas.Select(d => d.Question.Id)),
                    $"a client of {client.BaseUri} hears of every question, wherever it was asked", Converge);
            }
            var tally = (await cluster.QueryAsync<(long Option, long Votes)>(
                "SELECT option_index, COUNT(*) FROM vote_choices WHERE poll_id = @Id GROUP BY option_index", new { poll.Id }))
                .ToDictionary(t => (int)t.Option, t => t.Votes);
            Assert.Equal(audience.Count, tally.Values.Sum());
            bool Matches(PollResults r) => r.Voters == audience.Count && r.Options.All(o => o.Votes == tally.GetValueOrDefault(o.Index));
            foreach (var client in audience.Append(moderator))
            {
                await TestClient.EventuallyAsync(() => client.ResultFrames.Where(f => f.PollId == poll.Id).MaxBy(f => f.Version) is { } last && Matches(last),
                    $"the last tally frame on {client.BaseUri} is the database's", Converge);
            }

            // A fresh snapshot from every node says the same thing, and it is the database's.
            var snapshots = await Task.WhenAll(audience.Select(c => c.JoinAsync(e.Keynote)));
            var stored = (await cluster.QueryAsync<(long Id, long Upvotes)>(
                "SELECT id, upvotes FROM questions WHERE session_id = @Keynote ORDER BY id", new { e.Keynote })).ToList();
            Assert.All(stored, q => Assert.Equal(1, q.Upvotes));
            Assert.All(snapshots, s => Assert.Equal(stored, s.Questions.OrderBy(q => q.Id).Select(q => (q.Id, q.Upvotes)).ToList()));
        }
        finally
        {
            await Task.WhenAll(audience.Select(c => c.DisposeAsync().AsTask()));
        }
    }

    [SkippableFact]
    public async Task AParticipantCookieFromNodeOneIsTheSamePersonOnNodeThree()
    {
        var cluster = fixture.Cluster;
        var e = await cluster.CreateEventAsync(ModerationModes.Pre);
        await using var onNode1 = await TestClient.ConnectAsync(cluster.Nodes[0].BaseUri);
        await onNode1.JoinAsync(e.Keynote);
        var pending = await onNode1.AskAsync(e.Keynote, "Apakah saya tetap orang yang sama di server lain?", clientId: "same-person-1");

        await using var onNode3 = await TestClient.ConnectAsync(cluster.Nodes[2].BaseUri, cookies: onNode1.Cookies);
        var snapshot = await onNode3.JoinAsync(e.Keynote);

        // Pending: only its author sees it, so node 3 knows this is the author.
        var mine = Assert.Single(snapshot.Mine);
        Assert.Equal((pending.Id, "same-person-1", QuestionStatus.Pending), (mine.Id, mine.ClientId, mine.Status));
        Assert.DoesNotContain(snapshot.Questions, q => q.Id == pending.Id);
        // And a resend of the same question on node 3 is recognised as the same write.
        Assert.Equal(pending.Id, (await onNode3.AskAsync(e.Keynote, pending.Text, clientId: "same-person-1")).Id);
        Assert.Equal(1, await cluster.ScalarAsync<long>("SELECT COUNT(*) FROM questions WHERE session_id = @Keynote", new { e.Keynote }));
    }

    [SkippableFact]
    public async Task AnApprovalByAModeratorOnNodeTwoReachesTheAudienceOnNodeOneAndTheAuthorOnNodeThree()
    {
        var cluster = fixture.Cluster;
        var e = await cluster.CreateEventAsync(ModerationModes.Pre);
        await using var audience = await TestClient.ConnectAsync(cluster.Nodes[0].BaseUri);
        await using var moderator = await TestClient.ConnectAsync(cluster.Nodes[1].BaseUri, moderatorOf: e.Code);
        await using var author = await TestClient.ConnectAsync(cluster.Nodes[2].BaseUri);
        await audience.JoinAsync(e.Keynote);
        await moderator.JoinAsync(e.Keynote, SessionViews.Moderator);
        await author.JoinAsync(e.Keynote);
        var question = await author.AskAsync(e.Keynote, "Kapan transportasi umum Kupang terintegrasi?");
        await TestClient.EventuallyAsync(() => moderator.QuestionDeltas.Any(d => d.Question.Id == question.Id),
            "the moderator on node 2 sees the question asked on node 3");
        Assert.DoesNotContain(audience.QuestionDeltas, d => d.Question.Id == question.Id);

        await moderator.ModerateAsync(e.Keynote, question.Id, ModerationActions.Approve);

        await TestClient.EventuallyAsync(() => audience.QuestionDeltas.Any(d => d.Question.Id == question.Id && d.Question.Status == QuestionStatus.Approved),
            "the audience on node 1 sees the approval made on node 2");
        await TestClient.EventuallyAsync(() => author.MyQuestionChanges.Any(q => q.Id == question.Id && q.Status == QuestionStatus.Approved),
            "the author on node 3 is told their question was approved");
    }

    [SkippableFact]
    public async Task PresenceCountsTheAudienceOfEveryNode()
    {
        var cluster = fixture.Cluster;
        var e = await cluster.CreateEventAsync();
        await using var moderator = await TestClient.ConnectAsync(cluster.Nodes[0].BaseUri, moderatorOf: e.Code);
        var audience = await SpreadAudienceAsync(cluster, e.Keynote);
        try
        {
            // Each node publishes its counts every second (LiveHub:ScaleOut:PresenceSyncMilliseconds); give it three.
            await EventuallyPresenceAsync(moderator, e, audience.Count, TimeSpan.FromSeconds(3));

            await Task.WhenAll(audience.Take(3).Select(c => c.DisposeAsync().AsTask()));
            audience.RemoveRange(0, 3);
            await EventuallyPresenceAsync(moderator, e, audience.Count, TimeSpan.FromSeconds(3));
        }
        finally
        {
            await Task.WhenAll(audience.Select(c => c.DisposeAsync().AsTask()));
        }
    }

    [SkippableFact]
    public async Task AModeratorCookieFromNodeOneIsAcceptedByNodeThree()
    {
        var cluster = fixture.Cluster;
        var e = await cluster.CreateEventAsync();
        await using var signedIn = await TestClient.ConnectAsync(cluster.Nodes[0].BaseUri, moderatorOf: e.Code);

        // The cookie was protected with the key ring in Redis, so node 3 can read it.
        await using var onNode3 = await TestClient.ConnectAsync(cluster.Nodes[2].BaseUri, cookies: signedIn.Cookies);
        var status = await onNode3.Http.GetFromJsonAsync<ModeratorStatus>($"/api/events/{e.Code}/moderator/session");
        var snapshot = await onNode3.JoinAsync(e.Keynote, SessionViews.Moderator);

        Assert.True(status!.IsModerator);
        Assert.Equal(SessionViews.Moderator, snapshot.View);
        Assert.True((await onNode3.OkAsync<EventSnapshot>(nameof(EventHub.JoinEvent), e.Code)).IsModerator);
    }

    [SkippableFact]
    public async Task ThroughNginxTheHubAcceptsItsOwnOriginAndRefusesForeignOnes()
    {
        var cluster = fixture.Cluster;
        var hub = new UriBuilder(cluster.Public) { Scheme = "ws", Path = "/hub" }.Uri;

        // The page's own origin, with the participant cookie its page view left.
        var cookies = new CookieContainer();
        using (var page = new HttpClient(new HttpClientHandler { CookieContainer = cookies }) { BaseAddress = cluster.Public })
        {
            (await page.GetAsync("/")).EnsureSuccessStatusCode();
        }
        using var own = new ClientWebSocket { Options = { CollectHttpResponseDetails = true, Cookies = cookies } };
        own.Options.SetRequestHeader("Origin", cluster.Public.GetLeftPart(UriPartial.Authority));
        await own.ConnectAsync(hub, CancellationToken.None).WaitAsync(TestClient.Timeout);
        Assert.Equal(WebSocketState.Open, own.State);
        Assert.Equal(HttpStatusCode.SwitchingProtocols, own.HttpStatusCode);

        using var foreign = new ClientWebSocket { Options = { CollectHttpResponseDetails = true } };
        foreign.Options.SetRequestHeader("Origin", "http://evil.example");
        await Assert.ThrowsAsync<WebSocketException>(() => foreign.ConnectAsync(hub, CancellationToken.None).WaitAsync(TestClient.Timeout));
        Assert.Equal(HttpStatusCode.Forbidden, foreign.HttpStatusCode);
    }

    private static async Task EventuallyPresenceAsync(TestClient moderator, ClusterEvent e, int expected, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        long seen = -1;
        while (true)
        {
            var snapshot = await moderator.OkAsync<EventSnapshot>(nameof(EventHub.JoinEvent), e.Code);
            seen = snapshot.Presence!.GetValueOrDefault(e.Keynote);
            if (seen == expected)
            {
                return;
            }
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"Presence says {seen}, not {expected}, after {timeout.TotalSeconds} s");
            }
            await Task.Delay(100);
        }
    }
}
