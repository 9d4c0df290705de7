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
        LoggedHealthChecks.Decorate<WorkerReadinessLog>(builder);
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

/// <summary>The worker's readiness lines: a loss once running is a Warning (the loops retry the database by themselves).</summary>
internal sealed class WorkerReadinessLog(ILogger<LoggedHealthChecks> logger) : IReadinessLog
{
    public void Changed(string status, string phase, string checks) => WorkerLog.ReadinessChanged(logger, status, phase, checks);

    public void Lost(string checks) => WorkerLog.ReadinessLost(logger, checks);

    public void Probed(string status) => WorkerLog.ReadinessProbed(logger, status);
}
