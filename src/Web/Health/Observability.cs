using Dapper;
using LiveHub.Data;
using LiveHub.Realtime;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using LiveHub.Web.Security;
using OpenTelemetry.Metrics;

namespace LiveHub.Web.Health;

/// <summary>Liveness and readiness probes, and OpenTelemetry metrics with a Prometheus scrape endpoint.</summary>
public static class Observability
{
    public const string ReadyTag = "ready";

    public static IServiceCollection AddLiveHubObservability(this IServiceCollection services)
    {
        services.AddHealthChecks().AddCheck<DatabaseHealthCheck>("database", tags: [ReadyTag]);
        services.AddOpenTelemetry().WithMetrics(metrics => metrics
            .AddMeter(LiveHubMetrics.MeterName)
            .AddAspNetCoreInstrumentation()
            .AddRuntimeInstrumentation()
            .AddPrometheusExporter());
        return services;
    }

    public static IEndpointRouteBuilder MapLiveHubHealth(this IEndpointRouteBuilder app)
    {
        // Live: the process answers. Ready: it can also reach what it needs, so a load balancer may send it people.
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false }).AllowAnyone();
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = check => check.Tags.Contains(ReadyTag) }).AllowAnyone();
        // Anyone who reaches it: the load balancer keeps it to the internal network (docs/deploy.md).
        app.MapPrometheusScrapingEndpoint("/metrics").AllowAnyone();
        return app;
    }
}

public sealed class DatabaseHealthCheck(Database db) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await using var connection = await db.OpenAsync(cancellationToken);
            await connection.ExecuteScalarAsync<long>(new CommandDefinition("SELECT 1", cancellationToken: cancellationToken));
            return HealthCheckResult.Healthy();
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return HealthCheckResult.Unhealthy("The database does not answer.", ex);
        }
    }
}
