using LiveHub.Realtime;
using Microsoft.AspNetCore.Authentication.Cookies;

namespace LiveHub.Web.Security;

/// <summary>The sign-in cookies' shared settings (moderators, organizers): HTTP-only, same-site strict, sliding.</summary>
public static class ApiCookies
{
    public static void Configure(CookieAuthenticationOptions o, string name, TimeSpan lifetime)
    {
        o.Cookie.Name = name;
        o.Cookie.HttpOnly = true;
        o.Cookie.SameSite = SameSiteMode.Strict;
        o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        o.ExpireTimeSpan = lifetime;
        o.SlidingExpiration = true;
        // An API answers 401/403 with a typed error, it does not redirect to a login page.
        o.Events.OnRedirectToLogin = c => Refuse(c.Response, StatusCodes.Status401Unauthorized, NotSignedIn);
        o.Events.OnRedirectToAccessDenied = c => Refuse(c.Response, StatusCodes.Status403Forbidden, ErrorCodes.ForbiddenError());
    }

    /// <summary>What a request without the sign-in an endpoint needs is told (with 401).</summary>
    public static readonly HubError NotSignedIn = new(ErrorCodes.Forbidden, "error.forbidden.sign_in", "This needs a sign-in (the organizer's admin key or the event's moderator passcode).");

    private static Task Refuse(HttpResponse response, int status, HubError error)
    {
        response.StatusCode = status;
        return response.WriteAsJsonAsync(error);
    }
}
