using LiveHub.Announcements;
using LiveHub.Events;
using LiveHub.Identity;
using LiveHub.Polls;
using LiveHub.Questions;
using LiveHub.Reactions;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.SignalR;

namespace LiveHub.Realtime;

/// <summary>
/// The one hub. Thin by design: each method declares who may call it (<see cref="AccessAttribute"/>, enforced by
/// <see cref="HubGuardFilter"/> before the method runs), checks its input, calls one feature service and returns a typed result.
/// SignalR forgets groups on reconnect, so clients call <see cref="JoinEvent"/> and <see cref="JoinSession"/> after every connect.
/// </summary>
public sealed class EventHub(
    EventService events,
    ModeratorAccess access,
    ModeratorGroups moderatorGroups,
    EventSnapshots eventSnapshots,
    SessionSnapshots snapshots,
    ISessionStreams streams,
    QuestionService questions,
    PollService polls,
    AgendaService agenda,
    AnnouncementService announcements,
    ReactionService reactions,
    Presence presence,
    LiveHubMetrics metrics) : Hub<ILiveClient>
{
    public override Task OnConnectedAsync()
    {
        metrics.Connected();
        return Task.CompletedTask;
    }

    public override Task OnDisconnectedAsync(Exception? exception)
    {
        metrics.Disconnected();
        presence.Disconnected(Context.ConnectionId);
        moderatorGroups.Disconnected(Context.ConnectionId);
        return Task.CompletedTask;
    }

    /// <summary>The event's snapshot; its moderators (under the current passcode) also join the event's moderator group.</summary>
    [Anyone]
    public async Task<HubResult<EventSnapshot>> JoinEvent(string? code)
    {
        var e = await events.FindByCodeAsync(code, Context.ConnectionAborted);
        if (e is null)
        {
            return ErrorCodes.NotFoundError("event");
        }
        await Groups.AddToGroupAsync(Context.ConnectionId, GroupNames.Event(e.Id), Context.ConnectionAborted);
        var isModerator = await access.IsModeratorOfAsync(Context.User, e.Id, Context.ConnectionAborted) &&
            await moderatorGroups.JoinAsync(Context, e.Id, GroupNames.EventModerators(e.Id), Context.ConnectionAborted);
        var snapshot = await eventSnapshots.ReadAsync(e, isModerator, Context.GetHttpContext()?.Request, Context.ConnectionAborted);
        return HubResult<EventSnapshot>.Success(snapshot);
    }

    /// <summary>Joins a session's group for one view (audience, projector or moderator) and returns its snapshot.</summary>
    [Moderator(Concerning.Session, ForView = SessionViews.Moderator)]
    public async Task<HubResult<SessionSnapshot>> JoinSession(long sessionId, string? view)
    {
        view ??= SessionViews.Audience;
        if (!SessionViews.IsKnown(view))
        {
            return HubError.Invalid("view", "The view must be 'audience', 'projector' or 'moderator'.");
        }
        var group = view switch
        {
            SessionViews.Moderator => GroupNames.Moderators(sessionId),
            SessionViews.Projector => GroupNames.Projector(sessionId),
            _ => GroupNames.Audience(sessionId),
        };

        // Join first, then read: a delta that lands in between is either in the snapshot or carries a newer version.
        if (view == SessionViews.Moderator)
        {
            var session = await events.FindSessionAsync(sessionId, Context.ConnectionAborted);
            if (session is null || !await moderatorGroups.JoinAsync(Context, session.EventId, group, Context.ConnectionAborted))
            {
                return session is null ? ErrorCodes.NotFoundError("session") : ErrorCodes.ForbiddenError();
            }
        }
        else
        {
            await Groups.AddToGroupAsync(Context.ConnectionId, group, Context.ConnectionAborted);
        }
        var snapshot = await snapshots.ReadAsync(Caller, sessionId, view, Context.ConnectionAborted);
        if (!snapshot.Ok)
        {
            await moderatorGroups.LeaveAsync(Context.ConnectionId, group);
        }
        else
        {
            streams.Joined(group, snapshot.Value!.Version);
            if (view == SessionViews.Audience)
            {
                presence.Join(Context.ConnectionId, sessionId);
            }
        }
        return snapshot;
    }

    [Anyone]
    public async Task<HubResult<bool>> LeaveSession(long sessionId)
    {
        foreach (var group in new[] { GroupNames.Audience(sessionId), GroupNames.Projector(sessionId), GroupNames.Moderators(sessionId) })
        {
            await moderatorGroups.LeaveAsync(Context.ConnectionId, group);
        }
        presence.Leave(Context.ConnectionId, sessionId);
        return HubResult<bool>.Success(true);
    }

    [Anyone]
    public Task<HubResult<QuestionView>> AskQuestion(AskQuestionRequest? request) =>
        questions.AskAsync(Caller, request, Context.ConnectionAborted);

    [Anyone]
    public Task<HubResult<UpvoteView>> Upvote(UpvoteRequest? request) =>
        questions.UpvoteAsync(Caller, request, Context.ConnectionAborted);

    [Moderator(Concerning.Session)]
    public Task<HubResult<QuestionView>> ModerateQuestion(ModerateQuestionRequest? request) =>
        questions.ModerateAsync(Caller, request, Context.ConnectionAborted);

    [Moderator(Concerning.Session)]
    public Task<HubResult<QuestionView>> EditQuestion(EditQuestionRequest? request) =>
        questions.EditAsync(Caller, request, Context.ConnectionAborted);

    [Moderator(Concerning.Session)]
    public Task<HubResult<SessionView>> SetModerationMode(SetModerationModeRequest? request) =>
        questions.SetModerationModeAsync(Caller, request, Context.ConnectionAborted);

    [Anyone]
    public Task<HubResult<MyVote>> CastVote(CastVoteRequest? request) =>
        polls.CastVoteAsync(Caller, request, Context.ConnectionAborted);

    [Moderator(Concerning.Session)]
    public Task<HubResult<PollView>> CreatePoll(PollDraftRequest? request) =>
        polls.CreateAsync(Caller, request, Context.ConnectionAborted);

    [Moderator(Concerning.Poll)]
    public Task<HubResult<PollView>> UpdatePoll(UpdatePollRequest? request) =>
        polls.UpdateAsync(Caller, request, Context.ConnectionAborted);

    // The template and the session it is copied into: both the caller's.
    [Moderator(Concerning.Poll), Moderator(Concerning.Session)]
    public Task<HubResult<PollView>> CopyPoll(CopyPollRequest? request) =>
        polls.CopyAsync(Caller, request, Context.ConnectionAborted);

    [Moderator(Concerning.Poll)]
    public Task<HubResult<PollView>> DeletePoll(PollRequest? request) =>
        polls.DeleteAsync(Caller, request, Context.ConnectionAborted);

    [Moderator(Concerning.Poll)]
    public Task<HubResult<PollView>> OpenPoll(PollRequest? request) =>
        polls.OpenAsync(Caller, request, Context.ConnectionAborted);

    [Moderator(Concerning.Poll)]
    public Task<HubResult<PollView>> ClosePoll(PollRequest? request) =>
        polls.CloseAsync(Caller, request, Context.ConnectionAborted);

    [Moderator(Concerning.Poll)]
    public Task<HubResult<PollView>> RevealPollResults(RevealPollRequest? request) =>
        polls.RevealAsync(Caller, request, Context.ConnectionAborted);

    [Moderator(Concerning.Poll)]
    public Task<HubResult<PollView>> ResetPoll(PollRequest? request) =>
        polls.ResetAsync(Caller, request, Context.ConnectionAborted);

    [Moderator(Concerning.Poll)]
    public Task<HubResult<AnswerResult>> ModeratePollAnswer(ModeratePollAnswerRequest? request) =>
        polls.ModerateAnswerAsync(Caller, request, Context.ConnectionAborted);

    [Moderator(Concerning.Session)]
    public Task<HubResult<ProjectorDelta>> SetProjector(SetProjectorRequest? request) =>
        polls.SetProjectorAsync(Caller, request, Context.ConnectionAborted);

    [Moderator(Concerning.Session)]
    public Task<HubResult<QuestionView>> ReplyToQuestion(ReplyToQuestionRequest? request) =>
        questions.ReplyAsync(Caller, request, Context.ConnectionAborted);

    [Moderator(Concerning.Session)]
    public Task<HubResult<QuestionView>> LabelQuestion(LabelQuestionRequest? request) =>
        questions.LabelAsync(Caller, request, Context.ConnectionAborted);

    [Moderator(Concerning.Session)]
    public Task<HubResult<QuestionView>> MergeQuestions(MergeQuestionsRequest? request) =>
        questions.MergeAsync(Caller, request, Context.ConnectionAborted);

    [Moderator(Concerning.Session)]
    public Task<HubResult<SessionView>> SetSessionStatus(SetSessionStatusRequest? request) =>
        agenda.SetStatusAsync(Caller, request, Context.ConnectionAborted);

    [Moderator(Concerning.Event)]
    public Task<HubResult<IReadOnlyList<string>>> SetProfanityWords(SetProfanityWordsRequest? request) =>
        agenda.SetProfanityWordsAsync(Caller, request, Context.ConnectionAborted);

    [Moderator(Concerning.Event)]
    public Task<HubResult<AnnouncementView>> PostAnnouncement(PostAnnouncementRequest? request) =>
        announcements.PostAsync(Caller, request, Context.ConnectionAborted);

    [Moderator(Concerning.Event)]
    public Task<HubResult<AnnouncementView>> DeleteAnnouncement(DeleteAnnouncementRequest? request) =>
        announcements.DeleteAsync(Caller, request, Context.ConnectionAborted);

    [Anyone]
    public Task<HubResult<bool>> SendReaction(SendReactionRequest? request) =>
        reactions.SendAsync(Caller, request, Context.ConnectionAborted);

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
