using Dapper;
using Gateway.IntegrationTests.Infrastructure;
using Npgsql;

namespace Gateway.IntegrationTests.Queues;

public sealed class FailureTests(MigratedDatabase database) : IClassFixture<MigratedDatabase>, IAsyncLifetime
{
    public Task InitializeAsync() => QueueOwner.CompleteLeftoversAsync(database);

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Fail_task_appends_each_error_and_is_not_terminal()
    {
        await using var admin = await database.OpenAdminAsync();
        var taskId = await QueueOwner.EnqueueDueAsync(admin, new { n = 1 });
        await using var worker = await QueueWorker.ConnectAsync(database);
        await worker.DequeueDueAsync();

        await worker.FailAsync(taskId, "smtp refused");
        await worker.FailAsync(taskId, "smtp timeout");

        Assert.Equal(["smtp refused", "smtp timeout"], await QueueOwner.ErrorsAsync(admin, taskId));
        Assert.False(await QueueOwner.IsCompletedAsync(admin, taskId));
        await QueueOwner.ExpireLeasesAsync(admin, taskId);
        Assert.Equal(taskId, (await worker.DequeueAsync())?.TaskId);
    }

    [Fact]
    public async Task Fail_task_records_a_null_message_as_an_empty_one()
    {
        await using var admin = await database.OpenAdminAsync();
        var taskId = await QueueOwner.EnqueueDueAsync(admin, new { n = 1 });
        await using var worker = await QueueWorker.ConnectAsync(database);

        await worker.FailAsync(taskId, null);

        Assert.Equal([""], await QueueOwner.ErrorsAsync(admin, taskId));
    }

    [Fact]
    public async Task Append_error_under_its_seed_era_name_returns_success_and_appends_the_error()
    {
        await using var admin = await database.OpenAdminAsync();
        var taskId = await QueueOwner.EnqueueDueAsync(admin, new { n = 1 });
        await using var worker = await QueueWorker.ConnectAsync(database);
        await worker.DequeueDueAsync();

        var result = await worker.Connection.ExecuteScalarAsync<string>(
            "select queues.append_error(task_id => @taskId, error_message => 'legacy failure')::text", new { taskId });

        Assert.Equal("{\"success\": true}", result);
        Assert.Equal(["legacy failure"], await QueueOwner.ErrorsAsync(admin, taskId));
        Assert.False(await QueueOwner.IsCompletedAsync(admin, taskId));
    }

    [Fact]
    public async Task Failing_an_unknown_task_raises_P0002_and_records_nothing()
    {
        await using var admin = await database.OpenAdminAsync();
        var errorsBefore = await admin.ExecuteScalarAsync<long>("select count(*) from queues.error");
        await using var worker = await QueueWorker.ConnectAsync(database);

        var error = await Assert.ThrowsAsync<PostgresException>(() => worker.FailAsync(long.MaxValue, "lost"));

        Assert.Equal("P0002", error.SqlState);
        Assert.Equal(errorsBefore, await admin.ExecuteScalarAsync<long>("select count(*) from queues.error"));
    }
}
