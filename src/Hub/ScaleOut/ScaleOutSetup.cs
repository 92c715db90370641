using LiveHub.Polls;
using LiveHub.Realtime;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.StackExchangeRedis;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace LiveHub.ScaleOut;

/// <summary>
/// Scale-out is configuration. With <c>ConnectionStrings:Redis</c>: the SignalR Redis backplane (with each node serving its
/// own connections while Redis is away), Data Protection keys in Redis (a cookie from one node is valid on all), head
/// counts summed across nodes, and passcode rotations told to every node, all on one shared multiplexer.
/// Without it: one node, keys in files, counts in memory. The code that uses these is the same either way.
/// </summary>
public static class ScaleOutSetup
{
    public const string ReadyTag = "ready";

    public static IServiceCollection AddLiveHubScaleOut(this IServiceCollection services, IConfiguration configuration, ISignalRServerBuilder signalR)
    {
        services.AddOptions<ScaleOutOptions>().BindConfiguration(ScaleOutOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        var redis = configuration.GetConnectionString("Redis");
        var dataProtection = services.AddDataProtection().SetApplicationName("LiveHub");
        if (string.IsNullOrWhiteSpace(redis))
        {
            // Replaces SignalR's default (registered by AddSignalR, which ran before): the same manager, without a scan per Clients.User.
            services.AddSingleton(typeof(HubLifetimeManager<>), typeof(UserIndexedHubLifetimeManager<>));
            services.AddSingleton<Presence, LocalPresence>();
            services.AddSingleton<Identity.PasscodeRotations, Identity.LocalPasscodeRotations>();
            services.AddSingleton<Admin.EventDeletions, Admin.LocalEventDeletions>();
            dataProtection.PersistKeysToFileSystem(new DirectoryInfo(FileKeyDirectory(configuration)));
            return services;
        }

        var scaleOut = configuration.GetSection(ScaleOutOptions.Section).Get<ScaleOutOptions>() ?? new ScaleOutOptions();
        var keys = new RedisKeys(scaleOut.ChannelPrefix);
        var redisOptions = ConfigurationOptions.Parse(redis);
        // Keep trying through a Redis restart instead of failing the node.
        redisOptions.AbortOnConnectFail = false;
        // The multiplexer puts the prefix before every channel it publishes or subscribes to, the backplane's included: the
        // backplane uses this shared multiplexer, so its own ChannelPrefix option would never be read.
        redisOptions.ChannelPrefix = keys.ChannelPrefix;
        redisOptions.ConfigurationChannel = keys.ConfigurationChannel;
        // After an outage, reconnect within about a second of Redis coming back, however long it was away (the default
        // backs off to 10 s between attempts), so screens catch up within seconds.
        redisOptions.ReconnectRetryPolicy = new LinearRetry(500);
        redisOptions.HeartbeatInterval = TimeSpan.FromMilliseconds(500);
        // StackExchange.Redis drops a connection whose commands time out after it has read nothing for four of these timeouts.
        // With a quarter of the link timeout a stalled or silently dead connection is replaced a second or so after BackplaneLink
        // counts the link as down; with the default (5 s) it took 20 s and more, and the pub/sub connection, which only
        // listens, was never replaced. BackplaneLink pings both connections so that they always have commands to time out.
        redisOptions.AsyncTimeout = Math.Max(250, scaleOut.LinkTimeoutMilliseconds / 4);
        var multiplexer = ConnectionMultiplexer.Connect(redisOptions);
        services.AddSingleton<IConnectionMultiplexer>(multiplexer);
        services.AddSingleton(keys);
        signalR.AddStackExchangeRedis(o => o.ConnectionFactory = _ => Task.FromResult<IConnectionMultiplexer>(multiplexer));
        // The backplane, wrapped so that a node serves its own connections while Redis is away (see ClusterHubLifetimeManager).
        services.AddSingleton<BackplaneLink>();
        services.AddHostedService(sp => sp.GetRequiredService<BackplaneLink>());
        services.AddSingleton(typeof(UserIndexedHubLifetimeManager<>));
        services.AddSingleton(typeof(RedisHubLifetimeManager<>));
        services.AddSingleton(typeof(ClusterHubLifetimeManager<>));
        services.AddSingleton<HubLifetimeManager<EventHub>>(sp => sp.GetRequiredService<ClusterHubLifetimeManager<EventHub>>());
        // Versioned deltas cross nodes on one channel and are put back in order by each node.
        services.AddSingleton<ISessionStreams>(sp => sp.GetRequiredService<ClusterHubLifetimeManager<EventHub>>());
        services.AddHostedService<ScreenResync>();
        // One node at a time sends each poll's results frames.
        services.AddSingleton<RedisFrameOwnership>();
        services.AddSingleton<IPollFrameOwnership>(sp => sp.GetRequiredService<RedisFrameOwnership>());
        services.AddHostedService(sp => sp.GetRequiredService<RedisFrameOwnership>());
        dataProtection.PersistKeysToStackExchangeRedis(multiplexer, keys.DataProtection);
        services.AddSingleton<RedisPresence>();
        services.AddSingleton<Presence>(sp => sp.GetRequiredService<RedisPresence>());
        services.AddHostedService<RedisPresence.Sync>();
        services.AddSingleton<RedisPasscodeRotations>();
        services.AddSingleton<Identity.PasscodeRotations>(sp => sp.GetRequiredService<RedisPasscodeRotations>());
        services.AddHostedService(sp => sp.GetRequiredService<RedisPasscodeRotations>());
        services.AddSingleton<RedisEventDeletions>();
        services.AddSingleton<Admin.EventDeletions>(sp => sp.GetRequiredService<RedisEventDeletions>());
        services.AddHostedService(sp => sp.GetRequiredService<RedisEventDeletions>());
        services.AddHealthChecks().AddCheck<RedisHealthCheck>("redis", tags: [ReadyTag]);
        return services;
    }

    /// <summary>Data Protection key folder for a single node: beside the data.</summary>
    public static string FileKeyDirectory(IConfiguration configuration)
    {
        var store = configuration.GetSection(StoreOptions.Section).Get<StoreOptions>() ?? new StoreOptions();
        return Path.Combine(store.DataDirectory ?? Path.GetDirectoryName(Path.GetFullPath(store.SqlitePath))!, "keys");
    }
}

public sealed class RedisHealthCheck(IConnectionMultiplexer redis) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await redis.GetDatabase().PingAsync();
            return HealthCheckResult.Healthy();
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            return HealthCheckResult.Unhealthy("Redis does not answer.", ex);
        }
    }
}
