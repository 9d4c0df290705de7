using System.Text.Json.Nodes;
using Dapper;
using Gateway.IntegrationTests.Infrastructure;
using Npgsql;

namespace Gateway.IntegrationTests.Comms;

/// <summary>Row counts of everything a call of api.hello_world_email may write, read as the superuser.</summary>
public sealed record CommsCounts(long Messages, long EmailMessages, long SendEmailTasks, long Tasks);

/// <summary>Starting the demo email the way a signed-in user does, and reading back what it wrote.</summary>
internal static class HelloWorldEmail
{
    public const string CallSql = "select api.hello_world_email(to_address => @toAddress)::text";

    /// <summary>Creates an account as the owner would on signup and returns its id, the token's <c>sub</c>.</summary>
    public static async Task<long> CreateAccountAsync(MigratedDatabase database)
    {
        await using var admin = await database.OpenAdminAsync();
        return await admin.QuerySingleAsync<long>(
            "select (a.created_account).account_id from accounts.create_account(@email, null, 'password123') as a",
            new { email = $"user-{Guid.NewGuid():N}@example.com" });
    }

    /// <summary>One committed request of a signed-in account; returns the send_email_task_id it reports.</summary>
    public static async Task<long> SendAsync(MigratedDatabase database, long accountId, string toAddress)
    {
        await using var session = await RequestSession.AuthenticatedAsync(database, accountId);
        var result = JsonNode.Parse((await session.ScalarAsync<string>(CallSql, new { toAddress }))!)!.AsObject();
        await session.CommitAsync();
        Assert.Equal("succeeded", result["status"]?.GetValue<string>());
        return result["send_email_task_id"]!.GetValue<long>();
    }

    public static Task<CommsCounts> CountAsync(NpgsqlConnection admin) => admin.QuerySingleAsync<CommsCounts>("""
        select
          (select count(*) from comms.message) as Messages,
          (select count(*) from comms.email_message) as EmailMessages,
          (select count(*) from comms.send_email_task) as SendEmailTasks,
          (select count(*) from queues.task) as Tasks
        """);

    /// <summary>The address configured under internal.config from_emails.hello.</summary>
    public static Task<string> HelloFromAddressAsync(NpgsqlConnection admin) =>
        admin.QuerySingleAsync<string>("select value ->> 'hello' from internal.config where key = 'from_emails'");

    public static string Status(JsonObject result) => result["status"]?.GetValue<string>()
        ?? throw new Xunit.Sdk.XunitException($"No status in {result.ToJsonString()}");
}
