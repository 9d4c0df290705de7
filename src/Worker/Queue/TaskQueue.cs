using System.Text.Json.Nodes;
using Npgsql;
using NpgsqlTypes;

namespace Gateway.Worker.Queue;

/// <summary>A claimed task: what <c>queues.dequeue_next_available_task()</c> hands out.</summary>
internal sealed record QueuedTask(long TaskId, string TaskType, JsonObject Payload);

/// <summary>The queue's numbers for one task type (<c>queues.queue_stats()</c>).</summary>
internal sealed record QueueStats(
    string TaskType,
    long Due,
    long Leased,
    long Scheduled,
    double OldestDueAgeSeconds,
    double? NextAvailableInSeconds);

/// <summary>
/// Every SQL statement the worker runs, all as <c>worker_service_user</c> through functions granted to it; the
/// worker has no privilege on a table. Each call is its own autocommit transaction on a pooled connection, so a
/// claim is durable before its task is processed and a handler's writes are committed before the next step.
/// Payloads are sent as bound jsonb parameters, never as SQL text.
/// </summary>
internal sealed class TaskQueue(NpgsqlDataSource dataSource)
{
    /// <summary>Claims the next due task, or null when none is due (the function's all-NULL row).</summary>
    public async Task<QueuedTask?> DequeueAsync(CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            "select task_id, task_type::text, payload::text from queues.dequeue_next_available_task()");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken) || await reader.IsDBNullAsync(0, cancellationToken))
        {
            return null;
        }

        return new QueuedTask(
            reader.GetInt64(0),
            reader.GetString(1),
            JsonNode.Parse(reader.GetString(2))!.AsObject());
    }

    public async Task CompleteAsync(long taskId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("select queues.complete_task($1)");
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = taskId });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task FailAsync(long taskId, string errorMessage, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("select queues.fail_task($1, $2)");
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = taskId });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = errorMessage });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>The new expiry of the lease, or null when the task is no longer held (completed, or the lease ran out).</summary>
    public async Task<DateTimeOffset?> RenewLeaseAsync(long taskId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("select queues.renew_lease($1)");
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = taskId });
        var result = await command.ExecuteScalarAsync(cancellationToken);
        return result is DateTime expiresAt ? new DateTimeOffset(expiresAt, TimeSpan.Zero) : null;
    }

    /// <summary>Hands a task back: the next dequeue can take it at once. False when it held no active lease.</summary>
    public async Task<bool> ReleaseLeaseAsync(long taskId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("select queues.release_lease($1)");
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = taskId });
        return await command.ExecuteScalarAsync(cancellationToken) is true;
    }

    /// <summary>Runs an allow-listed <c>function(jsonb) returns jsonb</c> through <c>internal.run_function</c>.</summary>
    public async Task<JsonObject> RunFunctionAsync(string functionName, JsonObject payload, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("select internal.run_function($1, $2)::text");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = functionName });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = payload.ToJsonString(), NpgsqlDbType = NpgsqlDbType.Jsonb });
        var result = await command.ExecuteScalarAsync(cancellationToken) as string;
        // run_function turns a NULL result into {}; a function may still return a scalar or an array.
        return result is not null && JsonNode.Parse(result) is JsonObject json ? json : [];
    }

    public async Task<IReadOnlyList<QueueStats>> StatsAsync(CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            "select task_type, due, leased, scheduled, oldest_due_age_seconds, next_available_in_seconds from queues.queue_stats()");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var rows = new List<QueueStats>();
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(new QueueStats(
                reader.GetString(0),
                reader.GetInt64(1),
                reader.GetInt64(2),
                reader.GetInt64(3),
                reader.GetDouble(4),
                reader.IsDBNull(5) ? null : reader.GetDouble(5)));
        }

        return rows;
    }

    public async Task<TimeSpan> LeaseDurationAsync(CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("select queues.lease_seconds()");
        var seconds = (double)(await command.ExecuteScalarAsync(cancellationToken))!;
        return TimeSpan.FromSeconds(seconds);
    }

    /// <summary>Why this login must not run the worker, or null when it is an ordinary login without owner rights.</summary>
    public async Task<string?> RefusalOfLoginAsync(CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            select r.rolname, r.rolsuper, r.rolbypassrls,
                   exists (select from pg_catalog.pg_roles as o where o.rolname = 'gateway_owner' and pg_catalog.pg_has_role(r.oid, o.oid, 'member'))
            from pg_catalog.pg_roles as r
            where r.rolname = current_user
            """);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        var role = reader.GetString(0);
        if (reader.GetBoolean(1))
        {
            return $"the login '{role}' is a superuser; log in as worker_service_user";
        }

        if (reader.GetBoolean(2))
        {
            return $"the login '{role}' bypasses row-level security; log in as worker_service_user";
        }

        return reader.GetBoolean(3)
            ? $"the login '{role}' is a member of gateway_owner, which owns every object; log in as worker_service_user"
            : null;
    }
}
