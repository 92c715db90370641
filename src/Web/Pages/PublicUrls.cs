using Microsoft.Extensions.Options;

namespace LiveHub.Web.Pages;

/// <summary>
/// The host's settings. Section <c>LiveHub:Web</c>, e.g. <code>{ "LiveHub": { "Web": { "PublicUrl": "https://live.example.org", "SignInAttemptsPerMinute": 10, "TrustedProxies": ["10.0.0.5"] } } }</code>
/// </summary>
public sealed class WebOptions
{
    public const string Section = "LiveHub:Web";

    /// <summary>The base URL printed in the QR code and the start-up log; when unset, the address of the request (or the server) is used.</summary>
    public string? PublicUrl { get; set; }

    /// <summary>Moderator sign-in attempts one network address may make per minute (passcode guessing).</summary>
    [System.ComponentModel.DataAnnotations.Range(1, 100_000)] public int SignInAttemptsPerMinute { get; set; } = 10;

    /// <summary>
    /// Reverse proxies on other machines (addresses or CIDR networks) whose <c>X-Forwarded-For</c> and <c>X-Forwarded-Proto</c>
    /// are believed; a proxy on the loopback always is.
    /// </summary>
    public string[] TrustedProxies { get; set; } = [];
}

/// <summary>Builds the three screens' URLs in one place.</summary>
public sealed class PublicUrls(IOptions<WebOptions> options)
{
    public string Base(HttpRequest? request, string? fallback = null) =>
        (options.Value.PublicUrl ?? (request is null ? fallback : $"{request.Scheme}://{request.Host}") ?? "http://localhost:5000").TrimEnd('/');

    public string Audience(HttpRequest? request, string code, string? fallback = null) => $"{Base(request, fallback)}/e/{code}";

    public string Moderator(HttpRequest? request, string code, string? fallback = null) => $"{Base(request, fallback)}/e/{code}/moderator";

    public string Projector(HttpRequest? request, string code, string? fallback = null) => $"{Base(request, fallback)}/e/{code}/projector";

    /// <summary>A room's own join URL: it leads to whatever session is live in the room.</summary>
    public string Room(HttpRequest? request, string roomCode, string? fallback = null) => $"{Base(request, fallback)}/r/{roomCode}";
}
