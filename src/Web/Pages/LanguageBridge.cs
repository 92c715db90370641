// Temporary: replaced by the event language rule (LiveHub.Events.InterfaceLanguage) when it lands.
namespace LiveHub.Events;

public sealed record EventLanguageSettings(string DefaultLanguage, bool FollowBrowserLanguage);

public static class InterfaceLanguage
{
    public enum PageKind { Person, Projector }

    public static string Resolve(string? query, string? person, EventLanguageSettings? e, string? acceptLanguage, PageKind page)
    {
        static bool Ok(string? l) => l is "id" or "en";
        if (Ok(query)) return query!;
        if (page == PageKind.Projector && e is not null) return e.DefaultLanguage;
        if (Ok(person)) return person!;
        if (e is null || e.FollowBrowserLanguage)
        {
            var a = (acceptLanguage ?? "").ToLowerInvariant();
            var id = Math.Max(a.IndexOf("id", StringComparison.Ordinal), a.IndexOf("in", StringComparison.Ordinal));
            var en = a.IndexOf("en", StringComparison.Ordinal);
            if (id >= 0 && (en < 0 || id < en)) return "id";
            if (en >= 0) return "en";
        }
        return e?.DefaultLanguage ?? "id";
    }
}
