using Dapper;
using Gateway.IntegrationTests.Infrastructure;
using Gateway.IntegrationTests.Queues;

namespace Gateway.IntegrationTests.Worker;

/// <summary>
/// A worker process killed hard (SIGKILL) while the SMTP server holds its message: the claim outlives the process,
/// another worker takes the task once the lease (cut to 2 s) has run out, and the email is sent and recorded once.
/// </summary>
public sealed class CrashRecoveryTests(MigratedDatabase database) : IClassFixture<MigratedDatabase>
{
    [Fact]
    public async Task A_worker_killed_mid_send_leaves_the_email_to_another_worker_after_the_lease_and_it_is_sent_once()
    {
        await WorkerDatabase.ConfigureAsync(database, "queue", new { lease_seconds = 2 });
        // Rechecks every 0.5 s while the email waits for the lease; max_runs is raised so they cannot run out.
        await WorkerDatabase.ConfigureAsync(database, "email_supervisor", new { base_delay_seconds = 0.5, max_runs = 100 });
        await using var smtp = await SmtpSink.StartAsync(SmtpSinkMode.HoldNext);
        await using var admin = await database.OpenAdminAsync();

        long sendEmailTaskId;
        using (var doomed = WorkerProcess.Start(RunningWorker.Settings(database.WorkerConnectionString, smtp)))
        {
            sendEmailTaskId = await admin.ExecuteScalarAsync<long>(
                "select send_email_task_id from comms.create_and_kickoff_email_task('hello@example.com', 'friend@example.com', 'Hi', '<p>Hi</p>', now())");
            var held = await Task.WhenAny(smtp.Held, Task.Delay(TimeSpan.FromSeconds(60)));
            Assert.True(held == smtp.Held, "The worker process never reached the SMTP server: " + doomed.Output);

            await doomed.KillAsync();
        }

        smtp.ReleaseHeld();
        Assert.Empty(smtp.Delivered);
        var emailTaskId = await admin.ExecuteScalarAsync<long>("select task_id from queues.task where task_type = 'email'");
        Assert.True(await QueueOwner.IsPendingAsync(admin, emailTaskId), "The killed worker's email task must still be pending");

        await using var survivor = await RunningWorker.StartAsync(database, smtp);

        await Eventually.TrueAsync(
            () => admin.ExecuteScalarAsync<bool>("select not exists (select from queues.task_pending)"),
            "the survivor to send the email and the supervisor to finish");
        Assert.Single(smtp.Delivered);
        Assert.Equal(2, await QueueOwner.LeaseCountAsync(admin, emailTaskId));
        Assert.Equal((1L, 1L, 0L), await admin.QuerySingleAsync<(long, long, long)>("""
            select count(*), count(s.send_email_attempt_id), count(f.send_email_attempt_id)
            from comms.send_email_attempt as a
            left join comms.send_email_attempt_succeeded as s on s.send_email_attempt_id = a.send_email_attempt_id
            left join comms.send_email_attempt_failed as f on f.send_email_attempt_id = a.send_email_attempt_id
            where a.send_email_task_id = @sendEmailTaskId
            """, new { sendEmailTaskId }));
    }
}
