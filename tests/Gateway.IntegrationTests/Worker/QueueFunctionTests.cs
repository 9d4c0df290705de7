using Dapper;
using Gateway.IntegrationTests.Infrastructure;
using Gateway.IntegrationTests.Queues;
using Npgsql;

namespace Gateway.IntegrationTests.Worker;

/// <summary>
/// The functions migration 0013 adds for the worker service, called as the worker: renewing and releasing a lease,
/// the lease length, and the queue's numbers behind the metrics.
/// </summary>
public sealed class QueueFunctionTests(MigratedDatabase database) : IClassFixture<MigratedDatabase>, IAsyncLifetime
{
    public Task InitializeAsync() => QueueOwner.CompleteLeftoversAsync(database);

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Renewing_a_held_lease_extends_it_by_the_lease_length()
    {
        await using var admin = await database.OpenAdminAsync();
        await using var worker = await QueueWorker.ConnectAsync(database);
        var taskId = await QueueOwner.EnqueueDueAsync(admin, new { n = 1 });
        await worker.DequeueDueAsync();
        await admin.ExecuteAsync("update queues.task_pending set lease_expires_at = now() + interval '10 seconds' where task_id = @taskId", new { taskId });

        var renewedUntil = await RenewAsync(worker.Connection, taskId);

        Assert.NotNull(renewedUntil);
        Assert.True(await admin.ExecuteScalarAsync<bool>(
            "select lease_expires_at = @renewedUntil and lease_expires_at > now() + interval '299 seconds' from queues.task_pending where task_id = @taskId",
            new { taskId, renewedUntil }));
        Assert.Equal(1, await QueueOwner.LeaseCountAsync(admin, taskId));
    }

    [Fact]
    public async Task A_lease_that_has_run_out_cannot_be_renewed()
    {
        await using var admin = await database.OpenAdminAsync();
        await using var worker = await QueueWorker.ConnectAsync(database);
        var taskId = await QueueOwner.EnqueueDueAsync(admin, new { n = 1 });
        await worker.DequeueDueAsync();
        await QueueOwner.ExpireLeasesAsync(admin, taskId);

        Assert.Null(await RenewAsync(worker.Connection, taskId));
    }

    [Fact]
    public async Task Completed_unclaimed_and_unknown_tasks_cannot_be_renewed()
    {
        await using var admin = await database.OpenAdminAsync();
        await using var worker = await QueueWorker.ConnectAsync(database);
        var unclaimed = await QueueOwner.EnqueueAsync(admin, new { n = 1 }, TimeSpan.FromDays(1));
        var completed = await QueueOwner.EnqueueDueAsync(admin, new { n = 2 });
        await worker.DequeueDueAsync();
        await worker.CompleteAsync(completed);

        Assert.Null(await RenewAsync(worker.Connection, unclaimed));
        Assert.Null(await RenewAsync(worker.Connection, completed));
        Assert.Null(await RenewAsync(worker.Connection, -1));
    }

    [Fact]
    public async Task A_released_task_is_handed_out_again_at_once()
    {
        await using var admin = await database.OpenAdminAsync();
        await using var worker = await QueueWorker.ConnectAsync(database);
        var taskId = await QueueOwner.EnqueueDueAsync(admin, new { n = 1 });
        await worker.DequeueDueAsync();
        Assert.Null(await worker.DequeueAsync());

        var released = await worker.Connection.ExecuteScalarAsync<bool>("select queues.release_lease(@taskId)", new { taskId });

        Assert.True(released);
        Assert.Equal(taskId, (await worker.DequeueDueAsync()).TaskId);
        Assert.Equal(2, await QueueOwner.LeaseCountAsync(admin, taskId));
        Assert.False(await worker.Connection.ExecuteScalarAsync<bool>("select queues.release_lease(-1)"));
    }

    [Fact]
    public async Task The_lease_length_is_the_configured_one()
    {
        await using var worker = await QueueWorker.ConnectAsync(database);

        Assert.Equal(300, await worker.Connection.ExecuteScalarAsync<double>("select queues.lease_seconds()"));
    }

    [Fact]
    public async Task Queue_stats_count_due_leased_and_scheduled_tasks_and_the_age_of_the_oldest_due_one()
    {
        await using var admin = await database.OpenAdminAsync();
        await using var worker = await QueueWorker.ConnectAsync(database);
        var leased = await QueueOwner.EnqueueAsync(admin, new { n = 1 }, TimeSpan.FromMinutes(-10));
        Assert.Equal(leased, (await worker.DequeueDueAsync()).TaskId);
        await QueueOwner.EnqueueAsync(admin, new { n = 2 }, TimeSpan.FromMinutes(-2));
        await QueueOwner.EnqueueAsync(admin, new { n = 3 }, TimeSpan.FromMinutes(-1));
        await QueueOwner.EnqueueAsync(admin, new { n = 4 }, TimeSpan.FromMinutes(30));

        var stats = (await worker.Connection.QueryAsync<(string TaskType, long Due, long Leased, long Scheduled, double OldestDueAgeSeconds, double? NextAvailableInSeconds)>(
            "select task_type, due, leased, scheduled, oldest_due_age_seconds, next_available_in_seconds from queues.queue_stats()")).Single();

        Assert.Equal(("db_function", 2L, 1L, 1L), (stats.TaskType, stats.Due, stats.Leased, stats.Scheduled));
        Assert.InRange(stats.OldestDueAgeSeconds, 119, 130);
        // The claimed task's lease (300 s) runs out before the scheduled task (30 min) is due.
        Assert.InRange(stats.NextAvailableInSeconds!.Value, 250, 300);
    }

    private static Task<DateTime?> RenewAsync(NpgsqlConnection worker, long taskId) =>
        worker.ExecuteScalarAsync<DateTime?>("select queues.renew_lease(@taskId)", new { taskId });
}
