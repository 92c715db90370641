namespace LiveHub.Web.Pages;

/// <summary>
/// A person who follows a dead link (an old room QR code, a mistyped address) gets a small page in both languages with a
/// way back to the start, not the browser's own error. Only a GET that asks for HTML outside the machine paths gets it:
/// the API keeps its typed errors, and the hub, health checks and metrics their plain answers.
/// </summary>
public static class NotFoundPage
{
    private const string File = "not-found.html";

    private static readonly PathString[] MachinePaths = ["/api", WebSetup.HubPath, "/health", "/metrics"];

    /// <summary>Status code pages only fill a response nobody wrote a body for, so an API's JSON 404 stays as it is.</summary>
    public static IApplicationBuilder UseNotFoundPage(this IApplicationBuilder app) => app.UseStatusCodePages(async context =>
    {
        var http = context.HttpContext;
        if (http.Response.StatusCode != StatusCodes.Status404NotFound || !IsNavigation(http.Request))
        {
            return;
        }
        var page = http.RequestServices.GetRequiredService<IWebHostEnvironment>().WebRootFileProvider.GetFileInfo(File);
        if (!page.Exists)
        {
            return;
        }
        http.Response.ContentType = "text/html; charset=utf-8";
        http.Response.Headers.CacheControl = "no-cache";
        await http.Response.SendFileAsync(page, http.RequestAborted);
    });

    private static bool IsNavigation(HttpRequest request) =>
        HttpMethods.IsGet(request.Method) &&
        !MachinePaths.Any(p => request.Path.StartsWithSegments(p)) &&
        request.GetTypedHeaders().Accept.Any(a => a.MediaType.Equals("text/html", StringComparison.OrdinalIgnoreCase));
}
