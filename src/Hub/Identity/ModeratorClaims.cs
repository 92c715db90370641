using System.Security.Claims;

namespace LiveHub.Identity;

/// <summary>The moderator's sign-in: one authentication scheme, a claim naming the event, and the passcode stamp it was issued under.</summary>
public static class ModeratorClaims
{
    public const string Scheme = "LiveHubModerator";
    public const string EventId = "livehub:event";
    public const string PasscodeStamp = "livehub:stamp";
    public const string Role = "moderator";

    public static ClaimsPrincipal Create(long eventId, string stamp) =>
        new(new ClaimsIdentity(
            [
                new Claim(EventId, eventId.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                new Claim(PasscodeStamp, stamp),
                new Claim(ClaimTypes.Role, Role),
            ], Scheme));

    public static long? EventOf(ClaimsPrincipal? user)
    {
        var value = user?.Identity?.IsAuthenticated == true ? user.FindFirst(EventId)?.Value : null;
        return long.TryParse(value, out var id) ? id : null;
    }

    public static bool IsModeratorOf(ClaimsPrincipal? user, long eventId) => EventOf(user) == eventId;
}
