using LiveHub.Data.Events;
using Microsoft.Net.Http.Headers;

namespace LiveHub.Events;

/// <summary>The kind of page a language is chosen for: the projector is the room's screen, not one person's.</summary>
public enum PageKind
{
    Start,
    Audience,
    Moderator,
    Projector,
    Report,
    Admin,
}

/// <summary>What an event says about its pages' language: its default, and whether each browser's preference wins over it.</summary>
public sealed record EventLanguageSettings(string DefaultLanguage, bool FollowBrowserLanguage)
{
    public static EventLanguageSettings Of(EventRow e) => new(e.DefaultLanguage, e.FollowBrowserLanguage);
}

/// <summary>
/// The one rule for the language a page is rendered in. The interface speaks Bahasa Indonesia and English; many phones at an
/// Indonesian seminar run in English, so the organizer decides per event whether the browser's preference counts at all.
/// </summary>
public static class InterfaceLanguage
{
    public const string Indonesian = "id";
    public const string English = "en";

    /// <summary>The interface languages, the default first.</summary>
    public static IReadOnlyList<string> Supported { get; } = [Indonesian, English];

    /// <summary>Whether a stored or requested value names an interface language exactly (<c>id</c> or <c>en</c>).</summary>
    public static bool IsSupported(string? language) => language is Indonesian or English;

    /// <summary>
    /// The language of one page:
    /// <list type="number">
    /// <item>a valid <paramref name="queryLang"/> (<c>?lang=</c>, this visit only);</item>
    /// <item>the person's remembered choice (<paramref name="personChoice"/>, the language cookie), except on the projector:
    /// it speaks the event's default language whatever the event's browser setting (the browser's language only when it has
    /// no event);</item>
    /// <item>when the event follows the browser, or there is no event (start page, admin), the best of <c>id</c> and <c>en</c>
    /// in <paramref name="acceptLanguage"/>, else the event's default (<c>id</c> without an event);</item>
    /// <item>otherwise the event's default language.</item>
    /// </list>
    /// </summary>
    /// <param name="languageSettings">The event's settings (see <see cref="EventLanguages"/>); null for pages without an event.</param>
    public static string Resolve(string? queryLang, string? personChoice, EventLanguageSettings? languageSettings, string? acceptLanguage, PageKind page)
    {
        if (Normalize(queryLang) is { } asked)
        {
            return asked;
        }
        var fallback = languageSettings is not null && IsSupported(languageSettings.DefaultLanguage) ? languageSettings.DefaultLanguage : Indonesian;
        if (page == PageKind.Projector)
        {
            // The room's screen: whoever last used the kiosk's browser does not choose for the whole audience.
            return languageSettings is null ? FromAcceptLanguage(acceptLanguage, fallback) : fallback;
        }
        if (Normalize(personChoice) is { } chosen)
        {
            return chosen;
        }
        return languageSettings is null || languageSettings.FollowBrowserLanguage ? FromAcceptLanguage(acceptLanguage, fallback) : fallback;
    }

    /// <summary><c>id</c> or <c>en</c> written in any case, with spaces around; null for anything else.</summary>
    public static string? Normalize(string? language) => language?.Trim().ToLowerInvariant() switch
    {
        Indonesian => Indonesian,
        English => English,
        _ => null,
    };

    /// <summary>
    /// The interface language an Accept-Language header prefers: the higher quality wins, then the earlier entry; regional tags
    /// count for their language (<c>en-GB</c> is English), <c>in</c> is the old code for Indonesian, <c>*</c> stands for a
    /// language the header does not name, and <c>q=0</c> refuses one. <paramref name="fallback"/> when neither is acceptable.
    /// </summary>
    public static string FromAcceptLanguage(string? header, string fallback)
    {
        if (string.IsNullOrWhiteSpace(header) || !StringWithQualityHeaderValue.TryParseList([header], out var ranges))
        {
            return fallback;
        }
        (double Quality, int Position)? indonesian = null, english = null, any = null;
        for (var i = 0; i < ranges.Count; i++)
        {
            var quality = ranges[i].Quality ?? 1.0;
            var tag = ranges[i].Value.Value ?? "";
            var primary = tag.Split('-', '_')[0].ToLowerInvariant();
            switch (primary)
            {
                case "id" or "in":
                    indonesian = Better(indonesian, (quality, i));
                    break;
                case "en":
                    english = Better(english, (quality, i));
                    break;
                case "*":
                    any ??= (quality, i);
                    break;
            }
        }
        var id = indonesian ?? any;
        var en = english ?? any;
        var idAcceptable = id is { Quality: > 0 };
        var enAcceptable = en is { Quality: > 0 };
        if (idAcceptable && enAcceptable)
        {
            var (a, b) = (id!.Value, en!.Value);
            if (a.Quality != b.Quality)
            {
                return a.Quality > b.Quality ? Indonesian : English;
            }
            // Same quality: the entry written first wins; both standing in through "*" leaves it to the event.
            return a.Position == b.Position ? fallback : a.Position < b.Position ? Indonesian : English;
        }
        return idAcceptable ? Indonesian : enAcceptable ? English : fallback;
    }

    private static (double Quality, int Position) Better((double Quality, int Position)? current, (double Quality, int Position) next) =>
        current is { } c && c.Quality >= next.Quality ? c : next;
}
