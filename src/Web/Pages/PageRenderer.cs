using System.Collections.Concurrent;
using System.Globalization;
using System.IO.Compression;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using LiveHub.Events;
using LiveHub.Questions;
using LiveHub.Realtime;
using Microsoft.Extensions.Options;

namespace LiveHub.Web.Pages;

/// <summary>
/// Renders a screen's HTML on the server, once per page and language: the static text in that language (so the first
/// paint, before any script runs, already reads right), the page's strings in a JSON data block, fingerprinted asset
/// URLs, an import map that points every module at its fingerprinted URL, and <c>modulepreload</c> for the modules the
/// page imports. Per request only the event's name is filled in.
/// </summary>
public sealed partial class PageRenderer(
    IWebHostEnvironment env, PageStrings strings, IOptions<RealtimeOptions> realtime, IOptions<QuestionOptions> questions) : LiveHub.Admin.IEventCache
{
    private const string NameAttrSlot = "\u0001name-attr\u0001";
    private const string NameTextSlot = "\u0001name-text\u0001";
    private const string TitleSlot = "\u0001title\u0001";
    private const string CodeSlot = "\u0001code\u0001";

    private readonly ConcurrentDictionary<(string Page, string Lang), RenderedPage> _cache = new();
    private readonly Lazy<StaticAssetMap> _assets = new(() => StaticAssetMap.Load(StaticAssetMap.ManifestPath(env)));

    public StaticAssetMap Assets => _assets.Value;

    /// <summary>A page in one language, ready but for the event's name.</summary>
    public sealed record RenderedPage(string Html, string ImportMapHash, string FallbackTitle, string FallbackNameKey, string FallbackName);

    public RenderedPage Render(PageDefinition page, string lang) => _cache.GetOrAdd((page.Name, lang), _ => Build(page, lang));

    /// <summary>A page ready to send: its bytes, compressed both ways once (at the smallest size), and its entity tag.</summary>
    public sealed record PageBytes(byte[] Html, byte[] Gzip, byte[] Brotli, string ETag, string ImportMapHash);

    private readonly ConcurrentDictionary<(string Page, string Lang, string? Code, string? Name), PageBytes> _bytes = new();

    /// <summary>
    /// The page as sent, compressed once per page, language and event name: a hall of phones opening it at once costs
    /// one compression, not one each.
    /// </summary>
    public PageBytes Bytes(PageDefinition page, string lang, string? code, string? eventName)
    {
        if (_bytes.TryGetValue((page.Name, lang, code, eventName), out var hit))
        {
            return hit;
        }
        if (_bytes.Count > 2_000)
        {
            _bytes.Clear(); // renamed or many events: start over rather than grow without bound
        }
        var rendered = Render(page, lang);
        var html = Encoding.UTF8.GetBytes(Fill(rendered, code, eventName));
        var bytes = new PageBytes(html, Compress(html, s => new GZipStream(s, CompressionLevel.SmallestSize)),
            Compress(html, s => new BrotliStream(s, CompressionLevel.SmallestSize)),
            $"\"{Convert.ToHexStringLower(SHA256.HashData(html))[..20]}\"", rendered.ImportMapHash);
        return _bytes[(page.Name, lang, code, eventName)] = bytes;
    }

    /// <summary>A deleted event's pages (its name inside) are dropped; the next request renders the page of an unknown code.</summary>
    public void Forget(LiveHub.Admin.DeletedEvent deleted)
    {
        foreach (var key in _bytes.Keys)
        {
            if (key.Code is not null && LiveHub.Events.JoinCode.Normalize(key.Code) == deleted.Code)
            {
                _bytes.TryRemove(key, out _);
            }
        }
    }

    private static byte[] Compress(byte[] data, Func<Stream, Stream> compressor)
    {
        using var output = new MemoryStream();
        using (var stream = compressor(output))
        {
            stream.Write(data);
        }
        return output.ToArray();
    }

    /// <summary>The page's final HTML, with the event's name (when there is an event) in its title and heading.</summary>
    public static string Fill(RenderedPage rendered, string? code, string? eventName)
    {
        var html = new StringBuilder(rendered.Html).Replace(CodeSlot, Uri.EscapeDataString(code ?? ""));
        if (eventName is null)
        {
            html.Replace(NameAttrSlot, $" data-i18n=\"{rendered.FallbackNameKey}\"")
                .Replace(NameTextSlot, WebUtility.HtmlEncode(rendered.FallbackName))
                .Replace(TitleSlot, WebUtility.HtmlEncode(rendered.FallbackTitle));
        }
        else
        {
            var name = WebUtility.HtmlEncode(eventName);
            html.Replace(NameAttrSlot, " dir=\"auto\"").Replace(NameTextSlot, name).Replace(TitleSlot, $"{name} · LiveHub");
        }
        return html.ToString();
    }

    private RenderedPage Build(PageDefinition page, string lang)
    {
        var template = ReadTemplate(page.Template);
        var text = strings.For(page, lang);
        var limits = Limits(page);
        var culture = CultureInfo.GetCultureInfo(lang);
        // A string states a limit by its name ({joinCodeLength}), filled here as the pages' t() fills it.
        string T(string key) => !text.TryGetValue(key, out var s) ? key
            : Placeholder().Replace(s, m => limits.TryGetValue(m.Groups["name"].Value, out var n) ? n.ToString("N0", culture) : m.Value);

        var html = HtmlLang().Replace(template, $"<html lang=\"{lang}\"", 1).Replace("{code}", CodeSlot, StringComparison.Ordinal);
        // Markup states a limit the same way: maxlength="{limits.joinCodeLength}".
        html = LimitSlot().Replace(html, m => limits.TryGetValue(m.Groups["name"].Value, out var n)
            ? n.ToString(CultureInfo.InvariantCulture)
            : throw new InvalidOperationException($"{page.Template} names an unknown limit {m.Value}."));

        // The element that shows the event's name: filled per request; without an event it keeps its own text.
        var fallbackKey = "";
        var fallbackName = "";
        html = FillElement().Replace(html, m =>
        {
            var attrs = m.Groups["attrs"].Value;
            var key = I18nKey().Match(attrs);
            fallbackKey = key.Success ? key.Groups["key"].Value : "app.name";
            fallbackName = T(fallbackKey);
            attrs = I18nKey().Replace(attrs, "");
            return $"<{m.Groups["tag"].Value}{attrs}{NameAttrSlot}>{NameTextSlot}</{m.Groups["tag"].Value}>";
        });
        html = TitleTag().Replace(html, $"<title>{TitleSlot}</title>", 1);

        html = TextKey().Replace(html, m => $"{m.Groups["open"].Value}{WebUtility.HtmlEncode(T(m.Groups["key"].Value))}{m.Groups["close"].Value}");
        html = AttrKeys().Replace(html, m =>
        {
            var tag = m.Value;
            foreach (var pair in m.Groups["pairs"].Value.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                var parts = pair.Split(':', 2, StringSplitOptions.TrimEntries);
                if (parts.Length == 2)
                {
                    tag = SetAttribute(tag, parts[0], WebUtility.HtmlEncode(T(parts[1])));
                }
            }
            return tag;
        });

        // Modules: the entry script's static imports are preloaded; static and dynamic ones go into the import map.
        var entry = ModuleScript().Match(html);
        var head = new StringBuilder();
        var importMapHash = "";
        IReadOnlySet<string> assets = new HashSet<string>();
        if (entry.Success)
        {
            var graph = ModuleGraph.Read(env.WebRootFileProvider, entry.Groups["src"].Value);
            assets = graph.Assets;
            // The entry itself comes by its script tag, already fingerprinted: no module imports it.
            var imports = graph.Static.Skip(1).Concat(graph.Dynamic).ToDictionary(m => m, m => Assets.Url(m));
            var importMap = JsonSerializer.Serialize(new { imports });
            importMapHash = Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(importMap)));
            head.Append("  <script type=\"importmap\">").Append(importMap).Append("</script>\n");
            foreach (var module in graph.Static)
            {
                head.Append("  <link rel=\"modulepreload\" href=\"").Append(Assets.Url(module)).Append("\">\n");
            }
        }
        head.Append("  <script type=\"application/json\" id=\"lh-page\">").Append(PageData(page, lang, assets)).Append("</script>\n");
        html = html.Replace("</head>", head + "</head>", StringComparison.Ordinal);
        html = AssetUrl().Replace(html, m => $"{m.Groups["attr"].Value}=\"{Assets.Url(m.Groups["url"].Value)}\"");

        return new RenderedPage(html, importMapHash, $"{T("app.name")}", fallbackKey, fallbackName);
    }

    /// <summary>
    /// What the page's scripts read before anything else: its language and strings, the fingerprinted URLs of the assets
    /// its modules look up (<paramref name="used"/>, only those), and the server's settings they follow (keep-alive,
    /// input limits).
    /// </summary>
    private string PageData(PageDefinition page, string lang, IReadOnlySet<string> used)
    {
        var languages = PageStrings.Languages.ToDictionary(l => l, l => strings.Url(page, l));
        var assets = Assets.Paths.Where(used.Contains).ToDictionary(p => p, Assets.Url);
        var rest = JsonSerializer.Serialize(new
        {
            page = page.Name,
            lang,
            languages,
            assets,
            keepAliveMs = realtime.Value.KeepAliveSeconds * 1000,
            // The same limits the event snapshot carries, so the first paint already shows them (and the organizer's own).
            limits = Limits(page),
        }, JsonSerializerOptions.Web);
        // The strings are already JSON (escaped for HTML by the serializer); they join the object as one more member.
        return string.Concat("{\"strings\":", strings.Json(page, lang), ",", rest.AsSpan(1));
    }

    /// <summary>The limits a page states: the event snapshot's, and on the organizer's pages those of an event definition.</summary>
    private Dictionary<string, int> Limits(PageDefinition page)
    {
        IEnumerable<object> sources = page.Organizer
            ? [ClientLimits.From(questions.Value), LiveHub.Admin.OrganizerLimits.Current]
            : [ClientLimits.From(questions.Value)];
        return sources.SelectMany(s => JsonSerializer.SerializeToElement(s, JsonSerializerOptions.Web).EnumerateObject())
            .ToDictionary(p => p.Name, p => p.Value.GetInt32());
    }

    private static string ReadTemplate(string name)
    {
        var resource = $"LiveHub.Web.Pages.Templates.{name}";
        using var stream = typeof(PageRenderer).Assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"Page template {resource} is not embedded.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    private static string SetAttribute(string tag, string name, string value)
    {
        var existing = new Regex($@"\s{Regex.Escape(name)}=""[^""]*""");
        var attribute = $" {name}=\"{value}\"";
        if (existing.IsMatch(tag))
        {
            return existing.Replace(tag, attribute, 1);
        }
        var end = tag.EndsWith("/>", StringComparison.Ordinal) ? tag.Length - 2 : tag.Length - 1;
        return tag.Insert(end, attribute);
    }

    [GeneratedRegex(@"\{(?<name>\w+)\}")]
    private static partial Regex Placeholder();

    [GeneratedRegex(@"\{limits\.(?<name>\w+)\}")]
    private static partial Regex LimitSlot();

    [GeneratedRegex(@"<html lang=""[^""]*""")]
    private static partial Regex HtmlLang();

    [GeneratedRegex(@"<title>[^<]*</title>")]
    private static partial Regex TitleTag();

    [GeneratedRegex(@"<(?<tag>[a-z0-9]+)(?<attrs>\s[^>]*?data-fill=""event-name""[^>]*)>[^<]*</\k<tag>>")]
    private static partial Regex FillElement();

    [GeneratedRegex(@"\sdata-(?:i18n|ta)=""(?<key>[^""]+)""")]
    private static partial Regex I18nKey();

    // An element whose whole content is one string: <p data-i18n="key">…</p> (data-ta on the organizer's pages).
    [GeneratedRegex(@"(?<open><(?<tag>[a-z0-9]+)\s[^>]*?data-(?:i18n|ta)=""(?<key>[^""]+)""[^>]*>)[^<]*(?<close></\k<tag>>)")]
    private static partial Regex TextKey();

    [GeneratedRegex(@"<[a-z0-9]+\s[^>]*?data-(?:i18n|ta)-attr=""(?<pairs>[^""]+)""[^>]*>")]
    private static partial Regex AttrKeys();

    [GeneratedRegex(@"<script type=""module"" src=""(?<src>/js/[^""]+\.js)""")]
    private static partial Regex ModuleScript();

    [GeneratedRegex(@"(?<attr>href|src)=""(?<url>/(?:css|js|lib|img)/[^""]+)""")]
    private static partial Regex AssetUrl();
}
