using System.Collections.Concurrent;
using LiveHub.Tests.Infrastructure;
using Microsoft.Playwright;

namespace LiveHub.Tests.Browser.ClientLogic;

/// <summary>
/// One Chromium for the client-logic tests, and a test page per tab with no LiveHub server behind it: the page lives on
/// a fake origin (http://livehub.test/) whose requests Playwright answers, /js/** from src/Web/wwwroot/js on disk. The
/// page loads Browser/Scripts/client-logic-fakes.js first (a clock that moves only when the test says, fixed randomness,
/// a WebSocket the test plays the server of, the network's signals and the health probe), then imports the modules
/// (client-logic-harness.js) and exposes them as window.lh, window.fakes.
/// </summary>
public sealed class ClientLogicBrowser : IAsyncLifetime
{
    public const string Origin = "http://livehub.test";

    private static readonly string Js = Path.Combine(Repo.Root, "src", "Web", "wwwroot", "js");
    private static readonly string Scripts = Path.Combine(AppContext.BaseDirectory, "Browser", "Scripts");

    private static readonly string TestPage = $$"""
        <!doctype html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <title>client logic</title>
        <script type="application/json" id="lh-page">{"page":"test","lang":"en","strings":{},"keepAliveMs":4000}</script>
        <script src="/test/client-logic-fakes.js"></script>
        {{string.Concat(ModuleGraph().Select(url => $"<link rel=\"modulepreload\" href=\"{url}\">\n"))}}<script type="module" src="/test/client-logic-harness.js"></script>
        </head>
        <body></body>
        </html>
        """;

    /// <summary>
    /// Every module the harness loads, found by following the imports on disk: preloaded together in one wave instead of
    /// one wave per level of imports, since each request is answered by the test process.
    /// </summary>
    private static List<string> ModuleGraph()
    {
        var found = new List<string>();
        var next = new Queue<string>(Imports(File.ReadAllText(Path.Combine(Scripts, "client-logic-harness.js")), "/test/"));
        while (next.TryDequeue(out var url))
        {
            var file = Path.Combine(Js, url["/js/".Length..]);
            if (found.Contains(url) || !File.Exists(file))
            {
                continue;
            }
            found.Add(url);
            foreach (var import in Imports(File.ReadAllText(file), url[..(url.LastIndexOf('/') + 1)]))
            {
                next.Enqueue(import);
            }
        }
        return found;
    }

    /// <summary>The modules a source imports statically, as absolute paths (relative ones resolved against its folder).</summary>
    private static IEnumerable<string> Imports(string source, string folder) =>
        System.Text.RegularExpressions.Regex.Matches(source, @"^(?:import|export)\b[^;']*?\bfrom\s+'(?<spec>[^']+\.js)'", System.Text.RegularExpressions.RegexOptions.Multiline)
            .Select(m => new Uri(new Uri("http://x" + folder), m.Groups["spec"].Value).AbsolutePath)
            .Where(url => url.StartsWith("/js/", StringComparison.Ordinal));

    private readonly SemaphoreSlim _launch = new(1, 1);
    private readonly ConcurrentDictionary<string, string?> _files = new();
    private Infrastructure.Browser.Session? _session;

    /// <summary>A fresh context (its own storage) with one tab on the test page. Skips where Chromium is missing.</summary>
    public async Task<Tab> OpenAsync()
    {
        var session = await SessionAsync();
        var context = await session.Browser.NewContextAsync();
        await context.RouteAsync(Origin + "/**", ServeAsync);
        var tab = new Tab(context);
        await tab.OpenPageAsync();
        return tab;
    }

    /// <summary>The usual client-logic test: a fresh tab, one script run on it, its result.</summary>
    public async Task<T> EvaluateAsync<T>(string script)
    {
        await using var tab = await OpenAsync();
        return await tab.RunAsync<T>(script);
    }

    /// <summary>Steps (a test class's shared arrange code, then the test's own) run as one async script on a fresh tab.</summary>
    public Task<T> RunAsync<T>(params string[] steps) => EvaluateAsync<T>(Script(steps));

    /// <summary>Steps joined into one async script, for a tab a test keeps (several tabs, its errors).</summary>
    public static string Script(params string[] steps) => $"async () => {{\n{string.Join("\n", steps)}\n}}";

    private async Task<Infrastructure.Browser.Session> SessionAsync()
    {
        await _launch.WaitAsync();
        try
        {
            return _session ??= await Infrastructure.Browser.LaunchAsync("ClientLogic");
        }
        finally
        {
            _launch.Release();
        }
    }

    private Task ServeAsync(IRoute route)
    {
        var path = new Uri(route.Request.Url).AbsolutePath;
        if (path == "/")
        {
            return route.FulfillAsync(new RouteFulfillOptions { Status = 200, ContentType = "text/html", Body = TestPage });
        }
        var file = path switch
        {
            _ when path.StartsWith("/js/", StringComparison.Ordinal) => Read(Js, path["/js/".Length..]),
            _ when path.StartsWith("/test/", StringComparison.Ordinal) => Read(Scripts, path["/test/".Length..]),
            _ => null,
        };
        return file is null
            ? route.FulfillAsync(new RouteFulfillOptions { Status = 404, Body = "not found" })
            : route.FulfillAsync(new RouteFulfillOptions { Status = 200, ContentType = "text/javascript", Body = file });
    }

    private string? Read(string root, string relative) => _files.GetOrAdd(Path.Combine(root, relative), full =>
    {
        var normalized = Path.GetFullPath(full);
        return normalized.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal) && File.Exists(normalized)
            ? File.ReadAllText(normalized)
            : null;
    });

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_session is not null)
        {
            await _session.DisposeAsync();
        }
    }

    /// <summary>A browser context and the test pages open in it (tabs of one origin share localStorage).</summary>
    public sealed class Tab(IBrowserContext context) : IAsyncDisposable
    {
        private static readonly TimeSpan ScriptTimeout = TimeSpan.FromSeconds(10);

        public IBrowserContext Context { get; } = context;

        private readonly List<IPage> _pages = [];

        /// <summary>The first page opened.</summary>
        public IPage Page => _pages[0];

        /// <summary>Uncaught errors and console errors of every page of this context.</summary>
        public List<string> Errors { get; } = [];

        /// <summary>Opens another tab on the test page, sharing this one's storage.</summary>
        public async Task<IPage> OpenPageAsync()
        {
            var page = await Context.NewPageAsync();
            page.SetDefaultTimeout(5_000);
            page.PageError += (_, error) => Errors.Add(error);
            page.Console += (_, message) =>
            {
                if (message.Type == "error")
                {
                    Errors.Add(message.Text);
                }
            };
            await LoadAsync(page);
            _pages.Add(page);
            return page;
        }

        /// <summary>Reloads a page: the modules start again from what storage kept.</summary>
        public static async Task ReloadAsync(IPage page)
        {
            await page.ReloadAsync();
            await page.WaitForFunctionAsync("() => window.lh !== undefined");
        }

        private static async Task LoadAsync(IPage page)
        {
            await page.GotoAsync(Origin + "/");
            await page.WaitForFunctionAsync("() => window.lh !== undefined");
        }

        /// <summary>
        /// Runs a script on the first page and returns its result (awaited when it is a promise). Playwright sets no
        /// time limit on a script; a promise that never settles fails the test here instead of hanging the run.
        /// </summary>
        public Task<T> RunAsync<T>(string script) => Page.EvaluateAsync<T>(script).WaitAsync(ScriptTimeout);

        public Task RunAsync(string script) => Page.EvaluateAsync(script).WaitAsync(ScriptTimeout);

        public ValueTask DisposeAsync() => Context.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class ClientLogicCollection : ICollectionFixture<ClientLogicBrowser>
{
    public const string Name = "ClientLogic";
}
