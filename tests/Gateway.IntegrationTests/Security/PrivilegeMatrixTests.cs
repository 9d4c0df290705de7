using Dapper;
using Gateway.IntegrationTests.Infrastructure;
using Npgsql;

namespace Gateway.IntegrationTests.Security;

// Inside the namespace, so Callers.Worker wins over the namespaces Gateway.Worker and Gateway.IntegrationTests.Worker.
using static Gateway.IntegrationTests.Security.Callers;

/// <summary>
/// What each of anon, authenticated, authenticator (without switching role) and worker_service_user may do on
/// every schema, relation and function the migrations define. Each part states its matrix as a table, checks
/// the catalog against the whole table (so a new grant or a new object shows up as a line to decide about),
/// and then tries the real statements on the real logins.
/// This file: schemas. See PrivilegeMatrixTests.Relations.cs and PrivilegeMatrixTests.Functions.cs.
/// </summary>
public sealed partial class PrivilegeMatrixTests(MigratedDatabase database) : IClassFixture<MigratedDatabase>
{
    /// <summary>Every schema the application creates, plus public, which PostgreSQL creates.</summary>
    private static readonly string[] Schemas = ["api", "internal", "queues", "comms", "accounts", "auth", "demo", "extensions", "public"];

    /// <summary>Schema → the callers with USAGE on it. No caller has CREATE anywhere.</summary>
    private static readonly Dictionary<string, string[]> SchemaUsage = new(StringComparer.Ordinal)
    {
        ["api"] = [Anon, Authenticated],
        ["internal"] = [Worker],
        ["queues"] = [Worker],
        ["comms"] = [Worker],
        ["accounts"] = [],
        ["auth"] = [],
        ["demo"] = [],
        ["extensions"] = [],
        // PostgreSQL's own default (USAGE to PUBLIC); the schema holds only the migrator's journal, which nobody may read.
        ["public"] = [Anon, Authenticated, Authenticator, Worker],
    };

    public static TheoryData<string, string, bool> SchemaUsageMatrix()
    {
        var rows = new TheoryData<string, string, bool>();
        foreach (var schema in Schemas)
        {
            foreach (var caller in All)
            {
                rows.Add(caller, schema, SchemaUsage[schema].Contains(caller, StringComparer.Ordinal));
            }
        }

        return rows;
    }

    public static TheoryData<string, string> EveryCallerAndSchema()
    {
        var rows = new TheoryData<string, string>();
        foreach (var caller in All)
        {
            foreach (var schema in Schemas)
            {
                rows.Add(caller, schema);
            }
        }

        return rows;
    }

    public static TheoryData<string> EveryCaller() => new(All);

    [Fact]
    public async Task Schema_privileges_of_the_four_callers_are_exactly_the_expected_list()
    {
        var expected = SchemaUsage.SelectMany(row => row.Value.Select(caller => $"{caller} usage {row.Key}"));
        await using var admin = await database.OpenAdminAsync();

        var actual = await admin.QueryAsync<string>(
            """
            select format('%s %s %s', c.caller, p.privilege, n.nspname)
            from pg_namespace as n
            cross join unnest(@callers) as c(caller)
            cross join unnest(array['usage', 'create']) as p(privilege)
            where n.nspname = any(@schemas)
              and has_schema_privilege(c.caller, n.oid, p.privilege)
            """,
            new { callers = All.ToArray(), schemas = Schemas });

        SecurityAssert.SameLines(expected, actual, "Schema privileges (caller privilege schema)");
    }

    [Theory]
    [MemberData(nameof(SchemaUsageMatrix))]
    public async Task A_caller_looks_up_names_only_in_the_schemas_it_may_use(string caller, string schema, bool usable)
    {
        await using var session = await CallerSession.BeginAsync(database, caller);

        var error = await session.RefusedAsync($"select from {schema}.no_such_relation");

        // Without USAGE the name is refused before PostgreSQL even looks for the relation.
        Assert.Equal(usable ? PostgresErrorCodes.UndefinedTable : PostgresErrorCodes.InsufficientPrivilege, error.SqlState);
    }

    [Theory]
    [MemberData(nameof(EveryCallerAndSchema))]
    public async Task Nobody_creates_objects_in_any_schema(string caller, string schema)
    {
        await using var session = await CallerSession.BeginAsync(database, caller);

        var error = await session.RefusedAsync($"create table {schema}.probe (id integer)");

        SecurityAssert.InsufficientPrivilege(error);
    }

    [Theory]
    [MemberData(nameof(EveryCaller))]
    public async Task Nobody_creates_temporary_tables(string caller)
    {
        await using var session = await CallerSession.BeginAsync(database, caller);

        var error = await session.RefusedAsync("create temporary table probe (id integer)");

        SecurityAssert.InsufficientPrivilege(error);
        Assert.Contains("temporary tables", error.MessageText, StringComparison.Ordinal);
    }
}
