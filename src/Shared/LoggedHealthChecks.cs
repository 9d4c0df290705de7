using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration.Memory;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;

namespace Gateway.Shared;

/// <summary>What a program says about its readiness, with its own event ids and, for a loss, its own level.</summary>
internal interface IReadinessLog
{
    /// <summary>The verdict changed while starting or stopping, or became ready (or degraded): Information.</summary>
    void Changed(string status, string phase, string checks);

    /// <summary>Readiness was lost once the program had been ready.</summary>
    void Lost(string checks);

    /// <summary>A probe got the same verdict as the one before: Debug.</summary>
    void Probed(string status);
}

/// <summary>
/// The health check service (compiled into the gateway and the worker, linked from src/Shared), logging the readiness
/// verdict once per change instead of once per probe and check. A 503 while the program starts (the database not
/// answering yet, the catalog not loaded, the loops not claiming) or stops is expected, so it is Information; losing
/// readiness once ready is the program's to rank (<see cref="IReadinessLog.Lost"/>); every probe is Debug. The health
/// check service's own lines, which put each failing check of each probe at Error, are off by default.
/// </summary>
internal sealed class LoggedHealthChecks(
    HealthCheckService checks, IHostApplicationLifetime lifetime, IReadinessLog log) : HealthCheckService
{
    private const int NoVerdict = -1;

    /// <summary>Below every other source, so an operator may still turn the service's own lines on.</summary>
    private static readonly Dictionary<string, string?> Defaults = new(StringComparer.Ordinal)
    {
        ["Logging:LogLevel:Microsoft.Extensions.Diagnostics.HealthChecks.DefaultHealthCheckService"] = "None",
    };

    private int lastStatus = NoVerdict;
    private volatile bool beenReady;

    /// <summary>Replaces the registered health check service with itself wrapped around it, logging through <typeparamref name="TLog"/>.</summary>
    public static void Decorate<TLog>(WebApplicationBuilder builder)
        where TLog : class, IReadinessLog
    {
        builder.Configuration.Sources.Insert(0, new MemoryConfigurationSource { InitialData = Defaults });
        var services = builder.Services;
        services.AddSingleton<IReadinessLog, TLog>();
        var registered = services.Single(service => service.ServiceType == typeof(HealthCheckService));
        services.Remove(registered);
        services.AddSingleton<HealthCheckService>(provider => new LoggedHealthChecks(
            (HealthCheckService)ActivatorUtilities.CreateInstance(provider, registered.ImplementationType!),
            provider.GetRequiredService<IHostApplicationLifetime>(),
            provider.GetRequiredService<IReadinessLog>()));
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
            log.Probed(status);
        }
        else if (!ready && phase == "running")
        {
            log.Lost(Describe(report));
        }
        else
        {
            log.Changed(status, phase, Describe(report));
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
