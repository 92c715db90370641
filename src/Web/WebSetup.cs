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
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
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
        services.AddSingleton<PublicUrls>();
        services.AddSingleton<DemoLoader>();
        services.AddModeratorSignIn();
        services.AddLiveHubObservability();
        services.AddGracefulStop();
        services.AddLiveHubProxyHeaders();
        services.AddAdmin();
        services.AddExport();
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

    /// <summary>Migrates, loads the demo, prepares the admin key, and prints the three URLs once the server listens.</summary>
    public static async Task PrepareLiveHubAsync(this WebApplication app)
    {
        var demo = await app.Services.GetRequiredService<DemoLoader>().PrepareAsync(app.Lifetime.ApplicationStopping);
        await app.Services.GetRequiredService<AdminKeys>().PrepareAsync(app.Lifetime.ApplicationStopping);
        app.Lifetime.ApplicationStarted.Register(() =>
        {
            var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
            var urls = app.Services.GetRequiredService<PublicUrls>();
            var baseUrl = addresses.FirstOrDefault()?.Replace("0.0.0.0", "localhost").Replace("[::]", "localhost");
            LogListening(app.Logger, string.Join(", ", addresses));
            if (demo is { } d)
            {
                LogDemoUrls(app.Logger,
                    urls.Audience(null, d.Code, baseUrl), urls.Moderator(null, d.Code, baseUrl), urls.Projector(null, d.Code, baseUrl),
                    d.Passcode ?? "(set LiveHub:Demo:ModeratorPasscode)");
            }
        });
    }

    /// <summary>The request pipeline and every endpoint.</summary>
    public static WebApplication MapLiveHub(this WebApplication app)
    {
        app.UseLiveHubProxyHeaders();
        app.UseLiveHubSecurityHeaders();
        app.UseGracefulStop(HubPath);
        app.UseHubOriginCheck(HubPath);
        app.UseResponseCompression();
        app.UseNotFoundPage();
        app.UseStaticFiles(new StaticFileOptions
        {
            // Vendored libraries change only with a release; our own scripts are revalidated (a 304 costs a few bytes).
            OnPrepareResponse = static file => file.Context.Response.Headers.CacheControl =
                file.Context.Request.Path.StartsWithSegments("/lib") ? "public, max-age=86400" : "no-cache",
        });
        app.UseParticipantIdentity();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseRateLimiter();

        app.MapLiveHubHealth();
        app.MapPages();
        app.MapEventApi();
        app.MapModeratorApi();
        app.MapAuditApi();
        app.MapAdminApi();
        app.MapExportApi();
        app.MapQrCodes();
        app.MapHub<EventHub>(HubPath);
        return app;
    }

    [LoggerMessage(EventId = 100, Level = LogLevel.Information, Message = "LiveHub listening on {Addresses}")]
    private static partial void LogListening(ILogger logger, string addresses);

    [LoggerMessage(EventId = 101, Level = LogLevel.Information, Message =
        "Demo event ready\n  Audience:  {Audience}\n  Moderator: {Moderator}\n  Projector: {Projector}\n  Moderator passcode: {Passcode}")]
    private static partial void LogDemoUrls(ILogger logger, string audience, string moderator, string projector, string passcode);
}
