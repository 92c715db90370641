using System.Security.Claims;
using LiveHub.Data.Events;
using LiveHub.Data.Polls;
using LiveHub.Realtime;

namespace LiveHub.Identity;

/// <summary>
/// The one answer to "may this sign-in moderate this": the moderator cookie names the event, and the passcode stamp it was
/// issued under is still the event's. The hub filter and the HTTP access middleware ask it before any moderator-only call;
/// snapshots ask it before showing what only moderators see. Nothing else decides moderator rights.
/// </summary>
public sealed class ModeratorAccess(EventStore events, PollStore polls, PasscodeStamps stamps)
{
    public async ValueTask<bool> IsModeratorOfAsync(ClaimsPrincipal? user, long eventId, CancellationToken ct) =>
        ModeratorClaims.EventOf(user) == eventId && await stamps.IsCurrentAsync(eventId, ModeratorClaims.StampOf(user), ct);

    /// <summary>
    /// Null when the caller moderates the event that the session, poll or event <paramref name="id"/> belongs to; otherwise
    /// <c>forbidden</c>, or <c>not_found</c> when there is no such thing and the caller is a moderator (of any event) at all.
    /// </summary>
    public async Task<HubError?> CheckAsync(ClaimsPrincipal? user, Concerning concerning, long id, CancellationToken ct)
    {
        var eventId = await EventOfAsync(concerning, id, ct);
        if (eventId is null)
        {
            // Only a signed-in moderator learns that something does not exist.
            var signedIn = ModeratorClaims.EventOf(user) is { } own && await IsModeratorOfAsync(user, own, ct);
            return signedIn ? ErrorCodes.NotFoundError(concerning.ToString().ToLowerInvariant()) : ErrorCodes.ForbiddenError();
        }
        return await IsModeratorOfAsync(user, eventId.Value, ct) ? null : ErrorCodes.ForbiddenError();
    }

    private async Task<long?> EventOfAsync(Concerning concerning, long id, CancellationToken ct)
    {
        if (id <= 0)
        {
            return null;
        }
        switch (concerning)
        {
            case Concerning.Event:
                return (await events.FindAsync(id, ct))?.Id;
            case Concerning.Session:
                return (await events.FindSessionAsync(id, ct))?.EventId;
            default:
                var poll = await polls.FindAsync(id, ct);
                return poll is null ? null : (await events.FindSessionAsync(poll.SessionId, ct))?.EventId;
        }
    }
}
