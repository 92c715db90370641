using LiveHub.Realtime;
using Microsoft.Extensions.Options;

namespace LiveHub.Web.Security;

public static class SecurityHeaders
{
    /// <summary>A page that carries an import map names its hash here; the policy allows that one inline script and no other.</summary>
    public const string ScriptHashItem = "livehub.csp.script-hash";

    // No inline script or style anywhere (but a page's own import map, by its hash): user text can only ever be text.
    private const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'{0}; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
        "worker-src 'self'; manifest-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'";

    private static readonly string DefaultPolicy = string.Format(System.Globalization.CultureInfo.InvariantCulture, ContentSecurityPolicy, "");

    public static IApplicationBuilder UseLiveHubSecurityHeaders(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        context.Response.OnStarting(() =>
        {
            var headers = context.Response.Headers;
            headers.XContentTypeOptions = "nosniff";
            if (headers.CacheControl.ToString().Contains("immutable", StringComparison.Ordinal))
            {
                // A fingerprinted file never changes and is never revalidated: its validators are bytes for nothing.
                headers.Remove(Microsoft.Net.Http.Headers.HeaderNames.ETag);
                headers.Remove(Microsoft.Net.Http.Headers.HeaderNames.LastModified);
                headers.Remove(Microsoft.Net.Http.Headers.HeaderNames.AcceptRanges);
            }
            // The policy and framing rules concern documents; a phone on venue Wi-Fi need not receive them again with
            // every script, style and image.
            if (context.Response.ContentType is { } type && !type.StartsWith("text/html", StringComparison.OrdinalIgnoreCase)
                && !type.StartsWith("application/json", StringComparison.OrdinalIgnoreCase)
                && !type.StartsWith("image/svg+xml", StringComparison.OrdinalIgnoreCase))
            {
                return Task.CompletedTask;
            }
            headers.ContentSecurityPolicy = context.Items[ScriptHashItem] is string hash
                ? string.Format(System.Globalization.CultureInfo.InvariantCulture, ContentSecurityPolicy, $" 'sha256-{hash}'")
                : DefaultPolicy;
            headers["Referrer-Policy"] = "same-origin";
            headers.XFrameOptions = "DENY";
            return Task.CompletedTask;
        });
        await next(context);
    });

    /// <summary>
    /// Refuses a hub handshake that a browser makes from a foreign page (<see cref="IsAllowedOrigin"/>).
    /// </summary>
    public static IApplicationBuilder UseHubOriginCheck(this IApplicationBuilder app, PathString hubPath) => app.Use(async (context, next) =>
    {
        if (context.Request.Path.StartsWithSegments(hubPath) && !IsAllowedOrigin(context))
        {
            context.Response.StatusCode = StatusCodes.Status403Forbidden;
            return;
        }
        await next(context);
    });

    /// <summary>
    /// The one origin rule, for hub handshakes and for every state-changing request: no <c>Origin</c> header, the server's
    /// own origin (the <c>Origin</c>'s host and port are the request's <c>Host</c>), or one listed in
    /// <c>LiveHub:Realtime:AllowedOrigins</c>. Browsers send Origin on every WebSocket handshake and every POST, PUT, PATCH
    /// and DELETE; clients without one (the .NET client, tools) are not browsers and carry no ambient cookie risk. An
    /// opaque origin (<c>null</c>, from a sandboxed frame or a privacy redirect) is foreign.
    /// </summary>
    public static bool IsAllowedOrigin(HttpContext context)
    {
        if (context.Request.Headers.Origin is not { Count: > 0 } header)
        {
            return true;
        }
        var origin = header.ToString();
        return IsSameOrigin(origin, context.Request)
            || context.RequestServices.GetRequiredService<IOptions<RealtimeOptions>>().Value.AllowedOrigins.Contains(origin, StringComparer.OrdinalIgnoreCase);
    }

    private static bool IsSameOrigin(string origin, HttpRequest request) =>
        Uri.TryCreate(origin, UriKind.Absolute, out var uri) &&
        string.Equals(uri.Authority, request.Host.Value, StringComparison.OrdinalIgnoreCase);
}
