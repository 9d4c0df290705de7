using Dapper;
using Gateway.IntegrationTests.Queues;

namespace Gateway.IntegrationTests.Worker;

/// <summary>
/// A task that runs longer than its lease keeps it (the worker renews every third of the lease), so a second worker
/// polling right at the lease's end never takes it.
/// </summary>
[Collection(WorkerQueueCollection.Name)]
public sealed class LeaseTests(WorkerQueueFixture database) : IAsyncLifetime
{
    public Task InitializeAsync() => database.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task A_task_running_longer_than_twice_its_lease_is_not_taken_by_a_second_worker()
    {
        await WorkerDatabase.ConfigureAsync(database, "queue", new { lease_seconds = 4 });
        await using var first = await RunningWorker.StartAsync(database, smtp: null);
        await using var second = await RunningWorker.StartAsync(database, smtp: null);
        await using var admin = await database.OpenAdminAsync();

        var taskIds = await WorkerDatabase.EnqueueAsync(admin, [WorkerDatabase.RecordCall(1, sleepSeconds: 9)]);

        await Eventually.TrueAsync(() => WorkerDatabase.AllCompletedAsync(admin, taskIds), "the long task to be completed");
        Assert.Equal(1, await QueueOwner.LeaseCountAsync(admin, taskIds[0]));
        Assert.Equal([1], await WorkerDatabase.CallsAsync(admin));
        // The claim's audit row shows the lease as renewed, past the four seconds first granted. (A lease of four
        // seconds, renewed every third of it, leaves room for a busy machine; two seconds did not, on CI's load.)
        Assert.True(await admin.ExecuteScalarAsync<bool>(
            "select expires_at - leased_at > interval '8 seconds' from queues.task_lease where task_id = @taskId", new { taskId = taskIds[0] }));
    }
}
