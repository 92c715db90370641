using LiveHub.Events;
using LiveHub.Realtime;
using LiveHub.Web.Admin;
using LiveHub.Web.Api;
using LiveHub.Web.Demo;
using LiveHub.Web.Export;
using LiveHub.Web.Health;
using LiveHub.Web.Identity;
using LiveHub.Web.Moderators;
using LiveHub.Web.Pages;
using LiveHub.Web.Qr;
using LiveHub.Web.Security;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.ResponseCompression;
using Microsoft.Extensions.Options;

namespace LiveHub.Web;

public static partial class WebSetup
{
    public const string HubPath = "/hub";

    /// <summary>The host's services: identity, moderator and admin sign-in, export, Data Protection, demo and URLs.</summary>
    public static IServiceCollection AddLiveHubWeb(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<WebOptions>().BindConfiguration(WebOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<DemoOptions>().BindConfiguration(DemoOptions.Section).ValidateOnStart();
        // Every response goes over venue Wi-Fi: no header that tells a phone nothing.
        services.Configure<Microsoft.AspNetCore.Server.Kestrel.Core.KestrelServerOptions>(o => o.AddServerHeader = false);
        services.Configure<Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets.SocketTransportOptions>(configuration.GetSection("LiveHub:Web:Sockets"));
        services.AddSingleton(sp => LanAddresses.ThisMachine(sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<PublicUrls>();
        services.AddSingleton<IJoinUrls>(sp => sp.GetRequiredService<PublicUrls>());
        services.AddPages();
        services.AddSingleton<DemoLoader>();
        services.AddModeratorSignIn();
        services.AddLiveHubObservability();
        services.AddGracefulStop();
        services.AddLiveHubProxyHeaders();
        services.AddAdmin();
        // Venue Wi-Fi is the bottleneck: pages, scripts and JSON go out compressed.
        services.AddResponseCompression(o =>
        {
            o.EnableForHttps = true;
            o.Providers.Add<BrotliCompressionProvider>();
            o.Providers.Add<GzipCompressionProvider>();
            o.MimeTypes = ["text/html", "text/css", "text/javascript", "application/javascript", "application/json", "image/svg+xml"];
        });

        return services;
    }

    /// <summary>
    /// Migrates the store, loads the demo, prepares the admin key, and once the server listens prints where it listens, where
    /// phones can join (or why they cannot), and the demo's three URLs. Runs before the server listens, so readiness (and every
    /// request) waits for the migrations.
    /// </summary>
    public static async Task PrepareLiveHubAsync(this WebApplication app)
    {
        await app.Services.GetRequiredService<StoreMigrations>().MigrateAsync(app.Lifetime.ApplicationStopping);
        var demo = await app.Services.GetRequiredService<DemoLoader>().PrepareAsync(app.Lifetime.ApplicationStopping);
        await app.Services.GetRequiredService<AdminKeys>().PrepareAsync(app.Lifetime.ApplicationStopping);
        app.Lifetime.ApplicationStarted.Register(() =>
        {
            var urls = app.Services.GetRequiredService<PublicUrls>();
            var here = urls.ThisMachine();
            LogListening(app.Logger, string.Join(", ", urls.Listening));
            LogHowPhonesJoin(app.Logger, urls);
            if (demo is { } d)
            {
                LogDemoUrls(app.Logger,
                    urls.Event(null, d.Code).Url, urls.Moderator(null, d.Code, here), urls.Projector(null, d.Code, here),
                    DemoPasscodeLine(d, $"{urls.Base(null, here)}/admin"));
            }
        });
    }

    /// <summary>Only what is true: a passcode that works, or that it was changed and where the organizer manages it.</summary>
    private static string DemoPasscodeLine(DemoReady demo, string adminUrl) => demo.Status switch
    {
        DemoPasscode.Current => demo.Passcode!,
        DemoPasscode.Changed => $"changed by the organizer since it was set up (the old one no longer works); rotate it at {adminUrl}",
        _ => $"not kept on this machine; the organizer sets a new one at {adminUrl}",
    };

    /// <summary>
    /// Without a public URL, the QR codes follow the machine's network addresses: say which ones phones can use, or, when the
    /// server listens on the loopback only (the default <c>http://localhost:5000</c>), that phones cannot reach it at all.
    /// </summary>
    private static void LogHowPhonesJoin(ILogger logger, PublicUrls urls)
    {
        if (urls.IsConfigured)
        {
            return;
        }
        var lanUrls = urls.LanUrls();
        if (lanUrls.Count > 0)
        {
            LogPhonesJoinAt(logger, string.Join(", ", lanUrls));
            return;
        }
        var listening = string.Join(", ", urls.Listening);
        if (PublicUrls.ListensOnLoopbackOnly(urls.Listening))
        {
            var port = new Uri(urls.ThisMachine()).Port;
            var lanAddress = urls.NetworkAddresses().FirstOrDefault()?.ToString() ?? "<lan-ip>";
            LogLoopbackOnly(logger, listening, port, lanAddress);
        }
        else
        {
            LogNoNetworkAddress(logger, listening);
        }
    }

    /// <summary>The request pipeline and every endpoint.</summary>
    public static WebApplication MapLiveHub(this WebApplication app)
    {
        app.UseLiveHubProxyHeaders();
        app.UseLiveHubSecurityHeaders();
        app.UseGracefulStop(HubPath);
        app.UseHubOriginCheck(HubPath);
        app.UseSameOriginWrites(HubPath);
        app.UseResponseCompression();
        app.UseNotFoundPage();
        app.UseParticipantIdentity();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseEndpointAccess();
        app.UseRateLimiter();

        app.MapLiveHubHealth();
        // wwwroot as the build left it: compressed (Brotli and gzip) and fingerprinted; pages ask for fingerprinted
        // URLs, which browsers keep for good, so a repeat visit revalidates nothing.
        // Run from a build, MapStaticAssets would by default re-read changed files and turn caching off; LiveHub serves
        // a build as it was built (restart to pick up an edit), with the same headers a published build sends.
        app.Configuration["ReloadStaticAssetsAtRuntime"] ??= "false";
        app.MapStaticAssets(StaticAssetMap.ManifestPath(app.Environment)).AllowAnyone();
        app.MapPages();
        app.MapEventApi();
        app.MapModeratorApi();
        app.MapAuditApi();
        app.MapAdminApi();
        app.MapExportApi();
        app.MapQrCodes();
        // Anyone may connect; each hub method declares who may call it, and the hub filter enforces that.
        app.MapHub<EventHub>(HubPath).AllowAnyone();
        return app;
    }

    [LoggerMessage(EventId = 100, Level = LogLevel.Information, Message = "LiveHub listening on {Addresses}")]
    private static partial void LogListening(ILogger logger, string addresses);

    [LoggerMessage(EventId = 101, Level = LogLevel.Information, Message =
        "Demo event ready\n  Audience:  {Audience}\n  Moderator: {Moderator}\n  Projector: {Projector}\n  Moderator passcode: {Passcode}")]
    private static partial void LogDemoUrls(ILogger logger, string audience, string moderator, string projector, string passcode);

    [LoggerMessage(EventId = 102, Level = LogLevel.Warning, Message =
        "LiveHub:Web:PublicUrl is not set. Phones on this machine's networks can join at {Urls}. The QR codes use the address " +
        "a page was opened at, or the first of these for a page opened as localhost; set LiveHub:Web:PublicUrl to the one " +
        "on the hall's network to be sure.")]
    private static partial void LogPhonesJoinAt(ILogger logger, string urls);

    [LoggerMessage(EventId = 103, Level = LogLevel.Warning, Message =
        "LiveHub:Web:PublicUrl is not set and LiveHub listens on this machine only ({Addresses}): phones cannot reach it, and " +
        "the QR codes point at this machine. To let phones join, start it with " +
        "--urls http://0.0.0.0:{Port} --LiveHub:Web:PublicUrl=http://{LanAddress}:{Port}")]
    private static partial void LogLoopbackOnly(ILogger logger, string addresses, int port, string lanAddress);

    [LoggerMessage(EventId = 104, Level = LogLevel.Warning, Message =
        "LiveHub:Web:PublicUrl is not set and this machine has no network address that LiveHub listens on ({Addresses}): " +
        "phones cannot reach it until the machine joins the hall's network (or set LiveHub:Web:PublicUrl).")]
    private static partial void LogNoNetworkAddress(ILogger logger, string addresses);
}
