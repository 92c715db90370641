using LiveHub.Realtime;
using Microsoft.Extensions.Options;

namespace LiveHub.Web.Security;

public static class SecurityHeaders
{
    // No inline script or style anywhere: user text can only ever be text.
    private const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
        "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'";

    public static IApplicationBuilder UseLiveHubSecurityHeaders(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        context.Response.OnStarting(() =>
        {
            var headers = context.Response.Headers;
            headers.ContentSecurityPolicy = ContentSecurityPolicy;
            headers.XContentTypeOptions = "nosniff";
            headers["Referrer-Policy"] = "same-origin";
            headers.XFrameOptions = "DENY";
            return Task.CompletedTask;
        });
        await next(context);
    });

    /// <summary>
    /// Refuses a hub handshake that a browser makes from a foreign page. Browsers always send Origin on WebSocket
    /// and cross-origin requests; clients without one (the .NET client, tools) are not browsers and carry no ambient cookie risk.
    /// </summary>
    public static IApplicationBuilder UseHubOriginCheck(this IApplicationBuilder app, PathString hubPath) => app.Use(async (context, next) =>
    {
        if (context.Request.Path.StartsWithSegments(hubPath) && context.Request.Headers.Origin is { Count: > 0 } origin)
        {
            var allowed = context.RequestServices.GetRequiredService<IOptions<RealtimeOptions>>().Value.AllowedOrigins;
            if (!IsSameOrigin(origin.ToString(), context.Request) && !allowed.Contains(origin.ToString(), StringComparer.OrdinalIgnoreCase))
            {
                context.Response.StatusCode = StatusCodes.Status403Forbidden;
                return;
            }
        }
        await next(context);
    });

    private static bool IsSameOrigin(string origin, HttpRequest request) =>
        Uri.TryCreate(origin, UriKind.Absolute, out var uri) &&
        string.Equals(uri.Authority, request.Host.Value, StringComparison.OrdinalIgnoreCase);
}
