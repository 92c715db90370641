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
        // An API answers 401/403, it does not redirect to a login page.
        o.Events.OnRedirectToLogin = c => { c.Response.StatusCode = StatusCodes.Status401Unauthorized; return Task.CompletedTask; };
        o.Events.OnRedirectToAccessDenied = c => { c.Response.StatusCode = StatusCodes.Status403Forbidden; return Task.CompletedTask; };
    }
}
