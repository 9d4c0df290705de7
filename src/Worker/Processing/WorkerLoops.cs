using Gateway.Worker.Configuration;
using Gateway.Worker.Queue;
using Npgsql;

namespace Gateway.Worker.Processing;

/// <summary>
/// The worker itself: <c>Worker__Concurrency</c> loops, each claiming a task in its own transaction
/// (<c>queues.dequeue_next_available_task()</c>) and running it with the <see cref="TaskRunner"/>. An idle loop
/// sleeps until a notification, the next scheduled task's due time, or the poll interval, whichever comes first.
/// On shutdown (SIGTERM) the loops stop claiming at once and in-flight tasks get <c>Worker__ShutdownTimeout</c> to
/// finish; then they are cancelled and handed back.
/// </summary>
internal sealed class WorkerLoops(
    TaskQueue queue,
    TaskRunner runner,
    WakeSignal signal,
    LeaseDuration lease,
    WorkerState state,
    WorkerOptions options,
    IHostApplicationLifetime lifetime,
    ILogger<WorkerLoops> logger) : BackgroundService
{
    /// <summary>The shortest idle sleep, so that a due task locked by another worker's dequeue is not spun on.</summary>
    private static readonly TimeSpan ShortestIdle = TimeSpan.FromMilliseconds(50);

    private static readonly TimeSpan LongestBackoff = TimeSpan.FromSeconds(30);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!await CheckLoginAsync(stoppingToken))
        {
            return;
        }

        // Before the registration, whose callback runs at once if shutdown has already begun.
        state.Running = true;
        using var abort = new CancellationTokenSource();
        await using var stopping = stoppingToken.Register(() =>
        {
            state.Running = false;
            WorkerLog.Stopping(logger, state.InFlight, options.ShutdownTimeout);
            abort.CancelAfter(options.ShutdownTimeout);
        });

        WorkerLog.Started(logger, options.Concurrency, string.Join(", ", runner.TaskTypes), options.PollInterval, lease.Current);
        var loops = Enumerable.Range(0, options.Concurrency).Select(_ => Task.Run(() => LoopAsync(stoppingToken, abort.Token), CancellationToken.None));
        await Task.WhenAll(loops);
        WorkerLog.Stopped(logger);
    }

    /// <summary>
    /// Waits for the database (it may still be migrating), then refuses to run as a login that could do more than
    /// the worker's grants allow: a superuser or an owner would make every missing grant invisible.
    /// </summary>
    private async Task<bool> CheckLoginAsync(CancellationToken stoppingToken)
    {
        for (var failures = 1; ; failures++)
        {
            try
            {
                if (await queue.RefusalOfLoginAsync(stoppingToken) is { } refusal)
                {
                    state.Refuse(refusal);
                    WorkerLog.LoginRefused(logger, refusal);
                    lifetime.StopApplication();
                    return false;
                }

                lease.Current = await queue.LeaseDurationAsync(stoppingToken);
                return true;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return false;
            }
            catch (Exception error) when (error is NpgsqlException or TimeoutException)
            {
                var delay = Backoff(failures);
                WorkerLog.DatabaseUnavailable(logger, delay, error);
                if (!await DelayAsync(delay, stoppingToken))
                {
                    return false;
                }
            }
        }
    }

    private async Task LoopAsync(CancellationToken stoppingToken, CancellationToken abort)
    {
        var failures = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                // Not cancellable: a dequeue cancelled after its commit would strand its task until the lease ran out.
                var task = await queue.DequeueAsync(CancellationToken.None);
                failures = 0;
                if (task is null)
                {
                    await IdleAsync(stoppingToken);
                    continue;
                }

                await runner.RunAsync(task, abort);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception error) when (error is NpgsqlException or TimeoutException)
            {
                // Dequeue, or recording an outcome, failed: a task left uncompleted comes back when its lease runs out.
                var delay = Backoff(++failures);
                WorkerLog.QueueUnavailable(logger, delay, error);
                if (!await DelayAsync(delay, stoppingToken))
                {
                    break;
                }
            }
        }
    }

    private async Task IdleAsync(CancellationToken stoppingToken)
    {
        var sleep = options.PollInterval;
        try
        {
            var stats = await queue.StatsAsync(stoppingToken);
            if (stats.Any(row => row.Due > 0))
            {
                sleep = ShortestIdle;
            }
            else if (stats.Select(row => row.NextAvailableInSeconds).Where(seconds => seconds is not null).Min() is { } seconds)
            {
                var untilNext = TimeSpan.FromSeconds(seconds);
                sleep = untilNext < ShortestIdle ? ShortestIdle : untilNext < sleep ? untilNext : sleep;
            }
        }
        catch (Exception error) when (error is NpgsqlException or TimeoutException)
        {
            // The next dequeue reports the database; until then, sleep the poll interval.
            WorkerLog.StatsUnavailable(logger, error);
        }

        await signal.WaitAsync(sleep, stoppingToken);
    }

    private static TimeSpan Backoff(int failures) =>
        TimeSpan.FromMilliseconds(Math.Min(LongestBackoff.TotalMilliseconds, 250 * Math.Pow(2, Math.Min(failures - 1, 10))));

    private static async Task<bool> DelayAsync(TimeSpan delay, CancellationToken stoppingToken)
    {
        try
        {
            await Task.Delay(delay, stoppingToken);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}
