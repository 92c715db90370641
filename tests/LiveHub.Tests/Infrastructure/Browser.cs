using Microsoft.Playwright;

namespace LiveHub.Tests.Infrastructure;

/// <summary>Debian's Chromium driven by Playwright. Missing Chromium skips locally and fails in CI.</summary>
public static class Browser
{
    public const string ChromiumPath = "/usr/bin/chromium";

    /// <summary>
    /// Playwright and the launched Chromium, closed together, and every page a journey opened in it: a journey calls
    /// <see cref="StepAsync"/> after each of its steps, and each open page is then looked at as a person would (see
    /// <see cref="ScreenCheck"/>) and must have logged no error.
    /// </summary>
    public sealed class Session(IPlaywright playwright, IBrowser browser, string journey) : IAsyncDisposable
    {
        private readonly List<JourneyPage> _pages = [];
        private int _step;
        private bool _networkErrorsExpected;

        public IBrowser Browser { get; } = browser;

        /// <summary>Opens a page of the journey; its name ("phone", "moderator", "projector"…) names its screenshots and failures.</summary>
        public async Task<IPage> OpenAsync(string name, int width, int height, string locale = "id-ID", BrowserNewContextOptions? options = null)
        {
            var (page, errors) = await Infrastructure.Browser.OpenAsync(Browser, width, height, locale, options);
            _pages.Add(new JourneyPage(name, page, errors));
            return page;
        }

        /// <summary>
        /// The journey cuts the network on purpose: the browser's own reports of failed connections and requests are not
        /// the page's errors. Anything else logged still fails the step.
        /// </summary>
        public void ExpectNetworkErrors() => _networkErrorsExpected = true;

        /// <summary>The errors a page of this journey logged (console errors, uncaught exceptions).</summary>
        public IReadOnlyList<string> ErrorsOf(IPage page) => _pages.Single(p => p.Page == page).Errors;

        /// <summary>Checks every open page after a step of the journey; a failure names the page, the step and the screenshot.</summary>
        public async Task StepAsync(string step)
        {
            _step++;
            foreach (var p in _pages.Where(p => !p.Page.IsClosed))
            {
                await ScreenCheck.AssertCleanAsync(p.Page, $"{journey}-{p.Name}", $"{_step:00}-{step}");
                var errors = p.Errors.Where(e => !(_networkErrorsExpected && IsNetworkFailure(e))).ToList();
                Assert.True(errors.Count == 0, $"{p.Name} logged errors by step '{step}' of {journey}:\n{string.Join("\n", errors)}");
            }
        }

        public async ValueTask DisposeAsync()
        {
            await Browser.DisposeAsync();
            playwright.Dispose();
        }

        private static bool IsNetworkFailure(string message) =>
            message.StartsWith("WebSocket connection to", StringComparison.Ordinal) ||
            message.Contains("net::ERR_", StringComparison.Ordinal) ||
            message.StartsWith("Failed to load resource", StringComparison.Ordinal);

        private sealed record JourneyPage(string Name, IPage Page, List<string> Errors);
    }

    /// <summary>Launches Chromium for one journey (its name prefixes the journey's screenshots).</summary>
    public static async Task<Session> LaunchAsync([System.Runtime.CompilerServices.CallerMemberName] string journey = "", IEnumerable<string>? extraArgs = null)
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
                .. extraArgs ?? [],
            ],
        });
        return new Session(playwright, browser, journey);
    }

    /// <summary>A page that records console errors and failed requests, so a test can assert the page ran cleanly.</summary>
    public static async Task<(IPage Page, List<string> Errors)> OpenAsync(IBrowser browser, int width, int height, string locale = "id-ID",
        BrowserNewContextOptions? options = null)
    {
        options ??= new BrowserNewContextOptions();
        options.ViewportSize = new ViewportSize { Width = width, Height = height };
        options.Locale = locale;
        var context = await browser.NewContextAsync(options);
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

    /// <summary>Waits until running animations (bars growing, a banner sliding in) have settled.</summary>
    /// <summary>
    /// Waits until no finite animation runs: first for the ones running now to finish, however long each lasts (a projector's
    /// reaction float is up to 0.5 s of delay and 4.8 s of rise: a fixed 5 s wait lost that race now and then), at most 15 s;
    /// then up to 5 s more for any that started meanwhile.
    /// </summary>
    public static async Task SettleAsync(IPage page)
    {
        await page.EvaluateAsync("""
            () => Promise.race([
              Promise.all(document.getAnimations()
                .filter(a => a.playState === 'running' && a.effect?.getTiming().iterations !== Infinity)
                .map(a => a.finished.catch(() => null))),
              new Promise(resolve => setTimeout(resolve, 15000)),
            ]).then(() => true)
            """);
        await page.WaitForFunctionAsync(
            "() => document.getAnimations().every(a => a.playState !== 'running' || a.effect?.getTiming().iterations === Infinity)",
            null, new PageWaitForFunctionOptions { Timeout = 5000 });
    }

    /// <summary>Saves a full-page screenshot beside the test results, once running animations have settled, and checks the screen.</summary>
    public static async Task ScreenshotAsync(IPage page, string name)
    {
        await SettleAsync(page);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Repo.Artifacts, name + ".png"), FullPage = true });
        await ScreenCheck.AssertCleanAsync(page, name, "screenshot");
    }
}
