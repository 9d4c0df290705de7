using Gateway.Worker.Queue;
using Npgsql;

namespace Gateway.Worker.Processing;

/// <summary>
/// <c>db_function</c> tasks: runs the function named by <c>payload.db_function</c> through
/// <c>internal.run_function</c> with the whole payload. Any status it returns is an answer, not a failure
/// (supervisors answer <c>scheduled</c> or <c>max_attempts_reached</c>), so a status other than
/// <c>succeeded</c> is logged; only an error raised by the function fails the task.
/// </summary>
internal sealed class DbFunctionProcessor(TaskQueue queue, ILogger<DbFunctionProcessor> logger) : ITaskProcessor
{
    public string TaskType => "db_function";

    public async Task<TaskOutcome> ProcessAsync(QueuedTask task, CancellationToken cancellationToken)
    {
        if (TaskPayload.Text(task.Payload, "db_function") is not { } function)
        {
            return TaskOutcome.Failed("db_function task has no function name in payload.db_function");
        }

        try
        {
            var result = await queue.RunFunctionAsync(function, task.Payload, cancellationToken);
            var status = TaskPayload.Status(result);
            if (status != TaskPayload.Succeeded)
            {
                WorkerLog.FunctionStatus(logger, function, status ?? "(none)");
            }

            return TaskOutcome.Succeeded;
        }
        catch (PostgresException error) when (!error.IsTransient)
        {
            return TaskOutcome.Failed($"{function} failed: {TaskPayload.Describe(error)}");
        }
    }
}
