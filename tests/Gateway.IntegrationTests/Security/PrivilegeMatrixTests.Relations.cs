using Dapper;

namespace Gateway.IntegrationTests.Security;

// Inside the namespace, so Callers.Worker wins over the namespaces Gateway.Worker and Gateway.IntegrationTests.Worker.
using static Gateway.IntegrationTests.Security.Callers;

// Relations: the three api views are the only ones any caller may touch.
public sealed partial class PrivilegeMatrixTests
{
    /// <summary>Every privilege the four callers hold on any relation (table, view, sequence), as "caller privilege relation".</summary>
    private static readonly string[] RelationPrivileges =
    [
        "anon select api.hello_world",
        "authenticated select api.hello_world",
        "authenticated select api.hello_secure",
        "authenticated select api.todos",
        "authenticated insert api.todos",
        "authenticated update api.todos",
        "authenticated delete api.todos",
    ];

    /// <summary>View → the callers that may read it, and how many rows they see (no account has todos in this database).</summary>
    private static readonly Dictionary<string, (string[] Readers, long Rows)> ViewReaders = new(StringComparer.Ordinal)
    {
        ["api.hello_world"] = ([Anon, Authenticated], 1),
        ["api.hello_secure"] = ([Authenticated], 1),
        ["api.todos"] = ([Authenticated], 0),
    };

    /// <summary>Every table outside api. None is granted to anyone: they are reached only through definer functions.</summary>
    private static readonly string[] TablesOutsideApi =
    [
        "internal.config",
        "internal.runnable_function",
        "queues.task",
        "queues.task_pending",
        "queues.task_lease",
        "queues.task_completed",
        "queues.error",
        "comms.message",
        "comms.email_message",
        "comms.email_template",
        "comms.send_email_task",
        "comms.send_email_attempt",
        "comms.send_email_attempt_succeeded",
        "comms.send_email_attempt_failed",
        "accounts.account",
        "accounts.account_login",
        "demo.todo",
        "public.schemaversions",
    ];

    public static TheoryData<string, string, bool> ViewReadMatrix()
    {
        var rows = new TheoryData<string, string, bool>();
        foreach (var (view, (readers, _)) in ViewReaders)
        {
            foreach (var caller in All)
            {
                rows.Add(caller, view, readers.Contains(caller, StringComparer.Ordinal));
            }
        }

        return rows;
    }

    public static TheoryData<string, string> EveryCallerAndTableOutsideApi()
    {
        var rows = new TheoryData<string, string>();
        foreach (var caller in All)
        {
            foreach (var table in TablesOutsideApi)
            {
                rows.Add(caller, table);
            }
        }

        return rows;
    }

    public static TheoryData<string, string> TodoWritesByOtherCallers()
    {
        string[] statements =
        [
            "insert into api.todos (title) values ('probe')",
            "update api.todos set done = true",
            "delete from api.todos",
        ];
        var rows = new TheoryData<string, string>();
        foreach (var caller in new[] { Anon, Authenticator, Worker })
        {
            foreach (var statement in statements)
            {
                rows.Add(caller, statement);
            }
        }

        return rows;
    }

    [Fact]
    public async Task Relation_privileges_of_the_four_callers_are_exactly_the_expected_list()
    {
        await using var admin = await database.OpenAdminAsync();

        var actual = await admin.QueryAsync<string>(
            """
            select format('%s %s %I.%I', c.caller, p.privilege, n.nspname, r.relname)
            from pg_class as r
            join pg_namespace as n on n.oid = r.relnamespace
            cross join unnest(@callers) as c(caller)
            cross join unnest(array['select', 'insert', 'update', 'delete', 'truncate', 'references', 'trigger']) as p(privilege)
            where n.nspname = any(@schemas)
              and r.relkind in ('r', 'p', 'v', 'm', 'f', 'S')
              and has_table_privilege(c.caller, r.oid, p.privilege)
            union all
            select format('%s usage %I.%I', c.caller, n.nspname, r.relname)
            from pg_class as r
            join pg_namespace as n on n.oid = r.relnamespace
            cross join unnest(@callers) as c(caller)
            where n.nspname = any(@schemas)
              and r.relkind = 'S'
              and has_sequence_privilege(c.caller, r.oid, 'usage')
            """,
            new { callers = All.ToArray(), schemas = Schemas });

        SecurityAssert.SameLines(RelationPrivileges, actual, "Relation privileges (caller privilege relation)");
    }

    [Fact]
    public async Task No_privilege_is_granted_column_by_column()
    {
        await using var admin = await database.OpenAdminAsync();

        var columnGrants = await admin.QueryAsync<string>(
            """
            select format('%s.%I: %s', a.attrelid::regclass, a.attname, a.attacl)
            from pg_attribute as a
            join pg_class as r on r.oid = a.attrelid
            join pg_namespace as n on n.oid = r.relnamespace
            where n.nspname = any(@schemas)
              and a.attacl is not null
            """,
            new { schemas = Schemas });

        Assert.Empty(columnGrants);
    }

    [Fact]
    public async Task Every_table_outside_api_is_in_the_read_matrix()
    {
        await using var admin = await database.OpenAdminAsync();

        var tables = await admin.QueryAsync<string>(
            """
            select format('%I.%I', n.nspname, r.relname)
            from pg_class as r
            join pg_namespace as n on n.oid = r.relnamespace
            where n.nspname = any(@schemas)
              and n.nspname <> 'api'
              and r.relkind in ('r', 'p', 'v', 'm', 'f')
            """,
            new { schemas = Schemas });

        SecurityAssert.SameLines(TablesOutsideApi, tables, "Tables outside api");
    }

    [Theory]
    [MemberData(nameof(ViewReadMatrix))]
    public async Task Views_are_readable_exactly_by_the_listed_callers(string caller, string view, bool readable)
    {
        await using var session = await CallerSession.BeginAsync(database, caller);

        if (readable)
        {
            Assert.Equal(ViewReaders[view].Rows, await session.ScalarAsync<long>($"select count(*) from {view}"));
        }
        else
        {
            SecurityAssert.InsufficientPrivilege(await session.RefusedAsync($"select count(*) from {view}"));
        }
    }

    [Theory]
    [MemberData(nameof(EveryCallerAndTableOutsideApi))]
    public async Task Nobody_reads_a_table_outside_api(string caller, string table)
    {
        await using var session = await CallerSession.BeginAsync(database, caller);

        var error = await session.RefusedAsync($"select count(*) from {table}");

        SecurityAssert.InsufficientPrivilege(error);
    }

    [Theory]
    [MemberData(nameof(TodoWritesByOtherCallers))]
    public async Task Only_authenticated_writes_todos(string caller, string statement)
    {
        await using var session = await CallerSession.BeginAsync(database, caller);

        var error = await session.RefusedAsync(statement);

        SecurityAssert.InsufficientPrivilege(error);
    }
}
