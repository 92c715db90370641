using LiveHub.Events;
using LiveHub.Polls;
using LiveHub.Questions;

namespace LiveHub.Realtime;

/// <summary>A session's whole state for one view: its questions, then its polls. Shared by the hub and the HTTP API.</summary>
public sealed class SessionSnapshots(QuestionService questions, PollService polls)
{
    public async Task<HubResult<SessionSnapshot>> ReadAsync(Caller caller, long sessionId, string view, CancellationToken ct)
    {
        var result = await questions.SnapshotAsync(caller, sessionId, view, ct);
        return result.Ok
            ? HubResult<SessionSnapshot>.Success(await polls.AddToSnapshotAsync(result.Value!, caller, view, ct))
            : result;
    }
}
