using System.Collections.Frozen;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace LiveHub.Web.Pages;

/// <summary>
/// Every string the pages show, one dictionary per language (embedded <c>Strings/{lang}.json</c>, with the organizer's
/// pages' own on top from <c>Strings/organizer.{lang}.json</c>), cut per page: a page receives only its own strings, in
/// one language. Keys ending in ".one" / ".other" are plural forms; server errors carry a messageKey looked up here too.
/// </summary>
public sealed class PageStrings
{
    public static readonly IReadOnlyList<string> Languages = ["id", "en"];

    private readonly FrozenDictionary<(string Page, string Lang), FrozenDictionary<string, string>> _byPage;
    private readonly FrozenDictionary<(string Page, string Lang), string> _json;

    public PageStrings()
    {
        var byPage = new Dictionary<(string, string), FrozenDictionary<string, string>>();
        var json = new Dictionary<(string, string), string>();
        foreach (var lang in Languages)
        {
            var shared = Load($"{lang}.json");
            var organizer = Load($"organizer.{lang}.json");
            foreach (var page in PageCatalog.All)
            {
                var strings = new Dictionary<string, string>(StringComparer.Ordinal);
                foreach (var (key, value) in shared)
                {
                    if (page.Wants(key))
                    {
                        strings[key] = value;
                    }
                }
                if (page.Organizer)
                {
                    foreach (var (key, value) in organizer)
                    {
                        strings[key] = value;
                    }
                }
                byPage[(page.Name, lang)] = strings.ToFrozenDictionary(StringComparer.Ordinal);
                json[(page.Name, lang)] = JsonSerializer.Serialize(strings);
            }
        }
        _byPage = byPage.ToFrozenDictionary();
        _json = json.ToFrozenDictionary();
        Version = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(string.Concat(_json.OrderBy(p => p.Key.ToString()).Select(p => p.Value)))))[..12];
    }

    /// <summary>Changes whenever any string changes: the strings' URLs carry it, so a browser keeps them for good.</summary>
    public string Version { get; }

    public static bool IsLanguage(string? lang) => lang is not null && Languages.Contains(lang);

    public IReadOnlyDictionary<string, string> For(PageDefinition page, string lang) => _byPage[(page.Name, lang)];

    /// <summary>The page's strings in one language as JSON (what the page's data block and the switch carry).</summary>
    public string Json(PageDefinition page, string lang) => _json[(page.Name, lang)];

    /// <summary>Where a page fetches its strings in another language from.</summary>
    public string Url(PageDefinition page, string lang) => $"/strings/{page.Name}.{lang}.json?v={Version}";

    /// <summary>A string, or the key itself when the page has none (the browser tests' screen check catches that).</summary>
    public string Text(PageDefinition page, string lang, string key) => For(page, lang).TryGetValue(key, out var s) ? s : key;

    private static Dictionary<string, string> Load(string name)
    {
        var resource = $"LiveHub.Web.Strings.{name}";
        using var stream = typeof(PageStrings).Assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"Embedded strings {resource} not found.");
        return JsonSerializer.Deserialize<Dictionary<string, string>>(stream)
            ?? throw new InvalidOperationException($"Embedded strings {resource} are empty.");
    }
}
