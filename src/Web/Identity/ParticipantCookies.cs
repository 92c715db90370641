using LiveHub.Identity;
using LiveHub.Realtime;
using Microsoft.AspNetCore.SignalR;

namespace LiveHub.Web.Identity;

/// <summary>
/// Gives every visitor a participant identity on first visit and reads it back after: a Data Protection cookie,
/// never the connection, so a phone that sleeps or switches networks is still the same participant.
/// </summary>
public static class ParticipantCookies
{
    /// <summary>The answer to a hub handshake without a valid participant cookie (HTTP 401).</summary>
    public static readonly HubError NoParticipant = new("no_participant", "error.no_participant",
        $"A hub connection needs the {CookieNames.Participant} participant cookie: GET any page (such as /) or /api/events/{{code}} " +
        "first, keep the cookie it sets, and send it with the handshake.");

    /// <summary>
    /// Issues and reads the participant cookie on every request, except that the hub is never where a participant is made:
    /// a connection (its handshake or negotiation) must bring a valid cookie, or every cookie-less connection would be a new
    /// participant, with a vote of its own in every poll and its own idempotency keys.
    /// </summary>
    public static IApplicationBuilder UseParticipantIdentity(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        var identity = context.RequestServices.GetRequiredService<ParticipantIdentity>();
        var participantId = identity.Unprotect(context.Request.Cookies[CookieNames.Participant]);
        if (participantId is null && context.GetEndpoint()?.Metadata.GetMetadata<HubMetadata>() is not null)
        {
            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            await context.Response.WriteAsJsonAsync(NoParticipant);
            return;
        }
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
