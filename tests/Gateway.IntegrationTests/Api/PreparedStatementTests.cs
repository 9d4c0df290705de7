using System.Net;
using Gateway.IntegrationTests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Gateway.IntegrationTests.Api;

/// <summary>
/// The gateway prepares its frequent statements by default (Npgsql's automatic preparation), unless the connection
/// string sets <c>Max Auto Prepare=0</c>: on one pooled connection, repeated requests then leave prepared statements
/// in the session (<c>pg_prepared_statements</c>, read by a function of the test's own inside a request), and the same
/// requests answer byte for byte the same with preparation on and off. A statement that fails on the use on which
/// Npgsql prepares it must not break the connection for the next caller (npgsql/npgsql#6391; see PreparedStatements).
/// </summary>
public sealed class PreparedStatementTests(ApiFixture api) : IClassFixture<ApiFixture>, IAsyncLifetime
{
    // Repeated past Npgsql's threshold (a statement is prepared on its 5th use), then some more.
    private const int Repetitions = 8;

    private static readonly string[] Requests =
    [
        "/items?select=id,name&id=lt.4&order=id",
        "/items?select=name,price&price=gt.1&name=like.*e*&order=price.desc&limit=2",
        "/projects?select=id,name,clients(name),tasks(id,name)&id=in.(1,3)&order=id&tasks.order=id",
        "/rpc/add?a=20&b=22",
        "/rpc/items_named?prefix=b&select=id,name",
        "/prepared_statements_probe?select=id",
    ];

    public Task InitializeAsync() => api.EnsureObjectsAsync("api.prepared_statements_probe", """
            set role gateway_owner;
            create view api.prepared_statements_probe as select 1 as id;
            grant select on api.prepared_statements_probe to anon;
            create function api.prepared_statements() returns bigint
              language sql stable as $$ select count(*) from pg_prepared_statements $$;
            grant execute on function api.prepared_statements() to anon;
            reset role;
        """, "/prepared_statements_probe");

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task By_default_repeated_requests_leave_their_statements_prepared_on_the_connection()
    {
        await using var gateway = await OneConnectionAsync(options: "");

        Assert.True(await PreparedAfterRepeatingAsync(gateway) > 0);
    }

    [Fact]
    public async Task With_max_auto_prepare_0_nothing_is_prepared()
    {
        await using var gateway = await OneConnectionAsync(options: ";Max Auto Prepare=0");

        Assert.Equal(0, await PreparedAfterRepeatingAsync(gateway));
    }

    [Fact]
    public async Task Every_request_answers_the_same_with_preparation_on_and_off()
    {
        await using var prepared = await OneConnectionAsync(options: "");
        await using var unprepared = await OneConnectionAsync(options: ";Max Auto Prepare=0");
        var preparedClient = prepared.CreateClient();
        var unpreparedClient = unprepared.CreateClient();

        foreach (var path in Requests)
        {
            var expected = await BodyAsync(unpreparedClient, path);
            for (var i = 0; i < Repetitions; i++)
            {
                Assert.Equal(expected, await BodyAsync(preparedClient, path));
            }
        }
    }

    // Each case: a request that succeeds, and one of the same SQL text that fails in PostgreSQL after it was parsed
    // (while binding and planning), as a client's 4xx. Npgsql prepares a statement on its fifth use.
    public static TheoryData<string, string, string, string?> FailuresWhileBinding => new()
    {
        // an integer overflow folded into the plan (22003)
        { "", "/rpc/add?a=1&b=2", "/rpc/add?a=2147483647&b=1", null },
        // a filter value that is not an integer (22P02), on a read
        { "", "/items?select=id&id=eq.1", "/items?select=id&id=eq.x", null },
        // the same with a connection string that asks for preparation itself
        { ";Max Auto Prepare=64", "/items?select=id&id=eq.1", "/items?select=id&id=eq.x", null },
        // a singular write runs in an explicit transaction, which the failure aborts
        { "", "/notes?id=eq.3999&select=id", "/notes?id=eq.x&select=id", "PATCH" },
    };

    [Theory]
    [MemberData(nameof(FailuresWhileBinding))]
    public async Task A_statement_that_fails_on_the_use_that_prepares_it_leaves_the_connection_usable(
        string options, string succeeds, string fails, string? method)
    {
        await using var gateway = await OneConnectionAsync(options);
        var client = gateway.CreateClient();
        const int Threshold = 5;

        for (var i = 1; i < Threshold; i++)
        {
            await AnswerAsync(client, method, succeeds, expected: method is null ? HttpStatusCode.OK : HttpStatusCode.NotAcceptable);
        }

        await AnswerAsync(client, method, fails, expected: HttpStatusCode.BadRequest);

        for (var i = 0; i < 2 * Threshold; i++)
        {
            await AnswerAsync(client, method, succeeds, expected: method is null ? HttpStatusCode.OK : HttpStatusCode.NotAcceptable);
        }
    }

    // A GET, or a singular write of nothing (406: the singular answer needs exactly one row; rolled back).
    private static async Task AnswerAsync(HttpClient client, string? method, string path, HttpStatusCode expected)
    {
        using var request = new HttpRequestMessage(method is null ? HttpMethod.Get : new HttpMethod(method), path);
        if (method is not null)
        {
            request.Content = new StringContent("""{"body": "prepared"}""", System.Text.Encoding.UTF8, "application/json");
            request.Headers.Accept.ParseAdd("application/vnd.pgrst.object+json");
        }

        using var response = await client.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(expected == response.StatusCode, $"{method ?? "GET"} {path} answered {(int)response.StatusCode}: {body}");
    }

    // A gateway whose pool holds two connections: the catalog listener keeps one, so every request runs on the other.
    private async Task<WebApplicationFactory<Program>> OneConnectionAsync(string options)
    {
        var factory = api.Factory.WithWebHostBuilder(builder =>
            builder.UseSetting("ConnectionStrings:Gateway", api.AuthenticatorConnectionString + ";Maximum Pool Size=2" + options));
        await ApiFixture.WaitUntilReadyAsync(factory.CreateClient());
        return factory;
    }

    private static async Task<long> PreparedAfterRepeatingAsync(WebApplicationFactory<Program> gateway)
    {
        var client = gateway.CreateClient();
        for (var i = 0; i < Repetitions; i++)
        {
            await BodyAsync(client, Requests[0]);
        }

        using var response = await client.GetAsync("/rpc/prepared_statements");
        return long.Parse(await response.Content.ReadAsStringAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    private static async Task<string> BodyAsync(HttpClient client, string path)
    {
        using var response = await client.GetAsync(path);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"GET {path} answered {(int)response.StatusCode}: {body}");
        return $"{(int)response.StatusCode} {response.Content.Headers.ContentType} {response.Content.Headers.ContentRange} {body}";
    }
}
