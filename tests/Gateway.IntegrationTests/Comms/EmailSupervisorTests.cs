using System.Text.Json.Nodes;
using Dapper;
using Gateway.IntegrationTests.Infrastructure;
using Gateway.IntegrationTests.Queues;
using Npgsql;

namespace Gateway.IntegrationTests.Comms;

public sealed class EmailSupervisorTests(MigratedDatabase database) : IClassFixture<MigratedDatabase>, IAsyncLifetime
{
    private const string Supervisor = "comms.send_email_supervisor";

    public Task InitializeAsync() => QueueOwner.CompleteLeftoversAsync(database);

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task The_supervisor_raises_at_max_runs_and_the_worker_records_it_with_fail_task()
    {
        await using var admin = await database.OpenAdminAsync();
        var sendEmailTaskId = await HelloWorldEmail.SendAsync(database, await HelloWorldEmail.CreateAccountAsync(database), "to@example.com");
        // The kickoff's first run is not under test here: drop it, so the only due task is the one below.
        await QueueOwner.CompleteLeftoversAsync(database);
        // The twentieth recheck of a process whose attempt never resolved.
        var taskId = await QueueOwner.EnqueueDueAsync(admin, new
        {
            task_type = "db_function",
            db_function = Supervisor,
            send_email_task_id = sendEmailTaskId,
            run_count = 20,
        });
        await using var worker = await QueueWorker.ConnectAsync(database);
        var task = await worker.DequeueDueAsync();
        Assert.Equal(taskId, task.TaskId);

        var error = await Assert.ThrowsAsync<PostgresException>(() => worker.RunDbFunctionAsync(task));
        await worker.FailAsync(task.TaskId, error.MessageText);
        await worker.CompleteAsync(task.TaskId);

        Assert.Equal("P0001", error.SqlState);
        Assert.Contains("possible infinite loop", error.MessageText, StringComparison.Ordinal);
        Assert.Equal([error.MessageText], await QueueOwner.ErrorsAsync(admin, taskId));
        Assert.Equal(0, await admin.ExecuteScalarAsync<long>(
            "select count(*) from comms.send_email_attempt where send_email_task_id = @sendEmailTaskId", new { sendEmailTaskId }));
        Assert.Empty(await QueueOwner.PendingAsync(admin));
    }

    [Fact]
    public async Task The_supervisor_still_runs_one_run_below_max_runs()
    {
        var sendEmailTaskId = await HelloWorldEmail.SendAsync(database, await HelloWorldEmail.CreateAccountAsync(database), "to@example.com");
        await using var worker = await QueueWorker.ConnectAsync(database);

        var result = await worker.RunFunctionAsync(Supervisor, new JsonObject
        {
            ["send_email_task_id"] = sendEmailTaskId,
            ["run_count"] = 19,
        });

        Assert.Equal("scheduled", HelloWorldEmail.Status(result));
    }

    [Fact]
    public async Task The_supervisor_reports_a_missing_send_email_task_id()
    {
        await using var worker = await QueueWorker.ConnectAsync(database);

        var result = await worker.RunFunctionAsync(Supervisor, new JsonObject { ["run_count"] = 0 });

        Assert.Equal("missing_send_email_task_id", HelloWorldEmail.Status(result));
    }

    [Fact]
    public async Task The_supervisor_reports_an_unknown_send_email_task_and_enqueues_nothing()
    {
        await using var admin = await database.OpenAdminAsync();
        var tasksBefore = (await HelloWorldEmail.CountAsync(admin)).Tasks;
        await using var worker = await QueueWorker.ConnectAsync(database);

        var result = await worker.RunFunctionAsync(Supervisor, new JsonObject { ["send_email_task_id"] = long.MaxValue });

        Assert.Equal("send_email_task_not_found", HelloWorldEmail.Status(result));
        Assert.Equal(tasksBefore, (await HelloWorldEmail.CountAsync(admin)).Tasks);
    }
}
