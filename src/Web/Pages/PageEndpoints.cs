using LiveHub.Events;
using LiveHub.Identity;
using LiveHub.Web.Security;
using Microsoft.Net.Http.Headers;

namespace LiveHub.Web.Pages;

/// <summary>
/// The screens, rendered by the server in the language it decides (see <see cref="InterfaceLanguage"/>) with the
/// event's name in place; their scripts read the event code from the path. Each page's strings in the other language
/// are served for its language switch.
/// </summary>
public static class PageEndpoints
{
    public static IServiceCollection AddPages(this IServiceCollection services)
    {
        services.AddSingleton<PageStrings>();
        services.AddSingleton<PageRenderer>();
        services.AddSingleton<LiveHub.Admin.IEventCache>(sp => sp.GetRequiredService<PageRenderer>());
        return services;
    }

    public static IEndpointRouteBuilder MapPages(this IEndpointRouteBuilder endpoints)
    {
        // Pages are public: what a page may show is decided by the API and the hub it calls.
        var app = endpoints.MapGroup("").AllowAnyone();
        app.MapGet("/", (HttpContext http, PageRenderer renderer) =>
            Page(http, renderer, PageCatalog.Home, Language(http, PageCatalog.Home, null), null, null));
        app.MapGet("/admin", (HttpContext http, PageRenderer renderer) =>
            Page(http, renderer, PageCatalog.Admin, Language(http, PageCatalog.Admin, null), null, null));
        app.MapGet("/e/{code}", EventPage(PageCatalog.Audience));
        app.MapGet("/e/{code}/moderator", EventPage(PageCatalog.Moderator));
        app.MapGet("/e/{code}/projector", EventPage(PageCatalog.Projector));
        app.MapGet("/e/{code}/report", EventPage(PageCatalog.Report));

        // The phone page can be installed: its own manifest, so the installed page opens on the event.
        app.MapGet("/e/{code}/app.webmanifest", async (string code, EventLanguages languages, CancellationToken ct) =>
        {
            var e = await languages.FindPageAsync(code, ct);
            if (e is null)
            {
                return Results.NotFound();
            }
            var start = $"/e/{Uri.EscapeDataString(code.ToUpperInvariant())}";
            return Results.Json(new
            {
                name = e.Name,
                short_name = "LiveHub",
                start_url = start,
                scope = "/",
                display = "standalone",
                background_color = "#eef2f6",
                theme_color = "#0b5394",
                lang = e.Settings.DefaultLanguage,
                icons = new[] { new { src = "/img/icon.svg", sizes = "any", type = "image/svg+xml", purpose = "any" } },
            }, contentType: "application/manifest+json");
        });

        // A page's strings in one language, for its language switch: the URL carries the strings' version, so it is kept for good.
        app.MapGet("/strings/{file}", (string file, string? v, HttpContext http, PageStrings strings) =>
        {
            var parts = file.Split('.');
            var page = parts.Length == 3 && parts[2] == "json" ? PageCatalog.Find(parts[0]) : null;
            if (page is null || !PageStrings.IsLanguage(parts[1]))
            {
                return Results.NotFound();
            }
            http.Response.Headers.CacheControl = v == strings.Version ? "public, max-age=31536000, immutable" : "no-cache";
            return Results.Text(strings.Json(page, parts[1]), "application/json; charset=utf-8");
        });
        return endpoints;
    }

    private static Delegate EventPage(PageDefinition page) =>
        async (string code, HttpContext http, PageRenderer renderer, EventLanguages languages, CancellationToken ct) =>
        {
            var e = await languages.FindPageAsync(code, ct);
            return Page(http, renderer, page, Language(http, page, e?.Settings), code.ToUpperInvariant(), e?.Name);
        };

    private static string Language(HttpContext http, PageDefinition page, EventLanguageSettings? settings) =>
        InterfaceLanguage.Resolve(
            http.Request.Query["lang"].FirstOrDefault(),
            http.Request.Cookies[CookieNames.Language],
            settings,
            http.Request.Headers.AcceptLanguage.ToString(),
            page.Kind);

    private static IResult Page(HttpContext http, PageRenderer renderer, PageDefinition page, string lang, string? code, string? eventName)
    {
        var bytes = renderer.Bytes(page, lang, code, eventName);
        var headers = http.Response.Headers;
        headers.CacheControl = "no-cache";
        headers.ContentLanguage = lang;
        headers.Vary = "Cookie, Accept-Language, Accept-Encoding";
        headers.ETag = bytes.ETag;
        if (bytes.ImportMapHash.Length > 0)
        {
            http.Items[Security.SecurityHeaders.ScriptHashItem] = bytes.ImportMapHash;
        }
        if (http.Request.Headers.IfNoneMatch.ToString() == bytes.ETag)
        {
            return Results.StatusCode(StatusCodes.Status304NotModified);
        }
        var accepts = http.Request.Headers.AcceptEncoding.ToString();
        var (body, encoding) = accepts.Contains("br", StringComparison.OrdinalIgnoreCase) ? (bytes.Brotli, "br")
            : accepts.Contains("gzip", StringComparison.OrdinalIgnoreCase) ? (bytes.Gzip, "gzip")
            : (bytes.Html, null);
        if (encoding is not null)
        {
            headers.ContentEncoding = encoding;
        }
        return Results.Bytes(body, "text/html; charset=utf-8");
    }
}
