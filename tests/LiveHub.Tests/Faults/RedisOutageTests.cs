using System.Diagnostics;
using LiveHub.Events;
using LiveHub.Questions;
using LiveHub.Realtime;
using LiveHub.Tests.Cluster;
using LiveHub.Tests.Infrastructure;
using Microsoft.AspNetCore.SignalR.Client;
using Xunit.Abstractions;

namespace LiveHub.Tests.Faults;

/// <summary>Two nodes on PostgreSQL whose redis-server is killed for a while and then comes back empty.</summary>
public sealed class RedisOutageFixture : ClusterFixture
{
    protected override ClusterOptions Options => new() { Nodes = 2, Nginx = false };
}

[Collection(FaultCollection.Name)]
public sealed class RedisOutageTests(RedisOutageFixture fixture, ITestOutputHelper output) : IClassFixture<RedisOutageFixture>
{
    private static readonly TimeSpan Outage = TimeSpan.FromSeconds(20);
    private static readonly TimeSpan Converge = TimeSpan.FromSeconds(2);

    [SkippableFact]
    public async Task RedisKilledDuringALivePollLosesNoWriteAndEveryScreenConvergesWithoutANewWrite()
    {
        var cluster = fixture.Cluster;
        Services.Require(Environment.GetEnvironmentVariable("LIVEHUB_TEST_REDIS") is null, "a redis-server of the test's own to kill");
        var e = await cluster.CreateEventAsync(ModerationModes.Open);
        var poll = await ClusterTruth.OpenPollAsync(cluster, e);
        var screens = new List<(string Name, SessionScreen Screen)>
        {
            ("audience on node 1", await ClusterTruth.ScreenAsync(cluster.Nodes[0].BaseUri, e)),
            ("audience on node 2", await ClusterTruth.ScreenAsync(cluster.Nodes[1].BaseUri, e)),
            ("projector on node 2", await ClusterTruth.ScreenAsync(cluster.Nodes[1].BaseUri, e, SessionViews.Projector)),
            ("moderator on node 1", await ClusterTruth.ScreenAsync(cluster.Nodes[0].BaseUri, e, SessionViews.Moderator)),
        };
        var clock = Stopwatch.StartNew();
        var phones = new List<OutboxPhone>();
        for (var i = 0; i < 6; i++)
        {
            phones.Add(await OutboxPhone.ConnectAsync(i, cluster.Nodes[i % 2].BaseUri, e.Keynote, clock));
        }
        try
        {
            // A live poll: votes and questions before, during and after the kill.
            var writing = Task.WhenAll(phones.Select(p => p.WriteAsync(poll.Id, 24, TimeSpan.FromMilliseconds(150), CancellationToken.None)));
            await TestClient.EventuallyAsync(() => phones.Sum(p => p.Acks.Count) >= 30, "the first writes are acknowledged", TimeSpan.FromSeconds(20));
            var killedAt = clock.Elapsed;
            await cluster.Redis.StopAsync();
            await writing.WaitAsync(TimeSpan.FromSeconds(60));
            // The last writes are node 1's alone: node 2's screens get no later delta that would show them a gap.
            await phones[0].WriteAsync(poll.Id, 6, TimeSpan.FromMilliseconds(150), CancellationToken.None, first: 100);
            var duringOutage = phones.Sum(p => p.Acks.Count(t => t >= killedAt));

            // Each node kept serving its own screens: the audience on node 1 saw the questions asked on node 1.
            var askedOnNode1 = phones.Where(p => p.Index % 2 == 0).SelectMany(p => p.Questions.Values).ToList();
            await TestClient.EventuallyAsync(() => askedOnNode1.All(id => screens[0].Screen.Questions.ContainsKey(id)),
                "node 1 pushes its own questions to its own screens while Redis is down", TimeSpan.FromSeconds(5));
            Assert.All(screens.Select(s => s.Screen.Client), c => Assert.Equal(HubConnectionState.Connected, c.Connection.State));
            var last = phones[0].Questions["p0-q100"];
            var behind = screens.Where(s => !s.Screen.Questions.ContainsKey(last)).Select(s => s.Name).ToList();
            Assert.Contains("audience on node 2", behind);

            // Back, empty, after the outage; nobody writes any more.
            var wait = Outage - (clock.Elapsed - killedAt);
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait);
            }
            var downFor = clock.Elapsed - killedAt;
            await cluster.Redis.RestartAsync();
            var converged = await ClusterTruth.ScreensConvergeAsync(cluster, e.Keynote, poll.Id, screens, Converge);

            output.WriteLine($"redis-server killed for {downFor.TotalSeconds:F1} s during a live poll on two nodes; {duringOutage} writes acknowledged while it was down; " +
                $"behind the database when it came back: {string.Join(", ", behind)}");
            output.WriteLine($"every screen (2 audiences, projector, moderator) equal to the database {(int)converged.TotalMilliseconds} ms after redis-server was back, without a new write; " +
                $"snapshots re-read after announcements: {string.Join(", ", screens.Select(s => s.Screen.AnnouncedResyncs))}");
            await ClusterTruth.VerifyWritesAsync("Redis killed during a live poll on two nodes", cluster, e.Keynote, poll.Id, phones, output);
        }
        finally
        {
            await RestoreAsync(cluster);
            await Task.WhenAll(phones.Select(p => p.DisposeAsync().AsTask()).Concat(screens.Select(s => s.Screen.Client.DisposeAsync().AsTask())));
        }
    }

    [SkippableFact]
    public async Task AClientThatConnectsWhileRedisIsDownIsServedByItsNodeAndStaysConnected()
    {
        var cluster = fixture.Cluster;
        Services.Require(Environment.GetEnvironmentVariable("LIVEHUB_TEST_REDIS") is null, "a redis-server of the test's own to kill");
        var e = await cluster.CreateEventAsync(ModerationModes.Open);
        var elsewhere = await ClusterTruth.ScreenAsync(cluster.Nodes[1].BaseUri, e);
        var moderator = await ClusterTruth.ScreenAsync(cluster.Nodes[0].BaseUri, e, SessionViews.Moderator);
        var clock = Stopwatch.StartNew();
        var phones = new List<OutboxPhone>();
        try
        {
            await cluster.Redis.StopAsync();
            var stoppedAt = clock.Elapsed;

            // New connections on both nodes: accepted, joined, served, and still there long after StackExchange.Redis's timeouts.
            var closed = 0;
            for (var i = 0; i < 2; i++)
            {
                var connect = Stopwatch.StartNew();
                var phone = await OutboxPhone.ConnectAsync(i, cluster.Nodes[i].BaseUri, e.Keynote, clock);
                output.WriteLine($"connected and joined on node {i + 1} with Redis down in {connect.ElapsedMilliseconds} ms");
                phone.Client.Connection.Closed += _ =>
                {
                    Interlocked.Increment(ref closed);
                    return Task.CompletedTask;
                };
                phones.Add(phone);
            }
            var writing = Task.WhenAll(phones.Select(p => p.WriteAsync(null, 20, TimeSpan.FromMilliseconds(500), CancellationToken.None)));
            await writing.WaitAsync(TimeSpan.FromSeconds(60));
            Assert.True(clock.Elapsed - stoppedAt > TimeSpan.FromSeconds(10), "the phones wrote for longer than the backplane's timeouts");
            Assert.Equal(0, closed);
            Assert.All(phones, p => Assert.Empty(p.Lost));

            // Its own node pushed each phone's questions to the moderator there.
            var onNode1 = phones[0].Questions.Values.ToList();
            await TestClient.EventuallyAsync(() => onNode1.All(id => moderator.Questions.ContainsKey(id)),
                "the moderator on node 1 sees the questions asked on node 1 while Redis is down");

            await cluster.Redis.RestartAsync();
            var converged = await ClusterTruth.ScreensConvergeAsync(cluster, e.Keynote, null,
                [("audience on node 2", elsewhere), ("moderator on node 1", moderator)], Converge);
            output.WriteLine($"Redis down {(clock.Elapsed - stoppedAt).TotalSeconds:F1} s; the phones that connected meanwhile stayed connected; " +
                $"screens equal to the database {(int)converged.TotalMilliseconds} ms after redis-server was back");
            await ClusterTruth.VerifyWritesAsync("Redis down when a client connects", cluster, e.Keynote, null, phones, output);
        }
        finally
        {
            await RestoreAsync(cluster);
            await Task.WhenAll(phones.Select(p => p.DisposeAsync().AsTask()).Append(elsewhere.Client.DisposeAsync().AsTask()).Append(moderator.Client.DisposeAsync().AsTask()));
        }
    }

    private static async Task RestoreAsync(LiveHubCluster cluster)
    {
        if (!cluster.Redis.Running)
        {
            await cluster.Redis.RestartAsync();
        }
        await cluster.WaitAllReadyAsync(TimeSpan.FromSeconds(30));
    }
}
