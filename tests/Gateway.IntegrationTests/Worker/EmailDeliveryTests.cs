using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Dapper;
using Gateway.IntegrationTests.Infrastructure;
using Gateway.IntegrationTests.Queues;
using Npgsql;

namespace Gateway.IntegrationTests.Worker;

/// <summary>
/// The whole email path, end to end: a signed-in client calls <c>POST /rpc/hello_world_email</c> on the real gateway,
/// the real worker runs the supervisor and the email task, and a real SMTP server receives the message (or refuses it,
/// and the supervisor retries with its backoff until max_attempts). The supervisor's base delay is cut to 0.2 s, and
/// its run limit raised so that a slow machine cannot exhaust it while an attempt is in flight.
/// </summary>
public sealed class EmailDeliveryTests(ApiFixture api) : IClassFixture<ApiFixture>, IAsyncLifetime
{
    private const double BaseDelaySeconds = 0.2;

    public async Task InitializeAsync()
    {
        await QueueOwner.CompleteLeftoversAsync(api);
        await WorkerDatabase.ConfigureAsync(api, "email_supervisor", new { base_delay_seconds = BaseDelaySeconds, max_attempts = 2, max_runs = 100 });
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Hello_world_email_through_the_gateway_is_delivered_over_smtp_and_recorded_as_sent()
    {
        await using var smtp = await SmtpSink.StartAsync();
        await using var worker = await RunningWorker.StartAsync(api, smtp);
        await using var admin = await api.OpenAdminAsync();
        var to = $"friend-{Guid.NewGuid():N}@example.com";

        var sendEmailTaskId = await SendHelloWorldAsync(to);

        var message = Assert.Single(await smtp.WaitForDeliveredAsync(1, Eventually.DefaultBound));
        var stored = await admin.QuerySingleAsync<(string From, string Subject, string Html)>("""
            select e.from_address, e.subject, e.html
            from comms.send_email_task as t
            join comms.email_message as e on e.message_id = t.message_id
            where t.send_email_task_id = @sendEmailTaskId
            """, new { sendEmailTaskId });
        Assert.Equal(await admin.ExecuteScalarAsync<string>("select value ->> 'hello' from internal.config where key = 'from_emails'"), stored.From);
        Assert.Equal(stored.From, Assert.Single(message.From.Mailboxes).Address);
        Assert.Equal(to, Assert.Single(message.To.Mailboxes).Address);
        Assert.Equal("Hello, World!", message.Subject);
        Assert.Equal(Normalize(stored.Html), Normalize(message.HtmlBody));

        // The supervisor's next run sees the success fact and ends the chain.
        await Eventually.TrueAsync(() => NothingPendingAsync(admin), "the supervisor to finish");
        var facts = await FactsAsync(admin, sendEmailTaskId);
        Assert.Equal((1, 1, 0), (facts.Attempts, facts.Succeeded, facts.Failed));
    }

    [Fact]
    public async Task A_refusing_smtp_server_gets_retries_with_the_supervisors_backoff_until_max_attempts()
    {
        await using var smtp = await SmtpSink.StartAsync(SmtpSinkMode.Refuse);
        await using var worker = await RunningWorker.StartAsync(api, smtp);
        await using var admin = await api.OpenAdminAsync();

        var sendEmailTaskId = await SendHelloWorldAsync($"friend-{Guid.NewGuid():N}@example.com");

        // max_attempts_reached enqueues nothing more, so the chain has stopped once nothing is pending.
        await Eventually.TrueAsync(async () => (await FactsAsync(admin, sendEmailTaskId)).Failed == 2 && await NothingPendingAsync(admin), "two failed attempts and a stopped supervisor");
        Assert.Equal(2, smtp.Refused);
        Assert.Empty(smtp.Delivered);
        Assert.Equal((2, 0, 2), await FactsAsync(admin, sendEmailTaskId));

        var failures = (await admin.QueryAsync<string>("""
            select f.error_message
            from comms.send_email_attempt as a
            join comms.send_email_attempt_failed as f on f.send_email_attempt_id = a.send_email_attempt_id
            where a.send_email_task_id = @sendEmailTaskId
            """, new { sendEmailTaskId })).ToList();
        Assert.All(failures, error => Assert.Equal("the SMTP server refused the message: 554 refused by the test", error));
        var queueErrors = (await admin.QueryAsync<string>(
            "select e.error_message from queues.error as e join queues.task as t on t.task_id = e.task_id where t.task_type = 'email' and (t.payload ->> 'send_email_attempt_id')::bigint in (select send_email_attempt_id from comms.send_email_attempt where send_email_task_id = @sendEmailTaskId)",
            new { sendEmailTaskId })).ToList();
        Assert.Equal(2, queueErrors.Count);
        Assert.All(queueErrors, error => Assert.StartsWith("the SMTP server refused the message: 554", error, StringComparison.Ordinal));

        // Each recheck waits base_delay × 2^failures: 0.2 s before any failure, 0.4 s after the first.
        var delays = (await admin.QueryAsync<double>("""
            select round(extract(epoch from scheduled_at - enqueued_at)::numeric, 2)::float8
            from queues.task
            where task_type = 'db_function' and (payload ->> 'send_email_task_id')::bigint = @sendEmailTaskId and (payload ->> 'run_count')::int > 0
            """, new { sendEmailTaskId })).ToHashSet();
        Assert.Contains(BaseDelaySeconds, delays);
        Assert.Contains(BaseDelaySeconds * 2, delays);
        Assert.Subset(new HashSet<double> { BaseDelaySeconds, BaseDelaySeconds * 2 }, delays);
    }

    private async Task<long> SendHelloWorldAsync(string to)
    {
        var client = api.As(await api.CreateAccountAsync($"sender-{Guid.NewGuid():N}@example.com"));
        using var response = await client.PostAsJsonAsync("/rpc/hello_world_email", new { to_address = to });
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"hello_world_email answered {(int)response.StatusCode}: {text}");
        var body = JsonNode.Parse(text)!;
        Assert.Equal("succeeded", body["status"]!.GetValue<string>());
        return body["send_email_task_id"]!.GetValue<long>();
    }

    private static Task<bool> NothingPendingAsync(NpgsqlConnection admin) =>
        admin.ExecuteScalarAsync<bool>("select not exists (select from queues.task_pending)");

    private static async Task<(int Attempts, int Succeeded, int Failed)> FactsAsync(NpgsqlConnection admin, long sendEmailTaskId) =>
        await admin.QuerySingleAsync<(int, int, int)>("""
            select count(*)::int, count(s.send_email_attempt_id)::int, count(f.send_email_attempt_id)::int
            from comms.send_email_attempt as a
            left join comms.send_email_attempt_succeeded as s on s.send_email_attempt_id = a.send_email_attempt_id
            left join comms.send_email_attempt_failed as f on f.send_email_attempt_id = a.send_email_attempt_id
            where a.send_email_task_id = @sendEmailTaskId
            """, new { sendEmailTaskId });

    private static string Normalize(string? text) => (text ?? "").ReplaceLineEndings("\n").Trim();
}
