using Dapper;
using Gateway.IntegrationTests.Infrastructure;

namespace Gateway.IntegrationTests.Queues;

public sealed class LeaseTests(MigratedDatabase database) : IClassFixture<MigratedDatabase>, IAsyncLifetime
{
    public Task InitializeAsync() => QueueOwner.CompleteLeftoversAsync(database);

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task A_task_under_a_valid_lease_is_not_handed_out_again()
    {
        await using var admin = await database.OpenAdminAsync();
        var first = await QueueOwner.EnqueueAsync(admin, new { n = 1 }, TimeSpan.FromMinutes(-2));
        var second = await QueueOwner.EnqueueAsync(admin, new { n = 2 }, TimeSpan.FromMinutes(-1));
        await using var worker = await QueueWorker.ConnectAsync(database);

        var claims = new[] { await worker.DequeueAsync(), await worker.DequeueAsync(), await worker.DequeueAsync() };

        Assert.Equal([first, second, (long?)null], claims.Select(task => task?.TaskId));
        Assert.Equal(1, await QueueOwner.LeaseCountAsync(admin, first));
        Assert.Equal(1, await QueueOwner.LeaseCountAsync(admin, second));
    }

    [Fact]
    public async Task A_task_whose_lease_expired_is_handed_out_again_under_a_new_lease()
    {
        await using var admin = await database.OpenAdminAsync();
        var taskId = await QueueOwner.EnqueueDueAsync(admin, new { n = 1 });
        await using var worker = await QueueWorker.ConnectAsync(database);
        Assert.Equal(taskId, (await worker.DequeueDueAsync()).TaskId);

        await QueueOwner.ExpireLeasesAsync(admin, taskId);
        var again = await worker.DequeueAsync();

        Assert.Equal(taskId, again?.TaskId);
        Assert.Equal(2, await QueueOwner.LeaseCountAsync(admin, taskId));
        Assert.True(await admin.ExecuteScalarAsync<bool>(
            "select lease_expires_at > now() from queues.task_pending where task_id = @taskId", new { taskId }),
            "The new claim holds a lease that has not expired");
        Assert.Null(await worker.DequeueAsync());
    }

    [Fact]
    public async Task A_claim_leases_the_task_for_the_configured_lease_seconds()
    {
        await using var admin = await database.OpenAdminAsync();
        await admin.ExecuteAsync("update internal.config set value = '{\"lease_seconds\": 42}' where key = 'queue'");
        try
        {
            var taskId = await QueueOwner.EnqueueDueAsync(admin, new { n = 1 });
            await using var worker = await QueueWorker.ConnectAsync(database);

            await worker.DequeueDueAsync();

            // leased_at and expires_at come from the same now(), so the difference is exact.
            Assert.Equal(42.0, await admin.ExecuteScalarAsync<double>(
                "select extract(epoch from expires_at - leased_at)::float8 from queues.task_lease where task_id = @taskId", new { taskId }));
            Assert.True(await admin.ExecuteScalarAsync<bool>(
                "select p.lease_expires_at = l.expires_at from queues.task_pending as p join queues.task_lease as l using (task_id) where p.task_id = @taskId",
                new { taskId }), "task_pending carries the lease's expiry");
        }
        finally
        {
            await admin.ExecuteAsync("update internal.config set value = '{\"lease_seconds\": 300}' where key = 'queue'");
        }
    }
}
