using System.Text.Json.Nodes;
using Gateway.Worker.Queue;
using Npgsql;

namespace Gateway.Worker.Processing;

/// <summary>What a provider call produced: the worker payload for the success handler, or an error.</summary>
internal sealed record ProviderResult(JsonObject? WorkerPayload, string? Error)
{
    public static ProviderResult Success(JsonObject workerPayload) => new(workerPayload, null);

    public static ProviderResult Failure(string error) => new(null, error);
}

/// <summary>
/// The contract of tasks that call an outside provider (seed-system §3.3): <c>payload.before_handler</c> turns the
/// task into what the provider needs (<c>{status: succeeded, payload}</c>); the provider is called; then
/// <c>success_handler</c> gets <c>{original_payload, worker_payload}</c>, or <c>error_handler</c> gets
/// <c>{original_payload, error}</c> and the task fails with that error. Every handler runs through
/// <c>internal.run_function</c>. A subclass supplies only the provider call.
/// </summary>
/// <remarks>
/// Once the provider has answered, the outcome is recorded even if the shutdown bound passes meanwhile: the
/// handlers run without the cancellation token, and a transient database error is retried a few times before
/// the task is handed back (which would call the provider again).
/// </remarks>
internal abstract class HandledTaskProcessor(TaskQueue queue) : ITaskProcessor
{

    public abstract string TaskType { get; }

    public async Task<TaskOutcome> ProcessAsync(QueuedTask task, CancellationToken cancellationToken)
    {
        var result = await PrepareAndCallProviderAsync(task, cancellationToken);
        return result.Error is null
            ? await RecordSuccessAsync(task, result.WorkerPayload!)
            : await RecordFailureAsync(task, result.Error);
    }

    /// <summary>Calls the provider with the before-handler's payload; a provider's refusal is a <see cref="ProviderResult.Failure"/>.</summary>
    protected abstract Task<ProviderResult> CallProviderAsync(QueuedTask task, JsonObject prepared, CancellationToken cancellationToken);

    private async Task<ProviderResult> PrepareAndCallProviderAsync(QueuedTask task, CancellationToken cancellationToken)
    {
        if (TaskPayload.Text(task.Payload, "before_handler") is not { } beforeHandler)
        {
            return ProviderResult.Failure($"{TaskType} task has no before_handler in its payload");
        }

        JsonObject prepared;
        try
        {
            prepared = await queue.RunFunctionAsync(beforeHandler, task.Payload, cancellationToken);
        }
        catch (PostgresException error) when (!error.IsTransient)
        {
            return ProviderResult.Failure($"before_handler {beforeHandler} failed: {TaskPayload.Describe(error)}");
        }

        if (TaskPayload.Status(prepared) is var status && status != TaskPayload.Succeeded)
        {
            return ProviderResult.Failure($"before_handler {beforeHandler} returned status {status ?? "(none)"}");
        }

        return prepared["payload"] is JsonObject payload
            ? await CallProviderAsync(task, payload, cancellationToken)
            : ProviderResult.Failure($"before_handler {beforeHandler} returned no payload object");
    }

    private async Task<TaskOutcome> RecordSuccessAsync(QueuedTask task, JsonObject workerPayload)
    {
        if (TaskPayload.Text(task.Payload, "success_handler") is not { } handler)
        {
            return TaskOutcome.Succeeded;
        }

        var problem = await RunHandlerAsync(handler, new JsonObject
        {
            ["original_payload"] = task.Payload.DeepClone(),
            ["worker_payload"] = workerPayload,
        });
        return problem is null ? TaskOutcome.Succeeded : TaskOutcome.Failed($"the provider accepted the {TaskType} task, but {problem}");
    }

    private async Task<TaskOutcome> RecordFailureAsync(QueuedTask task, string error)
    {
        if (TaskPayload.Text(task.Payload, "error_handler") is { } handler)
        {
            var problem = await RunHandlerAsync(handler, new JsonObject
            {
                ["original_payload"] = task.Payload.DeepClone(),
                ["error"] = error,
            });
            if (problem is not null)
            {
                return TaskOutcome.Failed($"{error}; then {problem}");
            }
        }

        return TaskOutcome.Failed(error);
    }

    /// <summary>Null when the handler answered <c>succeeded</c>; otherwise what went wrong.</summary>
    private async Task<string?> RunHandlerAsync(string handler, JsonObject payload)
    {
        try
        {
            var result = await TransientRetry.RunAsync(() => queue.RunFunctionAsync(handler, payload, CancellationToken.None));
            var status = TaskPayload.Status(result);
            return status == TaskPayload.Succeeded ? null : $"handler {handler} returned status {status ?? "(none)"}";
        }
        catch (PostgresException error) when (!error.IsTransient)
        {
            return $"handler {handler} failed: {TaskPayload.Describe(error)}";
        }
    }
}
