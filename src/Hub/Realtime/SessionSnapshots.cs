using LiveHub.Announcements;
using LiveHub.Data.Events;
using LiveHub.Events;
using LiveHub.Polls;
using LiveHub.Questions;
using Microsoft.AspNetCore.Http;

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

/// <summary>
/// An event's state for one caller: agenda, announcements, the join URL for the page that asks, and for its moderators
/// (as <see cref="Identity.ModeratorAccess"/> decided) head counts and the profanity list.
/// </summary>
public sealed class EventSnapshots(EventService events, AnnouncementService announcements, Presence presence, IJoinUrls joinUrls)
{
    public async Task<EventSnapshot> ReadAsync(EventRow e, bool isModerator, HttpRequest? request, CancellationToken ct)
    {
        var join = joinUrls.Event(request, e.Code);
        var snapshot = await events.SnapshotAsync(e, isModerator, ct) with
        {
            Announcements = await announcements.ListAsync(e.Id, ct),
            JoinUrl = join.Url,
            JoinUrlWarning = join.Warning,
        };
        return isModerator
            ? snapshot with
            {
                Presence = snapshot.Sessions.ToDictionary(s => s.Id, s => presence.Count(s.Id)),
                ProfanityWords = AgendaService.WordsOf(e),
            }
            : snapshot;
    }
}
