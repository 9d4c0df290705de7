using Dapper;
using Gateway.IntegrationTests.Infrastructure;

namespace Gateway.IntegrationTests.Security;

/// <summary>
/// Rules that hold for every object, read from the catalog: no EXECUTE for PUBLIC (now or for functions created
/// later), one non-superuser owner, definer functions with a pinned search_path.
/// </summary>
public sealed class CatalogInvariantTests(MigratedDatabase database) : IClassFixture<MigratedDatabase>
{
    private static readonly string[] ApplicationSchemas = ["api", "internal", "queues", "comms", "accounts", "auth", "demo"];

    public static TheoryData<string> ApplicationRoles() =>
        new("gateway_owner", "anon", "authenticated", "authenticator", "worker_service_user");

    [Fact]
    public async Task No_function_in_the_application_schemas_is_executable_by_public()
    {
        await using var admin = await database.OpenAdminAsync();

        // A NULL proacl means the built-in default, which grants EXECUTE to PUBLIC.
        var publicFunctions = await admin.QueryAsync<string>(
            """
            select p.oid::regprocedure::text
            from pg_proc as p
            join pg_namespace as n on n.oid = p.pronamespace
            cross join lateral aclexplode(coalesce(p.proacl, acldefault('f', p.proowner))) as acl
            where n.nspname = any(@schemas)
              and acl.grantee = 0
              and acl.privilege_type = 'EXECUTE'
            """,
            new { schemas = ApplicationSchemas });

        Assert.Empty(publicFunctions);
    }

    [Fact]
    public async Task A_function_gateway_owner_creates_later_is_not_executable_by_public()
    {
        await using var admin = await database.OpenAdminAsync();
        await using var transaction = await admin.BeginTransactionAsync();
        await admin.ExecuteAsync(
            """
            set local role gateway_owner;
            create function api.created_later() returns integer language sql return 1;
            reset role;
            """,
            transaction: transaction);

        var publicGrants = await admin.ExecuteScalarAsync<long>(
            """
            select count(*)
            from aclexplode((select coalesce(p.proacl, acldefault('f', p.proowner)) from pg_proc as p where p.oid = 'api.created_later()'::regprocedure)) as acl
            where acl.grantee = 0
            """,
            transaction: transaction);

        Assert.Equal(0, publicGrants);
        Assert.False(await admin.ExecuteScalarAsync<bool>(
            "select has_function_privilege('anon', 'api.created_later()', 'execute')", transaction: transaction));
    }

    [Fact]
    public async Task Every_object_in_the_application_schemas_is_owned_by_gateway_owner()
    {
        await using var admin = await database.OpenAdminAsync();

        var foreignOwned = await admin.QueryAsync<string>(
            """
            select format('schema %I (owner %s)', n.nspname, n.nspowner::regrole)
            from pg_namespace as n
            where n.nspname = any(@schemas) and n.nspowner <> 'gateway_owner'::regrole
            union all
            select format('relation %I.%I (owner %s)', n.nspname, c.relname, c.relowner::regrole)
            from pg_class as c join pg_namespace as n on n.oid = c.relnamespace
            where n.nspname = any(@schemas) and c.relowner <> 'gateway_owner'::regrole
            union all
            select format('function %s (owner %s)', p.oid::regprocedure, p.proowner::regrole)
            from pg_proc as p join pg_namespace as n on n.oid = p.pronamespace
            where n.nspname = any(@schemas) and p.proowner <> 'gateway_owner'::regrole
            union all
            select format('type %I.%I (owner %s)', n.nspname, t.typname, t.typowner::regrole)
            from pg_type as t join pg_namespace as n on n.oid = t.typnamespace
            where n.nspname = any(@schemas) and t.typowner <> 'gateway_owner'::regrole
            """,
            new { schemas = ApplicationSchemas });

        Assert.Empty(foreignOwned);
    }

    [Fact]
    public async Task Every_security_definer_function_pins_its_search_path()
    {
        await using var admin = await database.OpenAdminAsync();

        var unpinned = await admin.QueryAsync<string>(
            """
            select p.oid::regprocedure::text
            from pg_proc as p
            join pg_namespace as n on n.oid = p.pronamespace
            where p.prosecdef
              and n.nspname not in ('pg_catalog', 'information_schema')
              and not exists (select from unnest(p.proconfig) as setting where setting like 'search\_path=%')
            """);

        Assert.Empty(unpinned);
        // The check above means something only if there are definer functions to check.
        Assert.True(await admin.ExecuteScalarAsync<long>(
            "select count(*) from pg_proc as p join pg_namespace as n on n.oid = p.pronamespace where p.prosecdef and n.nspname = 'api'") > 0);
    }

    [Fact]
    public async Task Gateway_owner_is_not_a_superuser()
    {
        await using var admin = await database.OpenAdminAsync();

        Assert.False(await admin.ExecuteScalarAsync<bool>("select rolsuper from pg_roles where rolname = 'gateway_owner'"));
    }

    [Fact]
    public async Task Gateway_owner_cannot_log_in()
    {
        await using var admin = await database.OpenAdminAsync();

        Assert.False(await admin.ExecuteScalarAsync<bool>("select rolcanlogin from pg_roles where rolname = 'gateway_owner'"));
    }

    [Theory]
    [MemberData(nameof(ApplicationRoles))]
    public async Task No_application_role_holds_a_cluster_wide_power(string role)
    {
        await using var admin = await database.OpenAdminAsync();

        var powers = await admin.QuerySingleAsync<(bool Super, bool CreateRole, bool CreateDb, bool Replication, bool BypassRls)>(
            "select rolsuper, rolcreaterole, rolcreatedb, rolreplication, rolbypassrls from pg_roles where rolname = @role",
            new { role });

        Assert.Equal((false, false, false, false, false), powers);
    }

    [Fact]
    public async Task The_todo_table_enforces_row_level_security_even_on_its_owner()
    {
        // api.todos runs as its owner, who owns demo.todo too; without FORCE the owner would bypass the policy.
        await using var admin = await database.OpenAdminAsync();

        var (enabled, forced) = await admin.QuerySingleAsync<(bool, bool)>(
            "select relrowsecurity, relforcerowsecurity from pg_class where oid = 'demo.todo'::regclass");

        Assert.True(enabled);
        Assert.True(forced);
    }
}
