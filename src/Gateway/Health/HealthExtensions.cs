using Gateway.Catalog;
using Gateway.Shared;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Gateway.Health;

internal static class HealthExtensions
{
    private const string ReadyTag = HealthEndpoints.ReadyTag;

    public static WebApplicationBuilder AddGatewayHealth(this WebApplicationBuilder builder)
    {
        builder.Services.AddHealthChecks()
            .AddCheck<DatabaseReadinessCheck>("database", tags: [ReadyTag], timeout: TimeSpan.FromSeconds(5))
            .AddCheck<CatalogHealthCheck>("catalog", tags: [ReadyTag]);
        LoggedHealthChecks.Decorate<GatewayReadinessLog>(builder);
        return builder;
    }

    /// <summary>
    /// <c>/health/live</c>: the process answers (no check runs). <c>/health/ready</c>: the database answers
    /// as <c>authenticator</c> and the catalog is loaded, so a load balancer sends traffic only to replicas that
    /// can serve it; a saturated pool is <c>Degraded</c>, still 200 (see <see cref="DatabaseReadinessCheck"/>).
    /// </summary>
    public static WebApplication MapGatewayHealth(this WebApplication app) => app.MapLiveAndReady();
}

/// <summary>Ready once the exposed schema's catalog has been loaded; until then requests get 503 PGRST002.</summary>
internal sealed class CatalogHealthCheck(CatalogStore store) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(store.Current is { } snapshot
            ? HealthCheckResult.Healthy($"Catalog loaded at {snapshot.LoadedAt:O}.")
            : HealthCheckResult.Unhealthy("The catalog is not loaded yet."));
}
