using Dapper;

namespace Gateway.IntegrationTests.Worker;

/// <summary>Several workers, each with several loops, on one queue: every task is claimed and processed exactly once.</summary>
[Collection(WorkerQueueCollection.Name)]
public sealed class ConcurrencyTests(WorkerQueueFixture database) : IAsyncLifetime
{
    public Task InitializeAsync() => database.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Three_workers_of_four_loops_process_each_of_300_tasks_exactly_once()
    {
        var fourLoops = new Dictionary<string, string> { ["Worker:Concurrency"] = "4" };
        await using var first = await RunningWorker.StartAsync(database, smtp: null, fourLoops);
        await using var second = await RunningWorker.StartAsync(database, smtp: null, fourLoops);
        await using var third = await RunningWorker.StartAsync(database, smtp: null, fourLoops);
        await using var admin = await database.OpenAdminAsync();

        var taskIds = await WorkerDatabase.EnqueueAsync(admin, Enumerable.Range(1, 300).Select(n => WorkerDatabase.RecordCall(n)));

        await Eventually.TrueAsync(() => WorkerDatabase.AllCompletedAsync(admin, taskIds), "all 300 tasks to be completed", TimeSpan.FromSeconds(60));
        Assert.Equal(Enumerable.Range(1, 300), await WorkerDatabase.CallsAsync(admin));
        Assert.Equal(0, await admin.ExecuteScalarAsync<long>(
            "select count(*) from (select task_id from queues.task_lease where task_id = any(@taskIds) group by task_id having count(*) <> 1) as t",
            new { taskIds = taskIds.ToArray() }));
        Assert.Equal(0, await admin.ExecuteScalarAsync<long>("select count(*) from queues.error where task_id = any(@taskIds)", new { taskIds = taskIds.ToArray() }));
    }
}
