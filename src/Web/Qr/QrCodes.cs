using LiveHub.Data.Events;
using LiveHub.Events;
using LiveHub.Realtime;
using LiveHub.Web.Api;
using LiveHub.Web.Pages;
using LiveHub.Web.Security;
using QRCoder;

namespace LiveHub.Web.Qr;

/// <summary>
/// The join QR codes (event and room), drawn on the server as SVG (no script, no external service), for the join URL that
/// <see cref="PublicUrls.DecideJoinBase"/> decides for the request.
/// </summary>
public static class QrCodes
{
    // The encoded URL follows the configuration and the machine's network (PublicUrls): a projector reloaded after a
    // restart with another address must not keep the old code from its cache.
    private const string Revalidated = "no-cache";

    public static IEndpointRouteBuilder MapQrCodes(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/events/{code}/qr.svg", async (string code, HttpContext http, EventService events, PublicUrls urls, CancellationToken ct) =>
        {
            var e = await events.FindByCodeAsync(code, ct);
            if (e is null)
            {
                return ApiErrors.ToHttp(ErrorCodes.NotFoundError("event"));
            }
            http.Response.Headers.CacheControl = Revalidated;
            return Results.Text(Svg(urls.Event(http.Request, e.Code).Url), "image/svg+xml");
        }).AllowAnyone();

        // The QR on a room's door: its code leads to the session live in the room.
        app.MapGet("/api/rooms/{roomCode}/qr.svg", async (string roomCode, HttpContext http, EventStore events, PublicUrls urls, CancellationToken ct) =>
        {
            var room = JoinCode.Normalize(roomCode) is { } code ? await events.FindRoomByCodeAsync(code, ct) : null;
            if (room?.Code is null)
            {
                return ApiErrors.ToHttp(ErrorCodes.NotFoundError("room"));
            }
            http.Response.Headers.CacheControl = Revalidated;
            return Results.Text(Svg(urls.Room(http.Request, room.Code).Url), "image/svg+xml");
        }).AllowAnyone();
        return app;
    }

    public static string Svg(string content)
    {
        using var generator = new QRCodeGenerator();
        using var data = generator.CreateQrCode(content, QRCodeGenerator.ECCLevel.M);
        return new SvgQRCode(data).GetGraphic(10);
    }
}
