using Dapper;

namespace Gateway.IntegrationTests.Security;

// Inside the namespace, so Callers.Worker wins over the namespaces Gateway.Worker and Gateway.IntegrationTests.Worker.
using static Gateway.IntegrationTests.Security.Callers;

// Functions: EXECUTE is granted function by function, and every function of the application has a row here,
// so a function added later without a grant decision fails Every_function_of_the_application_has_a_row_in_the_execute_matrix.
public sealed partial class PrivilegeMatrixTests
{
    /// <summary>Every function of the application (by its regprocedure signature) → the callers with EXECUTE on it.</summary>
    private static readonly Dictionary<string, string[]> ExecuteGrants = new(StringComparer.Ordinal)
    {
        ["api.signup(text,text,text)"] = [Anon, Authenticated],
        ["api.login(text,text)"] = [Anon, Authenticated],
        ["api.refresh_tokens(text)"] = [Anon, Authenticated],
        ["api.me()"] = [Authenticated],
        ["api.hello_world_email(text)"] = [Authenticated],

        ["internal.get_config(text)"] = [],
        ["internal.is_runnable_function(regprocedure)"] = [Worker],
        ["internal.run_function(text,jsonb)"] = [Worker],

        ["queues.enqueue(queues.task_type,jsonb,timestamp with time zone)"] = [],
        ["queues.dequeue_next_available_task()"] = [Worker],
        ["queues.complete_task(bigint)"] = [Worker],
        ["queues.fail_task(bigint,text)"] = [Worker],
        ["queues.append_error(bigint,text)"] = [Worker],
        ["queues.lease_seconds()"] = [Worker],
        ["queues.renew_lease(bigint)"] = [Worker],
        ["queues.release_lease(bigint)"] = [Worker],
        ["queues.queue_stats()"] = [Worker],

        ["comms.render_email_template(text,jsonb)"] = [],
        ["comms.from_email_address(text)"] = [],
        ["comms.create_email_message(text,text,text,text)"] = [],
        ["comms.send_email_supervisor_facts(bigint)"] = [],
        ["comms.get_email_payload_facts(bigint)"] = [],
        ["comms.send_email_supervisor_payload(bigint,integer)"] = [],
        ["comms.kickoff_send_email_task(bigint,timestamp with time zone)"] = [],
        ["comms.create_and_kickoff_email_task(text,text,text,text,timestamp with time zone)"] = [],
        ["comms.schedule_email_attempt(bigint)"] = [],
        ["comms.schedule_email_supervisor_recheck(bigint,integer,integer)"] = [],
        ["comms.send_email_supervisor(jsonb)"] = [Worker],
        ["comms.get_email_payload(jsonb)"] = [Worker],
        ["comms.record_email_success(jsonb)"] = [Worker],
        ["comms.record_email_failure(jsonb)"] = [Worker],

        ["accounts.normalize_email(text)"] = [],
        ["accounts.normalize_phone_number(text)"] = [],
        ["accounts.is_valid_email(text)"] = [],
        ["accounts.is_valid_phone_number(text)"] = [],
        ["accounts.normalize_account()"] = [],
        ["accounts.create_account(text,text,text)"] = [],
        ["accounts.identifier_type(text)"] = [],
        ["accounts.find_account_by_identifier(text)"] = [],

        ["auth.url_encode(bytea)"] = [],
        ["auth.url_decode(text)"] = [],
        ["auth.sign(jsonb,text)"] = [],
        ["auth.verify(text,text)"] = [],
        ["auth.jwt_config()"] = [],
        ["auth.create_token(bigint,text)"] = [],
        ["auth.create_access_token(bigint)"] = [],
        ["auth.create_refresh_token(bigint)"] = [],
        ["auth.create_token_pair(bigint)"] = [],
        ["auth.validate_token(text,text)"] = [],
        // For the policy and column default of demo.todo, which run as the requesting role; see
        // Authenticated_cannot_call_jwt_account_id_by_name for why the grant reveals nothing.
        ["auth.jwt_account_id()"] = [Authenticated],
    };

    /// <summary>
    /// Every caller/function pair without EXECUTE, except the queue and comms functions for callers other than
    /// the worker, which <see cref="Nobody_but_the_worker_executes_queue_or_comms_functions"/> covers.
    /// </summary>
    public static TheoryData<string, string> CallersWithoutExecute()
    {
        var rows = new TheoryData<string, string>();
        foreach (var (function, callers) in ExecuteGrants)
        {
            foreach (var caller in All.Where(caller => !callers.Contains(caller, StringComparer.Ordinal)))
            {
                if (caller != Worker && IsQueueOrCommsFunction(function))
                {
                    continue;
                }

                rows.Add(caller, function);
            }
        }

        return rows;
    }

    public static TheoryData<string, string> QueueAndCommsFunctionsForCallersOtherThanTheWorker()
    {
        var rows = new TheoryData<string, string>();
        foreach (var caller in new[] { Anon, Authenticated, Authenticator })
        {
            foreach (var function in ExecuteGrants.Keys.Where(IsQueueOrCommsFunction))
            {
                rows.Add(caller, function);
            }
        }

        return rows;
    }

    [Fact]
    public async Task Execute_privileges_of_the_four_callers_are_exactly_the_expected_list()
    {
        var expected = ExecuteGrants.SelectMany(row => row.Value.Select(caller => $"{caller} {row.Key}"));
        await using var admin = await database.OpenAdminAsync();

        var actual = await admin.QueryAsync<string>(
            """
            select format('%s %s', c.caller, p.oid::regprocedure)
            from pg_proc as p
            join pg_namespace as n on n.oid = p.pronamespace
            cross join unnest(@callers) as c(caller)
            where n.nspname = any(@schemas)
              and not exists (select from pg_depend as d where d.objid = p.oid and d.deptype = 'e')
              and has_function_privilege(c.caller, p.oid, 'execute')
            """,
            new { callers = All.ToArray(), schemas = Schemas });

        SecurityAssert.SameLines(expected, actual, "EXECUTE privileges (caller function)");
    }

    [Fact]
    public async Task Every_function_of_the_application_has_a_row_in_the_execute_matrix()
    {
        await using var admin = await database.OpenAdminAsync();

        var functions = await admin.QueryAsync<string>(
            """
            select p.oid::regprocedure::text
            from pg_proc as p
            join pg_namespace as n on n.oid = p.pronamespace
            where n.nspname = any(@schemas)
              and not exists (select from pg_depend as d where d.objid = p.oid and d.deptype = 'e')
            """,
            new { schemas = Schemas });

        SecurityAssert.SameLines(ExecuteGrants.Keys, functions, "Functions of the application");
    }

    [Theory]
    [MemberData(nameof(CallersWithoutExecute))]
    public async Task A_caller_without_execute_is_refused_when_calling(string caller, string function)
    {
        await using var session = await CallerSession.BeginAsync(database, caller);

        var error = await session.RefusedAsync(CallOf(function));

        SecurityAssert.InsufficientPrivilege(error);
    }

    [Theory]
    [MemberData(nameof(QueueAndCommsFunctionsForCallersOtherThanTheWorker))]
    public async Task Nobody_but_the_worker_executes_queue_or_comms_functions(string caller, string function)
    {
        await using var admin = await database.OpenAdminAsync();
        await using var session = await CallerSession.BeginAsync(database, caller);

        var privileged = await admin.ExecuteScalarAsync<bool>(
            "select has_function_privilege(@caller, @function, 'execute')", new { caller, function });
        var error = await session.RefusedAsync(CallOf(function));

        Assert.False(privileged, $"{caller} has EXECUTE on {function}");
        SecurityAssert.InsufficientPrivilege(error);
    }

    [Fact]
    public async Task Authenticated_cannot_call_jwt_account_id_by_name()
    {
        // Granted only so that demo.todo's policy and default can run as the requesting role; without USAGE on
        // schema auth the name cannot be reached from a query.
        await using var session = await CallerSession.BeginAsync(database, Authenticated);

        var error = await session.RefusedAsync("select auth.jwt_account_id()");

        SecurityAssert.InsufficientPrivilege(error);
        Assert.Contains("schema auth", error.MessageText, StringComparison.Ordinal);
    }

    private static bool IsQueueOrCommsFunction(string function) =>
        function.StartsWith("queues.", StringComparison.Ordinal) || function.StartsWith("comms.", StringComparison.Ordinal);

    /// <summary>
    /// A call of the function with a NULL of each argument type. Each NULL comes from a sub-select, so the planner
    /// cannot fold a strict function's call away before the privilege check.
    /// </summary>
    private static string CallOf(string signature)
    {
        var open = signature.IndexOf('(', StringComparison.Ordinal);
        var name = signature[..open];
        var types = signature[(open + 1)..^1];
        var arguments = types.Length == 0
            ? ""
            : string.Join(", ", types.Split(',').Select(type => $"(select null::{type})"));
        return $"select {name}({arguments})";
    }
}
