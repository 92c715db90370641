using LiveHub.Identity;
using LiveHub.Limits;
using LiveHub.Moderation;
using LiveHub.Realtime;
using Microsoft.AspNetCore.SignalR;

namespace LiveHub.Events;

public sealed record SetSessionStatusRequest(long SessionId, string? Status) : ISessionRequest;

public sealed record SetProfanityWordsRequest(long EventId, IReadOnlyList<string>? Words) : IEventRequest;

/// <summary>
/// The agenda: a moderator can override a session's scheduled status; everyone in the event hears of it at once. Callers are the
/// event's moderators (the hub's declared requirements); this class checks the input.
/// </summary>
public sealed class AgendaService(
    EventService events,
    Data.Events.EventStore store,
    SessionLocks locks,
    AuditLog audit,
    IHubContext<EventHub, ILiveClient> hub)
{
    /// <summary>Sets live / upcoming / ended, or with a null status returns the session to its schedule.</summary>
    public async Task<HubResult<SessionView>> SetStatusAsync(Caller caller, SetSessionStatusRequest? request, CancellationToken ct)
    {
        if (request is null || (request.Status is not null && !SessionStatus.IsKnown(request.Status)))
        {
            return HubError.Invalid("status", "The status must be 'upcoming', 'live', 'ended' or null (follow the schedule).");
        }
        var session = await events.FindSessionAsync(request.SessionId, ct);
        if (session is null)
        {
            return ErrorCodes.NotFoundError("session");
        }
        using (await locks.AcquireAsync(session.Id, ct))
        {
            if (!await store.SetStatusOverrideAsync(session.Id, request.Status, ct))
            {
                return ErrorCodes.NotFoundError("session");
            }
            var view = events.View(session with { StatusOverride = request.Status });
            await hub.Clients.Group(GroupNames.Event(session.EventId)).SessionStatusChanged(view);
            await audit.RecordAsync(caller, session.EventId, session.Id, "session-status", detail: request.Status ?? "schedule", ct: ct);
            return HubResult<SessionView>.Success(view);
        }
    }

    /// <summary>Replaces the event's profanity list; an empty or null list returns to the built-in Indonesian and English lists.</summary>
    public async Task<HubResult<IReadOnlyList<string>>> SetProfanityWordsAsync(Caller caller, SetProfanityWordsRequest? request, CancellationToken ct)
    {
        var words = (request?.Words ?? []).Select(w => w?.Trim() ?? "").Where(w => w.Length > 0).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        if (request is null || words.Count > ProfanityFilter.MaxWords
            || words.Any(w => TextLength.Exceeds(w, ProfanityFilter.MaxWordLength) || w.Contains('\n')))
        {
            return HubError.Invalid("words", $"At most {ProfanityFilter.MaxWords} words of up to {ProfanityFilter.MaxWordLength} characters.");
        }
        if (InputText.CheckLines(words) is { } wordError)
        {
            return wordError;
        }
        await store.SetProfanityWordsAsync(request.EventId, words.Count == 0 ? null : string.Join('\n', words), ct);
        await audit.RecordAsync(caller, request.EventId, null, "profanity-list", detail: $"{words.Count} words", ct: ct);
        var e = await events.FindEventAsync(request.EventId, ct);
        return HubResult<IReadOnlyList<string>>.Success(e is null ? [] : WordsOf(e));
    }

    public static IReadOnlyList<string> WordsOf(Data.Events.EventRow e) =>
        e.ProfanityWords?.Split('\n', StringSplitOptions.RemoveEmptyEntries) ?? [.. ProfanityFilter.Indonesian, .. ProfanityFilter.English];
}
