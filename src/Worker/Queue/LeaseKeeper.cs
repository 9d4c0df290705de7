using Gateway.Worker.Metrics;
using Npgsql;

namespace Gateway.Worker.Queue;

/// <summary>
/// The lease length the database hands out (<c>queues.lease_seconds()</c>), read at start-up and refreshed with the
/// queue statistics, so a change of <c>internal.config</c> reaches running workers.
/// </summary>
internal sealed class LeaseDuration
{
    private long ticks = TimeSpan.FromSeconds(300).Ticks;

    public TimeSpan Current
    {
        get => TimeSpan.FromTicks(Interlocked.Read(ref ticks));
        set => Interlocked.Exchange(ref ticks, value.Ticks);
    }

    /// <summary>Renewing at a third of the lease leaves two chances before it runs out.</summary>
    public TimeSpan RenewalInterval => TimeSpan.FromTicks(Math.Max(Current.Ticks / 3, TimeSpan.FromMilliseconds(50).Ticks));
}

/// <summary>
/// Keeps the lease of one task while it is processed: renews it every third of the lease length until disposed,
/// so a second worker never takes a task that is still running. If a renewal finds the lease gone (the worker was
/// stalled past its expiry), it stops and logs: the task may now be running twice, which handlers tolerate.
/// </summary>
internal sealed class LeaseKeeper : IAsyncDisposable
{
    private readonly CancellationTokenSource stop = new();
    private readonly Task renewing;

    private LeaseKeeper(long taskId, TaskQueue queue, LeaseDuration lease, WorkerMetrics metrics, ILogger logger) =>
        renewing = RenewAsync(taskId, queue, lease, metrics, logger, stop.Token);

    public static LeaseKeeper Start(long taskId, TaskQueue queue, LeaseDuration lease, WorkerMetrics metrics, ILogger logger) =>
        new(taskId, queue, lease, metrics, logger);

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        await renewing;
        stop.Dispose();
    }

    private static async Task RenewAsync(long taskId, TaskQueue queue, LeaseDuration lease, WorkerMetrics metrics, ILogger logger, CancellationToken stopToken)
    {
        try
        {
            while (true)
            {
                await Task.Delay(lease.RenewalInterval, stopToken);
                try
                {
                    var expiresAt = await queue.RenewLeaseAsync(taskId, stopToken);
                    if (expiresAt is null)
                    {
                        metrics.LeaseRenewal("lost");
                        WorkerLog.LeaseLost(logger, taskId);
                        return;
                    }

                    metrics.LeaseRenewal("renewed");
                    WorkerLog.LeaseRenewed(logger, taskId, expiresAt.Value);
                }
                catch (Exception error) when (error is NpgsqlException or TimeoutException && !stopToken.IsCancellationRequested)
                {
                    // The lease still has two thirds left at the first miss; try again at the next interval.
                    metrics.LeaseRenewal("error");
                    WorkerLog.LeaseRenewalFailed(logger, taskId, error);
                }
            }
        }
        catch (Exception) when (stopToken.IsCancellationRequested)
        {
            // The task is done; whatever a renewal cut short by that met no longer matters.
        }
    }
}
