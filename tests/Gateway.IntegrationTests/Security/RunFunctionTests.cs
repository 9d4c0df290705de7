using Dapper;
using Gateway.IntegrationTests.Infrastructure;

namespace Gateway.IntegrationTests.Security;

/// <summary>
/// internal.run_function, called by the worker, runs only the functions on its allow-list; a name is only ever
/// parsed as a function name, never run as SQL.
/// </summary>
public sealed class RunFunctionTests(MigratedDatabase database) : IClassFixture<MigratedDatabase>
{
    public static TheoryData<string?, string, string> NamesOffTheAllowList() => new()
    {
        // name                                                              SQLSTATE   why, in the message
        { "pg_sleep",                                                        "42883",   "no function 'pg_sleep' taking one jsonb argument exists" },
        { "pg_catalog.pg_sleep",                                             "42883",   "no function 'pg_catalog.pg_sleep' taking one jsonb argument exists" },
        { "api.signup",                                                      "42501",   "'api.signup' is not allowed to run" },
        { "queues.enqueue",                                                  "42883",   "no function 'queues.enqueue' taking one jsonb argument exists" },
        // A real jsonb → jsonb function that everyone may execute: refused by the allow-list alone.
        { "pg_catalog.jsonb_strip_nulls",                                    "42501",   "'pg_catalog.jsonb_strip_nulls' is not allowed to run" },
        { "comms.send_email_supervisor(jsonb); drop table queues.task; --",  "22023",   "is not a valid function name" },
        { "x); select pg_sleep(10); --",                                     "22023",   "is not a valid function name" },
        { "",                                                                "22023",   "needs a function name" },
        { "   ",                                                             "22023",   "needs a function name" },
        { null,                                                              "22023",   "needs a function name" },
    };

    [Theory]
    [MemberData(nameof(NamesOffTheAllowList))]
    public async Task Run_function_refuses_a_name_off_its_allow_list(string? name, string sqlState, string reason)
    {
        await using var worker = await CallerSession.BeginAsync(database, Callers.Worker);

        var error = await worker.RefusedAsync("select internal.run_function(@name, '{}'::jsonb)", new { name });

        Assert.Equal(sqlState, error.SqlState);
        Assert.Contains(reason, error.MessageText, StringComparison.Ordinal);
        await using var admin = await database.OpenAdminAsync();
        Assert.Equal("queues.task", await admin.ExecuteScalarAsync<string>("select to_regclass('queues.task')::text"));
    }

    [Fact]
    public async Task Every_allow_listed_function_exists_returns_jsonb_and_is_granted_to_the_worker()
    {
        await using var admin = await database.OpenAdminAsync();

        var unusable = await admin.QueryAsync<string>(
            """
            select r.function_name
            from internal.runnable_function as r
            left join pg_proc as p on p.oid = to_regprocedure(r.function_name || '(jsonb)')
            where p.oid is null
               or p.prorettype <> 'jsonb'::regtype
               or p.proretset
               or not has_function_privilege('worker_service_user', p.oid, 'execute')
            """);

        Assert.Empty(unusable);
        Assert.NotEmpty(await admin.QueryAsync<string>("select function_name from internal.runnable_function"));
    }
}
