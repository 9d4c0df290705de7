using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Gateway.Shared;

/// <summary>
/// A program's readiness lines, its own [LoggerMessage]s (each program has its own event ids): changed (status, phase,
/// checks) at Information, lost (checks) at Warning, probed (status) at Debug.
/// </summary>
internal sealed record ReadinessLog(
    Action<ILogger, string, string, string> Changed, Action<ILogger, string> Lost, Action<ILogger, string> Probed);

/// <summary>
/// The health check service, logging the readiness verdict once per change instead of once per probe and check
/// (shared by the gateway and the worker, linked from src/Shared). A 503 while the program starts (the database not
/// answering yet, the catalog not loaded, the loops not claiming yet) or stops is expected, so it is Information;
/// losing readiness once it was ready is a Warning; every probe is Debug. The health check service's own lines, which
/// put each failing check of each probe at Error, are turned off by <see cref="Decorate"/>.
/// </summary>
internal sealed class LoggedHealthChecks(
    HealthCheckService checks, IHostApplicationLifetime lifetime, ILogger logger, ReadinessLog log) : HealthCheckService
{
    /// <summary>The health check service's own category, whose per-probe Error lines this replaces.</summary>
    public const string ServiceCategory = "Microsoft.Extensions.Diagnostics.HealthChecks.DefaultHealthCheckService";

    private const int NoVerdict = -1;

    private int lastStatus = NoVerdict;
    private volatile bool beenReady;

    /// <summary>
    /// Replaces the registered health check service with itself wrapped around it, logging as
    /// <paramref name="category"/>, and turns the service's own lines off (first in the filter list, so a level
    /// configured for that category still wins).
    /// </summary>
    public static void Decorate(IServiceCollection services, string category, ReadinessLog log)
    {
        var registered = services.Single(service => service.ServiceType == typeof(HealthCheckService));
        services.Remove(registered);
        services.AddSingleton<HealthCheckService>(provider => new LoggedHealthChecks(
            (HealthCheckService)ActivatorUtilities.CreateInstance(provider, registered.ImplementationType!),
            provider.GetRequiredService<IHostApplicationLifetime>(),
            provider.GetRequiredService<ILoggerFactory>().CreateLogger(category),
            log));
        services.Configure<LoggerFilterOptions>(filters =>
            filters.Rules.Insert(0, new LoggerFilterRule(null, ServiceCategory, LogLevel.None, null)));
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
            log.Probed(logger, status);
        }
        else if (!ready && phase == "running")
        {
            log.Lost(logger, Describe(report));
        }
        else
        {
            log.Changed(logger, status, phase, Describe(report));
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
