using LiveHub.Data.Events;
using LiveHub.Identity;
using LiveHub.Realtime;

namespace LiveHub.Events;

/// <summary>Decides on the server whether a caller moderates a session's event; the client's claim of a role counts for nothing.</summary>
public sealed class SessionAccess(EventService events, PasscodeStamps stamps)
{
    public async Task<(SessionRow? Session, HubError? Error)> AuthorizeModeratorAsync(Caller caller, long sessionId, CancellationToken ct)
    {
        var session = await events.FindSessionAsync(sessionId, ct);
        if (session is null)
        {
            // Only a signed-in moderator learns that a session does not exist.
            return (null, caller.User?.Identity?.IsAuthenticated == true ? ErrorCodes.NotFoundError("session") : ErrorCodes.ForbiddenError());
        }
        if (!caller.IsModeratorOf(session.EventId))
        {
            return (null, ErrorCodes.ForbiddenError());
        }
        // A hub connection keeps the sign-in it opened with: a passcode rotated since then must still lock it out.
        var stamp = caller.User?.FindFirst(ModeratorClaims.PasscodeStamp)?.Value;
        return await stamps.IsCurrentAsync(session.EventId, stamp, ct) ? (session, null) : (null, ErrorCodes.ForbiddenError());
    }
}
