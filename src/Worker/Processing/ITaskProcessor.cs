using System.Text.Json.Nodes;
using Gateway.Worker.Queue;
using Npgsql;

namespace Gateway.Worker.Processing;

/// <summary>
/// Processes the tasks of one <c>task_type</c>; registered by that type, one class each. A processor returns the
/// outcome and never touches the queue: the <see cref="TaskRunner"/> records it. Business and provider failures
/// are a <see cref="TaskOutcome.Failed"/> value; cancellation (the shutdown bound) and transient database errors
/// are left to propagate, so the runner hands the task back instead of failing it.
/// </summary>
internal interface ITaskProcessor
{
    string TaskType { get; }

    Task<TaskOutcome> ProcessAsync(QueuedTask task, CancellationToken cancellationToken);
}

/// <summary>How processing a task ended: succeeded, or failed with the message recorded by <c>queues.fail_task</c>.</summary>
internal sealed record TaskOutcome
{
    private TaskOutcome(string? error) => Error = error;

    public static TaskOutcome Succeeded { get; } = new((string?)null);

    public string? Error { get; }

    public bool IsSuccess => Error is null;

    public static TaskOutcome Failed(string error) => new(error);
}

/// <summary>Reading the few payload fields the worker knows (the rest is passed through untouched).</summary>
internal static class TaskPayload
{
    public const string Succeeded = "succeeded";

    /// <summary>A non-blank string field, or null.</summary>
    public static string? Text(JsonObject payload, string field) =>
        payload[field] is JsonValue value && value.TryGetValue<string>(out var text) && !string.IsNullOrWhiteSpace(text) ? text : null;

    /// <summary>The <c>status</c> of a function result envelope (<c>{status, payload}</c>), or null.</summary>
    public static string? Status(JsonObject result) => Text(result, "status");

    /// <summary>A database error as recorded in <c>queues.error</c>: its SQLSTATE and message, without detail (which may quote data).</summary>
    public static string Describe(PostgresException error) => $"{error.SqlState}: {error.MessageText}";
}
