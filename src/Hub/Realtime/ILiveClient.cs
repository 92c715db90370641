using LiveHub.Announcements;
using LiveHub.Events;
using LiveHub.Polls;
using LiveHub.Questions;
using LiveHub.Reactions;

namespace LiveHub.Realtime;

/// <summary>
/// Events the server pushes to browsers and other clients. Versioned events carry the session's next version:
/// a client that sees a gap fetches a fresh snapshot.
/// </summary>
public interface ILiveClient
{
    /// <summary>A question was asked. Moderators always; audience and projector only in open mode.</summary>
    Task QuestionAsked(QuestionDelta delta);

    /// <summary>A moderator approved a question; it is now public.</summary>
    Task QuestionApproved(QuestionDelta delta);

    /// <summary>A moderator dismissed a question.</summary>
    Task QuestionDismissed(QuestionDelta delta);

    /// <summary>A question was marked answered.</summary>
    Task QuestionAnswered(QuestionDelta delta);

    /// <summary>A question was archived.</summary>
    Task QuestionArchived(QuestionDelta delta);

    /// <summary>The undo of dismiss, answer and archive: back to approved, or to pending if it was never approved.</summary>
    Task QuestionRestored(QuestionDelta delta);

    /// <summary>A moderator corrected a question's text.</summary>
    Task QuestionEdited(QuestionDelta delta);

    /// <summary>A moderator replied to a question (or removed the reply); the reply shows under it.</summary>
    Task QuestionReplied(QuestionDelta delta);

    /// <summary>Moderators only: a question's labels changed.</summary>
    Task QuestionLabeled(QuestionDelta delta);

    /// <summary>A duplicate was merged into another question and archived; <c>question.mergedIntoId</c> (moderators) names the target.</summary>
    Task QuestionMerged(QuestionDelta delta);

    /// <summary>The question on screen changed; <see cref="QuestionDelta.OnScreenQuestionId"/> is the new one or null.</summary>
    Task QuestionOnScreenChanged(QuestionDelta delta);

    /// <summary>Upvote counts changed; coalesced, at most a few per second per session.</summary>
    Task UpvotesChanged(UpvotesDelta delta);

    /// <summary>The session switched between pre-moderated and open.</summary>
    Task ModerationModeChanged(SessionModeDelta delta);

    /// <summary>To the author only, unversioned: the state of one of their own questions changed.</summary>
    Task MyQuestionChanged(QuestionView question);

    /// <summary>Moderators only: a poll was prepared or its draft edited (also a copy from a template).</summary>
    Task PollDrafted(PollDelta delta);

    /// <summary>A poll was launched; phones show it at once.</summary>
    Task PollOpened(PollDelta delta);

    /// <summary>A poll was closed (by a moderator or its quiz timer).</summary>
    Task PollClosed(PollDelta delta);

    /// <summary>A moderator revealed or hid a poll's results.</summary>
    Task PollRevealed(PollDelta delta);

    /// <summary>A poll's votes were cleared and it is a draft again; audiences drop it.</summary>
    Task PollReset(PollDelta delta);

    /// <summary>A poll was deleted.</summary>
    Task PollDeleted(PollDelta delta);

    /// <summary>To the voter only, unversioned: a moderator approved or dismissed their open-text answer.</summary>
    Task MyVoteChanged(MyVote vote);

    /// <summary>A whole results frame, coalesced; keep the one with the highest version per poll.</summary>
    Task PollResultsChanged(PollResults results);

    /// <summary>The moderator changed what the projector shows.</summary>
    Task ProjectorChanged(ProjectorDelta delta);

    /// <summary>To everyone in the event: a moderator set a session's status (or returned it to its schedule).</summary>
    Task SessionStatusChanged(SessionView session);

    /// <summary>To everyone in the event: an announcement for the event, or for one room.</summary>
    Task AnnouncementPosted(AnnouncementView announcement);

    /// <summary>To everyone in the event: an announcement was withdrawn.</summary>
    Task AnnouncementDeleted(AnnouncementView announcement);

    /// <summary>The reactions of the last half second in a session (audience, projector, moderators).</summary>
    Task ReactionsSent(ReactionsDelta delta);

    /// <summary>Head counts of a session and its room: to the event's moderators, and to the projector if shown there.</summary>
    Task PresenceChanged(PresenceDelta delta);

    /// <summary>
    /// To a moderator connection whose sign-in no longer holds (the organizer rotated the passcode): it has been taken out of
    /// every moderator group and gets no more moderator pushes; sign in again.
    /// </summary>
    Task ModeratorRightsLost(RightsLost lost);

    /// <summary>
    /// Nothing new, only the session's current version for this view, re-announced when a node's link to Redis comes back
    /// (deltas may have been lost meanwhile). A client holding an older version takes a fresh snapshot; one that is up to
    /// date ignores it.
    /// </summary>
    Task SessionVersionAnnounced(SessionVersionNotice notice);

    /// <summary>
    /// To everyone who joined the event: the organizer deleted it, with everything in it. Its screens stop and say so; every
    /// later call about it answers <c>not_found</c>.
    /// </summary>
    Task EventDeleted(EventDeletedNotice notice);
}

/// <summary>The event <see cref="EventId"/> (join code <see cref="Code"/>) is gone; <see cref="Error"/> is what to show: <c>not_found</c>.</summary>
public sealed record EventDeletedNotice(long EventId, string Code, HubError Error);

/// <summary>Why a connection stopped being a moderator of <see cref="EventId"/>: a typed error, <c>forbidden</c>.</summary>
public sealed record RightsLost(long EventId, HubError Error);

/// <summary>A session's current version for one view: public for the audience and projector, moderation for moderators.</summary>
public sealed record SessionVersionNotice(long SessionId, long Version);
