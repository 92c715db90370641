using System.Text;
using System.Text.Json;
using Microsoft.Playwright;

namespace LiveHub.Tests.Infrastructure;

/// <summary>
/// axe-core (vendored in Browser/Vendor/axe, test-only) run inside a page under test.
/// </summary>
public static class Axe
{
    /// <summary>One failing rule: its impact (minor, moderate, serious, critical), id, one-line help and the nodes that fail it.</summary>
    public sealed record Violation(string Id, string Impact, string Help, string HelpUrl, IReadOnlyList<ViolationNode> Nodes);

    /// <summary>A failing element: its CSS selector path, its opening HTML and axe's summary of what to fix.</summary>
    public sealed record ViolationNode(string Target, string Html, string Summary);

    private static readonly Lazy<string> Script = new(() =>
        File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Browser", "Vendor", "axe", "axe.min.js")));

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>Runs axe's default rules (WCAG 2.x A and AA, and best practices) on the page as it is now; returns the violations.</summary>
    public static async Task<IReadOnlyList<Violation>> RunAsync(IPage page) => (await RunAllAsync(page)).Violations;

    /// <summary>The violations, and what axe could not decide by itself (text over an image, say) for a person to review.</summary>
    public static async Task<(IReadOnlyList<Violation> Violations, IReadOnlyList<Violation> Incomplete)> RunAllAsync(IPage page)
    {
        // The pages' CSP allows no inline script, so AddScriptTagAsync is refused ("Executing inline script violates…").
        // An evaluation through the DevTools protocol is not the page's script and is not bound by its CSP.
        if (!await page.EvaluateAsync<bool>("() => typeof window.axe === 'object'"))
        {
            await page.EvaluateAsync(Script.Value);
        }
        var result = await page.EvaluateAsync<JsonElement>("""
            async () => {
              const r = await axe.run(document, { resultTypes: ['violations', 'incomplete'] });
              const list = (results) => results.map(v => ({
                id: v.id, impact: v.impact || 'minor', help: v.help, helpUrl: v.helpUrl,
                nodes: v.nodes.map(n => ({
                  target: n.target.map(t => Array.isArray(t) ? t.join(' >>> ') : t).join(' '),
                  html: n.html, summary: n.failureSummary || ''
                }))
              }));
              return { violations: list(r.violations), incomplete: list(r.incomplete) };
            }
            """);
        return (result.GetProperty("violations").Deserialize<List<Violation>>(Json)!,
            result.GetProperty("incomplete").Deserialize<List<Violation>>(Json)!);
    }

    /// <summary>Writes the violations and the undecided checks to the artifacts folder as <paramref name="name"/>.axe.txt.</summary>
    public static Task SaveAsync(string name, IReadOnlyList<Violation> violations, IReadOnlyList<Violation> incomplete) =>
        File.WriteAllTextAsync(Path.Combine(Repo.Artifacts, name + ".axe.txt"),
            $"Violations:\n{Describe(violations)}\nNeeds review (axe could not decide):\n{Describe(incomplete)}");

    public static string Describe(IEnumerable<Violation> violations)
    {
        var text = new StringBuilder();
        foreach (var v in violations)
        {
            text.AppendLine($"[{v.Impact}] {v.Id}: {v.Help} ({v.Nodes.Count})");
            foreach (var node in v.Nodes)
            {
                text.AppendLine($"    {node.Target}  {Shorten(node.Html)}");
                if (node.Summary.Length > 0)
                {
                    text.AppendLine("      " + Shorten(node.Summary.ReplaceLineEndings(" ")));
                }
            }
        }
        return text.ToString();
    }

    private static string Shorten(string s) => s.Length <= 200 ? s : s[..200] + "…";
}
