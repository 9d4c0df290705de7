using Dapper;
using Gateway.IntegrationTests.Infrastructure;

namespace Gateway.IntegrationTests.Queues;

public sealed class ConcurrentDequeueTests(MigratedDatabase database) : IClassFixture<MigratedDatabase>, IAsyncLifetime
{
    private const int TaskCount = 500;
    private const int WorkerCount = 8;

    public Task InitializeAsync() => QueueOwner.CompleteLeftoversAsync(database);

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Concurrent_workers_hand_out_each_due_task_exactly_once()
    {
        await using var admin = await database.OpenAdminAsync();
        var enqueued = (await admin.QueryAsync<long>(
            "select queues.enqueue('db_function', jsonb_build_object('n', n), now() - interval '1 minute') from generate_series(1, @TaskCount) as n",
            new { TaskCount })).ToArray();
        // Every worker is connected before any starts claiming, so they really compete for the same rows.
        var workers = await Task.WhenAll(Enumerable.Range(0, WorkerCount).Select(_ => QueueWorker.ConnectAsync(database)));
        List<long>[] claimsPerWorker;
        try
        {
            claimsPerWorker = await Task.WhenAll(workers.Select(worker => Task.Run(() => ClaimUntilEmptyAsync(worker))));
        }
        finally
        {
            foreach (var worker in workers)
            {
                await worker.DisposeAsync();
            }
        }

        var claimed = claimsPerWorker.SelectMany(claims => claims).ToList();
        Assert.Distinct(claimed);
        Assert.Equal(enqueued.Order(), claimed.Order());
        Assert.True(claimsPerWorker.Count(claims => claims.Count > 0) > 1, "Premise: more than one worker claimed tasks");
        var (leases, leasedTasks) = await admin.QuerySingleAsync<(long, long)>(
            "select count(*), count(distinct task_id) from queues.task_lease where task_id = any(@enqueued)", new { enqueued });
        Assert.Equal(TaskCount, leases);
        Assert.Equal(TaskCount, leasedTasks);
    }

    /// <summary>One worker loop without the processing: claim until the queue answers NULL.</summary>
    private static async Task<List<long>> ClaimUntilEmptyAsync(QueueWorker worker)
    {
        var claimed = new List<long>();
        while (await worker.DequeueAsync() is { } task)
        {
            claimed.Add(task.TaskId);
        }

        return claimed;
    }
}
