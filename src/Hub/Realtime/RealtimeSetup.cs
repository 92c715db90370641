using LiveHub.Data;
using LiveHub.Identity;
using LiveHub.Limits;
using LiveHub.Polls;
using LiveHub.ScaleOut;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace LiveHub.Realtime;

public static class RealtimeSetup
{
    /// <summary>The store: SQLite by default, PostgreSQL with <c>ConnectionStrings:Postgres</c>; and the clock every stored time is read from.</summary>
    public static IServiceCollection AddStore(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<StoreOptions>().BindConfiguration(StoreOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<Database>(sp =>
        {
            var store = sp.GetRequiredService<IOptions<StoreOptions>>().Value;
            var postgres = configuration.GetConnectionString("Postgres");
            // Every stored time comes from the registered clock, so a deadline stored and the check against it agree.
            var clock = sp.GetRequiredService<TimeProvider>();
            return string.IsNullOrWhiteSpace(postgres)
                ? new SqliteDatabase(store.SqlitePath, store.BusyTimeoutMilliseconds, store.SqliteSynchronous, clock)
                : new PostgresDatabase(postgres, store.DataDirectory ?? Path.GetDirectoryName(Path.GetFullPath(store.SqlitePath))!, clock);
        });
        services.AddSingleton<StoreMigrations>();
        services.AddHostedService<SqliteCheckpointer>();
        return services;
    }

    /// <summary>The hub and what guards it: identities, limits, session locks, snapshots, presence, metrics and scale-out.</summary>
    public static IServiceCollection AddRealtime(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<RealtimeOptions>().BindConfiguration(RealtimeOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<PasscodeStamps>();
        services.AddSingleton<ModeratorAccess>();
        services.AddSingleton<ModeratorGroups>();
        services.AddHostedService<ModeratorGroups.Sweep>();
        services.AddSingleton<SessionSnapshots>();
        services.AddSingleton<EventSnapshots>();
        services.AddHostedService<PresenceBroadcaster>();
        services.AddSingleton<SessionLocks>();
        services.AddSingleton<SessionChanges>();
        services.AddSingleton<LiveHubMetrics>();
        services.AddSingleton<RateLimits>();
        services.AddSingleton<JoinGate>();
        services.AddSingleton<ParticipantIdentity>();
        services.AddSingleton<IUserIdProvider, ParticipantUserIdProvider>();
        services.AddSingleton<HubGuardFilter>();

        var signalR = services.AddSignalR(o =>
        {
            o.AddFilter<HubGuardFilter>();
            o.EnableDetailedErrors = false;
        });
        services.AddLiveHubScaleOut(configuration, signalR);
        services.TryAddSingleton<IPollFrameOwnership, OneNodeFrameOwnership>();
        services.TryAddSingleton<ISessionStreams, LocalSessionStreams>();
        // Services push through a context that does not wait for the slowest phone (see PushContext).
        services.AddSingleton<IHubContext<EventHub, ILiveClient>, PushContext>();
        services.AddOptions<HubOptions>().Configure<IOptions<RealtimeOptions>>((hub, realtime) =>
        {
            hub.MaximumReceiveMessageSize = realtime.Value.MaxMessageBytes;
            hub.KeepAliveInterval = TimeSpan.FromSeconds(realtime.Value.KeepAliveSeconds);
        });
        return services;
    }
}
