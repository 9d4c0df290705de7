using Dapper;
using Gateway.IntegrationTests.Infrastructure;
using Npgsql;

namespace Gateway.IntegrationTests.Queues;

public sealed class QueuePrivilegeTests(MigratedDatabase database) : IClassFixture<MigratedDatabase>
{
    [Fact]
    public async Task The_worker_cannot_enqueue_42501()
    {
        await using var worker = await database.OpenWorkerAsync();

        var error = await Assert.ThrowsAsync<PostgresException>(() =>
            worker.ExecuteAsync("select queues.enqueue('db_function', '{}'::jsonb, now())"));

        Assert.Equal("42501", error.SqlState);
        await using var admin = await database.OpenAdminAsync();
        Assert.Equal(0, await admin.ExecuteScalarAsync<long>("select count(*) from queues.task"));
    }

    [Theory]
    [InlineData("select * from queues.task")]
    [InlineData("select * from queues.task_pending")]
    [InlineData("update queues.task_pending set lease_expires_at = null")]
    [InlineData("insert into queues.task_completed (task_id) values (1)")]
    public async Task The_worker_cannot_touch_the_queue_tables_directly_42501(string sql)
    {
        await using var worker = await database.OpenWorkerAsync();

        var error = await Assert.ThrowsAsync<PostgresException>(() => worker.ExecuteAsync(sql));

        Assert.Equal("42501", error.SqlState);
    }

    [Theory]
    [InlineData("anon")]
    [InlineData("authenticated")]
    public async Task The_api_roles_cannot_dequeue_42501(string role)
    {
        await using var session = role == "anon"
            ? await RequestSession.AnonAsync(database)
            : await RequestSession.AuthenticatedAsync(database, accountId: 1);

        var error = await session.RefusedAsync("select * from queues.dequeue_next_available_task()");

        Assert.Equal("42501", error.SqlState);
    }
}
