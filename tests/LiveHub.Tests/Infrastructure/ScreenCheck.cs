using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace LiveHub.Tests.Infrastructure;

/// <summary>
/// Looks at a whole screen the way a person does (Browser/Scripts/screen-check.js): no "null", "undefined", "NaN" or
/// "[object" in the visible text, no raw string key, nothing scrolling sideways or wider than its box, every typed text
/// with a direction control isolated, and on the projector no text outside the screen or cut by its container.
/// A failure names the page, the step and the screenshot saved for it.
/// </summary>
public static partial class ScreenCheck
{
    private static readonly Lazy<string> Script = new(() =>
        File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Browser", "Scripts", "screen-check.js")));

    /// <summary>The problems on the page now (empty when it is right).</summary>
    public static async Task<IReadOnlyList<string>> ProblemsAsync(IPage page)
    {
        await Browser.SettleAsync(page);
        var projector = new Uri(page.Url).AbsolutePath.EndsWith("/projector", StringComparison.Ordinal);
        return await page.EvaluateAsync<string[]>(Script.Value, new { projector });
    }

    public static async Task AssertCleanAsync(IPage page, string pageName, string step)
    {
        var problems = await ProblemsAsync(page);
        if (problems.Count == 0)
        {
            return;
        }
        var shot = $"screen-check-{Safe(pageName)}-{Safe(step)}.png";
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Repo.Artifacts, shot), FullPage = true });
        Assert.Fail($"The screen check failed on {pageName} ({page.Url}) after '{step}'; screenshot {shot}:\n- {string.Join("\n- ", problems)}");
    }

    private static string Safe(string name) => Unsafe().Replace(name, "-");

    [GeneratedRegex("[^A-Za-z0-9_-]+")]
    private static partial Regex Unsafe();
}
