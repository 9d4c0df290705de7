using System.Text.Json.Nodes;
using Dapper;
using Gateway.IntegrationTests.Infrastructure;
using Gateway.IntegrationTests.Queues;

namespace Gateway.IntegrationTests.Comms;

/// <summary>The before, success and error handlers of email tasks, called as the worker calls them.</summary>
public sealed class EmailHandlerTests(MigratedDatabase database) : IClassFixture<MigratedDatabase>
{
    [Fact]
    public async Task Get_email_payload_without_an_attempt_id_reports_missing_send_email_attempt_id()
    {
        await using var worker = await QueueWorker.ConnectAsync(database);

        var result = await worker.RunFunctionAsync("comms.get_email_payload", new JsonObject { ["task_type"] = "email" });

        Assert.Equal(new JsonObject { ["status"] = "missing_send_email_attempt_id" }.ToJsonString(), result.ToJsonString());
    }

    [Fact]
    public async Task Get_email_payload_for_an_unknown_attempt_reports_email_message_not_found()
    {
        await using var worker = await QueueWorker.ConnectAsync(database);

        var result = await worker.RunFunctionAsync("comms.get_email_payload", new JsonObject { ["send_email_attempt_id"] = long.MaxValue });

        Assert.Equal(new JsonObject { ["status"] = "email_message_not_found" }.ToJsonString(), result.ToJsonString());
    }

    [Theory]
    [InlineData("comms.record_email_success")]
    [InlineData("comms.record_email_failure")]
    public async Task Outcome_handlers_report_a_missing_or_unknown_attempt_and_record_nothing(string handler)
    {
        await using var admin = await database.OpenAdminAsync();
        var outcomesBefore = await OutcomeCountAsync(admin);
        await using var worker = await QueueWorker.ConnectAsync(database);

        var missing = await worker.RunFunctionAsync(handler, new JsonObject { ["original_payload"] = new JsonObject(), ["error"] = "x" });
        var unknown = await worker.RunFunctionAsync(handler, new JsonObject
        {
            ["original_payload"] = new JsonObject { ["send_email_attempt_id"] = long.MaxValue },
            ["error"] = "x",
        });

        Assert.Equal("missing_send_email_attempt_id", HelloWorldEmail.Status(missing));
        Assert.Equal("send_email_attempt_not_found", HelloWorldEmail.Status(unknown));
        Assert.Equal(outcomesBefore, await OutcomeCountAsync(admin));
    }

    [Fact]
    public async Task Outcome_handlers_are_idempotent_so_a_task_rerun_after_a_crash_records_one_outcome()
    {
        await using var admin = await database.OpenAdminAsync();
        var sendEmailTaskId = await admin.ExecuteScalarAsync<long>(
            "select k.send_email_task_id from comms.create_and_kickoff_email_task('from@example.com', 'to@example.com', 'Subject', '<p>Body</p>') as k");
        var attemptId = await admin.ExecuteScalarAsync<long>("select comms.schedule_email_attempt(@sendEmailTaskId)", new { sendEmailTaskId });
        var handlerPayload = new JsonObject
        {
            ["original_payload"] = new JsonObject { ["send_email_attempt_id"] = attemptId },
            ["worker_payload"] = new JsonObject { ["id"] = "x" },
            ["error"] = "smtp refused",
        };
        await using var worker = await QueueWorker.ConnectAsync(database);

        foreach (var handler in new[] { "comms.record_email_success", "comms.record_email_success", "comms.record_email_failure", "comms.record_email_failure" })
        {
            Assert.Equal("succeeded", HelloWorldEmail.Status(await worker.RunFunctionAsync(handler, handlerPayload)));
        }

        Assert.Equal(1, await admin.ExecuteScalarAsync<long>(
            "select count(*) from comms.send_email_attempt_succeeded where send_email_attempt_id = @attemptId", new { attemptId }));
        Assert.Equal(1, await admin.ExecuteScalarAsync<long>(
            "select count(*) from comms.send_email_attempt_failed where send_email_attempt_id = @attemptId", new { attemptId }));
    }

    private static Task<long> OutcomeCountAsync(Npgsql.NpgsqlConnection admin) => admin.ExecuteScalarAsync<long>(
        "select (select count(*) from comms.send_email_attempt_succeeded) + (select count(*) from comms.send_email_attempt_failed)");
}
