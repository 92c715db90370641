using System.Diagnostics;
using System.Text.Json;
using LiveHub.Bench.Clients;
using LiveHub.Bench.Measure;
using LiveHub.Bench.Report;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Data.Sqlite;

namespace LiveHub.Bench.Scenarios;

public sealed partial class Suite
{
    /// <summary>
    /// 8. The Kupang keynote scaled up, on a fresh LiveHub: every phone joins the keynote (timed), the hall's Wi-Fi drops and every
    /// phone rejoins at once (timed); then a moderator action every 2 s, 5 % of the audience upvoting and 2 % reacting per
    /// minute, 1 % of phones dropping and rejoining per minute, and a single-choice poll the whole audience votes in within the
    /// voting window while results stream to every phone and the projector.
    /// </summary>
    private async Task KeynoteAsync(ScenarioResult r, CancellationToken ct)
    {
        if (settings.Target is not null)
        {
            r.Skipped = "needs a fresh LiveHub and its database (not with --target)";
            return;
        }
        var n = Math.Min(settings.KeynotePhones, LeanAudience.MaxPhones);
        if (n < settings.KeynotePhones)
        {
            r.Notes.Add($"{settings.KeynotePhones} phones asked for, {n} run: the open-file limit here is {LeanAudience.OpenFileLimit()}.");
        }
        await using var server = await launcher.StartLiveHubAsync("keynote");
        await using var room = await LiveHubRoom.OpenAsync(server.BaseUri, server, settings, ct);
        var actions = (int)(settings.KeynoteQaSeconds + settings.KeynoteVoteSeconds + 10) / 2 + 2;
        await room.PrepareUpdatesAsync(actions / 3 + 8, 140, ct);
        // A few questions already public, for the audience to upvote.
        var upvotable = new List<long>();
        for (var i = 0; i < 5 && room.TryTakePending(out var id); i++)
        {
            await room.Moderator.OkAsync<JsonElement>("ModerateQuestion", new ModerateQuestionRequest(room.SessionId, id, "approve"));
            upvotable.Add(id);
        }
        var poll = await room.Moderator.OkAsync<PollLite>("CreatePoll", new PollDraftRequest(room.SessionId, "single",
            "Layanan kota pintar mana yang paling dibutuhkan warga Kupang?", ["Air bersih", "Transportasi", "Kesehatan", "Perizinan"], "live"));
        var projector = await ProjectorWatch.StartAsync(server.BaseUri, settings.EventCode, room.SessionId, poll.Id);

        var stalls = new Stalls(server.CpuSeconds);
        var watch = new KeynoteWatch(n, stalls) { PollId = poll.Id };
        await using var audience = LeanAudience.ForLiveHub(server.BaseUri, settings.EventCode, room.SessionId, settings.SourceAddresses, watch.Read);
        audience.CompletionReader = watch.ReadCompletion;

        // Joins: cookie, connect, JoinEvent, JoinSession; 200 phones joining at any one time.
        var joinServer = new CpuMeter(server.CpuSeconds);
        var joinClient = new CpuMeter(CpuMeter.OwnCpuSeconds);
        var tenThousand = Math.Min(10_000, n);
        var (joinSeconds, firstTen) = await TimedAsync(() => audience.ResizeAsync(n, ct, window: LeanAudience.Batch), audience, tenThousand, 0);
        var (joinServerCpu, joinClientCpu) = (joinServer.Share, joinClient.Share);
        log.WriteLine($"  {n} phones joined in {joinSeconds:0.0} s (the first {tenThousand} in {firstTen:0.0} s), server {joinServerCpu:P0}, bench {joinClientCpu:P0}, retries {audience.JoinRetries}");
        await SettleAsync([server], ct);

        // The hall's Wi-Fi drops: every connection at once, and every phone comes back at once with its cookie.
        audience.AbortAll();
        await Task.Delay(2000, ct);
        var retriesBefore = audience.JoinRetries;
        var joinedBefore = audience.Joined;
        var blipServer = new CpuMeter(server.CpuSeconds);
        var (blipSeconds, blipTen) = await TimedAsync(() => audience.ReconnectAllAsync(settings.KeynoteBlipWindow, ct), audience, tenThousand, joinedBefore);
        var blipRetries = audience.JoinRetries - retriesBefore;
        log.WriteLine($"  after the blip {n} phones rejoined in {blipSeconds:0.0} s (the first {tenThousand} in {blipTen:0.0} s), server {blipServer.Share:P0}, join retries {blipRetries}");
        await SettleAsync([server], ct);

        var mix = await KeynoteMixAsync(room, audience, watch, stalls, poll.Id, upvotable, projector, n, ct);
        var rss = server.RssBytes();
        await room.Moderator.OkAsync<PollLite>("ClosePoll", new PollRequest(poll.Id));
        var (rows, choices) = await CountVotesAsync(server.DataDir!, poll.Id, ct);
        log.WriteLine($"  stored: {rows} votes, {choices} choices for {mix.VotesAcked} acknowledged");

        r.Add("phones", n, null, "connections");
        r.Add($"join: cookie, connect, JoinEvent, JoinSession ({LeanAudience.Batch} at a time)", joinSeconds, null, "s");
        r.Add($"join: the first {tenThousand:N0} phones", firstTen, null, "s");
        r.Add("join: server core, bench core", joinServerCpu * 100, joinClientCpu * 100, "% of one core");
        r.Add($"rejoin after a Wi-Fi blip ({settings.KeynoteBlipWindow} reconnecting at a time): all, the first {tenThousand:N0}", blipSeconds, blipTen, "s");
        r.Add("rejoin: join retries (slow_down answered and waited out)", blipRetries, null, "retries");
        r.Add("room updates p50 / p95", mix.Room.Percentile(50), mix.Room.Percentile(95), "ms");
        r.Add("room updates delivered (phones that never dropped)", mix.DeliveredShare * 100, null, "%");
        r.Add("moderator action acknowledgement p95", mix.Moderator.Percentile(95), null, "ms");
        r.Add("votes acknowledged / failed", mix.VotesAcked, mix.VotesFailed, "votes");
        r.Add("vote acknowledgement p50 / p95", mix.Votes.Percentile(50), mix.Votes.Percentile(95), "ms");
        r.Add("votes stored / vote choices stored", rows, choices, "rows");
        r.Add("phones' results at the final tally after the last vote: p95 / max", mix.Convergence.Percentile(95), mix.Convergence.Max, "ms");
        r.Add("phones never showing the final tally", mix.NotConverged, null, "phones");
        r.Add("projector result frames: most in one second / average per second", mix.ProjectorMaxPerSecond, mix.ProjectorPerSecond, "frames");
        r.Add("phone result frames per second: average / most of any phone", mix.PhoneFramesPerSecond, mix.PhoneMaxFramesPerSecond, "frames/s");
        r.Add("upvotes and reactions acknowledged", mix.Upvotes.Count, mix.Reactions.Count, "calls");
        r.Add("upvote / reaction acknowledgement p95", mix.Upvotes.Percentile(95), mix.Reactions.Percentile(95), "ms");
        r.Add("phones dropped and rejoined during the mix", mix.Churned, null, "phones");
        r.Add("server core / bench core during the mix", mix.ServerCpu * 100, mix.ClientCpu * 100, "% of one core");
        r.Add("server memory with every phone joined", rss / 1048576.0, rss / 1024.0 / n, "MiB / KiB per phone");
        r.Add("longest wait of any delivery or acknowledgement", mix.LongestWaitMs, null, "ms");

        r.Checks.Add(new Check("keynote: room updates p95 vs 1 s", mix.Room.Percentile(95), 1000, "goal", "<=", 1, "ms"));
        r.Checks.Add(new Check("keynote: vote acknowledgement p95 vs 1 s", mix.Votes.Percentile(95), 1000, "goal", "<=", 1, "ms"));
        r.Checks.Add(new Check("keynote: votes acknowledged vs phones", mix.VotesAcked, n, "phones", ">=", 1, "votes"));
        r.Checks.Add(new Check("keynote: votes stored vs acknowledged", rows, mix.VotesAcked, "acknowledged", ">=", 1, "rows"));
        r.Checks.Add(new Check("keynote: vote choices stored vs acknowledged (each once)", choices, mix.VotesAcked, "acknowledged", "<=", 1, "rows"));
        r.Checks.Add(new Check("keynote: slowest phone at the final tally vs 2 s after the last vote",
            mix.NotConverged > 0 ? double.PositiveInfinity : mix.Convergence.Max ?? 0, 2000, "goal", "<=", 1, "ms"));
        r.Checks.Add(new Check("keynote: projector frames in one second vs 10", mix.ProjectorMaxPerSecond, 10, "goal", "<=", 1, "frames"));
        r.Checks.Add(new Check("keynote: busiest phone's result frames vs its budget", mix.PhoneMaxFrames, mix.PhoneFrameBudget, "budget", "<=", 1, "frames"));
        r.Checks.Add(new Check($"keynote: first {tenThousand:N0} phones joined vs 10 s", firstTen, 10, "goal", "<=", 1, "s"));
        r.Checks.Add(new Check($"keynote: first {tenThousand:N0} phones rejoined after a blip vs 10 s", blipTen, 10, "goal", "<=", 1, "s"));
        r.Checks.Add(new Check("keynote: stalled seconds (a wait over 1 s with the server under 90 %)", mix.Stalls.Count, 1, "none", "<=", 0, "seconds"));
        if (mix.ClientCpu > ClientCoreLimit || joinClientCpu > ClientCoreLimit)
        {
            r.Notes.Add($"The bench's core passed {ClientCoreLimit:P0} (joins {joinClientCpu:P0}, mix {mix.ClientCpu:P0}): the figures are lower bounds.");
        }
        foreach (var (second, wait, cpu) in mix.Stalls)
        {
            r.Notes.Add($"Stall at second {second} of the mix: a wait of {wait:0} ms with the server at {cpu:P0}.");
        }
        r.Notes.Add($"{n} lean phones on one fresh LiveHub (server on core 0, bench on core 1). Q&A {settings.KeynoteQaSeconds} s, then the poll " +
                    $"voted in by every phone within {settings.KeynoteVoteSeconds} s; a moderator action (approve, on screen, answered) every 2 s " +
                    "throughout; 5 % of the audience upvoting and 2 % reacting per minute; 1 % dropping and rejoining per minute. A phone's frame " +
                    $"budget is the server's rule for the room's size ({PhoneRate(n)} a second at {n:N0} people) over the voting window, plus one.");
    }

    /// <summary>The phones' results frame rate the server chooses for a room of <paramref name="headCount"/> (docs/protocol.md).</summary>
    private static int PhoneRate(long headCount) => (int)Math.Clamp(2000 / Math.Max(1, headCount), 1, 4);

    /// <summary>Runs <paramref name="work"/>; its seconds, and the seconds until <paramref name="target"/> more phones had joined.</summary>
    private static async Task<(double All, double? First)> TimedAsync(Func<Task> work, LeanAudience audience, long target, long joinedBefore)
    {
        var clock = Stopwatch.StartNew();
        double? first = null;
        var running = work();
        while (!running.IsCompleted)
        {
            if (first is null && audience.Joined - joinedBefore >= target)
            {
                first = clock.Elapsed.TotalSeconds;
            }
            await Task.WhenAny(running, Task.Delay(20));
        }
        await running;
        var all = clock.Elapsed.TotalSeconds;
        return (all, first ?? all);
    }

    private static async Task<(long Votes, long Choices)> CountVotesAsync(string dataDir, long pollId, CancellationToken ct)
    {
        await using var db = new SqliteConnection($"Data Source={Path.Combine(dataDir, "livehub.db")};Mode=ReadOnly");
        await db.OpenAsync(ct);
        async Task<long> Count(string table)
        {
            await using var command = db.CreateCommand();
            command.CommandText = $"SELECT COUNT(*) FROM {table} WHERE poll_id = $poll";
            command.Parameters.AddWithValue("$poll", pollId);
            return (long)(await command.ExecuteScalarAsync(ct))!;
        }
        return (await Count("votes"), await Count("vote_choices"));
    }
}
