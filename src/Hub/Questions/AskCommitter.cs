using LiveHub.Data;
using LiveHub.Data.Questions;
using LiveHub.Realtime;
using Microsoft.AspNetCore.SignalR;

namespace LiveHub.Questions;

/// <summary>
/// Questions from every connection are committed together (<see cref="GroupCommit{TItem, TResult}"/>) and then pushed in
/// commit order while their sessions' locks are held, so deltas still leave in version order beside the moderators' changes.
/// Each asker is answered once its question is committed and pushed.
/// </summary>
public sealed class AskCommitter : IAsyncDisposable
{
    private readonly GroupCommit<Ask, AskOutcome> _writer;
    private readonly QuestionStore _store;
    private readonly LiveHubMetrics _metrics;
    private readonly IHubContext<EventHub, ILiveClient> _hub;

    /// <summary>A question to store, with what its delta needs that the row does not carry.</summary>
    public sealed record Ask(NewQuestion Question, long? OnScreenQuestionId);

    public AskCommitter(Database db, QuestionStore store, SessionLocks locks, LiveHubMetrics metrics, IHubContext<EventHub, ILiveClient> hub)
    {
        _store = store;
        _metrics = metrics;
        _hub = hub;
        _writer = new GroupCommit<Ask, AskOutcome>(db,
            (connection, tx, asks, ct) => store.AskManyInAsync(connection, tx, asks.Select(a => a.Question).ToList(), ct),
            committed: PushAsync,
            enter: (asks, ct) => locks.AcquireAllAsync(asks.Select(a => a.Question.SessionId), ct));
        _writer.BatchCommitted += (count, elapsed) => metrics.BatchCommitted("ask", count, elapsed);
    }

    /// <summary>Stores (or, for a repeated client id, finds) the question; returns once it is committed and pushed.</summary>
    public Task<AskOutcome> AskAsync(NewQuestion question, long? onScreenQuestionId, CancellationToken ct) =>
        _writer.SubmitAsync(new Ask(question, onScreenQuestionId), ct);

    private async Task PushAsync(IReadOnlyList<(Ask Ask, AskOutcome Outcome)> written)
    {
        foreach (var (ask, outcome) in written)
        {
            _store.Asked(outcome);
            if (outcome is not { Created: true, Versions: { } versions })
            {
                continue;
            }
            var sessionId = ask.Question.SessionId;
            var isPublic = QuestionStatus.IsPublic(outcome.Question.Status);
            _metrics.QuestionStored();
            _metrics.MessagesOut(isPublic ? 3 : 2);
            await _hub.Clients.Group(GroupNames.Moderators(sessionId)).QuestionAsked(
                new QuestionDelta(sessionId, versions.ModVersion, QuestionView.ForModerators(outcome.Question), ask.OnScreenQuestionId));
            if (isPublic)
            {
                await _hub.Clients.Groups(GroupNames.Audience(sessionId), GroupNames.Projector(sessionId)).QuestionAsked(
                    new QuestionDelta(sessionId, versions.Version, QuestionView.Public(outcome.Question), ask.OnScreenQuestionId));
            }
            await _hub.Clients.User(outcome.Question.ParticipantId).MyQuestionChanged(QuestionView.ForAuthor(outcome.Question));
        }
    }

    public ValueTask DisposeAsync() => _writer.DisposeAsync();
}
