using LiveHub.Realtime;
using Microsoft.Net.Http.Headers;

namespace LiveHub.Web.Security;

/// <summary>
/// The defence against cross-site request forgery, in one place for every endpoint: a request that changes state (POST,
/// PUT, PATCH, DELETE, on any path but the hub's, which has its own handshake rules) must come from an allowed origin
/// (<see cref="SecurityHeaders.IsAllowedOrigin"/>, 403 otherwise) and speak JSON (415 otherwise).
/// <para>
/// Why both. A form on another page can post <c>text/plain</c>, urlencoded or multipart bodies with the victim's cookies and
/// no preflight; a request with <c>Content-Type: application/json</c> from another origin needs a CORS preflight, which
/// LiveHub never grants. SameSite cookies do not help against another origin of the same site (another port or sub-domain),
/// which is where the Origin check comes in; browsers send Origin on every such request. LiveHub has no HTML forms, so this
/// takes the place of ASP.NET Core's antiforgery tokens.
/// </para>
/// </summary>
public static class SameOriginWrites
{
    public static readonly HubError ForeignOrigin = new(ErrorCodes.Forbidden, "error.forbidden.origin",
        "A state-changing request from another origin is refused; only the server's own pages (and LiveHub:Realtime:AllowedOrigins) may send one.");

    public static readonly HubError NotJson = new(ErrorCodes.Invalid, "error.invalid.content_type",
        "A state-changing request must carry Content-Type: application/json (a DELETE may have no body).");

    public static IApplicationBuilder UseSameOriginWrites(this IApplicationBuilder app, PathString hubPath) => app.Use(async (context, next) =>
    {
        var request = context.Request;
        if (IsStateChanging(request.Method) && !request.Path.StartsWithSegments(hubPath))
        {
            if (!SecurityHeaders.IsAllowedOrigin(context))
            {
                context.Response.StatusCode = StatusCodes.Status403Forbidden;
                await context.Response.WriteAsJsonAsync(ForeignOrigin);
                return;
            }
            if (!SpeaksJson(request))
            {
                context.Response.StatusCode = StatusCodes.Status415UnsupportedMediaType;
                await context.Response.WriteAsJsonAsync(NotJson);
                return;
            }
        }
        await next(context);
    });

    private static bool IsStateChanging(string method) =>
        HttpMethods.IsPost(method) || HttpMethods.IsPut(method) || HttpMethods.IsPatch(method) || HttpMethods.IsDelete(method);

    /// <summary>POST, PUT and PATCH say <c>application/json</c> even without a body; a DELETE may send neither type nor body.</summary>
    private static bool SpeaksJson(HttpRequest request)
    {
        if (string.IsNullOrEmpty(request.ContentType))
        {
            return HttpMethods.IsDelete(request.Method) && request.ContentLength is null or 0 && request.Headers.TransferEncoding.Count == 0;
        }
        return MediaTypeHeaderValue.TryParse(request.ContentType, out var type)
            && type.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase);
    }
}
