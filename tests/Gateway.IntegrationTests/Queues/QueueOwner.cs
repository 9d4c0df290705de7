using System.Text.Json;
using System.Text.Json.Nodes;
using Dapper;
using Gateway.IntegrationTests.Infrastructure;
using Npgsql;

namespace Gateway.IntegrationTests.Queues;

/// <summary>
/// What only the owner can do to the queue, done here on the superuser connection: enqueue (granted to nobody,
/// since business functions enqueue as definers), read the owner-only tables, and move leases into the past so
/// that a test can see expiry without waiting for it.
/// </summary>
public static class QueueOwner
{
    /// <summary>Enqueues a db_function task due at now() + <paramref name="dueIn"/> (negative: already due).</summary>
    public static Task<long> EnqueueAsync(NpgsqlConnection admin, object payload, TimeSpan dueIn, NpgsqlTransaction? transaction = null) =>
        admin.ExecuteScalarAsync<long>(
            "select queues.enqueue('db_function', @payload::jsonb, now() + @dueIn)",
            new { payload = JsonSerializer.Serialize(payload), dueIn },
            transaction);

    /// <summary>Enqueues a db_function task that was due a minute ago.</summary>
    public static Task<long> EnqueueDueAsync(NpgsqlConnection admin, object payload) =>
        EnqueueAsync(admin, payload, TimeSpan.FromMinutes(-1));

    /// <summary>
    /// Completes every task earlier tests of the class left pending, due or not, so a test's dequeues see only
    /// the tasks it enqueues itself.
    /// </summary>
    public static async Task CompleteLeftoversAsync(MigratedDatabase database)
    {
        await using var admin = await database.OpenAdminAsync();
        await admin.ExecuteAsync("select queues.complete_task(p.task_id) from queues.task_pending as p");
    }

    /// <summary>Moves every lease of the task into the past, as if its worker had crashed five minutes ago.</summary>
    public static async Task ExpireLeasesAsync(NpgsqlConnection admin, long taskId)
    {
        await admin.ExecuteAsync(
            "update queues.task_pending set lease_expires_at = now() - interval '1 second' where task_id = @taskId and lease_expires_at is not null",
            new { taskId });
        await admin.ExecuteAsync(
            "update queues.task_lease set expires_at = now() - interval '1 second' where task_id = @taskId",
            new { taskId });
    }

    public static Task<int> LeaseCountAsync(NpgsqlConnection admin, long taskId) =>
        admin.ExecuteScalarAsync<int>("select count(*) from queues.task_lease where task_id = @taskId", new { taskId });

    public static Task<bool> IsCompletedAsync(NpgsqlConnection admin, long taskId) =>
        admin.ExecuteScalarAsync<bool>("select exists (select from queues.task_completed where task_id = @taskId)", new { taskId });

    public static Task<bool> IsPendingAsync(NpgsqlConnection admin, long taskId) =>
        admin.ExecuteScalarAsync<bool>("select exists (select from queues.task_pending where task_id = @taskId)", new { taskId });

    /// <summary>The error messages recorded for a task, oldest first.</summary>
    public static async Task<IReadOnlyList<string>> ErrorsAsync(NpgsqlConnection admin, long taskId) =>
        (await admin.QueryAsync<string>(
            "select error_message from queues.error where task_id = @taskId order by error_id", new { taskId })).ToList();

    /// <summary>Every task not yet completed, in the order the queue would hand them out.</summary>
    public static async Task<IReadOnlyList<PendingTask>> PendingAsync(NpgsqlConnection admin)
    {
        var rows = await admin.QueryAsync<(long, string, string, double, bool, bool)>("""
            select t.task_id, t.task_type::text, t.payload::text,
                   extract(epoch from t.scheduled_at - t.enqueued_at)::float8,
                   p.scheduled_at <= now(),
                   coalesce(p.lease_expires_at > now(), false)
            from queues.task_pending as p
            join queues.task as t on t.task_id = p.task_id
            order by p.scheduled_at, p.task_id
            """);
        return rows
            .Select(row => new PendingTask(row.Item1, row.Item2, JsonNode.Parse(row.Item3)!.AsObject(), row.Item4, row.Item5, row.Item6))
            .ToList();
    }
}
