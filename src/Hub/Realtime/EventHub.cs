using LiveHub.Events;
using LiveHub.Identity;
using LiveHub.Questions;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.SignalR;

namespace LiveHub.Realtime;

/// <summary>
/// The one hub. Thin by design: each method checks its input and the caller, calls one feature service and returns a typed result.
/// SignalR forgets groups on reconnect, so clients call <see cref="JoinEvent"/> and <see cref="JoinSession"/> after every connect.
/// </summary>
public sealed class EventHub(EventService events, QuestionService questions) : Hub<ILiveClient>
{
    public async Task<HubResult<EventSnapshot>> JoinEvent(string? code)
    {
        var e = await events.FindByCodeAsync(code, Context.ConnectionAborted);
        if (e is null)
        {
            return ErrorCodes.NotFoundError("event");
        }
        await Groups.AddToGroupAsync(Context.ConnectionId, GroupNames.Event(e.Id), Context.ConnectionAborted);
        return HubResult<EventSnapshot>.Success(await events.SnapshotAsync(e, Caller.IsModeratorOf(e.Id), Context.ConnectionAborted));
    }

    /// <summary>Joins a session's group for one view (audience, projector or moderator) and returns its snapshot.</summary>
    public async Task<HubResult<SessionSnapshot>> JoinSession(long sessionId, string? view)
    {
        view ??= SessionViews.Audience;
        if (!SessionViews.IsKnown(view))
        {
            return HubError.Invalid("view", "The view must be 'audience', 'projector' or 'moderator'.");
        }
        string group;
        if (view == SessionViews.Moderator)
        {
            var (session, error) = await questions.AuthorizeAsync(Caller, sessionId, Context.ConnectionAborted);
            if (session is null)
            {
                return error!;
            }
            group = GroupNames.Moderators(session.Id);
        }
        else
        {
            group = view == SessionViews.Projector ? GroupNames.Projector(sessionId) : GroupNames.Audience(sessionId);
        }

        // Join first, then read: a delta that lands in between is either in the snapshot or carries a newer version.
        await Groups.AddToGroupAsync(Context.ConnectionId, group, Context.ConnectionAborted);
        var snapshot = await questions.SnapshotAsync(Caller, sessionId, view, Context.ConnectionAborted);
        if (!snapshot.Ok)
        {
            await Groups.RemoveFromGroupAsync(Context.ConnectionId, group);
        }
        return snapshot;
    }

    public async Task<HubResult<bool>> LeaveSession(long sessionId)
    {
        foreach (var group in new[] { GroupNames.Audience(sessionId), GroupNames.Projector(sessionId), GroupNames.Moderators(sessionId) })
        {
            await Groups.RemoveFromGroupAsync(Context.ConnectionId, group);
        }
        return HubResult<bool>.Success(true);
    }

    public Task<HubResult<QuestionView>> AskQuestion(AskQuestionRequest? request) =>
        questions.AskAsync(Caller, request, Context.ConnectionAborted);

    public Task<HubResult<UpvoteView>> Upvote(UpvoteRequest? request) =>
        questions.UpvoteAsync(Caller, request, Context.ConnectionAborted);

    public Task<HubResult<QuestionView>> ModerateQuestion(ModerateQuestionRequest? request) =>
        questions.ModerateAsync(Caller, request, Context.ConnectionAborted);

    public Task<HubResult<QuestionView>> EditQuestion(EditQuestionRequest? request) =>
        questions.EditAsync(Caller, request, Context.ConnectionAborted);

    public Task<HubResult<SessionView>> SetModerationMode(SetModerationModeRequest? request) =>
        questions.SetModerationModeAsync(Caller, request, Context.ConnectionAborted);

    private Caller Caller
    {
        get
        {
            var http = Context.GetHttpContext();
            var participant = Context.UserIdentifier
                ?? throw new HubException("No participant identity on this connection.");
            return new Caller(participant, http?.Connection.RemoteIpAddress?.ToString(), Context.User);
        }
    }
}

/// <summary>SignalR's user id is the participant id, so <c>Clients.User</c> reaches every tab of one participant, on any node.</summary>
public sealed class ParticipantUserIdProvider : IUserIdProvider
{
    public string? GetUserId(HubConnectionContext connection) =>
        connection.GetHttpContext()?.Items[ParticipantIdentity.ItemKey] as string;
}
