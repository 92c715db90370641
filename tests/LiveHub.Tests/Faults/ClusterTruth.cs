using System.Diagnostics;
using LiveHub.Events;
using LiveHub.Polls;
using LiveHub.Realtime;
using LiveHub.Tests.Cluster;
using LiveHub.Tests.Infrastructure;
using Xunit.Abstractions;

namespace LiveHub.Tests.Faults;

/// <summary>What the database of a cluster holds, and checks that writes and screens agree with it.</summary>
public static class ClusterTruth
{
    /// <summary>
    /// Every acknowledged question and vote of the phones is in the database exactly once, with the choice last acknowledged;
    /// prints the figures and records them in the <see cref="FaultLedger"/> under <paramref name="case"/>. Returns (acknowledged, lost, doubled).
    /// </summary>
    public static async Task<(int Acknowledged, int Lost, int Doubled)> VerifyWritesAsync(
        string @case, LiveHubCluster cluster, long sessionId, long? pollId, IEnumerable<OutboxPhone> phones, ITestOutputHelper output)
    {
        var all = phones.ToList();
        var stored = (await cluster.QueryAsync<(string ClientId, long Id)>(
            "SELECT client_id, id FROM questions WHERE session_id = @sessionId", new { sessionId })).ToList();
        var acked = all.SelectMany(p => p.Questions).ToDictionary(q => q.Key, q => q.Value);
        var lostQuestions = acked.Count(a => !stored.Any(s => s.ClientId == a.Key && s.Id == a.Value));
        var doubledQuestions = stored.GroupBy(s => s.ClientId).Sum(g => g.Count() - 1);

        var ackedVotes = all.SelectMany(p => p.Votes).Select(v => v.ClientId).ToList();
        var lostVotes = 0;
        var doubledVotes = 0;
        var storedVotes = 0;
        if (pollId is { } poll)
        {
            var requests = (await cluster.QueryAsync<string>("SELECT client_id FROM vote_requests WHERE poll_id = @poll", new { poll })).ToList();
            storedVotes = requests.Count;
            lostVotes = ackedVotes.Count(v => !requests.Contains(v));
            doubledVotes = requests.GroupBy(r => r).Sum(g => g.Count() - 1);
            var finalChoices = (await cluster.QueryAsync<(string ClientId, long Option)>("""
                SELECT r.client_id, c.option_index FROM vote_requests r
                JOIN vote_choices c ON c.poll_id = r.poll_id AND c.participant_id = r.participant_id
                WHERE r.poll_id = @poll
                """, new { poll })).ToDictionary(c => c.ClientId, c => c.Option);
            foreach (var phone in all.Where(p => !p.Votes.IsEmpty))
            {
                var last = phone.Votes.Last();
                Assert.Equal(last.Choice, finalChoices[last.ClientId]);
            }
        }
        var acknowledged = acked.Count + ackedVotes.Count;
        output.WriteLine($"writes acknowledged: {acknowledged} ({acked.Count} questions, {ackedVotes.Count} votes), resends {all.Sum(p => p.Resends)}; " +
            $"stored: {stored.Count} questions, {storedVotes} vote requests; lost: {lostQuestions + lostVotes}; doubled: {doubledQuestions + doubledVotes}");
        FaultLedger.Record(@case, acknowledged, lostQuestions + lostVotes, doubledQuestions + doubledVotes, output);
        Assert.Equal(0, lostQuestions + lostVotes);
        Assert.Equal(0, doubledQuestions + doubledVotes);
        return (acknowledged, lostQuestions + lostVotes, doubledQuestions + doubledVotes);
    }

    /// <summary>
    /// Waits until every screen shows what the database holds: the questions its view may see with their upvotes, and the
    /// poll's count. Returns how long that took; fails after <paramref name="within"/> naming the screens still wrong.
    /// </summary>
    public static async Task<TimeSpan> ScreensConvergeAsync(LiveHubCluster cluster, long sessionId, long? pollId,
        IReadOnlyList<(string Name, SessionScreen Screen)> screens, TimeSpan within)
    {
        var clock = Stopwatch.StartNew();
        var wrong = new List<string>();
        while (true)
        {
            var questions = (await cluster.QueryAsync<(long Id, string Status, long Upvotes)>(
                "SELECT id, status, upvotes FROM questions WHERE session_id = @sessionId", new { sessionId })).ToList();
            var voters = pollId is { } poll ? await cluster.ScalarAsync<long>("SELECT COUNT(*) FROM votes WHERE poll_id = @poll", new { poll }) : 0;
            // The count per option too: voters who change their answer move no voter count.
            var tally = pollId is { } polled
                ? (await cluster.QueryAsync<(long Option, long Votes)>(
                    "SELECT option_index, COUNT(*) FROM vote_choices WHERE poll_id = @polled GROUP BY option_index", new { polled }))
                    .ToDictionary(t => (int)t.Option, t => t.Votes)
                : [];
            wrong.Clear();
            foreach (var (name, screen) in screens)
            {
                var view = screen.Questions;
                var expected = questions.Where(q => name.Contains("moderator", StringComparison.Ordinal) || q.Status is "approved" or "answered").ToList();
                var differ = expected.FirstOrDefault(q => !view.TryGetValue(q.Id, out var shown) || shown.Upvotes != q.Upvotes || shown.Status != q.Status);
                if (expected.Count != view.Count || differ != default)
                {
                    var shown = differ == default ? null : view.GetValueOrDefault(differ.Id);
                    wrong.Add($"{name}: {view.Count} questions shown, {expected.Count} stored" + (differ == default ? "" :
                        $"; question {differ.Id} shown as {shown?.Status ?? "missing"} with {shown?.Upvotes} upvotes, stored {differ.Status} with {differ.Upvotes}"));
                    continue;
                }
                if (pollId is { } p && screen.Results(p) is var frame
                    && (frame?.Voters != voters || frame.Options.Any(o => o.Votes != tally.GetValueOrDefault(o.Index))))
                {
                    wrong.Add($"{name}: {frame?.Voters.ToString() ?? "no"} voters shown ({string.Join("/", frame?.Options.Select(o => o.Votes) ?? [])}), " +
                        $"{voters} stored ({string.Join("/", tally.OrderBy(t => t.Key).Select(t => t.Value))})");
                }
            }
            if (wrong.Count == 0)
            {
                return clock.Elapsed;
            }
            if (clock.Elapsed > within)
            {
                Assert.Fail($"Screens still differ from the database after {within.TotalSeconds} s: {string.Join("; ", wrong)}");
            }
            await Task.Delay(50);
        }
    }

    /// <summary>A moderator on the first node opens a single-choice poll with live results in the session.</summary>
    public static async Task<PollView> OpenPollAsync(LiveHubCluster cluster, ClusterEvent e)
    {
        await using var moderator = await TestClient.ConnectAsync(cluster.Nodes[0].BaseUri, moderatorOf: e.Code);
        var poll = await moderator.OkAsync<PollView>(nameof(EventHub.CreatePoll), new PollDraftRequest(e.Keynote, PollKinds.Single,
            "Masalah kota mana yang paling mendesak?", ["Kemacetan", "Keamanan", "Sampah", "Administrasi"], null, null, null, null, PollVisibility.Live));
        await moderator.OkAsync<PollView>(nameof(EventHub.OpenPoll), new PollRequest(poll.Id));
        return poll;
    }

    /// <summary>Opens a screen of the session on a client of its own at the address.</summary>
    public static async Task<SessionScreen> ScreenAsync(Uri address, ClusterEvent e, string view = SessionViews.Audience)
    {
        var client = await TestClient.ConnectAsync(address, moderatorOf: view == SessionViews.Moderator ? e.Code : null,
            reconnect: new KeepReconnecting());
        return await SessionScreen.OpenAsync(client, e.Keynote, view);
    }
}
