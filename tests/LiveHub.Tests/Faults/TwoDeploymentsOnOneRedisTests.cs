using System.Net.Http.Json;
using LiveHub.Announcements;
using LiveHub.Events;
using LiveHub.Polls;
using LiveHub.Questions;
using LiveHub.Reactions;
using LiveHub.Realtime;
using LiveHub.Tests.Cluster;
using LiveHub.Tests.Infrastructure;
using LiveHub.Web.Moderators;
using StackExchange.Redis;
using Xunit.Abstractions;

namespace LiveHub.Tests.Faults;

/// <summary>
/// Two independent deployments, two nodes each on a database of their own, share one redis-server under two channel prefixes.
/// Their events, sessions and polls have the same ids, so only the prefix keeps them apart.
/// </summary>
[Collection(FaultCollection.Name)]
public sealed class TwoDeploymentsOnOneRedisTests(ITestOutputHelper output) : IAsyncLifetime
{
    private RedisServer? _redis;
    private PostgresServer? _postgres;
    private LiveHubCluster? _alpha;
    private LiveHubCluster? _beta;

    public async Task InitializeAsync()
    {
        if (LiveHubCluster.Missing is not null)
        {
            return;
        }
        _redis = await RedisServer.StartAsync();
        _postgres = await PostgresServer.StartAsync();
        _alpha = await LiveHubCluster.StartAsync(new ClusterOptions { Nodes = 2, Nginx = false, Redis = _redis, Postgres = _postgres, ChannelPrefix = "alpha" });
        _beta = await LiveHubCluster.StartAsync(new ClusterOptions { Nodes = 2, Nginx = false, Redis = _redis, Postgres = _postgres, ChannelPrefix = "beta" });
    }

    [SkippableFact]
    public async Task NothingOfOneDeploymentReachesTheOtherAndEveryKeyAndChannelCarriesItsPrefix()
    {
        Services.Require(LiveHubCluster.Missing is null, LiveHubCluster.Missing ?? "");
        Services.Require(Environment.GetEnvironmentVariable("LIVEHUB_TEST_REDIS") is null, "a redis-server of the test's own (LIVEHUB_TEST_REDIS is set)");
        var alpha = await _alpha!.CreateEventAsync(ModerationModes.Pre);
        var beta = await _beta!.CreateEventAsync(ModerationModes.Pre);
        Assert.Equal((alpha.Id, alpha.Keynote), (beta.Id, beta.Keynote));

        // Deployment 2 watches the same session id on both its nodes: audience, projector and moderators.
        await using var betaAudience = await TestClient.ConnectAsync(_beta.Nodes[0].BaseUri);
        await using var betaProjector = await TestClient.ConnectAsync(_beta.Nodes[1].BaseUri);
        await using var betaModerator = await TestClient.ConnectAsync(_beta.Nodes[1].BaseUri, moderatorOf: beta.Code);
        await betaAudience.JoinAsync(beta.Keynote);
        await betaAudience.OkAsync<EventSnapshot>(nameof(EventHub.JoinEvent), beta.Code);
        await betaProjector.JoinAsync(beta.Keynote, SessionViews.Projector);
        await betaModerator.JoinAsync(beta.Keynote, SessionViews.Moderator);
        await betaModerator.OkAsync<EventSnapshot>(nameof(EventHub.JoinEvent), beta.Code);

        // Deployment 1 does everything a session does, across its two nodes.
        await using var alphaAudience = await TestClient.ConnectAsync(_alpha.Nodes[1].BaseUri);
        await using var alphaPhone = await TestClient.ConnectAsync(_alpha.Nodes[0].BaseUri);
        await using var alphaProjector = await TestClient.ConnectAsync(_alpha.Nodes[1].BaseUri);
        await using var alphaModerator = await TestClient.ConnectAsync(_alpha.Nodes[0].BaseUri, moderatorOf: alpha.Code);
        await alphaAudience.JoinAsync(alpha.Keynote);
        await alphaAudience.OkAsync<EventSnapshot>(nameof(EventHub.JoinEvent), alpha.Code);
        await alphaPhone.JoinAsync(alpha.Keynote);
        await alphaProjector.JoinAsync(alpha.Keynote, SessionViews.Projector);
        await alphaModerator.JoinAsync(alpha.Keynote, SessionViews.Moderator);
        var question = await alphaAudience.AskAsync(alpha.Keynote, "Pertanyaan yang menunggu persetujuan?");
        await alphaModerator.ModerateAsync(alpha.Keynote, question.Id, ModerationActions.Approve);
        await alphaModerator.ModerateAsync(alpha.Keynote, question.Id, ModerationActions.Show);
        var announcement = await alphaModerator.OkAsync<AnnouncementView>(nameof(EventHub.PostAnnouncement),
            new PostAnnouncementRequest(alpha.Id, null, "Pengumuman untuk penyelenggaraan pertama saja."));
        await alphaAudience.OkAsync<bool>(nameof(EventHub.SendReaction), new SendReactionRequest(alpha.Keynote, "clap"));
        var poll = await alphaModerator.OkAsync<PollView>(nameof(EventHub.CreatePoll), new PollDraftRequest(alpha.Keynote, PollKinds.Single,
            "Pilih satu?", ["Ya", "Tidak"], null, null, null, null, PollVisibility.Live));
        await alphaModerator.OkAsync<PollView>(nameof(EventHub.OpenPoll), new PollRequest(poll.Id));
        await alphaAudience.OkAsync<MyVote>(nameof(EventHub.CastVote), new CastVoteRequest(poll.Id, "v1", [0], null, null, null, null));

        // Deployment 1's own backplane works under its prefix: its screens on the other node get all of it.
        await TestClient.EventuallyAsync(() => alphaProjector.QuestionDeltas.Any(d => d.OnScreenQuestionId == question.Id),
            "deployment 1's projector puts its own question on screen");
        await TestClient.EventuallyAsync(() => alphaAudience.Received.Any(r => r.Payload is AnnouncementView a && a.Id == announcement.Id),
            "deployment 1's audience gets its own announcement");
        await TestClient.EventuallyAsync(() => alphaProjector.Received.Any(r => r.Name == nameof(ILiveClient.ReactionsSent)),
            "deployment 1's projector floats its own reactions");
        await TestClient.EventuallyAsync(() => alphaProjector.ResultFrames.Any(f => f.PollId == poll.Id && f.Voters == 1),
            "deployment 1's projector gets its own results");

        // A message of deployment 2's own, sent after all of that through the same Redis, marks the end of what could leak.
        var marker = await betaModerator.OkAsync<AnnouncementView>(nameof(EventHub.PostAnnouncement),
            new PostAnnouncementRequest(beta.Id, null, "Pengumuman penyelenggaraan kedua."));
        await TestClient.EventuallyAsync(() => betaAudience.Received.Any(r => r.Payload is AnnouncementView a && a.Id == marker.Id),
            "deployment 2's audience gets its own announcement");
        await TestClient.EventuallyAsync(() => betaModerator.Received.Any(r => r.Payload is AnnouncementView a && a.Id == marker.Id),
            "deployment 2's moderator gets its own announcement");

        // Deployment 2's own traffic: its marker, and head counts of its one audience client (deployment 1 has two).
        bool Own(object payload) => payload is AnnouncementView a && a.Id == marker.Id || payload is PresenceDelta { Session: 1 };
        var leaked = new[] { betaAudience, betaProjector, betaModerator }
            .SelectMany(c => c.Received.Where(r => !Own(r.Payload)).Select(r => $"{c.BaseUri.Port}: {r.Name}"))
            .ToList();
        output.WriteLine($"events of deployment 1 received by deployment 2: {leaked.Count}{(leaked.Count > 0 ? " (" + string.Join(", ", leaked) + ")" : "")}");
        Assert.Empty(leaked);
        Assert.DoesNotContain((await betaProjector.JoinAsync(beta.Keynote, SessionViews.Projector)).Questions, q => q.Text == question.Text);

        // Every key and channel in Redis belongs to one prefix, and each deployment has a key ring of its own.
        var inspect = ConfigurationOptions.Parse(_redis!.ConnectionString);
        // The inspecting client's own configuration channel would be the one channel without a prefix.
        inspect.ConfigurationChannel = "";
        await using var redis = await ConnectionMultiplexer.ConnectAsync(inspect);
        var server = redis.GetServer(redis.GetEndPoints().Single());
        var keys = server.Keys(pattern: "*").Select(k => (string)k!).Order().ToList();
        var channels = (await server.SubscriptionChannelsAsync()).Select(c => c.ToString()).Order().ToList();
        output.WriteLine($"keys: {string.Join(", ", keys)}");
        output.WriteLine($"channels: {channels.Count(c => c.StartsWith("alpha:", StringComparison.Ordinal))} under alpha:, " +
            $"{channels.Count(c => c.StartsWith("beta:", StringComparison.Ordinal))} under beta:, others: {string.Join(", ", channels.Where(c => !c.StartsWith("alpha:", StringComparison.Ordinal) && !c.StartsWith("beta:", StringComparison.Ordinal)))}");
        Assert.All(keys, k => Assert.True(k.StartsWith("alpha:", StringComparison.Ordinal) || k.StartsWith("beta:", StringComparison.Ordinal), $"key {k} has no deployment prefix"));
        Assert.All(channels, c => Assert.True(c.StartsWith("alpha:", StringComparison.Ordinal) || c.StartsWith("beta:", StringComparison.Ordinal), $"channel {c} has no deployment prefix"));
        Assert.Contains("alpha:dataprotection-keys", keys);
        Assert.Contains("beta:dataprotection-keys", keys);

        // A moderator cookie of deployment 1 means nothing to deployment 2, although the event has the same id there.
        await using var crossing = await TestClient.ConnectAsync(_beta.Nodes[0].BaseUri, cookies: alphaModerator.Cookies);
        var status = await crossing.Http.GetFromJsonAsync<ModeratorStatus>($"/api/events/{beta.Code}/moderator/session");
        Assert.False(status!.IsModerator);
    }

    public async Task DisposeAsync()
    {
        foreach (var cluster in new[] { _beta, _alpha })
        {
            if (cluster is not null)
            {
                await cluster.DisposeAsync();
            }
        }
        if (_postgres is not null)
        {
            await _postgres.DisposeAsync();
        }
        if (_redis is not null)
        {
            await _redis.DisposeAsync();
        }
    }
}

/// <summary>Fault tests build clusters of their own and break them; they run alone, one at a time.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class FaultCollection
{
    public const string Name = "faults";
}
