using Dapper;
using Gateway.IntegrationTests.Infrastructure;

namespace Gateway.IntegrationTests.Queues;

public sealed class SchedulingTests(MigratedDatabase database) : IClassFixture<MigratedDatabase>, IAsyncLifetime
{
    public Task InitializeAsync() => QueueOwner.CompleteLeftoversAsync(database);

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task A_task_scheduled_in_the_future_waits_while_one_scheduled_in_the_past_is_handed_out()
    {
        await using var admin = await database.OpenAdminAsync();
        var future = await QueueOwner.EnqueueAsync(admin, new { n = 1 }, TimeSpan.FromHours(1));
        var past = await QueueOwner.EnqueueAsync(admin, new { n = 2 }, TimeSpan.FromMinutes(-1));
        await using var worker = await QueueWorker.ConnectAsync(database);

        var claims = new[] { await worker.DequeueAsync(), await worker.DequeueAsync() };

        Assert.Equal([past, (long?)null], claims.Select(task => task?.TaskId));
        Assert.True(await QueueOwner.IsPendingAsync(admin, future));
        Assert.Equal(0, await QueueOwner.LeaseCountAsync(admin, future));
    }

    [Fact]
    public async Task Due_tasks_are_handed_out_by_scheduled_at_then_by_task_id()
    {
        await using var admin = await database.OpenAdminAsync();
        // One transaction, so equal offsets give equal scheduled_at values; ids follow the enqueue order.
        await using var transaction = await admin.BeginTransactionAsync();
        var oneMinuteAgo = await QueueOwner.EnqueueAsync(admin, new { n = 1 }, TimeSpan.FromMinutes(-1), transaction);
        var threeMinutesAgo = await QueueOwner.EnqueueAsync(admin, new { n = 2 }, TimeSpan.FromMinutes(-3), transaction);
        var twoMinutesAgo = await QueueOwner.EnqueueAsync(admin, new { n = 3 }, TimeSpan.FromMinutes(-2), transaction);
        var alsoThreeMinutesAgo = await QueueOwner.EnqueueAsync(admin, new { n = 4 }, TimeSpan.FromMinutes(-3), transaction);
        await transaction.CommitAsync();
        await using var worker = await QueueWorker.ConnectAsync(database);

        var order = new List<long>();
        while (await worker.DequeueAsync() is { } task)
        {
            order.Add(task.TaskId);
        }

        Assert.Equal([threeMinutesAgo, alsoThreeMinutesAgo, twoMinutesAgo, oneMinuteAgo], order);
    }

    [Fact]
    public async Task Enqueue_turns_a_null_payload_into_an_empty_object_and_a_null_time_into_now()
    {
        await using var admin = await database.OpenAdminAsync();
        var taskId = await admin.ExecuteScalarAsync<long>("select queues.enqueue('db_function', null, null)");
        await using var worker = await QueueWorker.ConnectAsync(database);

        var task = await worker.DequeueAsync();

        Assert.NotNull(task);
        Assert.Equal(taskId, task.TaskId);
        Assert.Equal("db_function", task.TaskType);
        Assert.Empty(task.Payload);
        Assert.Equal(task.EnqueuedAt, task.ScheduledAt);
    }
}
