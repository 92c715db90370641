using LiveHub.Events;

namespace LiveHub.Web.Pages;

/// <summary>
/// One screen: its template (an embedded HTML file), the script that runs it, the string families it shows (each page
/// receives only its own strings, in one language) and whether the organizer's strings come on top.
/// </summary>
public sealed record PageDefinition(string Name, string Template, PageKind Kind, IReadOnlyList<string> StringFamilies, bool Organizer = false)
{
    /// <summary>Whether a string key belongs to this page ("*" takes every shared key).</summary>
    public bool Wants(string key) =>
        StringFamilies.Any(f => f == "*" || key == f || key.StartsWith(f + ".", StringComparison.Ordinal));
}

/// <summary>The screens LiveHub serves.</summary>
public static class PageCatalog
{
    private static readonly string[] Common = ["app", "lang", "loading", "home.link", "skip", "status", "time"];

    // The errors a phone can meet (anything else reads as the generic error): not a moderator's or an organizer's.
    private static readonly string[] AudienceErrors =
    [
        "error.generic", "error.offline", "error.unavailable", "error.slow_down", "error.not_found", "error.text_too_long",
        "error.text_empty", "error.text_invalid", "error.name_too_long", "error.session_ended", "error.invalid.client_id", "error.invalid.request",
        "error.poll_closed", "error.poll_time_up", "error.too_many_words", "error.invalid.choices", "error.invalid.reaction",
    ];

    public static readonly PageDefinition Home = new("home", "index.html", PageKind.Start, [.. Common, "home", .. AudienceErrors]);

    public static readonly PageDefinition Audience = new("audience", "audience.html", PageKind.Audience,
    [
        .. Common, .. AudienceErrors, "session", "question", "ask", "list", "sort", "mine", "outbox", "announce", "announcement",
        "agenda", "follow", "badge", "reply", "reaction", "poll", "offline",
    ]);

    public static readonly PageDefinition Projector = new("projector", "projector.html", PageKind.Projector,
        [.. Common, "error.generic", "error.not_found", "error.unavailable", "session", "question", "badge", "reply", "proj", "poll", "announcement", "reaction"]);

    public static readonly PageDefinition Moderator = new("moderator", "moderator.html", PageKind.Moderator, ["*"]);

    public static readonly PageDefinition Report = new("report", "report.html", PageKind.Report, ["*"], Organizer: true);

    public static readonly PageDefinition Admin = new("admin", "admin.html", PageKind.Admin, ["*"], Organizer: true);

    public static readonly IReadOnlyList<PageDefinition> All = [Home, Audience, Projector, Moderator, Report, Admin];

    public static PageDefinition? Find(string name) => All.FirstOrDefault(p => p.Name == name);
}
