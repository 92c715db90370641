using System.Reflection;
using LiveHub.Events;
using LiveHub.Polls;
using LiveHub.Realtime;
using LiveHub.Tests.Infrastructure;
using LiveHub.Tests.ScaleOut;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Sdk;

namespace LiveHub.Tests.Faults;

/// <summary>The two stores a LiveHub runs on; fault tests that depend on the store run on both.</summary>
public static class Engines
{
    public const string Sqlite = "sqlite";
    public const string Postgres = "postgres";

    /// <summary>A LiveHub on <paramref name="engine"/>: SQLite in its own folder, or a fresh database on the fixture's PostgreSQL.</summary>
    public static Task<LiveHubServer> StartAsync(this PostgresFixture postgres, string engine, IDictionary<string, string?>? settings = null,
        Action<IServiceCollection>? services = null)
    {
        var all = new Dictionary<string, string?>(settings ?? new Dictionary<string, string?>());
        if (engine == Postgres)
        {
            Infrastructure.Services.Require(postgres.Server is not null, "PostgreSQL (initdb and pg_ctl, or LIVEHUB_TEST_POSTGRES)");
            all["ConnectionStrings:Postgres"] = postgres.Server!.NewDatabase();
        }
        return LiveHubServer.StartAsync(all, services: services);
    }

    /// <summary>A LiveHub on <paramref name="engine"/>, an event on it and the event's moderator connected.</summary>
    public static async Task<ModeratedEvent> ModeratedEventAsync(this PostgresFixture postgres, string engine, string moderation = ModerationModes.Open,
        IDictionary<string, string?>? settings = null, Action<IServiceCollection>? services = null)
    {
        var server = await postgres.StartAsync(engine, settings, services);
        try
        {
            var e = await server.CreateEventAsync(moderation);
            return new ModeratedEvent(server, e, await TestClient.ConnectAsync(server, moderatorOf: e.Code));
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>The moderator opens the plain poll (one choice of A or B) the store's fault tests vote in.</summary>
    public static async Task<PollView> OpenPollAsync(this TestClient moderator, long sessionId)
    {
        var poll = await moderator.OkAsync<PollView>(nameof(EventHub.CreatePoll),
            new PollDraftRequest(sessionId, PollKinds.Single, "Pilih", ["A", "B"], null, null, null, null, null));
        await moderator.OkAsync<PollView>(nameof(EventHub.OpenPoll), new PollRequest(poll.Id));
        return poll;
    }
}

/// <summary>Runs a theory once on each engine (its one argument): <c>[SkippableTheory, OnBothEngines]</c>.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class OnBothEnginesAttribute : DataAttribute
{
    public override IEnumerable<object[]> GetData(MethodInfo testMethod) => [[Engines.Sqlite], [Engines.Postgres]];
}

/// <summary>Where most of the store's fault tests start: <c>var (server, e, moderator) = scene;</c>. Disposing closes both.</summary>
public sealed record ModeratedEvent(LiveHubServer Server, TestEvent Event, TestClient Moderator) : IAsyncDisposable
{
    public async ValueTask DisposeAsync()
    {
        await Moderator.DisposeAsync();
        await Server.DisposeAsync();
    }
}
