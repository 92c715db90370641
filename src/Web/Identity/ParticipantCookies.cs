using LiveHub.Identity;

namespace LiveHub.Web.Identity;

/// <summary>
/// Gives every visitor a participant identity on first visit and reads it back after: a Data Protection cookie,
/// never the connection, so a phone that sleeps or switches networks is still the same participant.
/// </summary>
public static class ParticipantCookies
{
    public static IApplicationBuilder UseParticipantIdentity(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        var identity = context.RequestServices.GetRequiredService<ParticipantIdentity>();
        var participantId = identity.Unprotect(context.Request.Cookies[CookieNames.Participant]);
        if (participantId is null)
        {
            participantId = ParticipantIdentity.NewId();
            context.Response.Cookies.Append(CookieNames.Participant, identity.Protect(participantId), new CookieOptions
            {
                HttpOnly = true,
                IsEssential = true,
                SameSite = SameSiteMode.Lax,
                Secure = context.Request.IsHttps,
                MaxAge = TimeSpan.FromDays(400),
                Path = "/",
            });
        }
        context.Items[ParticipantIdentity.ItemKey] = participantId;
        await next(context);
    });

    public static string ParticipantId(this HttpContext context) =>
        context.Items[ParticipantIdentity.ItemKey] as string ?? throw new InvalidOperationException("Participant middleware did not run.");

    /// <summary>The caller of an HTTP endpoint, as the hub sees its callers.</summary>
    public static LiveHub.Realtime.Caller Caller(this HttpContext context) =>
        new(context.ParticipantId(), context.Connection.RemoteIpAddress?.ToString(), context.User);
}
