using System.Text.Json.Nodes;
using Dapper;
using Gateway.IntegrationTests.Infrastructure;
using Gateway.IntegrationTests.Queues;

namespace Gateway.IntegrationTests.Comms;

/// <summary>
/// The failure path of seed-system §3.3 step 6 with the HEAD constants (max_attempts 2, base delay 5 s):
/// one retry after 2^1 × 5 s, then a terminal max_attempts_reached. Rechecks are run as soon as they are
/// enqueued instead of when they fall due, which is what lets the test avoid waiting.
/// </summary>
public sealed class EmailRetryTests(MigratedDatabase database) : IClassFixture<MigratedDatabase>, IAsyncLifetime
{
    public Task InitializeAsync() => QueueOwner.CompleteLeftoversAsync(database);

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task A_failed_attempt_is_retried_once_with_backoff_then_the_supervisor_stops_at_max_attempts()
    {
        await using var admin = await database.OpenAdminAsync();
        var sendEmailTaskId = await HelloWorldEmail.SendAsync(database, await HelloWorldEmail.CreateAccountAsync(database), "to@example.com");
        await using var worker = await QueueWorker.ConnectAsync(database);
        var kickoff = await worker.DequeueDueAsync();
        Assert.Equal("scheduled", HelloWorldEmail.Status(await worker.RunDbFunctionAsync(kickoff)));
        await worker.CompleteAsync(kickoff.TaskId);
        var firstRecheck = Assert.Single(await QueueOwner.PendingAsync(admin), task => task.TaskType == "db_function");

        var firstAttempt = await FailEmailTaskAsync(worker, "smtp refused");
        Assert.Equal("scheduled", HelloWorldEmail.Status(await RunRecheckAsync(worker, firstRecheck)));

        var pending = await QueueOwner.PendingAsync(admin);
        Assert.Equal(2, pending.Count);
        var retry = Assert.Single(pending, task => task.TaskType == "email");
        Assert.True(retry.IsDue, "The new attempt is due at once");
        Assert.NotEqual(firstAttempt.Payload["send_email_attempt_id"]!.GetValue<long>(), retry.Payload["send_email_attempt_id"]!.GetValue<long>());
        var secondRecheck = Assert.Single(pending, task => task.TaskType == "db_function");
        Assert.InRange(secondRecheck.DelaySeconds, 9.5, 10.5);
        Assert.Equal(2, secondRecheck.Payload["run_count"]!.GetValue<int>());

        var secondAttempt = await FailEmailTaskAsync(worker, "smtp timeout");
        Assert.Equal(retry.TaskId, secondAttempt.TaskId);
        var tasksBeforeLastRun = (await HelloWorldEmail.CountAsync(admin)).Tasks;
        Assert.Equal("max_attempts_reached", HelloWorldEmail.Status(await RunRecheckAsync(worker, secondRecheck)));

        Assert.Equal(tasksBeforeLastRun, (await HelloWorldEmail.CountAsync(admin)).Tasks);
        Assert.Empty(await QueueOwner.PendingAsync(admin));
        Assert.Equal(["smtp refused", "smtp timeout"], await admin.QueryAsync<string>("""
            select f.error_message
            from comms.send_email_attempt_failed as f
            join comms.send_email_attempt as a on a.send_email_attempt_id = f.send_email_attempt_id
            where a.send_email_task_id = @sendEmailTaskId
            order by a.send_email_attempt_id
            """, new { sendEmailTaskId }));
        Assert.Equal(0, await admin.ExecuteScalarAsync<long>("""
            select count(*)
            from comms.send_email_attempt_succeeded as s
            join comms.send_email_attempt as a on a.send_email_attempt_id = s.send_email_attempt_id
            where a.send_email_task_id = @sendEmailTaskId
            """, new { sendEmailTaskId }));
        Assert.Equal(["smtp refused"], await QueueOwner.ErrorsAsync(admin, firstAttempt.TaskId));
        Assert.Equal(["smtp timeout"], await QueueOwner.ErrorsAsync(admin, secondAttempt.TaskId));
    }

    /// <summary>
    /// The worker's handling of an email task whose provider call fails: the before-handler succeeds, the error
    /// handler records the failure, then fail_task and, as always, complete_task.
    /// </summary>
    private static async Task<QueuedTask> FailEmailTaskAsync(QueueWorker worker, string providerError)
    {
        var email = await worker.DequeueDueAsync();
        Assert.Equal("email", email.TaskType);
        Assert.Equal("succeeded", HelloWorldEmail.Status(await worker.RunFunctionAsync(email.PayloadText("before_handler"), email.Payload)));
        var recorded = await worker.RunFunctionAsync(email.PayloadText("error_handler"), new JsonObject
        {
            ["original_payload"] = email.Payload.DeepClone(),
            ["error"] = providerError,
        });
        Assert.Equal("succeeded", HelloWorldEmail.Status(recorded));
        await worker.FailAsync(email.TaskId, providerError);
        await worker.CompleteAsync(email.TaskId);
        return email;
    }

    /// <summary>Runs a recheck early, as the worker would once it fell due, and completes its task.</summary>
    private static async Task<JsonObject> RunRecheckAsync(QueueWorker worker, PendingTask recheck)
    {
        var result = await worker.RunFunctionAsync(recheck.Payload["db_function"]!.GetValue<string>(), recheck.Payload);
        await worker.CompleteAsync(recheck.TaskId);
        return result;
    }
}
