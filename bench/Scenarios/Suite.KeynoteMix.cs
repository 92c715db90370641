using System.Diagnostics;
using System.Text.Json;
using LiveHub.Bench.Clients;
using LiveHub.Bench.Measure;

namespace LiveHub.Bench.Scenarios;

/// <summary>What the keynote's mix of Q&amp;A and poll measured.</summary>
public sealed record KeynoteMix(
    Histogram Room, double DeliveredShare, Histogram Moderator, Histogram Votes, long VotesAcked, long VotesFailed,
    Histogram Convergence, int NotConverged, int ProjectorMaxPerSecond, double ProjectorPerSecond,
    double PhoneFramesPerSecond, double PhoneMaxFramesPerSecond, int PhoneMaxFrames, int PhoneFrameBudget,
    Histogram Upvotes, Histogram Reactions, int Churned, double ServerCpu, double ClientCpu, double LongestWaitMs,
    IReadOnlyList<(int Second, double WaitMs, double ServerCpu)> Stalls);

public sealed partial class Suite
{
    private async Task<KeynoteMix> KeynoteMixAsync(LiveHubRoom room, LeanAudience audience, KeynoteWatch watch, Stalls stalls, long pollId,
        List<long> upvotable, ProjectorWatch.Watcher projector, int n, CancellationToken ct)
    {
        var server = room.Server!;
        stalls.Begin();
        var serverCpu = new CpuMeter(server.CpuSeconds);
        var clientCpu = new CpuMeter(CpuMeter.OwnCpuSeconds);
        using var sampling = new CancellationTokenSource();
        var sampler = stalls.SampleAsync(sampling.Token);
        var random = new Random(2019);
        var moderator = new Histogram();
        var upvotes = new Histogram();
        var reactions = new Histogram();
        var votes = new Histogram();
        long acked = 0, failed = 0, lastAck = 0;
        var churned = new HashSet<int>();
        var calls = new System.Collections.Concurrent.ConcurrentBag<Task>();
        var total = settings.KeynoteQaSeconds + settings.KeynoteVoteSeconds;
        using var mixOver = new CancellationTokenSource(TimeSpan.FromSeconds(total));

        // Calls a phone's method and records the acknowledgement; a phone busy with another call is passed over.
        async Task CallAsync(int phone, string target, string args, Histogram into)
        {
            var started = Stopwatch.GetTimestamp();
            if (audience[phone].TryCall(target, args, ct) is not { } call)
            {
                return;
            }
            LeanPhone.Completion done;
            try
            {
                done = await call;
            }
            catch (Exception) when (!ct.IsCancellationRequested)
            {
                return; // the phone dropped meanwhile (one of the 1 % rejoining)
            }
            var ms = Histogram.MsSince(started);
            stalls.Record(started, ms);
            if (done.Ok)
            {
                into.Record(ms);
            }
        }

        // The moderator: approve, put on screen, mark answered, every 2 s, each acknowledged before the next.
        var moderating = Task.Run(async () =>
        {
            long question = 0;
            for (var step = 0; !mixOver.IsCancellationRequested; step++)
            {
                var action = step % 3;
                if (action == KeynoteWatch.Approve && !room.TryTakePending(out question))
                {
                    break;
                }
                var started = Stopwatch.GetTimestamp();
                watch.Sent(question, action, audience.Count);
                var result = await room.Moderator.InvokeAsync<JsonElement>("ModerateQuestion",
                    new ModerateQuestionRequest(room.SessionId, question, action switch { 0 => "approve", 1 => "show", _ => "answer" }));
                var ms = Histogram.MsSince(started);
                moderator.Record(ms);
                stalls.Record(started, ms);
                if (!result.Ok)
                {
                    throw new InvalidOperationException($"ModerateQuestion: {result.Error?.Code}");
                }
                if (action == KeynoteWatch.Approve)
                {
                    lock (upvotable)
                    {
                        upvotable.Add(question);
                    }
                }
                await Task.Delay(TimeSpan.FromSeconds(2) - Stopwatch.GetElapsedTime(started) is { Ticks: > 0 } wait ? wait : TimeSpan.Zero, ct);
            }
        }, ct);

        // Upvotes (5 % of the audience a minute), reactions (2 %), phones dropping and rejoining (1 %).
        var background = new[]
        {
            Every(n * 0.05 / 60, mixOver.Token, _ =>
            {
                long q;
                lock (upvotable)
                {
                    q = upvotable[Random.Shared.Next(upvotable.Count)];
                }
                calls.Add(CallAsync(Random.Shared.Next(n), "Upvote", $"[{{\"questionId\":{q},\"on\":true}}]", upvotes));
            }),
            Every(n * 0.02 / 60, mixOver.Token, _ =>
                calls.Add(CallAsync(Random.Shared.Next(n), "SendReaction", $"[{{\"sessionId\":{room.SessionId},\"reaction\":\"clap\"}}]", reactions))),
            Every(n * 0.01 / 60, mixOver.Token, _ =>
            {
                var phone = Random.Shared.Next(n);
                if (churned.Add(phone))
                {
                    watch.Moved(phone);
                    var away = TimeSpan.FromMilliseconds(1000 + Random.Shared.Next(3000));
                    calls.Add(Task.Run(async () =>
                    {
                        audience[phone].Abort();
                        await Task.Delay(away, ct);
                        await audience.ReconnectAsync(phone, ct);
                        watch.Rejoined(phone);
                    }, ct));
                }
            }),
        };

        // The poll: opened after the Q&A; every phone votes once, spread evenly over the voting window.
        await Task.Delay(TimeSpan.FromSeconds(settings.KeynoteQaSeconds), ct);
        await room.Moderator.OkAsync<PollLite>("OpenPoll", new PollRequest(pollId));
        var votingStarted = Stopwatch.GetTimestamp();
        watch.CountFrames = true;
        var order = Enumerable.Range(0, n).OrderBy(_ => random.Next()).ToArray();
        var voting = new List<Task>(n);
        var rate = n / settings.KeynoteVoteSeconds;
        for (var k = 0; k < n; k++)
        {
            var due = TimeSpan.FromSeconds(k / rate) - Stopwatch.GetElapsedTime(votingStarted);
            if (due > TimeSpan.FromMilliseconds(5))
            {
                await Task.Delay(due, ct);
            }
            var phone = order[k];
            voting.Add(Task.Run(async () =>
            {
                var waiting = Stopwatch.GetTimestamp();
                var args = $"[{{\"pollId\":{pollId},\"clientId\":\"keynote-{phone}\",\"choices\":[{phone % 4}]}}]";
                // A phone busy with an upvote, or rejoining, votes when it can (its outbox would do the same).
                while (true)
                {
                    // The acknowledgement's wait counts from the call, not from a wait for the phone's own reconnection.
                    var started = Stopwatch.GetTimestamp();
                    if (audience[phone].TryCall("CastVote", args, ct) is { } call)
                    {
                        LeanPhone.Completion done;
                        try
                        {
                            done = await call;
                        }
                        catch (Exception) when (!ct.IsCancellationRequested)
                        {
                            await Task.Delay(50, ct);
                            continue;
                        }
                        var ms = Histogram.MsSince(started);
                        stalls.Record(started, ms);
                        if (done.Ok)
                        {
                            votes.Record(ms);
                            Interlocked.Increment(ref acked);
                            Interlocked.Exchange(ref lastAck, Math.Max(Interlocked.Read(ref lastAck), Stopwatch.GetTimestamp()));
                        }
                        else if (done.RetryAfterSeconds is { } retry)
                        {
                            await Task.Delay(retry * 1000 + 100, ct);
                            continue;
                        }
                        else
                        {
                            Interlocked.Increment(ref failed);
                        }
                        return;
                    }
                    if (Stopwatch.GetElapsedTime(waiting) > TimeSpan.FromSeconds(30))
                    {
                        Interlocked.Increment(ref failed);
                        return;
                    }
                    await Task.Delay(50, ct);
                }
            }, ct));
        }
        await Task.WhenAll(voting);
        mixOver.Cancel();
        await moderating;
        await Task.WhenAll(background);
        await Task.WhenAll(calls.ToArray());

        // Every phone should show the final tally within 2 s of the last vote; wait up to 10 s to see who does.
        var final = Interlocked.Read(ref acked);
        var deadline = Stopwatch.GetTimestamp() + 10 * Stopwatch.Frequency;
        while (Stopwatch.GetTimestamp() < deadline && Enumerable.Range(0, n).Any(i => watch.Results(i).Voters != final))
        {
            await Task.Delay(100, ct);
        }
        watch.CountFrames = false;
        var window = Stopwatch.GetElapsedTime(votingStarted).TotalSeconds;
        var convergence = new Histogram();
        var notConverged = 0;
        for (var i = 0; i < n; i++)
        {
            var (voters, at) = watch.Results(i);
            if (voters == final)
            {
                // A phone that was away when the last vote landed is judged from when it was back.
                convergence.Record(Math.Max(0, Histogram.Ms(Math.Max(lastAck, watch.RejoinedAt(i)), at)));
            }
            else
            {
                notConverged++;
            }
        }
        sampling.Cancel();
        await sampler;
        var frames = (await projector.StopAsync()).Where(t => t >= votingStarted).ToArray();
        // Counted per second of the voting window as the frames arrived (a sliding window would also count the network's jitter).
        var projectorMax = frames.Length == 0 ? 0 : frames.GroupBy(t => (t - votingStarted) / Stopwatch.Frequency).Max(g => g.Count());
        if (projectorMax > 10)
        {
            var worst = frames.GroupBy(t => (t - votingStarted) / Stopwatch.Frequency).MaxBy(g => g.Count())!.Key;
            var around = frames.Where(t => Math.Abs((t - votingStarted) / (double)Stopwatch.Frequency - worst - 0.5) < 1.5).ToArray();
            log.WriteLine($"  projector: {projectorMax} frames in second {worst} of the vote; gaps around it (ms): " +
                          string.Join(" ", around.Zip(around.Skip(1), (a, b) => Histogram.Ms(a, b).ToString("0"))));
        }
        var budget = (int)Math.Ceiling(window * PhoneRate(n)) + 1;
        var seconds = stalls.Elapsed;
        return new KeynoteMix(watch.Room, watch.Expected == 0 ? 0 : watch.Delivered / (double)watch.Expected * n / Math.Max(1, watch.Counted(n)),
            moderator, votes, final, Interlocked.Read(ref failed), convergence, notConverged, projectorMax, frames.Length / window,
            watch.Frames.Average() / window, watch.Frames.Max() / window, watch.Frames.Max(), budget, upvotes, reactions, churned.Count,
            serverCpu.Share, clientCpu.Share, stalls.LongestWaitMs(seconds), stalls.Find(seconds));
    }

    /// <summary>Calls <paramref name="act"/> <paramref name="rate"/> times a second (on one thread, in ticks) until cancelled.</summary>
    private static Task Every(double rate, CancellationToken stop, Action<long> act) => Task.Run(async () =>
    {
        var started = Stopwatch.GetTimestamp();
        long done = 0;
        try
        {
            while (!stop.IsCancellationRequested)
            {
                var due = (long)(Stopwatch.GetElapsedTime(started).TotalSeconds * rate);
                for (; done < due; done++)
                {
                    act(done);
                }
                await Task.Delay(50, stop);
            }
        }
        catch (OperationCanceledException)
        {
        }
    });
}
