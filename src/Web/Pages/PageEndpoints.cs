namespace LiveHub.Web.Pages;

/// <summary>The screens are static pages; their scripts read the event code from the path.</summary>
public static class PageEndpoints
{
    public static IEndpointRouteBuilder MapPages(this IEndpointRouteBuilder app)
    {
        app.MapGet("/", (IWebHostEnvironment env) => Page(env, "index.html"));
        app.MapGet("/e/{code}", (IWebHostEnvironment env) => Page(env, "audience.html"));
        app.MapGet("/e/{code}/moderator", (IWebHostEnvironment env) => Page(env, "moderator.html"));
        app.MapGet("/e/{code}/projector", (IWebHostEnvironment env) => Page(env, "projector.html"));
        app.MapGet("/e/{code}/report", (IWebHostEnvironment env) => Page(env, "report.html"));
        app.MapGet("/admin", (IWebHostEnvironment env) => Page(env, "admin.html"));
        return app;
    }

    private static IResult Page(IWebHostEnvironment env, string file)
    {
        var info = env.WebRootFileProvider.GetFileInfo(file);
        if (!info.Exists)
        {
            return Results.NotFound();
        }
        var etag = new Microsoft.Net.Http.Headers.EntityTagHeaderValue($"\"{info.LastModified.ToUnixTimeSeconds():x}-{info.Length:x}\"");
        return Results.File(info.CreateReadStream(), "text/html; charset=utf-8", lastModified: info.LastModified, entityTag: etag);
    }
}
