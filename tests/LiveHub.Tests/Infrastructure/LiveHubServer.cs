using System.Security.Cryptography;
using LiveHub.Data.Events;
using LiveHub.Events;
using LiveHub.Web;
using LiveHub.Web.Demo;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace LiveHub.Tests.Infrastructure;

/// <summary>
/// A real LiveHub on Kestrel, bound to 127.0.0.1 on a free port, with its own SQLite file.
/// Built the way Program.cs builds it; stopped and deleted on dispose.
/// </summary>
public sealed class LiveHubServer : IAsyncDisposable
{
    public const string Passcode = "test-passcode-1";

    private readonly WebApplication _app;
    private readonly string _dataDir;

    private LiveHubServer(WebApplication app, string dataDir, Uri baseUri)
    {
        _app = app;
        _dataDir = dataDir;
        BaseUri = baseUri;
    }

    public Uri BaseUri { get; }

    public IServiceProvider Services => _app.Services;

    /// <summary>
    /// Starts a server on <paramref name="urls"/>; <paramref name="services"/> may replace what the machine provides (its
    /// network addresses, a log sink) after the app's own registrations.
    /// </summary>
    public static async Task<LiveHubServer> StartAsync(IDictionary<string, string?>? settings = null, string urls = "http://127.0.0.1:0",
        Action<IServiceCollection>? services = null)
    {
        var dataDir = Path.Combine(Path.GetTempPath(), "livehub-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dataDir);
        var args = new List<string>
        {
            $"--urls={urls}",
            $"--LiveHub:Store:SqlitePath={Path.Combine(dataDir, "livehub.db")}",
            "--LiveHub:Demo:Load=false",
            // Nothing polls a test server's readiness: stop at once unless a test wants to watch the drain.
            "--LiveHub:Shutdown:DrainSeconds=0",
            "--Logging:LogLevel:Default=Warning",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            args.Add($"--{key}={value}");
        }

        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = args.ToArray(),
            ContentRootPath = Path.Combine(Repo.Root, "src", "Web"),
            EnvironmentName = "Test",
            // The static web assets manifests beside the tests are named after the application.
            ApplicationName = "LiveHub.Web",
        });
        builder.WebHost.UseStaticWebAssets();
        if (Environment.GetEnvironmentVariable("LIVEHUB_TEST_LOG") is null)
        {
            builder.Logging.ClearProviders();
        }
        builder.Services.AddLiveHubCore(builder.Configuration);
        builder.Services.AddLiveHubWeb(builder.Configuration);
        services?.Invoke(builder.Services);
        var app = builder.Build();
        await app.PrepareLiveHubAsync();
        app.MapLiveHub();
        await app.StartAsync();

        // A server on every interface is still reached over the loopback, as a browser on the server machine would.
        var address = new UriBuilder(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        if (address.Host is "0.0.0.0" or "[::]")
        {
            address.Host = "127.0.0.1";
        }
        return new LiveHubServer(app, dataDir, address.Uri);
    }

    /// <summary>A fresh copy of the demo event under its own join code, so tests never share state.</summary>
    public async Task<TestEvent> CreateEventAsync(string moderation = ModerationModes.Pre, bool sampleQuestions = false)
    {
        var code = RandomNumberGenerator.GetString(JoinCode.Alphabet, JoinCode.Length);
        var scenario = DemoLoader.LoadScenario();
        // A week ago: every session has ended by the schedule except the two opened live, whatever the hour.
        scenario = scenario.StartingOn(DateOnly.FromDateTime(DateTime.UtcNow).AddDays(-7));
        var importer = Services.GetRequiredService<ScenarioImporter>();
        var eventId = await importer.ImportAsync(scenario,
            new ImportSettings(code, Passcode, new HashSet<string> { "keynote", "panel-regions" }, sampleQuestions, moderation), CancellationToken.None);
        var sessions = await Services.GetRequiredService<EventStore>().ListSessionsAsync(eventId, CancellationToken.None);
        return new TestEvent(eventId, code, sessions.ToDictionary(s => s.SessionKey, s => s.Id));
    }

    /// <summary>One number from the server's own database (a count, an id), for a test to compare with what it was told.</summary>
    public async Task<long> ScalarAsync(string sql, object? args = null)
    {
        await using var connection = await Services.GetRequiredService<LiveHub.Data.Database>().OpenAsync(CancellationToken.None);
        return await Dapper.SqlMapper.ExecuteScalarAsync<long>(connection, sql, args);
    }

    /// <summary>Stops the server the way SIGTERM does; dispose still cleans up afterwards.</summary>
    public Task StopAsync() => _app.StopAsync();

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_dataDir, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}

public sealed record TestEvent(long Id, string Code, IReadOnlyDictionary<string, long> Sessions)
{
    public long Keynote => Sessions["keynote"];
    public long Panel => Sessions["panel-regions"];
}

/// <summary>One server for a test class; every test makes its own event on it.</summary>
public sealed class ServerFixture : IAsyncLifetime
{
    public LiveHubServer Server { get; private set; } = null!;

    public async Task InitializeAsync() => Server = await LiveHubServer.StartAsync(new Dictionary<string, string?>
    {
        ["LiveHub:Questions:UpvoteFlushMilliseconds"] = "100",
        // Every test signs in from 127.0.0.1; the guessing limit has its own test.
        ["LiveHub:Web:SignInAttemptsPerMinute"] = "10000",
    });

    public async Task DisposeAsync() => await Server.DisposeAsync();
}

[CollectionDefinition(Name)]
public sealed class ServerCollection : ICollectionFixture<ServerFixture>
{
    public const string Name = "server";
}
