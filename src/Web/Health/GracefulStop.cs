using System.Collections.Concurrent;
using System.ComponentModel.DataAnnotations;
using LiveHub.Realtime;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace LiveHub.Web.Health;

/// <summary>
/// How a node stops. Section <c>LiveHub:Shutdown</c>, e.g.
/// <code>{ "LiveHub": { "Shutdown": { "DrainSeconds": 2, "TimeoutSeconds": 15 } } }</code>
/// </summary>
public sealed class ShutdownOptions
{
    public const string Section = "LiveHub:Shutdown";

    /// <summary>
    /// After SIGTERM, how long the node keeps serving the clients it has while <c>/health/ready</c> answers 503 and new hub
    /// connections are refused, so a load balancer that polls readiness stops sending people here first.
    /// </summary>
    [Range(0, 300)] public int DrainSeconds { get; set; } = 2;

    /// <summary>
    /// The budget of the whole stop (the host's shutdown timeout): the drain, the hub calls in flight, then Kestrel's requests
    /// in flight. Whatever is still running after it is cut. A service manager must wait longer than this before it kills.
    /// </summary>
    [Range(1, 600)] public int TimeoutSeconds { get; set; } = 15;
}

/// <summary>
/// A node that is told to stop (SIGTERM, <c>systemctl stop</c>, a rolling restart) leaves without losing anything:
/// readiness answers 503 at once and new hub connections are refused, so the load balancer sends new people elsewhere, while
/// the clients it has keep working for the drain; then new hub calls answer a retryable <c>unavailable</c> (the outbox resends
/// them after the reconnect), the calls in flight finish, and every hub connection is closed so its client reconnects, through
/// the load balancer, to another node. Only then does the host stop Kestrel, which finishes its HTTP requests in flight
/// within the same budget.
/// </summary>
public sealed partial class GracefulStop(IOptions<ShutdownOptions> options, IHostApplicationLifetime lifetime, ILogger<GracefulStop> logger)
    : IHostedLifecycleService, IHubFilter
{
    private static readonly HubError Restarting =
        new(ErrorCodes.Unavailable, "error.unavailable", "This server is restarting; the request can be retried.", Retryable: true, RetryAfterSeconds: 1);

    private readonly ConcurrentDictionary<string, HubCallerContext> _connections = new();
    private readonly Lock _gate = new();
    private Task? _drain;
    private CancellationTokenRegistration _onStopping;
    private int _inFlight;
    private volatile bool _stopping;
    private volatile bool _closing;

    /// <summary>True from the moment the node is told to stop.</summary>
    public bool IsStopping => _stopping;

    // A signal (SIGTERM, Ctrl-C) fires ApplicationStopping before the host begins to stop, and SignalR drops every connection in
    // its own ApplicationStopping callback, calls in flight or not. Token callbacks run newest first, so this one, registered
    // once the hub is mapped and the server started, runs before SignalR's and holds it back until the drain is done.
    public Task StartedAsync(CancellationToken cancellationToken)
    {
        _onStopping = lifetime.ApplicationStopping.Register(() => Drain().GetAwaiter().GetResult());
        return Task.CompletedTask;
    }

    // A host stopped from code (tests, an embedding app) comes here first; either way the drain runs once.
    public Task StoppingAsync(CancellationToken cancellationToken) => Drain().WaitAsync(cancellationToken);

    private Task Drain()
    {
        lock (_gate)
        {
            _stopping = true;
            return _drain ??= Task.Run(DrainAsync);
        }
    }

    private async Task DrainAsync()
    {
        var o = options.Value;
        LogStopping(logger, _connections.Count, o.DrainSeconds);
        using var budget = new CancellationTokenSource(TimeSpan.FromSeconds(o.TimeoutSeconds));
        try
        {
            await Task.Delay(TimeSpan.FromSeconds(o.DrainSeconds), budget.Token);
            _closing = true;
            while (Volatile.Read(ref _inFlight) > 0)
            {
                await Task.Delay(20, budget.Token);
            }
        }
        catch (OperationCanceledException)
        {
            LogOutOfTime(logger, Volatile.Read(ref _inFlight));
        }
        var closed = 0;
        foreach (var connection in _connections.Values)
        {
            // Asked to close, SignalR tells the client it may reconnect (CloseMessage.AllowReconnect), so clients with automatic
            // reconnect come back through the load balancer; Abort() would tell them to stay away.
            if (connection.Features.Get<IConnectionLifetimeNotificationFeature>() is { } notification)
            {
                notification.RequestClose();
            }
            else
            {
                connection.Abort();
            }
            closed++;
        }
        LogClosed(logger, closed);
    }

    public async ValueTask<object?> InvokeMethodAsync(HubInvocationContext context, Func<HubInvocationContext, ValueTask<object?>> next)
    {
        // Counted before the check: a call that saw the node open is waited for; one that comes after is refused.
        Interlocked.Increment(ref _inFlight);
        try
        {
            return _closing ? HubGuardFilter.Failure(context, Restarting) : await next(context);
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
        }
    }

    public Task OnConnectedAsync(HubLifetimeContext context, Func<HubLifetimeContext, Task> next)
    {
        _connections[context.Context.ConnectionId] = context.Context;
        return next(context);
    }

    public Task OnDisconnectedAsync(HubLifetimeContext context, Exception? exception, Func<HubLifetimeContext, Exception?, Task> next)
    {
        _connections.TryRemove(context.Context.ConnectionId, out _);
        return next(context, exception);
    }

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken)
    {
        _onStopping.Dispose();
        return Task.CompletedTask;
    }

    /// <summary>Readiness: a stopping node is not ready, whatever it can still reach.</summary>
    public sealed class ReadinessCheck(GracefulStop stop) : IHealthCheck
    {
        public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
            Task.FromResult(stop.IsStopping ? HealthCheckResult.Unhealthy("The node is stopping.") : HealthCheckResult.Healthy());
    }

    [LoggerMessage(EventId = 5001, Level = LogLevel.Information, Message = "Stopping: not ready, refusing new hub connections; {Connections} connections drain for {DrainSeconds} s")]
    private static partial void LogStopping(ILogger logger, int connections, int drainSeconds);

    [LoggerMessage(EventId = 5002, Level = LogLevel.Warning, Message = "Stopping: out of time with {InFlight} hub calls still running")]
    private static partial void LogOutOfTime(ILogger logger, int inFlight);

    [LoggerMessage(EventId = 5003, Level = LogLevel.Information, Message = "Stopping: closed {Connections} hub connections; their clients reconnect elsewhere")]
    private static partial void LogClosed(ILogger logger, int connections);
}

public static class GracefulStopSetup
{
    public static IServiceCollection AddGracefulStop(this IServiceCollection services)
    {
        services.AddOptions<ShutdownOptions>().BindConfiguration(ShutdownOptions.Section).ValidateDataAnnotations()
            .Validate(o => o.TimeoutSeconds > o.DrainSeconds, "LiveHub:Shutdown:TimeoutSeconds must be longer than DrainSeconds.")
            .ValidateOnStart();
        services.AddOptions<HostOptions>().Configure<IOptions<ShutdownOptions>>((host, shutdown) =>
            host.ShutdownTimeout = TimeSpan.FromSeconds(shutdown.Value.TimeoutSeconds));
        services.AddSingleton<GracefulStop>();
        services.AddHostedService(sp => sp.GetRequiredService<GracefulStop>());
        services.Configure<HubOptions>(o => o.AddFilter<GracefulStop>());
        services.AddHealthChecks().AddCheck<GracefulStop.ReadinessCheck>("stopping", tags: [Observability.ReadyTag]);
        return services;
    }

    /// <summary>A stopping node refuses new hub connections with 503, which nginx retries on the next node.</summary>
    public static IApplicationBuilder UseGracefulStop(this IApplicationBuilder app, PathString hubPath)
    {
        var stop = app.ApplicationServices.GetRequiredService<GracefulStop>();
        return app.Use(async (context, next) =>
        {
            if (stop.IsStopping && context.Request.Path.StartsWithSegments(hubPath))
            {
                context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
                context.Response.Headers.RetryAfter = "1";
                return;
            }
            await next(context);
        });
    }
}
