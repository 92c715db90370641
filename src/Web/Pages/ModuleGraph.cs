using System.Text.RegularExpressions;
using Microsoft.Extensions.FileProviders;

namespace LiveHub.Web.Pages;

/// <summary>
/// The ES modules a page's script imports, read from the files themselves: the static imports, which the page
/// preloads (<c>modulepreload</c>, so a plain-HTTP venue does not pay one round trip per level of imports), and the
/// dynamic ones, loaded when needed. Both go into the page's import map, which points every module at its
/// fingerprinted URL. The styles and images the modules name ('css/….css', 'img/….svg') are the assets the page's
/// scripts look up at run time.
/// </summary>
public static partial class ModuleGraph
{
    public sealed record Graph(IReadOnlyList<string> Static, IReadOnlyList<string> Dynamic, IReadOnlySet<string> Assets);

    /// <summary>Every module reachable from <paramref name="entry"/> (e.g. "/js/audience.js"), as absolute paths.</summary>
    public static Graph Read(IFileProvider webRoot, string entry)
    {
        var statics = new List<string>();
        var dynamics = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var assets = new SortedSet<string>(StringComparer.Ordinal);
        var queue = new Queue<(string Path, bool Static)>();
        queue.Enqueue((entry, true));
        while (queue.Count > 0)
        {
            var (path, isStatic) = queue.Dequeue();
            if (!seen.Add(path))
            {
                // Reached statically after a dynamic import found it first: it is preloaded after all.
                if (isStatic && dynamics.Remove(path))
                {
                    statics.Add(path);
                }
                continue;
            }
            (isStatic ? statics : dynamics).Add(path);
            var file = webRoot.GetFileInfo(path.TrimStart('/'));
            if (!file.Exists)
            {
                throw new InvalidOperationException($"Module {path} is imported but does not exist in wwwroot.");
            }
            using var reader = new StreamReader(file.CreateReadStream());
            var source = reader.ReadToEnd();
            foreach (Match m in StaticImport().Matches(source))
            {
                queue.Enqueue((Resolve(path, m.Groups["spec"].Value), isStatic));
            }
            foreach (Match m in DynamicImport().Matches(source))
            {
                queue.Enqueue((Resolve(path, m.Groups["spec"].Value), false));
            }
            foreach (Match m in AssetPath().Matches(source))
            {
                assets.Add(m.Groups["path"].Value);
            }
        }
        dynamics.RemoveAll(statics.Contains);
        return new Graph(statics, dynamics, assets);
    }

    private static string Resolve(string from, string spec)
    {
        if (spec.StartsWith('/'))
        {
            return spec;
        }
        var baseUri = new Uri("http://x" + from);
        return new Uri(baseUri, spec).AbsolutePath;
    }

    // import x from '…'; import { a, b } from '…'; import '…'; export { a } from '…' (at the start of a line).
    [GeneratedRegex(@"^(?:import\s*|(?:import|export)\b[^;'""]*?\bfrom\s*)['""](?<spec>[^'""]+\.js)['""]", RegexOptions.Multiline)]
    private static partial Regex StaticImport();

    [GeneratedRegex(@"\bimport\(\s*['""](?<spec>[^'""]+\.js)['""]\s*\)")]
    private static partial Regex DynamicImport();

    [GeneratedRegex(@"['""`](?<path>(?:css/[\w.-]+\.css|img/[\w.-]+\.svg))['""`]")]
    private static partial Regex AssetPath();
}
