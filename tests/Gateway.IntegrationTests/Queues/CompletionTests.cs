using Dapper;
using Gateway.IntegrationTests.Infrastructure;
using Npgsql;

namespace Gateway.IntegrationTests.Queues;

public sealed class CompletionTests(MigratedDatabase database) : IClassFixture<MigratedDatabase>, IAsyncLifetime
{
    public Task InitializeAsync() => QueueOwner.CompleteLeftoversAsync(database);

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task A_completed_task_is_never_handed_out_again_even_once_its_lease_has_expired()
    {
        await using var admin = await database.OpenAdminAsync();
        var completed = await QueueOwner.EnqueueAsync(admin, new { n = 1 }, TimeSpan.FromMinutes(-2));
        var other = await QueueOwner.EnqueueAsync(admin, new { n = 2 }, TimeSpan.FromMinutes(-1));
        await using var worker = await QueueWorker.ConnectAsync(database);
        Assert.Equal(completed, (await worker.DequeueDueAsync()).TaskId);

        await worker.CompleteAsync(completed);
        await QueueOwner.ExpireLeasesAsync(admin, completed);

        // Were it available, the completed task would come first: it is scheduled earlier.
        Assert.Equal(other, (await worker.DequeueAsync())?.TaskId);
        Assert.Null(await worker.DequeueAsync());
        Assert.True(await QueueOwner.IsCompletedAsync(admin, completed));
        Assert.False(await QueueOwner.IsPendingAsync(admin, completed));
        Assert.Equal(1, await QueueOwner.LeaseCountAsync(admin, completed));
    }

    [Fact]
    public async Task Completing_a_task_twice_is_harmless_and_keeps_the_first_completion()
    {
        await using var admin = await database.OpenAdminAsync();
        var taskId = await QueueOwner.EnqueueDueAsync(admin, new { n = 1 });
        await using var worker = await QueueWorker.ConnectAsync(database);
        await worker.DequeueDueAsync();
        await worker.CompleteAsync(taskId);
        var firstCompletion = await admin.QuerySingleAsync<DateTime>(
            "select completed_at from queues.task_completed where task_id = @taskId", new { taskId });

        await worker.CompleteAsync(taskId);

        var completions = (await admin.QueryAsync<DateTime>(
            "select completed_at from queues.task_completed where task_id = @taskId", new { taskId })).ToList();
        Assert.Equal([firstCompletion], completions);
        Assert.Null(await worker.DequeueAsync());
    }

    [Fact]
    public async Task Completing_an_unknown_task_raises_P0002()
    {
        await using var worker = await QueueWorker.ConnectAsync(database);

        var error = await Assert.ThrowsAsync<PostgresException>(() => worker.CompleteAsync(long.MaxValue));

        Assert.Equal("P0002", error.SqlState);
    }
}
