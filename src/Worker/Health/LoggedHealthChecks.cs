using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Gateway.Worker.Health;

/// <summary>
/// The health check service, logging the readiness verdict once per change instead of once per probe and check.
/// A 503 while the worker starts (the database not answering yet, the loops not claiming yet) or stops is expected,
/// so it is Information; losing readiness once it was ready is a Warning; every probe is Debug. The health check
/// service's own lines, which put each failing check of each probe at Error, are off by default (see
/// <c>ConfigurationExtensions</c>).
/// </summary>
internal sealed class LoggedHealthChecks(
    HealthCheckService checks, IHostApplicationLifetime lifetime, ILogger<LoggedHealthChecks> logger) : HealthCheckService
{
    private const int NoVerdict = -1;

    private int lastStatus = NoVerdict;
    private volatile bool beenReady;

    /// <summary>Replaces the registered health check service with itself wrapped around it.</summary>
    public static void Decorate(IServiceCollection services)
    {
        var registered = services.Single(service => service.ServiceType == typeof(HealthCheckService));
        services.Remove(registered);
        services.AddSingleton<HealthCheckService>(provider => new LoggedHealthChecks(
            (HealthCheckService)ActivatorUtilities.CreateInstance(provider, registered.ImplementationType!),
            provider.GetRequiredService<IHostApplicationLifetime>(),
            provider.GetRequiredService<ILogger<LoggedHealthChecks>>()));
    }

    public override async Task<HealthReport> CheckHealthAsync(
        Func<HealthCheckRegistration, bool>? predicate, CancellationToken cancellationToken = default)
    {
        var report = await checks.CheckHealthAsync(predicate, cancellationToken);
        // The liveness probe runs no check: nothing to say.
        if (report.Entries.Count > 0)
        {
            Log(report);
        }

        return report;
    }

    private void Log(HealthReport report)
    {
        var status = report.Status.ToString();
        var phase = lifetime.ApplicationStopping.IsCancellationRequested ? "stopping" : beenReady ? "running" : "starting";
        var ready = report.Status != HealthStatus.Unhealthy;
        beenReady |= ready;
        if (Interlocked.Exchange(ref lastStatus, (int)report.Status) == (int)report.Status)
        {
            WorkerLog.ReadinessProbed(logger, status);
        }
        else if (!ready && phase == "running")
        {
            WorkerLog.ReadinessLost(logger, Describe(report));
        }
        else
        {
            WorkerLog.ReadinessChanged(logger, status, phase, Describe(report));
        }
    }

    private static string Describe(HealthReport report)
    {
        var failing = report.Entries
            .Where(entry => entry.Value.Status != HealthStatus.Healthy)
            .Select(entry => $"{entry.Key} {entry.Value.Status} ({entry.Value.Description})")
            .ToList();
        return failing.Count == 0 ? "every check passes" : string.Join("; ", failing);
    }
}
