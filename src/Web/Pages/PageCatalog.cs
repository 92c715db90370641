namespace LiveHub.Web.Pages;

/// <summary>How a page picks its language (see <see cref="LiveHub.Events.InterfaceLanguage"/>).</summary>
public enum PageAudience
{
    /// <summary>A page with no event: the person's choice, else the browser's.</summary>
    NoEvent,

    /// <summary>An event's page for a person: their own choice, else the event's rule.</summary>
    Person,

    /// <summary>The room's projector: the event's language, whoever's browser shows it.</summary>
    Projector,
}

/// <summary>
/// One screen: its template (an embedded HTML file), the script that runs it, the string families it shows (each page
/// receives only its own strings, in one language) and whether the organizer's strings come on top.
/// </summary>
public sealed record PageDefinition(string Name, string Template, PageAudience Audience, IReadOnlyList<string> StringFamilies, bool Organizer = false)
{
    /// <summary>Whether a string key belongs to this page ("*" takes every shared key).</summary>
    public bool Wants(string key) =>
        StringFamilies.Any(f => f == "*" || key == f || key.StartsWith(f + ".", StringComparison.Ordinal));
}

/// <summary>The screens LiveHub serves.</summary>
public static class PageCatalog
{
    private static readonly string[] Common = ["app", "lang", "loading", "home.link", "skip", "status", "time", "error"];

    public static readonly PageDefinition Home = new("home", "index.html", PageAudience.NoEvent, [.. Common, "home"]);

    public static readonly PageDefinition Audience = new("audience", "audience.html", PageAudience.Person,
    [
        .. Common, "session", "question", "ask", "list", "sort", "mine", "outbox", "announce", "announcement", "agenda",
        "follow", "badge", "reply", "reaction", "poll", "offline",
    ]);

    public static readonly PageDefinition Projector = new("projector", "projector.html", PageAudience.Projector,
        [.. Common, "session", "question", "badge", "reply", "proj", "poll", "announcement", "reaction"]);

    public static readonly PageDefinition Moderator = new("moderator", "moderator.html", PageAudience.Person, ["*"]);

    public static readonly PageDefinition Report = new("report", "report.html", PageAudience.Person, ["*"], Organizer: true);

    public static readonly PageDefinition Admin = new("admin", "admin.html", PageAudience.NoEvent, ["*"], Organizer: true);

    public static readonly IReadOnlyList<PageDefinition> All = [Home, Audience, Projector, Moderator, Report, Admin];

    public static PageDefinition? Find(string name) => All.FirstOrDefault(p => p.Name == name);
}
