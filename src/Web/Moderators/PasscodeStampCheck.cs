using LiveHub.Identity;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;

namespace LiveHub.Web.Moderators;

/// <summary>
/// A moderator cookie is valid only under the passcode it was issued for: on every request and hub handshake its stamp is
/// compared with the event's, so rotating the passcode signs out every moderator who signed in with the old one.
/// </summary>
public static class PasscodeStampCheck
{
    public static async Task ValidateAsync(CookieValidatePrincipalContext context)
    {
        var eventId = ModeratorClaims.EventOf(context.Principal);
        var stamp = context.Principal?.FindFirst(ModeratorClaims.PasscodeStamp)?.Value;
        var stamps = context.HttpContext.RequestServices.GetRequiredService<PasscodeStamps>();
        if (eventId is null || !await stamps.IsCurrentAsync(eventId.Value, stamp, context.HttpContext.RequestAborted))
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(ModeratorClaims.Scheme);
        }
    }
}
