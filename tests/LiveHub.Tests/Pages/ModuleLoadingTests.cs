using System.Text.RegularExpressions;
using LiveHub.Tests.Infrastructure;

namespace LiveHub.Tests.Pages;

[Collection(ServerCollection.Name)]
public sealed partial class ModuleLoadingTests(ServerFixture fixture)
{
    // Every part of a page split into modules is imported statically by its entry, so a plain-HTTP venue fetches them all
    // in one round trip instead of one per level of imports.
    [Theory]
    [InlineData("moderator", "/e/{code}/moderator")]
    [InlineData("projector", "/e/{code}/projector")]
    [InlineData("admin", "/admin")]
    public async Task APageRunsItsEntryModuleAndPreloadsEveryModuleOfItsFolder(string folder, string path)
    {
        var e = await fixture.Server.CreateEventAsync();
        using var http = new HttpClient { BaseAddress = fixture.Server.BaseUri };

        var html = await http.GetStringAsync(path.Replace("{code}", e.Code));

        Assert.Matches($@"<script type=""module"" src=""/js/{folder}/page\.[a-z0-9]+\.js""></script>", html);
        var preloaded = Preload().Matches(html).Select(m => m.Groups["path"].Value).ToHashSet();
        var modules = Directory.GetFiles(Path.Combine(Repo.Root, "src", "Web", "wwwroot", "js", folder), "*.js")
            .Select(f => $"/js/{folder}/" + Path.GetFileNameWithoutExtension(f))
            .ToList();
        Assert.NotEmpty(modules);
        Assert.All(modules, module => Assert.Contains(module, preloaded));
        Assert.DoesNotContain($"/js/{folder}", preloaded);
    }

    // A fingerprinted URL: /js/moderator/queue.k3x9a1b2c4.js preloads /js/moderator/queue.
    [GeneratedRegex(@"<link rel=""modulepreload"" href=""(?<path>/js/[^""]+?)\.[a-z0-9]{10}\.js"">")]
    private static partial Regex Preload();
}
