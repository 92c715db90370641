using System.Diagnostics;
using LiveHub.Events;
using LiveHub.Polls;
using LiveHub.Questions;
using LiveHub.Realtime;
using LiveHub.Tests.Faults;
using LiveHub.Tests.Infrastructure;
using Xunit.Abstractions;

namespace LiveHub.Tests.Cluster;

/// <summary>
/// What a session's screens get when its writes come through all three nodes at once: the version stream, merged upvotes,
/// and a phone that reconnects in the middle of a poll.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class SessionStreamTests(ClusterFixture fixture, ITestOutputHelper output)
{
    private static readonly TimeSpan Writing = TimeSpan.FromSeconds(4);
    private static readonly TimeSpan Converge = TimeSpan.FromSeconds(5);

    [SkippableFact]
    public async Task EveryScreenOnEveryNodeGetsItsSessionsVersionsWithoutAGapOrARepeat()
    {
        var cluster = fixture.Cluster;
        var e = await cluster.CreateEventAsync(ModerationModes.Open);
        var screens = new List<(string Name, SessionScreen Screen)>();
        for (var i = 0; i < 3; i++)
        {
            screens.Add(($"phone A on node {i + 1}", await ClusterTruth.ScreenAsync(cluster.Nodes[i].BaseUri, e)));
            screens.Add(($"phone B on node {i + 1}", await ClusterTruth.ScreenAsync(cluster.Nodes[i].BaseUri, e)));
            screens.Add(($"moderator on node {i + 1}", await ClusterTruth.ScreenAsync(cluster.Nodes[i].BaseUri, e, SessionViews.Moderator)));
        }
        var writers = new List<TestClient>();
        try
        {
            // Through every node at once: questions, upvotes, moderators' actions and a poll's lifecycle.
            for (var i = 0; i < 3; i++)
            {
                writers.Add(await TestClient.ConnectAsync(cluster.Nodes[i].BaseUri));
                writers.Add(await TestClient.ConnectAsync(cluster.Nodes[i].BaseUri, moderatorOf: e.Code));
            }
            var clock = Stopwatch.StartNew();
            var asked = new System.Collections.Concurrent.ConcurrentQueue<long>();
            var tasks = new List<Task>();
            for (var i = 0; i < 3; i++)
            {
                var phone = writers[i * 2];
                var moderator = writers[i * 2 + 1];
                var node = i;
                tasks.Add(Task.Run(async () =>
                {
                    for (var n = 0; clock.Elapsed < Writing; n++)
                    {
                        asked.Enqueue((await phone.AskAsync(e.Keynote, $"Pertanyaan {n} lewat node {node + 1}?")).Id);
                        if (asked.ElementAtOrDefault(asked.Count / 2) is var some and > 0)
                        {
                            await phone.OkAsync<UpvoteView>(nameof(EventHub.Upvote), new UpvoteRequest(some, n % 2 == 0));
                        }
                        await Task.Delay(30);
                    }
                }));
                tasks.Add(Task.Run(async () =>
                {
                    PollView? poll = null;
                    for (var n = 0; clock.Elapsed < Writing; n++)
                    {
                        if (node == 2)
                        {
                            poll ??= await moderator.OkAsync<PollView>(nameof(EventHub.CreatePoll), new PollDraftRequest(e.Keynote, PollKinds.Single,
                                "Setuju?", ["Ya", "Tidak"], null, null, null, null, PollVisibility.Live));
                            await moderator.OkAsync<PollView>(n % 2 == 0 ? nameof(EventHub.OpenPoll) : nameof(EventHub.ClosePoll), new PollRequest(poll.Id));
                        }
                        else if (asked.ElementAtOrDefault(Random.Shared.Next(Math.Max(1, asked.Count))) is var id and > 0)
                        {
                            await moderator.OkAsync<QuestionView>(node == 0 ? nameof(EventHub.ReplyToQuestion) : nameof(EventHub.EditQuestion),
                                node == 0 ? new ReplyToQuestionRequest(e.Keynote, id, $"Balasan {n}") : new EditQuestionRequest(e.Keynote, id, $"Disunting {n}?"));
                        }
                        await Task.Delay(50);
                    }
                }));
            }
            await Task.WhenAll(tasks);

            var (version, modVersion) = (await cluster.QueryAsync<(long, long)>(
                "SELECT version, mod_version FROM sessions WHERE id = @Keynote", new { e.Keynote })).Single();
            foreach (var (name, screen) in screens)
            {
                var expected = name.StartsWith("moderator", StringComparison.Ordinal) ? modVersion : version;
                await TestClient.EventuallyAsync(() => screen.Version == expected, $"the {name} reaches version {expected}", Converge);
            }
            await ClusterTruth.ScreensConvergeAsync(cluster, e.Keynote, null, screens, Converge);
            foreach (var (name, screen) in screens)
            {
                output.WriteLine($"{name}: {screen.Arrivals.Count} versioned deltas, {screen.Breaks.Count} gaps or repeats" +
                    (screen.Breaks.Count > 0 ? $" ({string.Join(", ", screen.Breaks.Take(5).Select(b => $"{b.Previous}->{b.Next}"))})" : "") +
                    $", {screen.Snapshots} snapshots");
            }
            output.WriteLine($"{asked.Count} questions asked through three nodes in {Writing.TotalSeconds} s; session at version {version}, moderation version {modVersion}");
            Assert.All(screens, s => Assert.Empty(s.Screen.Breaks));
        }
        finally
        {
            await Task.WhenAll(writers.Concat(screens.Select(s => s.Screen.Client)).Select(c => c.DisposeAsync().AsTask()));
        }
    }

    [SkippableFact]
    public async Task AMergeCarriesTheUpvotesCastOnEveryNodeToEveryScreen()
    {
        var cluster = fixture.Cluster;
        var e = await cluster.CreateEventAsync(ModerationModes.Open);
        var screens = new List<(string Name, SessionScreen Screen)>();
        for (var i = 0; i < 3; i++)
        {
            screens.Add(($"phone on node {i + 1}", await ClusterTruth.ScreenAsync(cluster.Nodes[i].BaseUri, e)));
        }
        screens.Add(("moderator on node 2", await ClusterTruth.ScreenAsync(cluster.Nodes[1].BaseUri, e, SessionViews.Moderator)));
        var people = (await Task.WhenAll(Enumerable.Range(0, 12).Select(i => TestClient.ConnectAsync(cluster.Nodes[i % 3].BaseUri)))).ToList();
        try
        {
            var duplicate = await people[0].AskAsync(e.Keynote, "Kapan jalan ke bandara diperbaiki?");
            var original = await people[1].AskAsync(e.Keynote, "Kapan perbaikan jalan bandara dimulai?");
            // Upvotes from every node at once: two thirds on the duplicate, the odd ones on the original too.
            await Task.WhenAll(people.Select(async (p, i) =>
            {
                if (i % 3 != 0)
                {
                    await p.OkAsync<UpvoteView>(nameof(EventHub.Upvote), new UpvoteRequest(duplicate.Id, true));
                }
                if (i % 2 == 1)
                {
                    await p.OkAsync<UpvoteView>(nameof(EventHub.Upvote), new UpvoteRequest(original.Id, true));
                }
            }));
            var moderator = screens[3].Screen.Client;
            var merged = await moderator.OkAsync<QuestionView>(nameof(EventHub.MergeQuestions), new MergeQuestionsRequest(e.Keynote, duplicate.Id, original.Id));

            // Everyone who upvoted either question, and the duplicate's author, each once.
            var expected = Enumerable.Range(0, 12).Count(i => i % 3 != 0 || i % 2 == 1 || i == 0);
            var stored = await cluster.ScalarAsync<long>("SELECT upvotes FROM questions WHERE id = @Id", new { original.Id });
            var rows = await cluster.ScalarAsync<long>("SELECT COUNT(*) FROM upvotes WHERE question_id = @Id", new { original.Id });
            output.WriteLine($"merged: {expected} distinct people; stored count {stored}, upvote rows {rows}, merge answered {merged.Upvotes}");
            Assert.Equal(expected, rows);
            Assert.Equal(expected, stored);
            var converged = await ClusterTruth.ScreensConvergeAsync(cluster, e.Keynote, null, screens, Converge);
            foreach (var (name, screen) in screens)
            {
                Assert.Equal(expected, screen.Questions[original.Id].Upvotes);
                Assert.False(screen.Questions.ContainsKey(duplicate.Id) && name.StartsWith("phone", StringComparison.Ordinal), $"the {name} still shows the duplicate");
            }
            output.WriteLine($"every screen on three nodes shows {expected} upvotes on the merged question {(int)converged.TotalMilliseconds} ms after the merge");
        }
        finally
        {
            await Task.WhenAll(people.Concat(screens.Select(s => s.Screen.Client)).Select(c => c.DisposeAsync().AsTask()));
        }
    }

    [SkippableFact]
    public async Task APhoneThatReconnectsDuringAPollShowsWhatTheOthersShow()
    {
        var cluster = fixture.Cluster;
        var e = await cluster.CreateEventAsync(ModerationModes.Open);
        var poll = await ClusterTruth.OpenPollAsync(cluster, e);
        var screens = new List<(string Name, SessionScreen Screen)>();
        for (var i = 0; i < 3; i++)
        {
            screens.Add(($"phone on node {i + 1}", await ClusterTruth.ScreenAsync(cluster.Nodes[i].BaseUri, e)));
        }
        var returning = await ClusterTruth.ScreenAsync(cluster.Public, e);
        screens.Add(("phone that reconnects", returning));
        var voters = await Task.WhenAll(Enumerable.Range(0, 9).Select(i => TestClient.ConnectAsync(cluster.Nodes[i % 3].BaseUri)));
        try
        {
            var clock = Stopwatch.StartNew();
            var voting = Task.WhenAll(voters.Select(async (voter, i) =>
            {
                for (var n = 0; clock.Elapsed < Writing; n++)
                {
                    await voter.OkAsync<MyVote>(nameof(EventHub.CastVote), new CastVoteRequest(poll.Id, $"v{i}-{n}", [(i + n) % 4], null, null, null, null));
                    await Task.Delay(60);
                }
            }));
            // In the middle of the poll the phone drops and comes back through nginx, on whichever node, and rejoins.
            var reconnects = 0;
            while (clock.Elapsed < Writing - TimeSpan.FromSeconds(1))
            {
                await Task.Delay(700);
                await returning.Client.ReconnectAsync();
                reconnects++;
            }
            await voting;
            var converged = await ClusterTruth.ScreensConvergeAsync(cluster, e.Keynote, poll.Id, screens, Converge);
            var tally = (await cluster.QueryAsync<(long Option, long Votes)>(
                "SELECT option_index, COUNT(*) FROM vote_choices WHERE poll_id = @Id GROUP BY option_index", new { poll.Id })).ToDictionary(t => (int)t.Option, t => t.Votes);
            Assert.All(screens, s => Assert.All(s.Screen.Results(poll.Id)!.Options, o => Assert.Equal(tally.GetValueOrDefault(o.Index), o.Votes)));
            output.WriteLine($"the phone reconnected {reconnects} times during the poll; every phone showed the database's count {(int)converged.TotalMilliseconds} ms after the last vote " +
                $"({string.Join(", ", tally.OrderBy(t => t.Key).Select(t => t.Value))})");
        }
        finally
        {
            await Task.WhenAll(voters.Concat(screens.Select(s => s.Screen.Client)).Select(c => c.DisposeAsync().AsTask()));
        }
    }
}
