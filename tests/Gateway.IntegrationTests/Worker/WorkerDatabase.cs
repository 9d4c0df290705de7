using System.Text.Json;
using Dapper;
using Gateway.IntegrationTests.Infrastructure;
using Npgsql;

namespace Gateway.IntegrationTests.Worker;

/// <summary>
/// Test-only setup of a fixture's database, done as the superuser: queue and supervisor settings in
/// <c>internal.config</c>, and allow-listed test functions (never in the migrations) for db_function tasks.
/// </summary>
public static class WorkerDatabase
{
    /// <summary>
    /// <c>worker_test.record_call(jsonb)</c> records <c>payload.n</c> after sleeping <c>payload.sleep_seconds</c> and
    /// answers <c>payload.answer</c> (default <c>succeeded</c>); <c>worker_test.fail(jsonb)</c> raises. Both are
    /// granted to the worker and allow-listed, as a migration would do for a real function;
    /// <c>worker_test.not_listed(jsonb)</c> is granted but left off the allow-list. Like the application's objects they
    /// belong to gateway_owner, which <c>internal.is_runnable_function</c> runs as.
    /// </summary>
    public const string TestFunctionsSql = """
        create schema if not exists worker_test authorization gateway_owner;
        set role gateway_owner;
        create table if not exists worker_test.call (
          n integer,
          called_at timestamptz not null default clock_timestamp()
        );
        create or replace function worker_test.record_call(_payload jsonb) returns jsonb
        language plpgsql
        security definer
        set search_path = ''
        as $$
        begin
          perform pg_sleep(coalesce((_payload ->> 'sleep_seconds')::double precision, 0));
          insert into worker_test.call (n) values ((_payload ->> 'n')::integer);
          return jsonb_build_object('status', coalesce(_payload ->> 'answer', 'succeeded'));
        end
        $$;
        create or replace function worker_test.fail(_payload jsonb) returns jsonb
        language plpgsql
        security definer
        set search_path = ''
        as $$
        begin
          raise exception 'worker_test.fail was asked to fail' using errcode = 'P0001';
        end
        $$;
        create or replace function worker_test.not_listed(_payload jsonb) returns jsonb
        language sql
        as $$
          select '{"status": "succeeded"}'::jsonb
        $$;
        grant usage on schema worker_test to worker_service_user;
        grant execute on function worker_test.record_call(jsonb), worker_test.fail(jsonb), worker_test.not_listed(jsonb)
          to worker_service_user;
        insert into internal.runnable_function (function_name)
        values ('worker_test.record_call'), ('worker_test.fail')
        on conflict do nothing;
        reset role;
        """;

    public static async Task CreateTestFunctionsAsync(MigratedDatabase database)
    {
        await using var admin = await database.OpenAdminAsync();
        await admin.ExecuteAsync(TestFunctionsSql);
    }

    /// <summary>Merges <paramref name="values"/> into the <c>internal.config</c> row <paramref name="key"/>.</summary>
    public static async Task ConfigureAsync(MigratedDatabase database, string key, object values)
    {
        await using var admin = await database.OpenAdminAsync();
        await admin.ExecuteAsync(
            "update internal.config set value = value || @values::jsonb where key = @key",
            new { key, values = JsonSerializer.Serialize(values) });
    }

    /// <summary>Enqueues one db_function task per payload, due now, in one transaction (as the owner: the worker cannot).</summary>
    public static async Task<IReadOnlyList<long>> EnqueueAsync(NpgsqlConnection admin, IEnumerable<object> payloads, string taskType = "db_function")
    {
        var ids = new List<long>();
        await using var transaction = await admin.BeginTransactionAsync();
        foreach (var payload in payloads)
        {
            ids.Add(await admin.ExecuteScalarAsync<long>(
                "select queues.enqueue(@taskType::queues.task_type, @payload::jsonb)",
                new { taskType, payload = JsonSerializer.Serialize(payload) },
                transaction));
        }

        await transaction.CommitAsync();
        return ids;
    }

    /// <summary>A db_function task running <c>worker_test.record_call</c>.</summary>
    public static object RecordCall(int n, double sleepSeconds = 0, string answer = "succeeded") =>
        new { db_function = "worker_test.record_call", n, sleep_seconds = sleepSeconds, answer };

    public static async Task<IReadOnlyList<int>> CallsAsync(NpgsqlConnection admin) =>
        (await admin.QueryAsync<int>("select n from worker_test.call order by n")).ToList();

    public static Task<bool> AllCompletedAsync(NpgsqlConnection admin, IReadOnlyList<long> taskIds) =>
        admin.ExecuteScalarAsync<bool>(
            "select count(*) = cardinality(@taskIds) from queues.task_completed where task_id = any(@taskIds)",
            new { taskIds = taskIds.ToArray() });
}
