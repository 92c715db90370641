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
/// </summary>
public sealed partial class UpvoteCoalescer(
    QuestionStore store,
    SessionLocks locks,
    LiveHubMetrics metrics,
    IHubContext<EventHub, ILiveClient> hub,
    IOptions<QuestionOptions> options,
    ILogger<UpvoteCoalescer> logger) : TickingService(logger), Admin.IEventCache
{
    // Question ids marked since the last flush, per session. A session's set stays once made (a few bytes per session) until its event is deleted.
    private readonly ConcurrentDictionary<long, ConcurrentDictionary<long, byte>> _dirty = new();

    public void Mark(long sessionId, long questionId) =>
        _dirty.GetOrAdd(sessionId, _ => new ConcurrentDictionary<long, byte>())[questionId] = 0;

    /// <summary>A deleted event's sessions have no counts left to flush (a flush would find no session and try again for ever).</summary>
    public void Forget(Admin.DeletedEvent deleted)
    {
        foreach (var sessionId in deleted.SessionIds)
        {
            _dirty.TryRemove(sessionId, out _);
        }
    }

    protected override TimeSpan Interval => TimeSpan.FromMilliseconds(options.Value.UpvoteFlushMilliseconds);

    protected override Task TickAsync(CancellationToken ct) => FlushAsync(ct);

    public async Task FlushAsync(CancellationToken ct)
    {
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
            if (questions.Count == 0)
            {
                continue;
            }
            try
            {
                await FlushSessionAsync(sessionId, questions, ct);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // Put them back: the next tick tries again, and the stored counts are right either way.
                foreach (var id in questions)
                {
                    Mark(sessionId, id);
                }
                LogFlushFailed(logger, ex, sessionId);
            }
        }
    }

    private async Task FlushSessionAsync(long sessionId, IReadOnlyCollection<long> questionIds, CancellationToken ct)
    {
        using (await locks.AcquireAsync(sessionId, ct))
        {
            var (versions, counts, publicIds) = await metrics.TimeAsync("upvote-flush", () => store.FlushUpvotesAsync(sessionId, questionIds, ct));
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
