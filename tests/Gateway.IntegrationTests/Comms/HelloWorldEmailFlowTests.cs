using System.Text.Json.Nodes;
using Dapper;
using Gateway.IntegrationTests.Infrastructure;
using Gateway.IntegrationTests.Queues;

namespace Gateway.IntegrationTests.Comms;

/// <summary>
/// The happy path of seed-system §3.3, with the test playing the worker: dequeue, run the task's functions
/// through internal.run_function, complete. The provider call itself is the worker's and is not made here.
/// </summary>
public sealed class HelloWorldEmailFlowTests(MigratedDatabase database) : IClassFixture<MigratedDatabase>, IAsyncLifetime
{
    public Task InitializeAsync() => QueueOwner.CompleteLeftoversAsync(database);

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task A_hello_world_email_is_supervised_from_kickoff_to_a_recorded_success()
    {
        await using var admin = await database.OpenAdminAsync();
        var accountId = await HelloWorldEmail.CreateAccountAsync(database);
        var before = await HelloWorldEmail.CountAsync(admin);

        var sendEmailTaskId = await HelloWorldEmail.SendAsync(database, accountId, "to@example.com");

        Assert.Equal(before.Messages + 1, (await HelloWorldEmail.CountAsync(admin)).Messages);
        await using var worker = await QueueWorker.ConnectAsync(database);

        // The kickoff's task: the supervisor's first run starts an attempt and a recheck.
        var supervisorTask = await worker.DequeueDueAsync();
        Assert.Equal("db_function", supervisorTask.TaskType);
        Assert.Equal("comms.send_email_supervisor", supervisorTask.PayloadText("db_function"));
        Assert.Equal(sendEmailTaskId, supervisorTask.Payload["send_email_task_id"]!.GetValue<long>());
        Assert.Equal(0, supervisorTask.Payload["run_count"]!.GetValue<int>());
        Assert.Equal("scheduled", HelloWorldEmail.Status(await worker.RunDbFunctionAsync(supervisorTask)));
        await worker.CompleteAsync(supervisorTask.TaskId);

        var pending = await QueueOwner.PendingAsync(admin);
        Assert.Equal(2, pending.Count);
        var emailTask = Assert.Single(pending, task => task.TaskType == "email");
        Assert.True(emailTask.IsDue, "The first attempt is due at once");
        var recheck = Assert.Single(pending, task => task.TaskType == "db_function");
        Assert.False(recheck.IsDue, "The recheck waits");
        Assert.InRange(recheck.DelaySeconds, 4.5, 5.5);
        Assert.Equal(sendEmailTaskId, recheck.Payload["send_email_task_id"]!.GetValue<long>());
        Assert.Equal(1, recheck.Payload["run_count"]!.GetValue<int>());

        // The email task: the before-handler yields the message, the provider (not called) accepts it.
        var email = await worker.DequeueDueAsync();
        Assert.Equal(emailTask.TaskId, email.TaskId);
        Assert.Equal("comms.get_email_payload", email.PayloadText("before_handler"));
        Assert.Equal("comms.record_email_success", email.PayloadText("success_handler"));
        Assert.Equal("comms.record_email_failure", email.PayloadText("error_handler"));
        var attemptId = email.Payload["send_email_attempt_id"]!.GetValue<long>();
        var prepared = await worker.RunFunctionAsync(email.PayloadText("before_handler"), email.Payload);
        Assert.Equal("succeeded", HelloWorldEmail.Status(prepared));
        var message = prepared["payload"]!.AsObject();
        Assert.Equal(await HelloWorldEmail.HelloFromAddressAsync(admin), message["from_address"]!.GetValue<string>());
        Assert.Equal("to@example.com", message["to_address"]!.GetValue<string>());
        Assert.Equal("Hello, World!", message["subject"]!.GetValue<string>());
        Assert.Contains("World", message["html"]!.GetValue<string>(), StringComparison.Ordinal);
        var success = await worker.RunFunctionAsync(email.PayloadText("success_handler"), new JsonObject
        {
            ["original_payload"] = email.Payload.DeepClone(),
            ["worker_payload"] = new JsonObject { ["id"] = "x" },
        });
        Assert.Equal("succeeded", HelloWorldEmail.Status(success));
        await worker.CompleteAsync(email.TaskId);

        // The recheck, run now rather than in five seconds: it sees the success and stops the chain.
        Assert.Equal("succeeded", HelloWorldEmail.Status(await worker.RunFunctionAsync("comms.send_email_supervisor", recheck.Payload)));
        await worker.CompleteAsync(recheck.TaskId);

        Assert.Equal(1, await admin.ExecuteScalarAsync<long>(
            "select count(*) from comms.send_email_attempt_succeeded where send_email_attempt_id = @attemptId", new { attemptId }));
        Assert.Empty(await QueueOwner.PendingAsync(admin));
        var after = await HelloWorldEmail.CountAsync(admin);
        // One message and one process for the one call; the kickoff, the attempt and the recheck as tasks.
        Assert.Equal(new CommsCounts(before.Messages + 1, before.EmailMessages + 1, before.SendEmailTasks + 1, before.Tasks + 3), after);
    }
}
