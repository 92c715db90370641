using System.Security.Claims;

namespace LiveHub.Identity;

/// <summary>The moderator's sign-in: one authentication scheme, a claim naming the event, and the passcode stamp it was issued under.</summary>
public static class ModeratorClaims
{
    public const string Scheme = "LiveHubModerator";
    public const string EventId = "livehub:event";
    public const string PasscodeStamp = "livehub:stamp";
    public const string Role = "moderator";

    public static ClaimsPrincipal Create(long eventId, string stamp, string? name = null) =>
        new(new ClaimsIdentity(
            [
                new Claim(EventId, eventId.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                new Claim(PasscodeStamp, stamp),
                new Claim(ClaimTypes.Role, Role),
                new Claim(ClaimTypes.Name, string.IsNullOrWhiteSpace(name) ? "Moderator" : name.Trim()),
            ], Scheme));

    /// <summary>The name a moderator gave at sign-in, for the audit log.</summary>
    public static string NameOf(ClaimsPrincipal? user) => user?.FindFirst(ClaimTypes.Name)?.Value ?? "Moderator";

    /// <summary>The event the sign-in names; whether it still holds is <see cref="ModeratorAccess"/>'s to say.</summary>
    public static long? EventOf(ClaimsPrincipal? user)
    {
        var value = user?.Identity?.IsAuthenticated == true ? user.FindFirst(EventId)?.Value : null;
        return long.TryParse(value, out var id) ? id : null;
    }

    /// <summary>The passcode stamp the sign-in was issued under; <see cref="ModeratorAccess"/> compares it with the event's.</summary>
    public static string? StampOf(ClaimsPrincipal? user) => user?.FindFirst(PasscodeStamp)?.Value;
}
