using LiveHub.Data.Events;
using LiveHub.Events;
using LiveHub.Identity;
using LiveHub.Realtime;
using LiveHub.Web.Identity;
using LiveHub.Web.Security;

namespace LiveHub.Web.Api;

/// <summary>Read endpoints mirroring the hub's snapshots, for clients that are not connected yet.</summary>
public static class EventApi
{
    public static IEndpointRouteBuilder MapEventApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/events/{code}", async (string code, HttpContext http, EventService events, ModeratorAccess access,
            EventSnapshots snapshots, CancellationToken ct) =>
        {
            var e = await events.FindByCodeAsync(code, ct);
            return e is null
                ? ApiErrors.ToHttp(ErrorCodes.NotFoundError("event"))
                : Results.Ok(await snapshots.ReadAsync(e, await access.IsModeratorOfAsync(http.User, e.Id, ct), http.Request, ct));
        }).AllowAnyone();

        // The printed QR on a room's door: always the session live in that room, for all three days.
        app.MapGet("/r/{roomCode}", async (string roomCode, EventStore store, CancellationToken ct) =>
        {
            var room = JoinCode.Normalize(roomCode) is { } code ? await store.FindRoomByCodeAsync(code, ct) : null;
            var e = room is null ? null : await store.FindAsync(room.EventId, ct);
            return e is null ? Results.NotFound() : Results.Redirect($"/e/{e.Code}?room={Uri.EscapeDataString(room!.RoomKey)}");
        }).AllowAnyone();

        app.MapGet("/api/sessions/{sessionId:long}", async (long sessionId, string? view, HttpContext http, SessionSnapshots snapshots, CancellationToken ct) =>
        {
            view ??= SessionViews.Audience;
            if (!SessionViews.IsKnown(view))
            {
                return ApiErrors.ToHttp(HubError.Invalid("view", "The view must be 'audience', 'projector' or 'moderator'."));
            }
            return ApiErrors.ToHttp(await snapshots.ReadAsync(http.Caller(), sessionId, view, ct));
        }).RequireModerator(Concerning.Session, forView: SessionViews.Moderator);
        return app;
    }
}
