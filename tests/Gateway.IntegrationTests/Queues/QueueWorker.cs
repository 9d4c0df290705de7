using System.Text.Json.Nodes;
using Dapper;
using Gateway.IntegrationTests.Infrastructure;
using Npgsql;

namespace Gateway.IntegrationTests.Queues;

/// <summary>
/// The queue as the real worker uses it (seed-system §4): logged in as <c>worker_service_user</c>, each call
/// its own autocommit statement, so a claim is durable before the task is processed.
/// </summary>
public sealed class QueueWorker : IAsyncDisposable
{
    private QueueWorker(NpgsqlConnection connection) => Connection = connection;

    public NpgsqlConnection Connection { get; }

    public static async Task<QueueWorker> ConnectAsync(MigratedDatabase database) => new(await database.OpenWorkerAsync());

    /// <summary>Claims the next due task, or null when the function answers with its all-NULL row.</summary>
    public async Task<QueuedTask?> DequeueAsync()
    {
        var (taskId, taskType, payload, enqueuedAt, scheduledAt) =
            await Connection.QuerySingleAsync<(long?, string?, string?, DateTime?, DateTime?)>("""
                select task_id, task_type::text, payload::text, enqueued_at, scheduled_at
                from queues.dequeue_next_available_task()
                """);
        return taskId is null
            ? null
            : new QueuedTask(taskId.Value, taskType!, JsonNode.Parse(payload!)!.AsObject(), enqueuedAt!.Value, scheduledAt!.Value);
    }

    /// <summary>Claims the next due task, failing the test when nothing is due.</summary>
    public async Task<QueuedTask> DequeueDueAsync() =>
        await DequeueAsync() ?? throw new Xunit.Sdk.XunitException("Expected a due task, but the queue handed out nothing");

    public Task CompleteAsync(long taskId) =>
        Connection.ExecuteAsync("select queues.complete_task(@taskId)", new { taskId });

    public Task FailAsync(long taskId, string? errorMessage) =>
        Connection.ExecuteAsync("select queues.fail_task(@taskId, @errorMessage)", new { taskId, errorMessage });

    /// <summary>Calls an allow-listed function through <c>internal.run_function</c>, as the worker does for every function it runs.</summary>
    public async Task<JsonObject> RunFunctionAsync(string functionName, JsonObject payload)
    {
        var result = await Connection.ExecuteScalarAsync<string>(
            "select internal.run_function(@functionName, @payload::jsonb)::text",
            new { functionName, payload = payload.ToJsonString() });
        return JsonNode.Parse(result!)!.AsObject();
    }

    /// <summary>What the worker's db_function processor does: runs the payload's <c>db_function</c> with the whole payload.</summary>
    public Task<JsonObject> RunDbFunctionAsync(QueuedTask task) =>
        RunFunctionAsync(task.PayloadText("db_function"), task.Payload);

    public ValueTask DisposeAsync() => Connection.DisposeAsync();
}
