using Dapper;
using Gateway.IntegrationTests.Queues;

namespace Gateway.IntegrationTests.Worker;

/// <summary>
/// Graceful shutdown (SIGTERM; here the host's StopAsync, which SIGTERM triggers): the worker stops claiming at
/// once, lets in-flight tasks finish within <c>Worker__ShutdownTimeout</c>, and hands back those that do not.
/// </summary>
[Collection(WorkerQueueCollection.Name)]
public sealed class ShutdownTests(WorkerQueueFixture database) : IAsyncLifetime
{
    public Task InitializeAsync() => database.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Stopping_claims_nothing_new_and_lets_the_task_in_flight_finish()
    {
        await using var worker = await RunningWorker.StartAsync(database, smtp: null);
        await using var admin = await database.OpenAdminAsync();
        var running = await WorkerDatabase.EnqueueAsync(admin, [WorkerDatabase.RecordCall(1, sleepSeconds: 1)]);
        await Eventually.TrueAsync(() => Task.FromResult(worker.State.InFlight == 1), "the task to be in flight");

        var stopping = worker.StopAsync();
        await Eventually.TrueAsync(() => Task.FromResult(!worker.State.Running), "the worker to stop claiming");
        var late = await WorkerDatabase.EnqueueAsync(admin, [WorkerDatabase.RecordCall(2)]);
        await stopping.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.True(await WorkerDatabase.AllCompletedAsync(admin, running));
        Assert.Equal([1], await WorkerDatabase.CallsAsync(admin));
        Assert.Equal(0, await QueueOwner.LeaseCountAsync(admin, late[0]));
    }

    [Fact]
    public async Task A_task_still_running_at_the_shutdown_bound_is_handed_back_unfinished()
    {
        await using var worker = await RunningWorker.StartAsync(database, smtp: null, new Dictionary<string, string>
        {
            ["Worker:ShutdownTimeout"] = "00:00:00.500",
        });
        await using var admin = await database.OpenAdminAsync();
        var taskIds = await WorkerDatabase.EnqueueAsync(admin, [WorkerDatabase.RecordCall(1, sleepSeconds: 60)]);
        await Eventually.TrueAsync(() => Task.FromResult(worker.State.InFlight == 1), "the task to be in flight");

        await worker.StopAsync().WaitAsync(TimeSpan.FromSeconds(30));

        Assert.False(await QueueOwner.IsCompletedAsync(admin, taskIds[0]));
        Assert.Empty(await QueueOwner.ErrorsAsync(admin, taskIds[0]));
        Assert.Empty(await WorkerDatabase.CallsAsync(admin));
        // Released, not left to its five-minute lease: the next dequeue takes it.
        await using var next = await QueueWorker.ConnectAsync(database);
        Assert.Equal(taskIds[0], (await next.DequeueDueAsync()).TaskId);
    }
}
