using Gateway.Configuration;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Gateway.Catalog;

/// <summary>
/// Loads the catalog at start-up and reloads it on <c>NOTIFY pgrst, 'reload schema'</c> (or an empty payload),
/// listening on a connection of its own. After a lost connection (a database restart) it reconnects with
/// backoff and reloads, since notifications sent meanwhile are lost. A failed reload keeps the old snapshot,
/// so requests keep being served. An outage is logged when the connection is lost and when it is back, not at
/// every attempt between (those are at Debug).
/// </summary>
internal sealed partial class CatalogListener(
    Replicas.SessionTargets targets,
    CatalogLoader loader,
    CatalogStore store,
    CatalogSettings settings,
    ILogger<CatalogListener> logger,
    Observability.GatewayMetrics? metrics = null) : BackgroundService
{
    public const string Channel = "pgrst";

    private static readonly TimeSpan MinBackoff = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(30);

    // Reset once a connection has listened and loaded, so one outage does not slow every later reconnect.
    private TimeSpan backoff = MinBackoff;

    // Attempts that failed since the connection was lost; 0 while listening.
    private int failedAttempts;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await ListenAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                LogListenerLost(logger, failedAttempts++ == 0 ? LogLevel.Warning : LogLevel.Debug, ex.Message, backoff.TotalMilliseconds);
                await Task.Delay(backoff, stoppingToken);
                backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, MaxBackoff.Ticks));
            }
        }
    }

    private async Task ListenAsync(CancellationToken stoppingToken)
    {
        // LISTEN needs the primary: a standby refuses it during recovery.
        await using var connection = await targets.Writes.OpenConnectionAsync(stoppingToken);
        var reloadRequested = false;
        connection.Notification += (_, e) =>
        {
            if (e.Payload is "" or "reload schema")
            {
                reloadRequested = true;
            }
        };
        await using (var listen = new NpgsqlCommand($"listen {Channel}", connection))
        {
            await listen.ExecuteNonQueryAsync(stoppingToken);
        }

        // Listening first, then loading: a change made during the load is not missed.
        await ReloadAsync(stoppingToken);
        backoff = MinBackoff;
        if (failedAttempts > 0)
        {
            LogListenerBack(logger, failedAttempts);
            failedAttempts = 0;
        }
        while (!stoppingToken.IsCancellationRequested)
        {
            await connection.WaitAsync(stoppingToken);
            if (reloadRequested)
            {
                reloadRequested = false;
                await ReloadAsync(stoppingToken);
            }
        }
    }

    private async Task ReloadAsync(CancellationToken cancellationToken)
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        CatalogSnapshot snapshot;
        try
        {
            snapshot = await loader.LoadAsync(settings.Schema, cancellationToken);
        }
        catch (Exception) when (!cancellationToken.IsCancellationRequested)
        {
            metrics?.CatalogLoaded(false, System.Diagnostics.Stopwatch.GetElapsedTime(started));
            throw;
        }

        store.Replace(snapshot);
        metrics?.CatalogLoaded(true, System.Diagnostics.Stopwatch.GetElapsedTime(started));
        LogLoaded(logger, settings.Schema, snapshot.Relations.Count, snapshot.Routines.Sum(r => r.Value.Count),
            snapshot.Relationships.Sum(r => r.Value.Count), System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds);
    }

    [LoggerMessage(EventId = Observability.EventIds.CatalogLoaded, Level = LogLevel.Information,
        Message = "Catalog of schema {Schema} loaded: {Relations} relations, {Routines} functions, {Relationships} relationships in {ElapsedMs:0} ms")]
    private static partial void LogLoaded(ILogger logger, string schema, int relations, int routines, int relationships, double elapsedMs);

    [LoggerMessage(EventId = Observability.EventIds.CatalogListenerLost,
        Message = "Catalog listener lost its connection ({Reason}); retrying in {DelayMs} ms")]
    private static partial void LogListenerLost(ILogger logger, LogLevel level, string reason, double delayMs);

    [LoggerMessage(EventId = Observability.EventIds.CatalogListenerBack, Level = LogLevel.Information,
        Message = "Catalog listener is listening again after {Failures} failures; the catalog was reloaded")]
    private static partial void LogListenerBack(ILogger logger, int failures);
}

/// <summary>Which schema is exposed (<c>Gateway:Schema</c>, default <c>api</c>).</summary>
internal sealed record CatalogSettings(string Schema);

internal static class CatalogExtensions
{
    public static WebApplicationBuilder AddGatewayCatalog(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton(services => new CatalogSettings(services.GetRequiredService<IOptions<GatewayOptions>>().Value.Schema));
        builder.Services.AddSingleton<CatalogLoader>();
        builder.Services.AddSingleton<CatalogStore>();
        builder.Services.AddHostedService<CatalogListener>();
        return builder;
    }
}
