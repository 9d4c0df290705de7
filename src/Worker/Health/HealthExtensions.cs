using Gateway.Shared;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Gateway.Worker.Health;

internal static class HealthExtensions
{
    private const string ReadyTag = HealthEndpoints.ReadyTag;

    public static WebApplicationBuilder AddWorkerHealth(this WebApplicationBuilder builder)
    {
        builder.Services.AddHealthChecks()
            .AddCheck<DatabaseHealthCheck>("database", tags: [ReadyTag], timeout: TimeSpan.FromSeconds(5))
            .AddCheck<LoopsHealthCheck>("loops", tags: [ReadyTag])
            .AddCheck<ListenerHealthCheck>("listener", tags: [ReadyTag]);
        LoggedHealthChecks.Decorate(builder.Services);
        return builder;
    }

    /// <summary>
    /// <c>/health/live</c>: the process answers (no check runs). <c>/health/ready</c>: the database answers the worker's
    /// login and the loops are claiming tasks (503 otherwise); a lost notification listener only degrades it (200),
    /// since polling still finds every task.
    /// </summary>
    public static WebApplication MapWorkerHealth(this WebApplication app) => app.MapLiveAndReady();
}

internal sealed class LoopsHealthCheck(WorkerState state) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(state switch
        {
            { Refusal: { } refusal } => HealthCheckResult.Unhealthy($"Refused to run: {refusal}."),
            { Running: true } => HealthCheckResult.Healthy($"Claiming tasks; {state.InFlight} in flight."),
            _ => HealthCheckResult.Unhealthy("Not claiming tasks (starting, waiting for the database, or stopping)."),
        });
}

internal sealed class ListenerHealthCheck(WorkerState state) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(state.Listening
            ? HealthCheckResult.Healthy("Listening for new tasks.")
            : HealthCheckResult.Degraded("Not listening for new tasks; polling only."));
}
