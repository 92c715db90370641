using System.Text.RegularExpressions;
using LiveHub.Tests.Infrastructure;

namespace LiveHub.Tests.Pages;

[Collection(ServerCollection.Name)]
public sealed partial class ModuleLoadingTests(ServerFixture fixture)
{
    // Every part of the moderator's page is imported statically by its entry, so a plain-HTTP venue fetches them all in
    // one round trip instead of one per level of imports.
    [Fact]
    public async Task TheModeratorPageRunsItsEntryModuleAndPreloadsEveryModeratorModule()
    {
        var e = await fixture.Server.CreateEventAsync();
        using var http = new HttpClient { BaseAddress = fixture.Server.BaseUri };

        var html = await http.GetStringAsync($"/e/{e.Code}/moderator");

        Assert.Matches(EntryScript(), html);
        var preloaded = Preload().Matches(html).Select(m => m.Groups["path"].Value).ToHashSet();
        var modules = Directory.GetFiles(Path.Combine(Repo.Root, "src", "Web", "wwwroot", "js", "moderator"), "*.js")
            .Select(f => "/js/moderator/" + Path.GetFileNameWithoutExtension(f))
            .ToList();
        Assert.NotEmpty(modules);
        Assert.All(modules, module => Assert.Contains(module, preloaded));
        Assert.DoesNotContain("/js/moderator", preloaded);
    }

    [GeneratedRegex(@"<script type=""module"" src=""/js/moderator/page\.[a-z0-9]+\.js""></script>")]
    private static partial Regex EntryScript();

    // A fingerprinted URL: /js/moderator/queue.k3x9a1b2c4.js preloads /js/moderator/queue.
    [GeneratedRegex(@"<link rel=""modulepreload"" href=""(?<path>/js/[^""]+?)\.[a-z0-9]{10}\.js"">")]
    private static partial Regex Preload();
}
