using System.Collections.Concurrent;
using LiveHub.Data.Questions;
using LiveHub.Realtime;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace LiveHub.Questions;

/// <summary>
/// Upvotes are stored as they come but pushed at screen rate: each tick, one <c>UpvotesChanged</c> per session that had upvotes,
/// carrying the counts read back from the database. The cost grows with upvotes plus ticks, not upvotes times viewers.
/// Moderators get every tick's counts; the room (phones and projector) gets them as often as its size allows
/// (<see cref="RoomIntervalMs"/>: every tick up to 1,250 people, every 3 s for 15,000), each frame carrying every question
/// upvoted since the room's last one, so a hall's phones are not each sent four frames a second.
/// </summary>
public sealed partial class UpvoteCoalescer(
    QuestionStore store,
    SessionLocks locks,
    LiveHubMetrics metrics,
    IHubContext<EventHub, ILiveClient> hub,
    Presence presence,
    IOptions<QuestionOptions> options,
    TimeProvider clock,
    ILogger<UpvoteCoalescer> logger) : TickingService(logger), Admin.IEventCache
{
    private sealed class RoomMarks
    {
        /// <summary>Questions whose counts the room has not been sent since they changed (guarded by the instance's lock).</summary>
        public readonly HashSet<long> Owed = [];
        public long LastFrameMs = long.MinValue / 2;
    }

    // Question ids marked since the last flush, per session. A session's set stays once made (a few bytes per session) until its event is deleted.
    private readonly ConcurrentDictionary<long, ConcurrentDictionary<long, byte>> _dirty = new();
    private readonly ConcurrentDictionary<long, RoomMarks> _room = new();

    public void Mark(long sessionId, long questionId) =>
        _dirty.GetOrAdd(sessionId, _ => new ConcurrentDictionary<long, byte>())[questionId] = 0;

    /// <summary>
    /// How long a room of <paramref name="headCount"/> people waits between upvote frames: the flush interval, or longer so
    /// that its frames stay within <see cref="QuestionOptions.RoomUpvoteMessagesPerSecond"/>, and never longer than
    /// <see cref="QuestionOptions.RoomUpvoteSlowestMilliseconds"/>.
    /// </summary>
    public static long RoomIntervalMs(long headCount, QuestionOptions options) =>
        Math.Clamp(headCount * 1000 / options.RoomUpvoteMessagesPerSecond, options.UpvoteFlushMilliseconds,
            Math.Max(options.UpvoteFlushMilliseconds, options.RoomUpvoteSlowestMilliseconds));

    /// <summary>Whether the room is due a frame (less half a tick, so a tick that fires a little early does not wait a whole further tick).</summary>
    private bool RoomDue(long sessionId, RoomMarks marks, long nowMs) =>
        nowMs - marks.LastFrameMs >= RoomIntervalMs(presence.Count(sessionId), options.Value) - options.Value.UpvoteFlushMilliseconds / 2;

    /// <summary>A deleted event's sessions have no counts left to flush (a flush would find no session and try again for ever).</summary>
    public void Forget(Admin.DeletedEvent deleted)
    {
        foreach (var sessionId in deleted.SessionIds)
        {
            _dirty.TryRemove(sessionId, out _);
            _room.TryRemove(sessionId, out _);
        }
    }

    protected override TimeSpan Interval => TimeSpan.FromMilliseconds(options.Value.UpvoteFlushMilliseconds);

    protected override Task TickAsync(CancellationToken ct) => FlushAsync(ct);

    public async Task FlushAsync(CancellationToken ct)
    {
        var nowMs = clock.GetTimestamp() / (clock.TimestampFrequency / 1000);
        foreach (var (sessionId, marked) in _dirty)
        {
            // Each mark is taken out on its own: one made while this flush reads stays for the next tick. (Taking the session's
            // whole set away could lose a mark written into it a moment later, and with it the last count of a question.)
            var questions = new List<long>();
            foreach (var id in marked.Keys)
            {
                if (marked.TryRemove(id, out _))
                {
                    questions.Add(id);
                }
            }
            var room = _room.GetOrAdd(sessionId, _ => new RoomMarks());
            bool toRoom;
            lock (room)
            {
                room.Owed.UnionWith(questions);
                toRoom = room.Owed.Count > 0 && RoomDue(sessionId, room, nowMs);
                if (toRoom)
                {
                    // The room's frame carries every question upvoted since its last one; moderators had each tick's.
                    questions = [.. room.Owed];
                    room.Owed.Clear();
                    room.LastFrameMs = nowMs;
                }
            }
            if (questions.Count == 0)
            {
                continue;
            }
            try
            {
                await FlushSessionAsync(sessionId, questions, toRoom, ct);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // Put them back: the next tick tries again, and the stored counts are right either way.
                foreach (var id in questions)
                {
                    Mark(sessionId, id);
                }
                if (toRoom)
                {
                    lock (room)
                    {
                        room.Owed.UnionWith(questions);
                    }
                }
                LogFlushFailed(logger, ex, sessionId);
            }
        }
    }

    private async Task FlushSessionAsync(long sessionId, IReadOnlyCollection<long> questionIds, bool toRoom, CancellationToken ct)
    {
        using (await locks.AcquireAsync(sessionId, ct))
        {
            var (versions, counts, publicIds) = await metrics.TimeAsync("upvote-flush", () => store.FlushUpvotesAsync(sessionId, questionIds, toRoom, ct));
            metrics.MessagesOut(publicIds.Count > 0 ? 2 : 1);
            await hub.Clients.Group(GroupNames.Moderators(sessionId)).UpvotesChanged(new UpvotesDelta(sessionId, versions.ModVersion, counts));
            if (publicIds.Count > 0)
            {
                await hub.Clients.Groups(GroupNames.Audience(sessionId), GroupNames.Projector(sessionId))
                    .UpvotesChanged(new UpvotesDelta(sessionId, versions.Version, counts.Where(c => publicIds.Contains(c.QuestionId)).ToList()));
            }
        }
    }

    [LoggerMessage(EventId = 2001, Level = LogLevel.Warning, Message = "Upvote flush for session {SessionId} failed; retrying next tick")]
    private static partial void LogFlushFailed(ILogger logger, Exception ex, long sessionId);
}
