using Gateway.IntegrationTests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Gateway.IntegrationTests.Api;

/// <summary>
/// The gateway prepares its frequent statements only when the connection string sets <c>Max Auto Prepare</c>: on one
/// pooled connection, repeated requests then leave prepared statements in the session (<c>pg_prepared_statements</c>,
/// read by a function of the test's own inside a request), and the same requests answer byte for byte the same with
/// preparation on and off. Off by default: a statement failing as Npgsql prepares it breaks the connection (below).
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
    public async Task With_max_auto_prepare_repeated_requests_leave_their_statements_prepared_on_the_connection()
    {
        await using var gateway = await OneConnectionAsync(options: ";Max Auto Prepare=64");

        Assert.True(await PreparedAfterRepeatingAsync(gateway) > 0);
    }

    [Fact]
    public async Task By_default_nothing_is_prepared()
    {
        await using var gateway = await OneConnectionAsync(options: "");

        Assert.Equal(0, await PreparedAfterRepeatingAsync(gateway));
    }

    [Fact]
    public async Task Every_request_answers_the_same_with_preparation_on_and_off()
    {
        await using var prepared = await OneConnectionAsync(options: ";Max Auto Prepare=64");
        await using var unprepared = await OneConnectionAsync(options: "");
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

    [Fact]
    public async Task By_default_a_statement_that_fails_on_its_fifth_use_leaves_the_connection_usable()
    {
        // With Max Auto Prepare set this fails on Npgsql 10.0.3 (the next request answers 500 "unexpected backend
        // message"), which is why preparation is off by default.
        await using var gateway = await OneConnectionAsync(options: "");
        var client = gateway.CreateClient();
        const int Threshold = 5; // Npgsql prepares a statement on its fifth use

        for (var i = 1; i < Threshold; i++)
        {
            using var before = await client.GetAsync("/rpc/add?a=1&b=2");
            Assert.Equal("3", await before.Content.ReadAsStringAsync());
        }

        // The fifth use of the same text fails in PostgreSQL (integer out of range): a client's 400.
        using (var failed = await client.GetAsync("/rpc/add?a=2147483647&b=1"))
        {
            Assert.Equal(System.Net.HttpStatusCode.BadRequest, failed.StatusCode);
        }

        for (var i = 0; i < Threshold; i++)
        {
            using var next = await client.GetAsync("/rpc/add?a=1&b=2");
            Assert.Equal("3", await next.Content.ReadAsStringAsync());
        }
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
