using LiveHub.Data.Moderation;
using LiveHub.Events;
using LiveHub.Identity;
using LiveHub.Realtime;
using LiveHub.Web.Api;
using LiveHub.Web.Security;

namespace LiveHub.Web.Moderators;

/// <summary>The moderation audit log, for the event's moderators: who did what to which question or poll, when.</summary>
public static class AuditApi
{
    public static IEndpointRouteBuilder MapAuditApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/events/{code}/audit", async (string code, long? session, int? limit, HttpContext http, EventService events,
            ModerationLogStore log, CancellationToken ct) =>
        {
            var e = await events.FindByCodeAsync(code, ct);
            if (e is null)
            {
                return ApiErrors.ToHttp(ErrorCodes.NotFoundError("event"));
            }
            var entries = await log.ListAsync(e.Id, session, Math.Clamp(limit ?? 1000, 1, 100_000), ct);
            http.Response.Headers.ContentDisposition = $"inline; filename=\"audit-{e.Code}.json\"";
            return Results.Ok(entries);
        }).RequireModerator(Concerning.Event);
        return app;
    }
}
