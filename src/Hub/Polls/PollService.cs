using LiveHub.Data.Events;
using LiveHub.Data.Polls;
using LiveHub.Events;
using LiveHub.Limits;
using LiveHub.Questions;
using LiveHub.Realtime;
using Microsoft.AspNetCore.SignalR;

namespace LiveHub.Polls;

/// <summary>
/// Polls and quizzes: prepare, launch, vote, close, reveal, reset. Lifecycle changes are committed, then pushed as versioned
/// session deltas; votes are stored as they come and their results pushed coalesced by <see cref="PollResultsCoalescer"/>.
/// Who may call what is decided before a call gets here (the hub's declared requirements); this class checks the input.
/// </summary>
public sealed class PollService(
    PollStore store,
    OpenPolls openPolls,
    EventService events,
    SessionLocks locks,
    SessionChanges sessions,
    RateLimits limits,
    Presence presence,
    PollResultsCoalescer results,
    Moderation.AuditLog audit,
    LiveHubMetrics metrics,
    IHubContext<EventHub, ILiveClient> hub,
    TimeProvider clock)
{
    public async Task<HubResult<PollView>> CreateAsync(Caller caller, PollDraftRequest? request, CancellationToken ct)
    {
        if (PollRules.CheckDefinition(request, out var definition) is { } error)
        {
            return error;
        }
        return await DraftAsync(caller, request!.SessionId, definition, audited: true, ct);
    }

    public async Task<HubResult<PollView>> UpdateAsync(Caller caller, UpdatePollRequest? request, CancellationToken ct)
    {
        if (request is null)
        {
            return HubError.Invalid("request", "A request body is required.");
        }
        if (PollRules.CheckDefinition(request.Draft, out var definition) is { } error)
        {
            return error;
        }
        return await InPollSessionAsync(request.PollId, async poll =>
        {
            var change = await store.UpdateDraftAsync(poll.Id, definition, ct);
            openPolls.Forget(poll.Id);
            if (change is null)
            {
                return new HubError("poll_locked", "error.poll_locked", "Only a draft without votes can be edited; reset it first.");
            }
            await hub.Clients.Group(GroupNames.Moderators(poll.SessionId)).PollDrafted(ModDelta(change));
            return HubResult<PollView>.Success(View(change.Poll, moderator: true));
        }, ct);
    }

    /// <summary>Copies a poll into a session as a new draft: templates reused across sessions and events.</summary>
    public async Task<HubResult<PollView>> CopyAsync(Caller caller, CopyPollRequest? request, CancellationToken ct)
    {
        if (request is null)
        {
            return HubError.Invalid("request", "A request body is required.");
        }
        var (template, denied) = await FindPollAsync(request.PollId, ct);
        if (template is null)
        {
            return denied!;
        }
        var definition = new PollDefinition(template.Kind, template.Question, template.Options, (int?)template.MaxPicks, (int?)template.Scale,
            template.Correct, (int?)template.TimeLimitSeconds, template.Visibility);
        return await DraftAsync(caller, request.SessionId, definition, audited: false, ct);
    }

    /// <summary>A new draft in a session, told to its moderators (and, unless a copy, recorded in the audit log).</summary>
    private Task<HubResult<PollView>> DraftAsync(Caller caller, long sessionId, PollDefinition definition, bool audited, CancellationToken ct) =>
        sessions.RunAsync(sessionId, async session =>
        {
            var change = await store.CreateAsync(session.Id, definition, ct);
            await hub.Clients.Group(GroupNames.Moderators(session.Id)).PollDrafted(ModDelta(change));
            if (audited)
            {
                await audit.RecordAsync(caller, session.EventId, session.Id, "poll-create", pollId: change.Poll.Id, detail: change.Poll.Question, ct: ct);
            }
            return HubResult<PollView>.Success(View(change.Poll, moderator: true));
        }, ct);

    public Task<HubResult<PollView>> OpenAsync(Caller caller, PollRequest? request, CancellationToken ct) =>
        TransitionAsync(caller, request?.PollId, (id, c) => store.OpenAsync(id, c), (clients, d) => clients.PollOpened(d),
            new HubError(ErrorCodes.InvalidState, "error.poll_already_open", "The poll is already open."), ct);

    public Task<HubResult<PollView>> CloseAsync(Caller caller, PollRequest? request, CancellationToken ct) =>
        TransitionAsync(caller, request?.PollId, (id, c) => store.CloseAsync(id, c), (clients, d) => clients.PollClosed(d),
            new HubError(ErrorCodes.InvalidState, "error.poll_not_open", "The poll is not open."), ct);

    public Task<HubResult<PollView>> RevealAsync(Caller caller, RevealPollRequest? request, CancellationToken ct) =>
        TransitionAsync(caller, request?.PollId, (id, c) => store.RevealAsync(id, request!.Revealed, c), (clients, d) => clients.PollRevealed(d),
            new HubError(ErrorCodes.InvalidState, "error.poll_draft", "A draft has no results to reveal."), ct);

    public Task<HubResult<PollView>> ResetAsync(Caller caller, PollRequest? request, CancellationToken ct) =>
        TransitionAsync(caller, request?.PollId, (id, c) => store.ResetAsync(id, c), (clients, d) => clients.PollReset(d),
            ErrorCodes.NotFoundError("poll"), ct, releaseProjector: true);

    public async Task<HubResult<PollView>> DeleteAsync(Caller caller, PollRequest? request, CancellationToken ct)
    {
        return await InPollSessionAsync(request?.PollId, async poll =>
        {
            var change = await store.DeleteAsync(poll.Id, ct);
            openPolls.Forget(poll.Id);
            if (change is null)
            {
                return new HubError(ErrorCodes.InvalidState, "error.poll_open", "Close the poll before deleting it.");
            }
            await hub.Clients.Group(GroupNames.Moderators(poll.SessionId)).PollDeleted(ModDelta(change));
            if (change.Poll.Status != PollStatus.Draft)
            {
                await PublicClients(poll.SessionId).PollDeleted(PublicDelta(change));
            }
            await ReleaseProjectorAsync(poll, ct);
            await RecordAsync(caller, poll, "poll-delete", ct);
            return HubResult<PollView>.Success(View(change.Poll, moderator: true));
        }, ct);
    }

    /// <summary>Closes a quiz whose timer ran out; any node may do it, the store closes it once.</summary>
    public async Task CloseExpiredAsync(long pollId, CancellationToken ct)
    {
        var poll = await store.FindAsync(pollId, ct);
        if (poll is null)
        {
            return;
        }
        using (await locks.AcquireAsync(poll.SessionId, ct))
        {
            if (await store.CloseAsync(pollId, ct) is { } change)
            {
                await PushAsync(change, (clients, d) => clients.PollClosed(d));
            }
        }
    }

    public async Task<HubResult<ProjectorDelta>> SetProjectorAsync(Caller caller, SetProjectorRequest? request, CancellationToken ct)
    {
        if (request is null || !ProjectorModes.IsKnown(request.Mode))
        {
            return HubError.Invalid("mode", "The projector mode must be 'questions', 'poll' or 'idle'.");
        }
        return await sessions.RunAsync(request.SessionId, async session =>
        {
            long? pollId = null;
            if (request.Mode == ProjectorModes.Poll)
            {
                var poll = request.PollId is { } id ? await store.FindAsync(id, ct) : null;
                if (poll is null || poll.SessionId != session.Id || poll.Status == PollStatus.Draft)
                {
                    return new HubError(ErrorCodes.Invalid, "error.invalid.poll", "Show a poll of this session that has been launched.");
                }
                pollId = poll.Id;
            }
            var versions = await store.SetProjectorAsync(session.Id, request.Mode!, pollId, request.ShowPresence, ct);
            if (versions is null)
            {
                return ErrorCodes.NotFoundError("session");
            }
            var showPresence = request.ShowPresence ?? session.ProjectorPresence != 0;
            long? present = showPresence ? presence.Count(session.Id) : null;
            await hub.Clients.Group(GroupNames.Moderators(session.Id))
                .ProjectorChanged(new ProjectorDelta(session.Id, versions.ModVersion, request.Mode!, pollId, showPresence, present));
            var delta = new ProjectorDelta(session.Id, versions.Version, request.Mode!, pollId, showPresence, present);
            await PublicClients(session.Id).ProjectorChanged(delta);
            if (pollId is { } shown)
            {
                results.Mark(shown);
            }
            return HubResult<ProjectorDelta>.Success(delta);
        }, ct);
    }

    public async Task<HubResult<AnswerResult>> ModerateAnswerAsync(Caller caller, ModeratePollAnswerRequest? request, CancellationToken ct)
    {
        if (request is null || request.Action is not ("approve" or "dismiss"))
        {
            return HubError.Invalid("action", "The action must be 'approve' or 'dismiss'.");
        }
        var (poll, denied) = await FindPollAsync(request.PollId, ct);
        if (poll is null)
        {
            return denied!;
        }
        var status = request.Action == "approve" ? VoteStatus.Approved : VoteStatus.Dismissed;
        if (await store.ModerateAnswerAsync(poll.Id, request.AnswerId, status, ct) is not { } answer)
        {
            return ErrorCodes.NotFoundError("answer");
        }
        results.Mark(poll.Id);
        // The author learns what became of their answer, as a question's author does.
        await hub.Clients.User(answer.ParticipantId).MyVoteChanged(new MyVote(poll.Id, [], null, [], answer.Text, answer.Status));
        await audit.RecordAsync(caller, (await events.FindSessionAsync(poll.SessionId, ct))?.EventId ?? 0, poll.SessionId,
            $"answer-{request.Action}", pollId: poll.Id, detail: answer.Text, ct: ct);
        return HubResult<AnswerResult>.Success(new AnswerResult(answer.Id, answer.Text ?? "", answer.DisplayName, answer.Status, answer.CreatedAt));
    }

    public async Task<HubResult<MyVote>> CastVoteAsync(Caller caller, CastVoteRequest? request, CancellationToken ct)
    {
        if (request is null)
        {
            return HubError.Invalid("request", "A request body is required.");
        }
        if (QuestionRules.CheckClientId(request.ClientId) is { } idError)
        {
            return idError;
        }
        if (QuestionRules.CheckName(request.DisplayName, PollRules.MaxDisplayNameLength, out var name) is { } nameError)
        {
            return nameError;
        }
        // The vote as stored when this request was applied before, else the error the caller would get.
        async Task<HubResult<MyVote>> ResentOrAsync(PollRow poll, HubError otherwise) =>
            await store.FindAppliedAsync(poll.Id, caller.ParticipantId, request.ClientId!, ct) is { } applied
                ? HubResult<MyVote>.Success(Mine(poll, applied))
                : otherwise;

        for (var attempt = 0; ; attempt++)
        {
            var poll = await openPolls.FindAsync(request.PollId, ct);
            if (poll is null || poll.Status == PollStatus.Draft)
            {
                return ErrorCodes.NotFoundError("poll");
            }
            if (poll.Status != PollStatus.Open)
            {
                // A resent vote whose acknowledgement was lost answers as the first time, even after the poll closed.
                return await ResentOrAsync(poll, PollClosed());
            }
            if (PollRules.CheckVote(poll, request, out var vote) is { } voteError)
            {
                return voteError;
            }
            // A retry after a stale read is the same request: it was counted the first time.
            if (attempt == 0 && limits.TryVote(caller.ParticipantId, caller.Address) is { } retryAfter)
            {
                // A resend is never refused for speed: only new votes count against the limit.
                return await ResentOrAsync(poll, ErrorCodes.SlowDownError(retryAfter));
            }

            var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
            long? elapsed = poll.OpenedAt is { } opened ? now - opened : null;
            long? deadline = poll.Kind == PollKinds.Quiz && poll.OpenedAt is { } start && poll.TimeLimitSeconds is { } limit ? start + limit * 1000 : null;
            var score = vote.Correct is { } correct ? PollRules.QuizScore(correct, elapsed ?? 0, (int)(poll.TimeLimitSeconds ?? 30)) : 0;
            var outcome = await metrics.TimeAsync("vote", () => store.CastAsync(new NewVote(poll.Id, caller.ParticipantId, request.ClientId!, name,
                vote.Text, vote.Status, vote.Choices, vote.Words, vote.Correct, score, elapsed), new VoteWindow(poll.OpenedAt, deadline), ct));
            switch (outcome.Result)
            {
                case CastResult.Stale when attempt == 0:
                    // Re-opened (or closed and re-opened) elsewhere since this node read it: validate against the poll as it is.
                    openPolls.Forget(poll.Id);
                    continue;
                case CastResult.Stale:
                    return ErrorCodes.UnavailableError();
                case CastResult.PollNotOpen:
                    openPolls.Forget(poll.Id);
                    return PollClosed();
                case CastResult.TooLate:
                    return new HubError("poll_time_up", "error.poll_time_up", "The answer time is over.");
                case CastResult.Stored:
                    metrics.VoteStored();
                    results.Mark(poll.Id);
                    break;
            }
            return outcome.Vote is { } stored
                ? HubResult<MyVote>.Success(Mine(poll, stored))
                : ErrorCodes.NotFoundError("vote");
        }
    }

    /// <summary>The polls part of a session snapshot: polls the view may see, their current results, and the caller's votes.</summary>
    public async Task<SessionSnapshot> AddToSnapshotAsync(SessionSnapshot snapshot, Caller caller, string view, CancellationToken ct)
    {
        var moderator = view == SessionViews.Moderator;
        var polls = (await store.ListAsync(snapshot.Session.Id, ct)).Where(p => moderator || p.Status != PollStatus.Draft).ToList();
        var frames = await ResultsOfAsync(polls, moderator, ct);
        var mine = view == SessionViews.Audience
            ? (await store.ListVotesOfAsync(snapshot.Session.Id, caller.ParticipantId, ct))
                .Join(polls, v => v.Vote.PollId, p => p.Id, (v, p) => Mine(p, v)).ToList()
            : [];
        // The projector's fields came with the session's row and version (QuestionService.SnapshotAsync): not read again.
        return snapshot with
        {
            Polls = polls.Select(p => View(p, moderator)).ToList(),
            Results = frames,
            MyVotes = mine,
            Present = view == SessionViews.Audience ? null : presence.Count(snapshot.Session.Id),
        };
    }

    /// <summary>The current results frame of every poll of the session whose results moderators, or everyone else, may see now.</summary>
    public async Task<IReadOnlyList<PollResults>> CurrentResultsAsync(long sessionId, bool moderator, CancellationToken ct) =>
        await ResultsOfAsync(await store.ListAsync(sessionId, ct), moderator, ct);

    private async Task<List<PollResults>> ResultsOfAsync(IEnumerable<PollRow> polls, bool moderator, CancellationToken ct)
    {
        var frames = new List<PollResults>();
        foreach (var poll in polls.Where(p => p.Status != PollStatus.Draft && (moderator || PollRules.ResultsPublic(p))))
        {
            if (await results.ReadAsync(poll.Id, moderator, ct) is { } frame)
            {
                frames.Add(frame);
            }
        }
        return frames;
    }

    public static PollView View(PollRow p, bool moderator)
    {
        var showCorrect = moderator || p.Status == PollStatus.Closed;
        return new PollView(p.Id, p.SessionId, p.Kind, p.Question, PollRules.Options(p), (int?)p.MaxPicks, (int?)p.Scale,
            showCorrect ? PollRules.Correct(p) : null, (int?)p.TimeLimitSeconds, p.Visibility, p.Status, p.Revealed != 0, p.OpenedAt,
            p.OpenedAt is { } o && p.TimeLimitSeconds is { } t && p.Status == PollStatus.Open ? o + t * 1000 : null,
            moderator || PollRules.ResultsPublic(p), PollRules.ResultsPublic(p));
    }

    private static MyVote Mine(PollRow poll, StoredVote v) => new(
        poll.Id,
        poll.Kind is PollKinds.Single or PollKinds.Multiple or PollKinds.Quiz ? v.Choices.Select(c => (int)c.OptionIndex).Order().ToList() : [],
        poll.Kind == PollKinds.Rating ? (int?)v.Choices.FirstOrDefault()?.OptionIndex : null,
        poll.Kind == PollKinds.Ranking ? v.Choices.OrderByDescending(c => c.Points).Select(c => (int)c.OptionIndex).ToList() : [],
        v.Vote.Text,
        v.Vote.Status);

    private static HubError PollClosed() => new("poll_closed", "error.poll_closed", "The poll is closed.");

    /// <summary>A projector showing a poll that was reset or deleted goes back to the questions.</summary>
    private async Task ReleaseProjectorAsync(PollRow poll, CancellationToken ct)
    {
        var session = await events.FindSessionAsync(poll.SessionId, ct);
        if (session is not { ProjectorMode: ProjectorModes.Poll } || session.ProjectorPollId != poll.Id)
        {
            return;
        }
        var versions = await store.SetProjectorAsync(session.Id, ProjectorModes.Questions, null, null, ct);
        if (versions is not null)
        {
            var showPresence = session.ProjectorPresence != 0;
            await hub.Clients.Group(GroupNames.Moderators(session.Id))
                .ProjectorChanged(new ProjectorDelta(session.Id, versions.ModVersion, ProjectorModes.Questions, null, showPresence));
            await PublicClients(session.Id).ProjectorChanged(new ProjectorDelta(session.Id, versions.Version, ProjectorModes.Questions, null, showPresence));
        }
    }

    private async Task<long> EventOfAsync(long sessionId, CancellationToken ct) => (await events.FindSessionAsync(sessionId, ct))?.EventId ?? 0;

    private async Task<HubResult<PollView>> TransitionAsync(
        Caller caller, long? pollId, Func<long, CancellationToken, Task<PollChange?>> change, Func<ILiveClient, PollDelta, Task> send,
        HubError refused, CancellationToken ct, bool releaseProjector = false, [System.Runtime.CompilerServices.CallerMemberName] string action = "")
    {
        return await InPollSessionAsync(pollId, async poll =>
        {
            var changed = await change(poll.Id, ct);
            if (changed is null)
            {
                return refused;
            }
            await PushAsync(changed, send);
            if (releaseProjector)
            {
                await ReleaseProjectorAsync(changed.Poll, ct);
            }
            await RecordAsync(caller, poll, "poll-" + action.Replace("Async", "", StringComparison.Ordinal).ToLowerInvariant(), ct);
            return HubResult<PollView>.Success(View(changed.Poll, moderator: true));
        }, ct);
    }

    /// <summary>Finds a poll and runs <paramref name="change"/> under its session's lock; not found when there is no such poll.</summary>
    private async Task<HubResult<T>> InPollSessionAsync<T>(long? pollId, Func<PollRow, Task<HubResult<T>>> change, CancellationToken ct)
    {
        var (poll, denied) = await FindPollAsync(pollId ?? 0, ct);
        if (poll is null)
        {
            return denied!;
        }
        using (await locks.AcquireAsync(poll.SessionId, ct))
        {
            return await change(poll);
        }
    }

    private async Task RecordAsync(Caller caller, PollRow poll, string action, CancellationToken ct) =>
        await audit.RecordAsync(caller, await EventOfAsync(poll.SessionId, ct), poll.SessionId, action, pollId: poll.Id, detail: poll.Question, ct: ct);

    private async Task PushAsync(PollChange change, Func<ILiveClient, PollDelta, Task> send)
    {
        openPolls.Forget(change.Poll.Id);
        await send(hub.Clients.Group(GroupNames.Moderators(change.Poll.SessionId)), ModDelta(change));
        await send(PublicClients(change.Poll.SessionId), PublicDelta(change));
        // Lifecycle changes can change who may see results: push a fresh frame.
        results.Mark(change.Poll.Id);
    }

    private async Task<(PollRow? Poll, HubError? Error)> FindPollAsync(long pollId, CancellationToken ct)
    {
        var poll = pollId > 0 ? await store.FindAsync(pollId, ct) : null;
        return poll is null ? (null, ErrorCodes.NotFoundError("poll")) : (poll, null);
    }

    private static PollDelta ModDelta(PollChange c) => new(c.Poll.SessionId, c.Versions.ModVersion, View(c.Poll, moderator: true));

    private static PollDelta PublicDelta(PollChange c) => new(c.Poll.SessionId, c.Versions.Version, View(c.Poll, moderator: false));

    private ILiveClient PublicClients(long sessionId) => hub.Clients.Groups(GroupNames.Audience(sessionId), GroupNames.Projector(sessionId));
}
