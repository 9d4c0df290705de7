using System.Text.Json;
using Dapper;
using Gateway.IntegrationTests.Infrastructure;

namespace Gateway.IntegrationTests.Security;

/// <summary>
/// The worker's login: it works the queue only through its functions and runs allow-listed business functions;
/// it never touches a queue table, enqueues, or reads configuration or accounts.
/// Tasks the tests enqueue (as the superuser) are due tomorrow, except the one the dequeue test claims.
/// </summary>
public sealed class WorkerTests(MigratedDatabase database) : IClassFixture<MigratedDatabase>
{
    public static TheoryData<string> DirectQueueTableStatements()
    {
        // table → a column that may be assigned (identity columns refuse assignment before privileges are checked)
        (string Table, string Column)[] tables =
        [
            ("queues.task", "payload"),
            ("queues.task_lease", "expires_at"),
            ("queues.task_completed", "completed_at"),
            ("queues.error", "error_message"),
            ("queues.task_pending", "scheduled_at"),
        ];
        var rows = new TheoryData<string>();
        foreach (var (table, column) in tables)
        {
            rows.Add($"select * from {table}");
            rows.Add($"insert into {table} default values");
            rows.Add($"update {table} set {column} = {column}");
            rows.Add($"delete from {table}");
        }

        return rows;
    }

    [Theory]
    [MemberData(nameof(DirectQueueTableStatements))]
    public async Task Worker_cannot_read_or_write_queue_tables_directly(string statement)
    {
        await using var worker = await CallerSession.BeginAsync(database, Callers.Worker);

        var error = await worker.RefusedAsync(statement);

        SecurityAssert.InsufficientPrivilege(error);
        Assert.Contains("permission denied for table", error.MessageText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Worker_cannot_call_enqueue()
    {
        await using var worker = await CallerSession.BeginAsync(database, Callers.Worker);

        var error = await worker.RefusedAsync("select queues.enqueue('db_function', '{}'::jsonb, now())");

        SecurityAssert.InsufficientPrivilege(error);
        Assert.Contains("permission denied for function enqueue", error.MessageText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Worker_cannot_read_internal_config()
    {
        await using var worker = await CallerSession.BeginAsync(database, Callers.Worker);

        var error = await worker.RefusedAsync("select * from internal.config");

        SecurityAssert.InsufficientPrivilege(error);
    }

    [Fact]
    public async Task Worker_cannot_read_accounts()
    {
        await using var worker = await CallerSession.BeginAsync(database, Callers.Worker);

        var error = await worker.RefusedAsync("select * from accounts.account");

        SecurityAssert.InsufficientPrivilege(error);
    }

    [Theory]
    [InlineData("anon")]
    [InlineData("authenticated")]
    [InlineData("authenticator")]
    [InlineData("gateway_owner")]
    [InlineData("postgres")]
    public async Task Worker_cannot_switch_to(string role)
    {
        await using var worker = await CallerSession.BeginAsync(database, Callers.Worker);

        var error = await worker.RefusedAsync("select set_config('role', @role, true)", new { role });

        SecurityAssert.InsufficientPrivilege(error);
        Assert.Contains($"permission denied to set role \"{role}\"", error.MessageText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Worker_can_dequeue_the_next_available_task()
    {
        var taskId = await EnqueueAsync(dueAt: "2000-01-01T00:00:00Z");
        await using var worker = await database.OpenWorkerAsync();

        var dequeued = await worker.ExecuteScalarAsync<long?>("select task_id from queues.dequeue_next_available_task()");

        Assert.Equal(taskId, dequeued);
        await using var admin = await database.OpenAdminAsync();
        Assert.Equal(1, await admin.ExecuteScalarAsync<long>("select count(*) from queues.task_lease where task_id = @taskId", new { taskId }));
    }

    [Fact]
    public async Task Worker_can_complete_a_task()
    {
        var taskId = await EnqueueAsync();
        await using var worker = await database.OpenWorkerAsync();

        await worker.ExecuteAsync("select queues.complete_task(@taskId)", new { taskId });

        await using var admin = await database.OpenAdminAsync();
        Assert.Equal(1, await admin.ExecuteScalarAsync<long>("select count(*) from queues.task_completed where task_id = @taskId", new { taskId }));
        Assert.Equal(0, await admin.ExecuteScalarAsync<long>("select count(*) from queues.task_pending where task_id = @taskId", new { taskId }));
    }

    [Fact]
    public async Task Worker_can_fail_a_task()
    {
        var taskId = await EnqueueAsync();
        await using var worker = await database.OpenWorkerAsync();

        await worker.ExecuteAsync("select queues.fail_task(@taskId, 'provider timed out')", new { taskId });

        Assert.Equal(["provider timed out"], await ErrorsOfAsync(taskId));
    }

    [Fact]
    public async Task Worker_can_append_an_error()
    {
        var taskId = await EnqueueAsync();
        await using var worker = await database.OpenWorkerAsync();

        var result = await worker.ExecuteScalarAsync<string>("select queues.append_error(@taskId, 'bounced')::text", new { taskId });

        Assert.True(JsonSerializer.Deserialize<JsonElement>(result!).GetProperty("success").GetBoolean());
        Assert.Equal(["bounced"], await ErrorsOfAsync(taskId));
    }

    [Fact]
    public async Task Worker_can_run_an_allow_listed_function()
    {
        await using var worker = await database.OpenWorkerAsync();

        var result = await worker.ExecuteScalarAsync<string>("select internal.run_function('comms.get_email_payload', '{}')::text");

        Assert.Equal("missing_send_email_attempt_id", JsonSerializer.Deserialize<JsonElement>(result!).GetProperty("status").GetString());
    }

    private async Task<long> EnqueueAsync(string? dueAt = null)
    {
        await using var admin = await database.OpenAdminAsync();
        return await admin.ExecuteScalarAsync<long>(
            "select queues.enqueue('db_function', '{}'::jsonb, coalesce(@dueAt::timestamptz, now() + interval '1 day'))",
            new { dueAt });
    }

    private async Task<List<string>> ErrorsOfAsync(long taskId)
    {
        await using var admin = await database.OpenAdminAsync();
        return (await admin.QueryAsync<string>("select error_message from queues.error where task_id = @taskId", new { taskId })).ToList();
    }
}
