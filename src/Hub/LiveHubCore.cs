using LiveHub.Data;
using LiveHub.Data.Events;
using LiveHub.Data.Questions;
using LiveHub.Events;
using LiveHub.Announcements;
using LiveHub.Data.Moderation;
using LiveHub.Data.Polls;
using LiveHub.Limits;
using LiveHub.Moderation;
using LiveHub.Polls;
using LiveHub.Reactions;
using LiveHub.ScaleOut;
using LiveHub.Questions;
using LiveHub.Realtime;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace LiveHub;

public static class LiveHubCore
{
    /// <summary>The real-time core: store, features, the hub and its limits.</summary>
    public static IServiceCollection AddLiveHubCore(this IServiceCollection services, Microsoft.Extensions.Configuration.IConfiguration configuration)
    {
        services.AddOptions<StoreOptions>().BindConfiguration(StoreOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<QuestionOptions>().BindConfiguration(QuestionOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<PollOptions>().BindConfiguration(PollOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<RealtimeOptions>().BindConfiguration(RealtimeOptions.Section).ValidateDataAnnotations().ValidateOnStart();

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
        services.AddSingleton<EventStore>();
        services.AddSingleton<QuestionStore>();
        services.AddSingleton(sp =>
        {
            var store = new PollStore(sp.GetRequiredService<Database>());
            var metrics = sp.GetRequiredService<LiveHubMetrics>();
            store.VotesCommitted += (count, elapsed) => metrics.BatchCommitted("vote", count, elapsed);
            return store;
        });
        services.AddSingleton<OpenPolls>();
        services.AddSingleton<Identity.PasscodeStamps>();
        services.AddSingleton<Identity.ModeratorAccess>();
        services.AddSingleton<ModeratorGroups>();
        services.AddHostedService<ModeratorGroups.Sweep>();
        services.AddSingleton<SessionSnapshots>();
        services.AddSingleton<EventSnapshots>();
        services.AddSingleton<PollService>();
        services.AddSingleton<PollResultsCoalescer>();
        services.AddHostedService(sp => sp.GetRequiredService<PollResultsCoalescer>());
        services.AddHostedService<QuizTimer>();
        services.AddSingleton<ModerationLogStore>();
        services.AddSingleton<AnnouncementStore>();
        services.AddSingleton<ReactionStore>();
        services.AddSingleton<AuditLog>();
        services.AddSingleton<ProfanityFilter>();
        services.AddSingleton<AgendaService>();
        services.AddSingleton<AnnouncementService>();
        services.AddSingleton<ReactionService>();
        services.AddHostedService(sp => sp.GetRequiredService<ReactionService>());
        services.AddHostedService<PresenceBroadcaster>();
        services.AddHostedService<SqliteCheckpointer>();
        services.AddSingleton<EventService>();
        services.AddSingleton<EventLanguages>();
        services.AddSingleton<ScenarioImporter>();
        services.AddSingleton<QuestionService>();
        services.AddSingleton<AskCommitter>();
        services.AddSingleton<SessionLocks>();
        services.AddSingleton<LiveHubMetrics>();
        services.AddSingleton<RateLimits>();
        services.AddSingleton<JoinGate>();
        services.AddSingleton<UpvoteCoalescer>();
        services.AddHostedService(sp => sp.GetRequiredService<UpvoteCoalescer>());
        services.AddSingleton<Identity.ParticipantIdentity>();
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
