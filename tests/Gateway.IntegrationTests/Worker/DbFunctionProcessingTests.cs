using Dapper;
using Gateway.IntegrationTests.Queues;

namespace Gateway.IntegrationTests.Worker;

/// <summary>
/// What the worker does with each task it claims (seed-system §4): dispatch by task_type, run db_function tasks
/// through internal.run_function, fail_task on failure, and complete_task every time.
/// </summary>
[Collection(WorkerQueueCollection.Name)]
public sealed class DbFunctionProcessingTests(WorkerQueueFixture database) : IAsyncLifetime
{
    public Task InitializeAsync() => database.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task A_db_function_task_runs_its_function_with_the_whole_payload_and_is_completed()
    {
        await using var worker = await RunningWorker.StartAsync(database, smtp: null);
        await using var admin = await database.OpenAdminAsync();

        var taskIds = await WorkerDatabase.EnqueueAsync(admin, [WorkerDatabase.RecordCall(7)]);

        await Eventually.TrueAsync(() => WorkerDatabase.AllCompletedAsync(admin, taskIds), "the task to be completed");
        Assert.Equal([7], await WorkerDatabase.CallsAsync(admin));
        Assert.Empty(await QueueOwner.ErrorsAsync(admin, taskIds[0]));
    }

    [Fact]
    public async Task A_status_other_than_succeeded_is_an_answer_not_a_failure()
    {
        await using var worker = await RunningWorker.StartAsync(database, smtp: null);
        await using var admin = await database.OpenAdminAsync();

        var taskIds = await WorkerDatabase.EnqueueAsync(admin, [WorkerDatabase.RecordCall(1, answer: "scheduled")]);

        await Eventually.TrueAsync(() => WorkerDatabase.AllCompletedAsync(admin, taskIds), "the task to be completed");
        Assert.Empty(await QueueOwner.ErrorsAsync(admin, taskIds[0]));
    }

    [Fact]
    public async Task An_error_raised_by_the_function_fails_the_task_with_its_message_and_completes_it()
    {
        await using var worker = await RunningWorker.StartAsync(database, smtp: null);
        await using var admin = await database.OpenAdminAsync();

        var taskIds = await WorkerDatabase.EnqueueAsync(admin, [new { db_function = "worker_test.fail" }]);

        await Eventually.TrueAsync(() => WorkerDatabase.AllCompletedAsync(admin, taskIds), "the task to be completed");
        Assert.Equal(["worker_test.fail failed: P0001: worker_test.fail was asked to fail"], await QueueOwner.ErrorsAsync(admin, taskIds[0]));
    }

    [Fact]
    public async Task A_db_function_task_without_a_function_name_fails_clearly()
    {
        await using var worker = await RunningWorker.StartAsync(database, smtp: null);
        await using var admin = await database.OpenAdminAsync();

        var taskIds = await WorkerDatabase.EnqueueAsync(admin, [new { n = 1 }]);

        await Eventually.TrueAsync(() => WorkerDatabase.AllCompletedAsync(admin, taskIds), "the task to be completed");
        Assert.Equal(["db_function task has no function name in payload.db_function"], await QueueOwner.ErrorsAsync(admin, taskIds[0]));
    }

    [Fact]
    public async Task A_function_granted_to_the_worker_but_not_allow_listed_is_refused()
    {
        await using var worker = await RunningWorker.StartAsync(database, smtp: null);
        await using var admin = await database.OpenAdminAsync();

        var taskIds = await WorkerDatabase.EnqueueAsync(admin, [new { db_function = "worker_test.not_listed" }]);

        await Eventually.TrueAsync(() => WorkerDatabase.AllCompletedAsync(admin, taskIds), "the task to be completed");
        var error = Assert.Single(await QueueOwner.ErrorsAsync(admin, taskIds[0]));
        Assert.StartsWith("worker_test.not_listed failed: 42501: internal.run_function: 'worker_test.not_listed' is not allowed to run", error, StringComparison.Ordinal);
        Assert.Empty(await WorkerDatabase.CallsAsync(admin));
    }

    [Fact]
    public async Task A_task_type_without_a_processor_fails_with_a_clear_error_and_is_completed()
    {
        await using var admin = await database.OpenAdminAsync();
        // Only this test's database learns the new type: the migrations know db_function and email.
        await admin.ExecuteAsync("""
            alter domain queues.task_type drop constraint task_type_allowed_values;
            alter domain queues.task_type add constraint task_type_allowed_values check (value in ('db_function', 'email', 'sms'));
            """);
        await using var worker = await RunningWorker.StartAsync(database, smtp: null);

        var taskIds = await WorkerDatabase.EnqueueAsync(admin, [new { to_number = "+15550100" }], taskType: "sms");

        await Eventually.TrueAsync(() => WorkerDatabase.AllCompletedAsync(admin, taskIds), "the task to be completed");
        Assert.Equal(["no processor for task type 'sms'; this worker processes db_function, email"], await QueueOwner.ErrorsAsync(admin, taskIds[0]));
    }
}
