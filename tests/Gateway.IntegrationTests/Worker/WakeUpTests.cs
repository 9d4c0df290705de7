using Dapper;

namespace Gateway.IntegrationTests.Worker;

/// <summary>
/// An idle worker wakes on the queue's NOTIFY, so no task waits for the poll interval; and it polls, so a task whose
/// notification was lost is still found. The tests that show the notification set the poll interval to an hour.
/// </summary>
[Collection(WorkerQueueCollection.Name)]
public sealed class WakeUpTests(WorkerQueueFixture database) : IAsyncLifetime
{
    private static readonly Dictionary<string, string> HourlyPoll = new() { ["Worker:PollInterval"] = "01:00:00" };

    /// <summary>Far below the hour of polling: only a notification can explain a task done this soon.</summary>
    private static readonly TimeSpan Soon = TimeSpan.FromSeconds(20);

    public Task InitializeAsync() => database.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task A_notification_wakes_an_idle_worker_long_before_its_poll_interval()
    {
        await using var worker = await RunningWorker.StartAsync(database, smtp: null, HourlyPoll);
        await using var admin = await database.OpenAdminAsync();

        var taskIds = await WorkerDatabase.EnqueueAsync(admin, [WorkerDatabase.RecordCall(1)]);

        await Eventually.TrueAsync(() => WorkerDatabase.AllCompletedAsync(admin, taskIds), "the notified task to be completed", Soon);
    }

    [Fact]
    public async Task A_task_whose_notification_was_lost_is_found_by_the_poll()
    {
        await using var worker = await RunningWorker.StartAsync(database, smtp: null);
        await using var admin = await database.OpenAdminAsync();

        // Written past queues.enqueue, so no notification is ever sent for it.
        var taskId = await admin.ExecuteScalarAsync<long>("""
            with task as (
              insert into queues.task (task_type, payload)
              values ('db_function', '{"db_function": "worker_test.record_call", "n": 2}')
              returning task_id, scheduled_at
            )
            insert into queues.task_pending (task_id, scheduled_at)
            select task_id, scheduled_at from task
            returning task_id
            """);

        await Eventually.TrueAsync(() => WorkerDatabase.AllCompletedAsync(admin, [taskId]), "the unannounced task to be completed");
        Assert.Equal([2], await WorkerDatabase.CallsAsync(admin));
    }

    [Fact]
    public async Task A_task_scheduled_for_later_is_taken_when_it_falls_due_not_at_the_next_poll()
    {
        await using var worker = await RunningWorker.StartAsync(database, smtp: null, HourlyPoll);
        await using var admin = await database.OpenAdminAsync();

        // Its notification arrives when it is enqueued, a second before it is due.
        var taskId = await admin.ExecuteScalarAsync<long>(
            "select queues.enqueue('db_function', '{\"db_function\": \"worker_test.record_call\", \"n\": 3}', now() + interval '1 second')");

        await Eventually.TrueAsync(() => WorkerDatabase.AllCompletedAsync(admin, [taskId]), "the scheduled task to be completed", Soon);
        Assert.True(await admin.ExecuteScalarAsync<bool>(
            "select c.called_at >= t.scheduled_at from worker_test.call as c, queues.task as t where t.task_id = @taskId", new { taskId }),
            "The task ran before it was due");
    }

    [Fact]
    public async Task The_listener_reconnects_after_its_connection_is_killed()
    {
        await using var worker = await RunningWorker.StartAsync(database, smtp: null, HourlyPoll);
        await using var admin = await database.OpenAdminAsync();
        var listener = await ListenerPidAsync(admin);

        await admin.ExecuteAsync("select pg_terminate_backend(@listener)", new { listener });

        await Eventually.TrueAsync(async () => await ListenerPidAsync(admin) is { } pid && pid != listener, "a new listener connection");
        await worker.WaitUntilReadyAsync();
        var taskIds = await WorkerDatabase.EnqueueAsync(admin, [WorkerDatabase.RecordCall(4)]);
        await Eventually.TrueAsync(() => WorkerDatabase.AllCompletedAsync(admin, taskIds), "the notified task to be completed", Soon);
    }

    private static Task<int?> ListenerPidAsync(Npgsql.NpgsqlConnection admin) =>
        admin.ExecuteScalarAsync<int?>(
            "select pid from pg_stat_activity where datname = current_database() and application_name = 'gateway-worker-listener'");
}
