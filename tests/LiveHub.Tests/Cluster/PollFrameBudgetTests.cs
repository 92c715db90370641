using System.Collections.Concurrent;
using System.Diagnostics;
using LiveHub.Events;
using LiveHub.Polls;
using LiveHub.Realtime;
using LiveHub.Tests.Faults;
using LiveHub.Tests.Infrastructure;
using Xunit.Abstractions;

namespace LiveHub.Tests.Cluster;

/// <summary>A poll voted on through all three nodes still sends each screen one stream of frames, within its budget.</summary>
[Collection(ClusterCollection.Name)]
public sealed class PollFrameBudgetTests(ClusterFixture fixture, ITestOutputHelper output)
{
    private const int PhoneBudget = 4;
    private const int ScreenBudget = 10;
    private static readonly TimeSpan Voting = TimeSpan.FromSeconds(4);

    [SkippableFact]
    public async Task APollVotedOnEveryNodeSendsEachScreenOneStreamOfFramesWithinItsBudget()
    {
        var cluster = fixture.Cluster;
        var e = await cluster.CreateEventAsync(ModerationModes.Open);
        var poll = await ClusterTruth.OpenPollAsync(cluster, e);
        var clock = Stopwatch.StartNew();

        // Watchers: a phone on every node, the projector on node 2, a moderator on node 3. Each frame's arrival is timed.
        var watchers = new List<(string Name, int Budget, TestClient Client, ConcurrentQueue<(TimeSpan At, long Version)> Frames)>();
        async Task WatchAsync(string name, int budget, Uri address, string view)
        {
            var client = await TestClient.ConnectAsync(address, moderatorOf: view == SessionViews.Moderator ? e.Code : null);
            var frames = new ConcurrentQueue<(TimeSpan, long)>();
            client.Arrived += (_, payload) =>
            {
                if (payload is PollResults r && r.PollId == poll.Id)
                {
                    frames.Enqueue((clock.Elapsed, r.Version));
                }
            };
            await client.JoinAsync(e.Keynote, view);
            watchers.Add((name, budget, client, frames));
        }
        for (var i = 0; i < 3; i++)
        {
            await WatchAsync($"phone on node {i + 1}", PhoneBudget, cluster.Nodes[i].BaseUri, SessionViews.Audience);
        }
        await WatchAsync("projector on node 2", ScreenBudget, cluster.Nodes[1].BaseUri, SessionViews.Projector);
        await WatchAsync("moderator on node 3", ScreenBudget, cluster.Nodes[2].BaseUri, SessionViews.Moderator);

        // Voters on every node, each changing its vote every 100 ms: every tick of every node has new votes.
        var voters = await Task.WhenAll(Enumerable.Range(0, 9).Select(i => TestClient.ConnectAsync(cluster.Nodes[i % 3].BaseUri)));
        try
        {
            var start = clock.Elapsed;
            var votes = 0;
            await Task.WhenAll(voters.Select(async (voter, i) =>
            {
                for (var n = 0; clock.Elapsed - start < Voting; n++)
                {
                    await voter.OkAsync<MyVote>(nameof(EventHub.CastVote), new CastVoteRequest(poll.Id, $"v{i}-{n}", [(i + n) % 4], null, null, null, null));
                    Interlocked.Increment(ref votes);
                    await Task.Delay(100);
                }
            }));
            var end = clock.Elapsed;

            var storedVoters = await cluster.ScalarAsync<long>("SELECT COUNT(*) FROM votes WHERE poll_id = @Id", new { poll.Id });
            foreach (var (name, _, client, frames) in watchers)
            {
                await TestClient.EventuallyAsync(() => client.ResultFrames.Where(f => f.PollId == poll.Id).MaxBy(f => f.Version)?.Voters == storedVoters,
                    $"the last frame on the {name} counts every voter");
            }
            var seconds = (end - start).TotalSeconds;
            var failures = new List<string>();
            foreach (var (name, budget, _, frames) in watchers)
            {
                var during = frames.Where(f => f.At >= start && f.At < end).Select(f => f.At).Order().ToList();
                // The most frames that arrived within any one second.
                var busiest = during.Select((t, i) => during.Skip(i).TakeWhile(u => u - t < TimeSpan.FromSeconds(1)).Count()).DefaultIfEmpty(0).Max();
                var rate = during.Count / seconds;
                var versions = frames.Select(f => f.Version).ToList();
                var backwards = versions.Zip(versions.Skip(1)).Count(p => p.Second <= p.First);
                output.WriteLine($"{name}: {during.Count} frames in {seconds:F1} s ({rate:F1}/s), at most {busiest} in one second (budget {budget}); " +
                    $"{backwards} frames not newer than the one before");
                // One frame of delivery jitter at the edge of a second is allowed; the average must keep the budget.
                if (busiest > budget + 1 || rate > budget)
                {
                    failures.Add($"{name}: {busiest} frames in one second, {rate:F1}/s (budget {budget})");
                }
            }
            output.WriteLine($"{votes} votes cast through three nodes in {seconds:F1} s by 9 voters; {storedVoters} voters stored, the last frame on every screen says so");
            Assert.Empty(failures);
        }
        finally
        {
            await Task.WhenAll(voters.Concat(watchers.Select(w => w.Client)).Select(c => c.DisposeAsync().AsTask()));
        }
    }
}
