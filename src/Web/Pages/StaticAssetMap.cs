using System.Text.Json;

namespace LiveHub.Web.Pages;

/// <summary>
/// The fingerprinted URL of every file in wwwroot, read from the static web assets manifest that the build writes and
/// <c>MapStaticAssets</c> serves from: <c>js/audience.js</c> → <c>/js/audience.k3x9a1b2c4.js</c>, compressed at build time
/// and cached by browsers for good, so a repeat visit asks for nothing that has not changed.
/// </summary>
public sealed class StaticAssetMap
{
    private readonly Dictionary<string, string> _routes;

    private StaticAssetMap(Dictionary<string, string> routes) => _routes = routes;

    /// <summary>The manifest <c>MapStaticAssets</c> reads, beside the application's assembly.</summary>
    public static string ManifestPath(IWebHostEnvironment env) =>
        Path.Combine(AppContext.BaseDirectory, $"{env.ApplicationName}.staticwebassets.endpoints.json");

    public static StaticAssetMap Load(string manifestPath)
    {
        var routes = new Dictionary<string, string>(StringComparer.Ordinal);
        if (!File.Exists(manifestPath))
        {
            return new StaticAssetMap(routes);
        }
        using var stream = File.OpenRead(manifestPath);
        using var doc = JsonDocument.Parse(stream);
        foreach (var endpoint in doc.RootElement.GetProperty("Endpoints").EnumerateArray())
        {
            // The identity (uncompressed) endpoint of a fingerprinted route: its label is the file's own path.
            if (endpoint.GetProperty("Selectors").GetArrayLength() > 0)
            {
                continue;
            }
            string? label = null;
            var fingerprinted = false;
            foreach (var property in endpoint.GetProperty("EndpointProperties").EnumerateArray())
            {
                switch (property.GetProperty("Name").GetString())
                {
                    case "label":
                        label = property.GetProperty("Value").GetString();
                        break;
                    case "fingerprint":
                        fingerprinted = true;
                        break;
                }
            }
            var route = endpoint.GetProperty("Route").GetString();
            if (fingerprinted && label is not null && route is not null && route != label && !route.EndsWith(".gz", StringComparison.Ordinal)
                && !route.EndsWith(".br", StringComparison.Ordinal))
            {
                routes[label] = "/" + route;
            }
        }
        return new StaticAssetMap(routes);
    }

    /// <summary>The URL to serve a wwwroot file by: fingerprinted when the build fingerprinted it, else its own path.</summary>
    public string Url(string path)
    {
        var key = path.TrimStart('/');
        return _routes.TryGetValue(key, out var route) ? route : "/" + key;
    }

    public bool IsFingerprinted(string path) => _routes.ContainsKey(path.TrimStart('/'));

    public IEnumerable<string> Paths => _routes.Keys;
}
