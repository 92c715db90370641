using System.Collections.Concurrent;
using LiveHub.Data.Polls;
using LiveHub.Realtime;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace LiveHub.Polls;

/// <summary>
/// Votes in at audience rate, results out at screen rate. A vote only marks its poll; each tick, every marked poll is tallied
/// once by the database and the frame sent to moderators and projectors (up to <see cref="PollOptions.ScreenFramesPerSecond"/>)
/// and to phones (up to <see cref="PollOptions.PhoneFramesPerSecond"/>). The cost grows with votes plus ticks, not votes times viewers,
/// and every frame is the database's count, so several nodes agree without sharing memory. In a cluster one node at a time
/// sends a poll's frames (<see cref="IPollFrameOwnership"/>); the others hand it their changes, so each screen gets one stream.
/// </summary>
public sealed partial class PollResultsCoalescer(
    PollStore store,
    Presence presence,
    LiveHubMetrics metrics,
    IHubContext<EventHub, ILiveClient> hub,
    IPollFrameOwnership owners,
    IOptions<PollOptions> options,
    TimeProvider clock,
    ILogger<PollResultsCoalescer> logger) : TickingService(logger)
{
    private sealed class Pending
    {
        public bool Screens;
        public bool Phones;
        /// <summary>When the oldest change not yet on screens arrived (the clock's timestamp), for the lag metric.</summary>
        public long FirstMark;
        public long LastPhoneFrame = long.MinValue / 2;
        /// <summary>The poll's session, once its first frame has read it: the phones' rate follows its head count.</summary>
        public long? SessionId;
        /// <summary>When the last screen frames left (ms), at most one second's budget of them.</summary>
        public readonly Queue<long> ScreenFrames = new();
    }

    private readonly ConcurrentDictionary<long, Pending> _polls = new();
    private int _sending;
    private readonly int _screenFramesPerSecond = options.Value.ScreenFramesPerSecond;
    private readonly int _tickMs = 1000 / options.Value.ScreenFramesPerSecond;

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        // Another node's votes on a poll whose frames this node sends.
        owners.Handed += Mark;
        return base.StartAsync(cancellationToken);
    }

    /// <summary>
    /// Whether a change is still owed to the screens: marked but not sent (a phone frame waits out its interval), or a
    /// frame on its way. A frame takes the poll's next results version, so nothing is settled while this is true.
    /// </summary>
    public bool Owes => Volatile.Read(ref _sending) > 0 || _polls.Values.Any(p =>
    {
        lock (p)
        {
            return p.Screens || p.Phones;
        }
    });

    /// <summary>
    /// Frames per second to each phone of a session with this head count: the most a phone gets
    /// (<see cref="PollOptions.PhoneFramesPerSecond"/>) while the whole room's messages stay within
    /// <see cref="PollOptions.PhoneMessagesPerSecond"/>, and never fewer than one a second.
    /// </summary>
    public static int PhoneFramesPerSecond(long headCount, PollOptions options) =>
        (int)Math.Clamp(options.PhoneMessagesPerSecond / Math.Max(1, headCount), 1, options.PhoneFramesPerSecond);

    private long PhoneIntervalMs(long? sessionId) =>
        1000 / PhoneFramesPerSecond(sessionId is { } id ? presence.Count(id) : 0, options.Value);

    public void Mark(long pollId)
    {
        var p = _polls.GetOrAdd(pollId, _ => new Pending());
        lock (p)
        {
            if (!p.Screens)
            {
                p.FirstMark = clock.GetTimestamp();
            }
            p.Screens = true;
            p.Phones = true;
        }
    }

    /// <summary>A frame as of now without taking a version, for snapshots.</summary>
    public async Task<PollResults?> ReadAsync(long pollId, bool forModerators, CancellationToken ct)
    {
        var tally = await store.TallyAsync(pollId, advance: false, ct);
        return tally is null ? null : await BuildAsync(tally, forModerators, ct);
    }

    protected override TimeSpan Interval => TimeSpan.FromMilliseconds(1000.0 / options.Value.ScreenFramesPerSecond);

    protected override Task TickAsync(CancellationToken ct) => FlushAsync(ct);

    public async Task FlushAsync(CancellationToken ct)
    {
        var now = clock.GetTimestamp() / (clock.TimestampFrequency / 1000);
        foreach (var (pollId, p) in _polls)
        {
            long? sessionId;
            lock (p)
            {
                if (!p.Screens && !p.Phones)
                {
                    continue;
                }
                sessionId = p.SessionId;
            }
            if (!await owners.ClaimAsync(pollId, ct))
            {
                // Handed to the node that sends this poll's frames.
                lock (p)
                {
                    p.Screens = false;
                    p.Phones = false;
                }
                continue;
            }
            var phoneIntervalMs = PhoneIntervalMs(sessionId);
            bool screens, phones;
            long firstMark;
            lock (p)
            {
                firstMark = p.FirstMark;
                // At most the budget in any one second, however the ticks fall: a tick that ran late is not made up by two
                // frames in a row. A tick more than a second: frames that reach a screen up to a tick unevenly (one held up
                // behind other sends, the next not) still come at most the budget in any second there.
                screens = p.Screens && (p.ScreenFrames.Count < _screenFramesPerSecond || now - p.ScreenFrames.Peek() >= 1000 + _tickMs);
                phones = p.Phones && now - p.LastPhoneFrame >= phoneIntervalMs;
                if (!screens && !phones)
                {
                    continue;
                }
                if (screens)
                {
                    p.Screens = false;
                }
                if (phones)
                {
                    p.Phones = false;
                    p.LastPhoneFrame = now;
                }
            }
            Interlocked.Increment(ref _sending);
            try
            {
                var session = await SendAsync(pollId, screens, phones, ct);
                // Screen frames are counted when they left, not when they were decided: a tally that took long does not let
                // the next frames crowd in behind it. Phones' frames are counted from when they were decided: sending one to
                // a hall takes a good part of a second, and counting from its end would stretch a hall's interval by that
                // much (and the wait for the final tally after the last vote with it).
                var left = clock.GetTimestamp() / (clock.TimestampFrequency / 1000);
                lock (p)
                {
                    p.SessionId = session ?? p.SessionId;
                    if (screens)
                    {
                        p.ScreenFrames.Enqueue(left);
                        while (p.ScreenFrames.Count > _screenFramesPerSecond)
                        {
                            p.ScreenFrames.Dequeue();
                        }
                    }
                }
                if (screens)
                {
                    metrics.CoalescingLag(clock.GetElapsedTime(firstMark));
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                Mark(pollId);
                LogFrameFailed(logger, ex, pollId);
            }
            finally
            {
                Interlocked.Decrement(ref _sending);
            }
        }
    }

    /// <summary>Sends the poll's frame; answers its session (null when the poll is gone).</summary>
    private async Task<long?> SendAsync(long pollId, bool screens, bool phones, CancellationToken ct)
    {
        var tally = await metrics.TimeAsync("tally", () => store.TallyAsync(pollId, advance: true, ct));
        if (tally is null)
        {
            _polls.TryRemove(pollId, out _);
            return null;
        }
        metrics.MessagesOut((screens ? 2 : 0) + (phones ? 1 : 0));
        var sessionId = tally.Poll.SessionId;
        // The leaderboard and the head count are read once per frame, for the moderators' and the public version alike.
        var board = await BoardAsync(tally, ct);
        var present = presence.Count(sessionId);
        if (screens)
        {
            await hub.Clients.Group(GroupNames.Moderators(sessionId)).PollResultsChanged(PollResultsBuilder.Build(tally, board, forModerators: true, present));
        }
        if (!PollRules.ResultsPublic(tally.Poll))
        {
            return sessionId;
        }
        var frame = PollResultsBuilder.Build(tally, board, forModerators: false, present);
        if (screens)
        {
            await hub.Clients.Group(GroupNames.Projector(sessionId)).PollResultsChanged(frame);
        }
        if (phones)
        {
            await hub.Clients.Group(GroupNames.Audience(sessionId)).PollResultsChanged(frame);
        }
        return sessionId;
    }

    private async Task<PollResults> BuildAsync(PollTallyRows tally, bool forModerators, CancellationToken ct) =>
        PollResultsBuilder.Build(tally, await BoardAsync(tally, ct), forModerators, presence.Count(tally.Poll.SessionId));

    private async Task<IReadOnlyList<LeaderboardEntry>> BoardAsync(PollTallyRows tally, CancellationToken ct) =>
        tally.Poll.Kind == PollKinds.Quiz ? PollRules.Leaderboard(await store.ScoresAsync(tally.Poll.SessionId, ct)) : [];

    [LoggerMessage(EventId = 2101, Level = LogLevel.Warning, Message = "Results frame for poll {PollId} failed; retrying next tick")]
    private static partial void LogFrameFailed(ILogger logger, Exception ex, long pollId);
}

/// <summary>Closes quizzes whose answer timer has run out. Reads the database, so it works on any node and after a restart.</summary>
public sealed class QuizTimer(PollStore store, PollService polls, TimeProvider clock, ILogger<QuizTimer> logger) : TickingService(logger)
{
    protected override TimeSpan Interval => TimeSpan.FromMilliseconds(500);

    protected override async Task TickAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        foreach (var poll in await store.ListOpenTimedAsync(ct))
        {
            if (poll.OpenedAt is { } opened && poll.TimeLimitSeconds is { } limit && now >= opened + limit * 1000)
            {
                await polls.CloseExpiredAsync(poll.Id, ct);
            }
        }
    }
}
