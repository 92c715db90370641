using LiveHub.Data.Events;
using LiveHub.Data.Questions;
using LiveHub.Events;
using LiveHub.Limits;
using LiveHub.Moderation;
using LiveHub.Realtime;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;

namespace LiveHub.Questions;

/// <summary>
/// Q&amp;A: asks, upvotes and moderation. Each change is committed first and pushed after, under the session's lock,
/// so deltas leave in version order and a failed write is never broadcast. Who may call what is decided before a call gets
/// here (the hub's declared requirements); this class checks the input.
/// </summary>
public sealed class QuestionService(
    QuestionStore store,
    AskCommitter asks,
    EventService events,
    SessionChanges sessions,
    RateLimits limits,
    UpvoteCoalescer upvotes,
    ProfanityFilter profanity,
    AuditLog audit,
    LiveHubMetrics metrics,
    IHubContext<EventHub, ILiveClient> hub,
    IOptions<QuestionOptions> options,
    TimeProvider clock)
{
    private readonly QuestionOptions _options = options.Value;

    public async Task<HubResult<QuestionView>> AskAsync(Caller caller, AskQuestionRequest? request, CancellationToken ct)
    {
        if (request is null)
        {
            return HubError.Invalid("request", "A request body is required.");
        }
        if (QuestionRules.CheckClientId(request.ClientId) is { } idError)
        {
            return idError;
        }
        if (QuestionRules.CheckText(request.Text, _options.MaxLength, out var text) is { } textError)
        {
            return textError;
        }
        if (QuestionRules.CheckName(request.AuthorName, _options.MaxNameLength, out var name) is { } nameError)
        {
            return nameError;
        }

        // The question as stored when this request was applied before, else the error the caller would get.
        async Task<HubResult<QuestionView>> ResentOrAsync(HubError otherwise) =>
            await store.FindByClientIdAsync(caller.ParticipantId, request.ClientId!, ct) is { } asked
                ? HubResult<QuestionView>.Success(QuestionView.ForAuthor(asked))
                : otherwise;

        var session = await events.FindSessionAsync(request.SessionId, ct);
        if (session is null)
        {
            return ErrorCodes.NotFoundError("session");
        }
        if (events.StatusOf(session) == SessionStatus.Ended)
        {
            // A retry of an ask acknowledged before the session ended answers as the first call did.
            return await ResentOrAsync(new HubError(ErrorCodes.InvalidState, "error.session_ended", "This session has ended; it takes no more questions."));
        }
        if (limits.TryAsk(caller.ParticipantId, caller.Address) is { } retryAfter)
        {
            // A retry is never refused for speed: only new questions count against the limit.
            return await ResentOrAsync(ErrorCodes.SlowDownError(retryAfter));
        }

        // Abusive words hold a question for review even in an open session.
        var e = await events.FindEventAsync(session.EventId, ct);
        var flagged = e is not null && (profanity.IsFlagged(e, text) || (name is not null && profanity.IsFlagged(e, name)));
        var status = session.Moderation == ModerationModes.Open && !flagged ? QuestionStatus.Approved : QuestionStatus.Pending;
        // Committed with other connections' questions, pushed in version order; a repeated client id returns the first question.
        var outcome = await metrics.TimeAsync("ask", () => asks.AskAsync(
            new NewQuestion(session.Id, caller.ParticipantId, request.ClientId!, name, text, status, flagged), session.OnScreenQuestionId, ct));
        return HubResult<QuestionView>.Success(QuestionView.ForAuthor(outcome.Question));
    }

    public async Task<HubResult<UpvoteView>> UpvoteAsync(Caller caller, UpvoteRequest? request, CancellationToken ct)
    {
        if (request is null || request.QuestionId <= 0)
        {
            return HubError.Invalid("question_id", "A question id is required.");
        }
        var question = await store.FindAsync(request.QuestionId, ct);
        if (question is null || !QuestionStatus.IsPublic(question.Status))
        {
            // A pending question is as invisible to an upvote as to a screen.
            return ErrorCodes.NotFoundError("question");
        }
        if (limits.TryUpvote(caller.ParticipantId, caller.Address) is { } retryAfter)
        {
            return ErrorCodes.SlowDownError(retryAfter);
        }
        var outcome = await metrics.TimeAsync("upvote", () => store.UpvoteAsync(request.QuestionId, caller.ParticipantId, request.On, ct));
        if (outcome is null)
        {
            return ErrorCodes.NotFoundError("question");
        }
        if (outcome.Changed)
        {
            upvotes.Mark(outcome.SessionId, outcome.QuestionId);
        }
        return HubResult<UpvoteView>.Success(new UpvoteView(outcome.QuestionId, outcome.Upvotes, request.On));
    }

    public async Task<HubResult<QuestionView>> ModerateAsync(Caller caller, ModerateQuestionRequest? request, CancellationToken ct)
    {
        if (request is null || !ModerationActions.IsKnown(request.Action))
        {
            return HubError.Invalid("action", $"The action must be one of: {string.Join(", ", ModerationActions.All)}.");
        }
        Func<QuestionRow, string> next = request.Action switch
        {
            ModerationActions.Approve => _ => QuestionStatus.Approved,
            ModerationActions.Dismiss => _ => QuestionStatus.Dismissed,
            ModerationActions.Answer => _ => QuestionStatus.Answered,
            ModerationActions.Archive => _ => QuestionStatus.Archived,
            // Undo returns a question to the queue it came from: one never approved goes back to review, not onto screens.
            ModerationActions.Restore => q => q.ApprovedAt is null ? QuestionStatus.Pending : QuestionStatus.Approved,
            // Putting a question on screen approves it; an answered one stays answered.
            ModerationActions.Show => q => QuestionStatus.IsPublic(q.Status) ? q.Status : QuestionStatus.Approved,
            _ => q => q.Status,
        };
        bool? onScreen = request.Action switch
        {
            ModerationActions.Show => true,
            ModerationActions.Hide or ModerationActions.Answer => false,
            _ => null,
        };

        // The audit entry commits with the change: one transaction, and nothing left to write once the deltas are out.
        return await ChangeAsync(caller, request.SessionId, request.Action!,
            session => store.ChangeAsync(session.Id, request.QuestionId, next, onScreen, ct,
                audit: (before, status) => audit.Entry(caller, session.EventId, session.Id, request.Action!, before.Id,
                    detail: $"{before.Status} -> {status}")),
            recorded: null, ct);
    }

    public async Task<HubResult<QuestionView>> EditAsync(Caller caller, EditQuestionRequest? request, CancellationToken ct)
    {
        if (request is null)
        {
            return HubError.Invalid("request", "A request body is required.");
        }
        if (QuestionRules.CheckText(request.Text, _options.MaxLength, out var text) is { } textError)
        {
            return textError;
        }
        return await ChangeAsync(caller, request.SessionId, Edited, session => store.EditAsync(session.Id, request.QuestionId, text, ct),
            change => ("edit", $"was: {change.Before.Text}"), ct);
    }

    /// <summary>Sets (or, with empty text, removes) the moderator's reply shown under a question.</summary>
    public async Task<HubResult<QuestionView>> ReplyAsync(Caller caller, ReplyToQuestionRequest? request, CancellationToken ct)
    {
        if (request is null)
        {
            return HubError.Invalid("request", "A request body is required.");
        }
        var reply = string.IsNullOrWhiteSpace(request.Text) ? null : request.Text.Trim();
        if (TextLength.Exceeds(reply, MaxReplyLength))
        {
            return new HubError(ErrorCodes.TextTooLong, "error.text_too_long", $"The reply is longer than {MaxReplyLength} characters.");
        }
        if (InputText.Check(reply, multiline: true) is { } replyError)
        {
            return replyError;
        }
        return await ChangeAsync(caller, request.SessionId, Replied, session => store.ReplyAsync(session.Id, request.QuestionId, reply, ct),
            _ => (reply is null ? "unreply" : "reply", reply), ct);
    }

    /// <summary>Replaces a question's labels; moderators alone see them.</summary>
    public async Task<HubResult<QuestionView>> LabelAsync(Caller caller, LabelQuestionRequest? request, CancellationToken ct)
    {
        var labels = (request?.Labels ?? []).Select(l => l?.Trim().Replace(",", " ", StringComparison.Ordinal) ?? "").Where(l => l.Length > 0)
            .Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        if (request is null || labels.Count > MaxLabels || labels.Any(l => TextLength.Exceeds(l, MaxLabelLength)))
        {
            return HubError.Invalid("labels", $"At most {MaxLabels} labels of up to {MaxLabelLength} characters.");
        }
        if (InputText.CheckLines(labels) is { } labelError)
        {
            return labelError;
        }
        // Labels are not public: the change reaches moderators only.
        return await ChangeAsync(caller, request.SessionId, Labeled,
            session => store.LabelAsync(session.Id, request.QuestionId, string.Join(',', labels), ct),
            _ => ("label", string.Join(", ", labels)), ct);
    }

    /// <summary>
    /// Merges a duplicate into another question: upvotes carry over without counting anyone twice, and the duplicate is archived
    /// with a pointer moderators can follow.
    /// </summary>
    public async Task<HubResult<QuestionView>> MergeAsync(Caller caller, MergeQuestionsRequest? request, CancellationToken ct)
    {
        if (request is null || request.SourceId == request.TargetId)
        {
            return HubError.Invalid("merge", "Merge needs two different questions.");
        }
        return await sessions.RunAsync(request.SessionId, async session =>
        {
            var merge = await store.MergeAsync(session.Id, request.SourceId, request.TargetId, ct);
            if (merge is null)
            {
                return new HubError(ErrorCodes.InvalidState, "error.merge_refused", "Both questions must be in this session and not merged already.");
            }
            var change = new QuestionChange(merge.SourceBefore, merge.Source, merge.OnScreenQuestionId, merge.Versions, merge.PublicChanged);
            await PushChangeAsync(Merged, change);
            upvotes.Mark(session.Id, merge.Target.Id);
            await audit.RecordAsync(caller, session.EventId, session.Id, "merge", merge.Source.Id, detail: $"into {merge.Target.Id}", ct: ct);
            return HubResult<QuestionView>.Success(QuestionView.ForModerators(merge.Target));
        }, ct);
    }

    public async Task<HubResult<SessionView>> SetModerationModeAsync(Caller caller, SetModerationModeRequest? request, CancellationToken ct)
    {
        if (request is null || !ModerationModes.IsKnown(request.Mode))
        {
            return HubError.Invalid("mode", "The mode must be 'pre' or 'open'.");
        }
        return await sessions.RunAsync(request.SessionId, async session =>
        {
            var versions = await events.SetModerationAsync(session.Id, request.Mode!, ct);
            if (versions is null)
            {
                return ErrorCodes.NotFoundError("session");
            }
            await hub.Clients.Group(GroupNames.Moderators(session.Id))
                .ModerationModeChanged(new SessionModeDelta(session.Id, versions.ModVersion, request.Mode!));
            await PublicClients(session.Id).ModerationModeChanged(new SessionModeDelta(session.Id, versions.Version, request.Mode!));
            await audit.RecordAsync(caller, session.EventId, session.Id, "moderation-mode", detail: request.Mode, ct: ct);
            return HubResult<SessionView>.Success(events.View(session with { Moderation = request.Mode! }));
        }, ct);
    }

    /// <summary>
    /// A session's questions for one kind of screen. Moderators see every question under the moderation version;
    /// the audience and projector see public questions under the public version.
    /// </summary>
    public async Task<HubResult<SessionSnapshot>> SnapshotAsync(Caller caller, long sessionId, string view, CancellationToken ct)
    {
        var read = await store.ReadSessionAsync(sessionId, caller.ParticipantId, everyQuestion: view == SessionViews.Moderator, ct);
        if (read is null)
        {
            return ErrorCodes.NotFoundError("session");
        }
        var session = read.Session;
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        if (view == SessionViews.Moderator)
        {
            return HubResult<SessionSnapshot>.Success(WithProjector(new SessionSnapshot(
                events.View(session), view, session.ModVersion,
                read.Questions.Select(QuestionView.ForModerators).ToList(), [], [], session.OnScreenQuestionId, now), session));
        }

        var isAudience = view == SessionViews.Audience;
        var visible = read.Questions.Where(q => QuestionStatus.IsPublic(q.Status)).Select(QuestionView.Public).ToList();
        var mine = isAudience
            ? read.Questions.Where(q => q.ParticipantId == caller.ParticipantId && !QuestionStatus.IsPublic(q.Status) && q.Status != QuestionStatus.Archived)
                .Select(QuestionView.ForAuthor).ToList()
            : [];
        var myPublic = isAudience
            ? read.Questions.Where(q => q.ParticipantId == caller.ParticipantId && QuestionStatus.IsPublic(q.Status)).Select(QuestionView.ForAuthor).ToList()
            : [];
        return HubResult<SessionSnapshot>.Success(WithProjector(new SessionSnapshot(
            events.View(session), view, session.Version, visible, [.. mine, .. myPublic],
            isAudience ? read.UpvotedByParticipant.ToList() : [], session.OnScreenQuestionId, now), session));
    }

    /// <summary>What the projector shows, from the same read as the snapshot's version (a projector change moves the version).</summary>
    private static SessionSnapshot WithProjector(SessionSnapshot snapshot, SessionRow session) => snapshot with
    {
        ProjectorMode = session.ProjectorMode,
        ProjectorPollId = session.ProjectorPollId,
        ProjectorPresence = session.ProjectorPresence != 0,
    };

    private const string Edited = "edit";
    private const string Replied = "reply";
    private const string Merged = "merge";
    private const string Labeled = "label";
    public const int MaxReplyLength = 1000;
    public const int MaxLabels = 5;
    public const int MaxLabelLength = 30;

    /// <summary>
    /// A moderator's change to one question, under the session's lock: committed by <paramref name="change"/> (null when the
    /// session has no such question), pushed, then recorded in the audit log as <paramref name="recorded"/> says, unless the
    /// store recorded it with the change. Answers with the moderators' view of the question.
    /// </summary>
    private Task<HubResult<QuestionView>> ChangeAsync(Caller caller, long sessionId, string action, Func<SessionRow, Task<QuestionChange?>> change,
        Func<QuestionChange, (string Action, string? Detail)>? recorded, CancellationToken ct) =>
        sessions.RunAsync(sessionId, async session =>
        {
            var changed = await change(session);
            if (changed is null)
            {
                return ErrorCodes.NotFoundError("question");
            }
            await PushChangeAsync(action, changed);
            if (recorded?.Invoke(changed) is { } entry)
            {
                await audit.RecordAsync(caller, session.EventId, session.Id, entry.Action, changed.After.Id, detail: entry.Detail, ct: ct);
            }
            return HubResult<QuestionView>.Success(QuestionView.ForModerators(changed.After));
        }, ct);

    /// <summary>
    /// Hands a change's deltas to every recipient, the audience first as the largest group. Each send writes to its connections
    /// before it returns and none waits for a slow recipient (see <see cref="PushContext"/>), so the session's lock is not held
    /// behind the room's fan-out.
    /// </summary>
    private Task PushChangeAsync(string action, QuestionChange change)
    {
        var sessionId = change.After.SessionId;
        metrics.MessagesOut(change.PublicChanged ? 2 : 1);
        var publicSend = change.PublicChanged
            ? Send(PublicClients(sessionId), action,
                new QuestionDelta(sessionId, change.Versions.Version, QuestionView.Public(change.After), change.OnScreenQuestionId))
            : Task.CompletedTask;
        var moderatorSend = Send(hub.Clients.Group(GroupNames.Moderators(sessionId)), action,
            new QuestionDelta(sessionId, change.Versions.ModVersion, QuestionView.ForModerators(change.After), change.OnScreenQuestionId));
        var authorSend =
            change.Before.Status != change.After.Status || change.Before.Text != change.After.Text || change.Before.Reply != change.After.Reply
                ? hub.Clients.User(change.After.ParticipantId).MyQuestionChanged(QuestionView.ForAuthor(change.After))
                : Task.CompletedTask;
        return Task.WhenAll(publicSend, moderatorSend, authorSend);
    }

    private static Task Send(ILiveClient clients, string action, QuestionDelta delta) => action switch
    {
        ModerationActions.Approve => clients.QuestionApproved(delta),
        ModerationActions.Dismiss => clients.QuestionDismissed(delta),
        ModerationActions.Answer => clients.QuestionAnswered(delta),
        ModerationActions.Archive => clients.QuestionArchived(delta),
        ModerationActions.Restore => clients.QuestionRestored(delta),
        ModerationActions.Show or ModerationActions.Hide => clients.QuestionOnScreenChanged(delta),
        Replied => clients.QuestionReplied(delta),
        Labeled => clients.QuestionLabeled(delta),
        Merged => clients.QuestionMerged(delta),
        _ => clients.QuestionEdited(delta),
    };

    private ILiveClient PublicClients(long sessionId) =>
        hub.Clients.Groups(GroupNames.Audience(sessionId), GroupNames.Projector(sessionId));
}
