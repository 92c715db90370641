using System.Collections.Concurrent;
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
/// Every phone of a hall joins with the same agenda: its rooms, sessions and announcements are read once per
/// <see cref="EventRow.AgendaVersion"/> (which moves with every change to them, by trigger, in the change's transaction) and kept;
/// the event row each join has just read says whether the copy still holds, on every node. Session statuses, the server time,
/// the join URL and the moderators' parts are made for each join, as before.
/// </summary>
public sealed class EventSnapshots(EventService events, EventStore store, AnnouncementService announcements, Presence presence, IJoinUrls joinUrls)
{
    private readonly ConcurrentDictionary<long, Agenda> _agendas = new();

    /// <summary>An event's rooms, sessions and kept announcements, as they stood at <see cref="Version"/>.</summary>
    private sealed record Agenda(long Version, IReadOnlyList<RoomRow> Rooms, IReadOnlyList<SessionRow> Sessions, IReadOnlyList<AnnouncementView> Announcements);

    public async Task<EventSnapshot> ReadAsync(EventRow e, bool isModerator, HttpRequest? request, CancellationToken ct)
    {
        var join = joinUrls.Event(request, e.Code);
        var agenda = await AgendaAsync(e, ct);
        var snapshot = events.SnapshotOf(e, agenda.Rooms, agenda.Sessions, isModerator) with
        {
            Announcements = agenda.Announcements,
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

    /// <summary>
    /// The agenda at the version of <paramref name="e"/>: kept, or read and then kept only when the event's version after the
    /// reads is still the one before them (a change that committed meanwhile may or may not be in what was read).
    /// </summary>
    private async Task<Agenda> AgendaAsync(EventRow e, CancellationToken ct)
    {
        if (_agendas.TryGetValue(e.Id, out var kept) && kept.Version == e.AgendaVersion)
        {
            return kept;
        }
        var rooms = await store.ListRoomsAsync(e.Id, ct);
        var sessions = await store.ListSessionsAsync(e.Id, ct);
        var agenda = new Agenda(e.AgendaVersion, rooms, sessions, await announcements.ListAsync(e.Id, ct));
        var after = await store.FindAsync(e.Id, ct);
        if (after is null)
        {
            // Deleted meanwhile: its copy goes too.
            _agendas.TryRemove(e.Id, out _);
        }
        else if (after.AgendaVersion == e.AgendaVersion)
        {
            _agendas.AddOrUpdate(e.Id, agenda, (_, other) => other.Version > agenda.Version ? other : agenda);
        }
        return agenda;
    }
}
