using Dapper;
using Gateway.IntegrationTests.Queues;

namespace Gateway.IntegrationTests.Worker;

/// <summary>
/// A task cut off by the database (its connection terminated mid-function) is not the task's fault: the worker
/// hands it back instead of failing it, and it runs again to completion.
/// </summary>
[Collection(WorkerQueueCollection.Name)]
public sealed class DatabaseOutageTests(WorkerQueueFixture database) : IAsyncLifetime
{
    public Task InitializeAsync() => database.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task A_task_whose_connection_is_terminated_mid_function_is_handed_back_and_runs_again()
    {
        await using var worker = await RunningWorker.StartAsync(database, smtp: null);
        await using var admin = await database.OpenAdminAsync();
        var taskIds = await WorkerDatabase.EnqueueAsync(admin, [WorkerDatabase.RecordCall(1, sleepSeconds: 1)]);
        var backend = await Eventually.ValueAsync(
            () => admin.ExecuteScalarAsync<int?>("""
                select pid from pg_stat_activity
                where datname = current_database() and usename = 'worker_service_user' and state = 'active' and query like '%run_function%'
                """),
            pid => pid is not null,
            Eventually.DefaultBound,
            "the worker to be running the function");

        await admin.ExecuteAsync("select pg_terminate_backend(@backend)", new { backend });

        await Eventually.TrueAsync(() => WorkerDatabase.AllCompletedAsync(admin, taskIds), "the task to be completed");
        Assert.Equal(2, await QueueOwner.LeaseCountAsync(admin, taskIds[0]));
        Assert.Equal([1], await WorkerDatabase.CallsAsync(admin));
        Assert.Empty(await QueueOwner.ErrorsAsync(admin, taskIds[0]));
    }
}
