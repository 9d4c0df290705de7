using System.Collections.Frozen;
using System.Diagnostics;
using Gateway.Worker.Metrics;
using Gateway.Worker.Queue;
using Npgsql;

namespace Gateway.Worker.Processing;

/// <summary>
/// Runs one claimed task to its end: dispatches it by <c>task_type</c> to its processor while keeping its lease, then
/// records the outcome — <c>queues.fail_task</c> on failure, and always <c>queues.complete_task</c> (retrying a
/// business process is its supervisor's job, with a new task). Two ends leave the task uncompleted and release its
/// lease so it runs again: the shutdown bound passing mid-task, and a transient database error.
/// </summary>
internal sealed class TaskRunner
{
    private static readonly Func<ILogger, long, string, IDisposable?> TaskScope =
        LoggerMessage.DefineScope<long, string>("Task {TaskId} ({TaskType})");

    private readonly FrozenDictionary<string, ITaskProcessor> processors;
    private readonly TaskQueue queue;
    private readonly LeaseDuration lease;
    private readonly WorkerMetrics metrics;
    private readonly WorkerState state;
    private readonly ILogger<TaskRunner> logger;

    public TaskRunner(IEnumerable<ITaskProcessor> processors, TaskQueue queue, LeaseDuration lease, WorkerMetrics metrics, WorkerState state, ILogger<TaskRunner> logger)
    {
        // ToFrozenDictionary throws on a duplicate key: two processors for one task type is a wiring mistake.
        this.processors = processors.ToFrozenDictionary(processor => processor.TaskType, StringComparer.Ordinal);
        this.queue = queue;
        this.lease = lease;
        this.metrics = metrics;
        this.state = state;
        this.logger = logger;
    }

    public IEnumerable<string> TaskTypes => processors.Keys;

    /// <param name="task">A task this worker has just claimed.</param>
    /// <param name="abort">Cancelled when the shutdown bound has passed.</param>
    public async Task RunAsync(QueuedTask task, CancellationToken abort)
    {
        using var scope = TaskScope(logger, task.TaskId, task.TaskType);
        var started = Stopwatch.GetTimestamp();
        state.TaskStarted();
        try
        {
            TaskOutcome? outcome = null;
            var handBackReason = "";
            Exception? handBackCause = null;
            await using (LeaseKeeper.Start(task.TaskId, queue, lease, metrics, logger))
            {
                try
                {
                    outcome = await DispatchAsync(task, abort);
                }
                catch (OperationCanceledException) when (abort.IsCancellationRequested)
                {
                    handBackReason = "shutdown";
                }
                catch (NpgsqlException databaseError) when (databaseError.IsTransient)
                {
                    handBackReason = "database";
                    handBackCause = databaseError;
                }
            }

            // Released only now that the keeper has stopped, so it cannot find the lease gone and cry "lost".
            if (outcome is null)
            {
                await ReleaseAsync(task, handBackReason, handBackCause);
                return;
            }

            // Recorded even when shutdown's bound passes now: the work is done, only its record is left, and a
            // transient database failure here is retried: an unrecorded task would be run again (an email sent twice).
            if (outcome.Error is { } failure)
            {
                await TransientRetry.RunAsync(() => queue.FailAsync(task.TaskId, failure, CancellationToken.None));
            }

            await TransientRetry.RunAsync(() => queue.CompleteAsync(task.TaskId, CancellationToken.None));

            var elapsed = Stopwatch.GetElapsedTime(started);
            metrics.Completed(task.TaskType, outcome.IsSuccess, elapsed);
            if (outcome.Error is { } error)
            {
                WorkerLog.TaskFailed(logger, task.TaskId, task.TaskType, error);
            }
            else
            {
                WorkerLog.TaskSucceeded(logger, task.TaskId, task.TaskType, elapsed.TotalMilliseconds);
            }
        }
        finally
        {
            state.TaskEnded();
        }
    }

    private async Task<TaskOutcome> DispatchAsync(QueuedTask task, CancellationToken abort)
    {
        if (!processors.TryGetValue(task.TaskType, out var processor))
        {
            return TaskOutcome.Failed($"no processor for task type '{task.TaskType}'; this worker processes {string.Join(", ", processors.Keys.Order(StringComparer.Ordinal))}");
        }

        try
        {
            return await processor.ProcessAsync(task, abort);
        }
        catch (Exception error) when (!(error is OperationCanceledException && abort.IsCancellationRequested) && error is not NpgsqlException { IsTransient: true })
        {
            // A processor's bug must not come back every lease period: record it like any failure.
            WorkerLog.ProcessorCrashed(logger, task.TaskId, error);
            return TaskOutcome.Failed($"the {task.TaskType} processor failed unexpectedly: {error.GetType().Name}: {error.Message}");
        }
    }

    private async Task ReleaseAsync(QueuedTask task, string reason, Exception? error)
    {
        metrics.Released(task.TaskType, reason);
        WorkerLog.TaskReleased(logger, task.TaskId, task.TaskType, reason, error);
        try
        {
            await queue.ReleaseLeaseAsync(task.TaskId, CancellationToken.None);
        }
        catch (Exception releaseError) when (releaseError is NpgsqlException or TimeoutException)
        {
            // The lease then runs out by itself; the task is only later, not lost.
            WorkerLog.ReleaseFailed(logger, task.TaskId, releaseError);
        }
    }
}
