using Gateway.Worker.Configuration;
using Npgsql;

namespace Gateway.Worker.Queue;

/// <summary>The latest queue statistics, for the metrics' observable gauges (which must not query the database).</summary>
internal sealed class QueueStatsSnapshot
{
    private volatile IReadOnlyList<QueueStats> current = [];

    public IReadOnlyList<QueueStats> Current
    {
        get => current;
        set => current = value;
    }
}

/// <summary>
/// Reads <c>queues.queue_stats()</c> and <c>queues.lease_seconds()</c> every <c>Worker__StatsInterval</c>. A failed
/// read keeps the previous values; the health check reports the database separately.
/// </summary>
internal sealed class QueueStatsSampler(
    TaskQueue queue,
    QueueStatsSnapshot snapshot,
    LeaseDuration lease,
    WorkerOptions options,
    ILogger<QueueStatsSampler> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.StatsInterval);
        do
        {
            try
            {
                snapshot.Current = await queue.StatsAsync(stoppingToken);
                lease.Current = await queue.LeaseDurationAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception error) when (error is NpgsqlException or TimeoutException)
            {
                WorkerLog.StatsUnavailable(logger, error);
            }
        }
        while (await WaitAsync(timer, stoppingToken));
    }

    private static async Task<bool> WaitAsync(PeriodicTimer timer, CancellationToken stoppingToken)
    {
        try
        {
            return await timer.WaitForNextTickAsync(stoppingToken);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}
