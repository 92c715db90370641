using Microsoft.Playwright;

namespace LiveHub.Tests.Infrastructure;

/// <summary>Debian's Chromium driven by Playwright. Missing Chromium skips locally and fails in CI.</summary>
public static class Browser
{
    public const string ChromiumPath = "/usr/bin/chromium";

    /// <summary>Playwright and the launched Chromium, closed together.</summary>
    public sealed class Session(IPlaywright playwright, IBrowser browser) : IAsyncDisposable
    {
        public IBrowser Browser { get; } = browser;

        public async ValueTask DisposeAsync()
        {
            await Browser.DisposeAsync();
            playwright.Dispose();
        }
    }

    public static async Task<Session> LaunchAsync()
    {
        var path = Environment.GetEnvironmentVariable("LIVEHUB_CHROMIUM") ?? ChromiumPath;
        if (!File.Exists(path))
        {
            if (Repo.InCi)
            {
                Assert.Fail($"Chromium is required in CI but {path} does not exist.");
            }
            Skip.If(true, $"Chromium not installed at {path} (apt-get install -y --no-install-recommends chromium).");
        }
        var playwright = await Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = path,
            Headless = true,
            Args =
            [
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
            ],
        });
        return new Session(playwright, browser);
    }

    /// <summary>A page that records console errors and failed requests, so a test can assert the page ran cleanly.</summary>
    public static async Task<(IPage Page, List<string> Errors)> OpenAsync(IBrowser browser, int width, int height, string locale = "id-ID")
    {
        var context = await browser.NewContextAsync(new BrowserNewContextOptions
        {
            ViewportSize = new ViewportSize { Width = width, Height = height },
            Locale = locale,
        });
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(15_000);
        var errors = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                errors.Add(message.Text);
            }
        };
        page.PageError += (_, error) => errors.Add(error);
        return (page, errors);
    }

    /// <summary>Saves a full-page screenshot beside the test results, once running animations (bars growing) have settled.</summary>
    public static async Task ScreenshotAsync(IPage page, string name)
    {
        await page.WaitForFunctionAsync(
            "() => document.getAnimations().every(a => a.playState !== 'running' || a.effect?.getTiming().iterations === Infinity)",
            null, new PageWaitForFunctionOptions { Timeout = 5000 });
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Repo.Artifacts, name + ".png"), FullPage = true });
    }
}
