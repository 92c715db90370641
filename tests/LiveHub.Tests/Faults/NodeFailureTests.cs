using System.Diagnostics;
using System.Globalization;
using System.Net;
using LiveHub.Events;
using LiveHub.Polls;
using LiveHub.Realtime;
using LiveHub.Tests.Infrastructure;
using Xunit.Abstractions;

using LiveHub.Tests.Cluster;

namespace LiveHub.Tests.Faults;

/// <summary>
/// A node goes away while phones write through nginx, killed or told to stop: its phones reconnect to the others, resend
/// what was not acknowledged, and every acknowledged question and vote is in the database exactly once.
/// Each test brings its node back before it ends.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class NodeFailureTests(ClusterFixture fixture, ITestOutputHelper output)
{
    private const int Phones = 12;
    private const int Writes = 45;
    private static readonly TimeSpan Pause = TimeSpan.FromMilliseconds(30);

    [SkippableFact]
    public async Task PhonesOfAKilledNodeReconnectThroughNginxAndEveryAcknowledgedWriteIsStoredOnce()
    {
        var cluster = fixture.Cluster;
        await using var run = await WriteRun.StartAsync(cluster);
        var victim = await BusiestNodeAsync(cluster);
        try
        {
            var writing = run.WriteAsync();
            await TestClient.EventuallyAsync(() => run.AckCount >= Phones * Writes / 3, "a third of the writes are acknowledged", TimeSpan.FromSeconds(30));
            var killedAt = run.Clock.Elapsed;
            await victim.Node.KillAsync();
            await writing.WaitAsync(TimeSpan.FromSeconds(30));

            await run.VerifyAsync(output, "SIGKILL of a node mid-write", $"SIGKILL {victim.Node.Name} ({victim.Connections} hub connections)", killedAt, victim.Connections);
        }
        finally
        {
            await RestoreAsync(cluster, victim.Node);
        }
    }

    [SkippableFact]
    public async Task ANodeStoppedWithSigtermHandsItsPhonesToTheOthersWithoutLosingAWrite()
    {
        var cluster = fixture.Cluster;
        await using var run = await WriteRun.StartAsync(cluster);
        var victim = await BusiestNodeAsync(cluster);
        try
        {
            var writing = run.WriteAsync();
            await TestClient.EventuallyAsync(() => run.AckCount >= Phones * Writes / 3, "a third of the writes are acknowledged", TimeSpan.FromSeconds(30));
            var stoppedAt = run.Clock.Elapsed;
            var stop = Stopwatch.StartNew();
            await victim.Node.TerminateAsync();

            // Draining: not ready at once (a load balancer that polls stops sending people), alive, and its phones still on it.
            using var probe = new HttpClient { BaseAddress = victim.Node.BaseUri, Timeout = TimeSpan.FromSeconds(1) };
            while ((await probe.GetAsync("/health/ready")).StatusCode != HttpStatusCode.ServiceUnavailable)
            {
                Assert.True(stop.Elapsed < TimeSpan.FromSeconds(1), "readiness turned 503 within the drain");
            }
            var unready = stop.Elapsed;
            Assert.Equal(HttpStatusCode.OK, (await probe.GetAsync("/health/live")).StatusCode);
            var exitCode = await victim.Node.WaitForExitAsync(TimeSpan.FromSeconds(30));
            output.WriteLine($"{victim.Node.Name}: unready after {(int)unready.TotalMilliseconds} ms, exited with {exitCode} after {stop.ElapsedMilliseconds} ms (drain 1 s)");
            await writing.WaitAsync(TimeSpan.FromSeconds(30));

            var cut = await run.VerifyAsync(output, "SIGTERM of a node mid-write", $"SIGTERM {victim.Node.Name} ({victim.Connections} hub connections)", stoppedAt, victim.Connections);
            // Its phones were kept through the drain, not dropped at the signal.
            Assert.All(cut, after => Assert.True(after >= TimeSpan.FromMilliseconds(900), $"a phone was cut {after} after SIGTERM"));
            Assert.Equal(0, exitCode);
        }
        finally
        {
            await RestoreAsync(cluster, victim.Node);
        }
    }

    /// <summary>The node holding the most hub connections, read from each node's own metrics.</summary>
    private static async Task<(NodeProcess Node, int Connections)> BusiestNodeAsync(LiveHubCluster cluster)
    {
        var counts = await Task.WhenAll(cluster.Nodes.Select(async n => (Node: n, Connections: await ConnectionsAsync(n))));
        var busiest = counts.MaxBy(c => c.Connections);
        Assert.True(busiest.Connections > 0, "nginx spread the phones over the nodes");
        return busiest;
    }

    private static async Task<int> ConnectionsAsync(NodeProcess node)
    {
        using var http = new HttpClient { BaseAddress = node.BaseUri, Timeout = TestClient.Timeout };
        var metrics = await http.GetStringAsync("/metrics");
        return (int)metrics.Split('\n')
            .Where(line => line.StartsWith("livehub_connections", StringComparison.Ordinal))
            .Sum(line => double.Parse(line[(line.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture));
    }

    private static async Task RestoreAsync(LiveHubCluster cluster, NodeProcess node)
    {
        if (node.ProcessId is null)
        {
            await node.StartAsync();
        }
        await cluster.WaitAllReadyAsync(TimeSpan.FromSeconds(30));
    }

    /// <summary>Phones through nginx writing questions and votes into one open session and one open poll.</summary>
    private sealed class WriteRun : IAsyncDisposable
    {
        private readonly LiveHubCluster _cluster;

        private WriteRun(LiveHubCluster cluster, ClusterEvent e, PollView poll, List<OutboxPhone> phones, Stopwatch clock)
        {
            _cluster = cluster;
            Event = e;
            Poll = poll;
            PhonesList = phones;
            Clock = clock;
        }

        public ClusterEvent Event { get; }
        public PollView Poll { get; }
        public List<OutboxPhone> PhonesList { get; }
        public Stopwatch Clock { get; }
        public int AckCount => PhonesList.Sum(p => p.Acks.Count);

        public static async Task<WriteRun> StartAsync(LiveHubCluster cluster)
        {
            var e = await cluster.CreateEventAsync(ModerationModes.Open);
            PollView poll;
            await using (var moderator = await TestClient.ConnectAsync(cluster.Nodes[0].BaseUri, moderatorOf: e.Code))
            {
                poll = await moderator.OkAsync<PollView>(nameof(EventHub.CreatePoll), new PollDraftRequest(e.Keynote, PollKinds.Single,
                    "Masalah kota mana yang paling mendesak?", ["Kemacetan", "Keamanan", "Sampah", "Administrasi"], null, null, null, null, PollVisibility.Live));
                await moderator.OkAsync<PollView>(nameof(EventHub.OpenPoll), new PollRequest(poll.Id));
            }
            var clock = Stopwatch.StartNew();
            var phones = new List<OutboxPhone>();
            foreach (var i in Enumerable.Range(0, Phones))
            {
                phones.Add(await OutboxPhone.ConnectAsync(i, cluster.Public, e.Keynote, clock));
            }
            return new WriteRun(cluster, e, poll, phones, clock);
        }

        public Task WriteAsync() => Task.WhenAll(PhonesList.Select(p => p.WriteAsync(Poll.Id, Writes, Pause, CancellationToken.None)));

        /// <summary>The database holds each acknowledged write once, and every phone's fresh snapshot is the database's.</summary>
        /// <summary>Returns, for each phone that was cut off, how long after the failure that happened.</summary>
        public async Task<IReadOnlyList<TimeSpan>> VerifyAsync(ITestOutputHelper output, string @case, string what, TimeSpan failedAt, int connectionsOnNode)
        {
            // Who was cut off, when, and how long until they were back in their session on another node.
            var cut = PhonesList.Where(p => p.Lost.Any(t => t >= failedAt))
                .Select(p =>
                {
                    var lost = p.Lost.Where(t => t >= failedAt).Min();
                    var rejoined = p.Rejoined.Where(t => t >= lost).DefaultIfEmpty(TimeSpan.MaxValue).Min();
                    return (After: lost - failedAt, Back: rejoined == TimeSpan.MaxValue ? rejoined : rejoined - lost, Rejoined: rejoined);
                })
                .OrderBy(c => c.Back).ToList();
            Assert.NotEmpty(cut);
            Assert.All(cut, c => Assert.True(c.Back < TimeSpan.FromSeconds(10), $"a phone took {c.Back} to come back"));
            var back = cut.Select(c => c.Back).ToList();
            var lastBack = cut.Max(c => c.Rejoined);
            var acksDuring = PhonesList.Sum(p => p.Acks.Count(t => t >= failedAt && t <= lastBack));

            var questions = (await _cluster.QueryAsync<(string ClientId, long Id)>(
                "SELECT client_id, id FROM questions WHERE session_id = @Keynote", new { Event.Keynote })).ToList();
            var acked = PhonesList.SelectMany(p => p.Questions).ToDictionary(q => q.Key, q => q.Value);
            var voteRequests = (await _cluster.QueryAsync<string>(
                "SELECT client_id FROM vote_requests WHERE poll_id = @Id", new { Poll.Id })).ToList();
            var ackedVotes = PhonesList.SelectMany(p => p.Votes).Select(v => v.ClientId).ToList();
            FaultLedger.Record(@case, acked.Count + ackedVotes.Count,
                acked.Count(a => !questions.Contains((a.Key, a.Value))) + ackedVotes.Count(v => !voteRequests.Contains(v)),
                questions.GroupBy(q => q.ClientId).Sum(g => g.Count() - 1) + voteRequests.GroupBy(v => v).Sum(g => g.Count() - 1), output);
            Assert.Equal(acked.Count, questions.Count);
            Assert.Equal(questions.Count, questions.Select(q => q.ClientId).Distinct().Count());
            Assert.All(questions, q => Assert.Equal(acked[q.ClientId], q.Id));

            Assert.Equal(ackedVotes.Order(), voteRequests.Order());
            var finalChoices = (await _cluster.QueryAsync<(string ClientId, long Option)>("""
                SELECT r.client_id, c.option_index FROM vote_requests r
                JOIN vote_choices c ON c.poll_id = r.poll_id AND c.participant_id = r.participant_id
                WHERE r.poll_id = @Id
                """, new { Poll.Id })).ToDictionary(c => c.ClientId, c => c.Option);
            Assert.Equal(Phones, await _cluster.ScalarAsync<long>("SELECT COUNT(*) FROM votes WHERE poll_id = @Id", new { Poll.Id }));
            Assert.All(PhonesList, p => Assert.Equal(p.Votes.Last().Choice, finalChoices[p.Votes.Last().ClientId]));

            // Every screen converges: a fresh snapshot, from whichever node the phone is on now, is the database's truth.
            var tally = (await _cluster.QueryAsync<(long Option, long Votes)>(
                "SELECT option_index, COUNT(*) FROM vote_choices WHERE poll_id = @Id GROUP BY option_index", new { Poll.Id }))
                .ToDictionary(t => (int)t.Option, t => t.Votes);
            Assert.Equal(Phones, tally.Values.Sum());
            foreach (var phone in PhonesList)
            {
                var snapshot = await phone.Client.JoinAsync(Event.Keynote);
                Assert.Equal(questions.Select(q => q.Id).Order(), snapshot.Questions.Select(q => q.Id).Order());
                var results = Assert.Single(snapshot.Results, r => r.PollId == Poll.Id);
                Assert.Equal(Phones, results.Voters);
                Assert.All(results.Options, o => Assert.Equal(tally.GetValueOrDefault(o.Index), o.Votes));
            }

            output.WriteLine($"{what}: {cut.Count} of {Phones} phones were on it ({connectionsOnNode} connections by its metrics)");
            output.WriteLine($"  cut after (ms): {string.Join(", ", cut.Select(c => (int)c.After.TotalMilliseconds).Order())}");
            output.WriteLine($"  from cut to rejoined on another node (ms): {string.Join(", ", back.Select(b => (int)b.TotalMilliseconds))}; " +
                $"median {(int)back[back.Count / 2].TotalMilliseconds}, max {(int)back[^1].TotalMilliseconds}");
            output.WriteLine($"  writes acknowledged: {AckCount} ({acked.Count} questions, {ackedVotes.Count} votes), " +
                $"{acksDuring} of them between the failure and the last phone's return; resends: {PhonesList.Sum(p => p.Resends)}");
            output.WriteLine($"  database: {questions.Count} questions and {voteRequests.Count} vote requests, each client id once; every phone's snapshot equals it");
            return cut.Select(c => c.After).ToList();
        }

        public async ValueTask DisposeAsync()
        {
            await Task.WhenAll(PhonesList.Select(p => p.DisposeAsync().AsTask()));
        }
    }
}
