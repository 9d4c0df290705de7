#!/usr/bin/env bash
# The queue worker's throughput: no-op db_function tasks per second with 1, 2 and 8 loops.
#
#   the local cluster (.local/pg, as scripts/up.sh makes it), a fresh database gateway_bench_worker migrated by the
#   real migrator, plus a no-op allow-listed function bench.noop(jsonb) created in that database only (never in the
#   migrations); then, per loop count, the worker published in Release, a warm-up batch, and a measured batch of
#   BENCH_TASKS tasks enqueued in one transaction. Throughput = tasks / (last completion - first claim), both read
#   from the queue's own tables. Prints a table and writes it to bench/results/worker-latest.txt.
#   Stops everything it started, even on error.
#
# Knobs (environment): BENCH_TASKS (5000), BENCH_LOOPS ("1 2 8"), GATEWAY_PG_PORT (54329, as scripts/up.sh),
# BENCH_WORKER_CONNECTION_OPTIONS (appended to the worker's connection string, for experiments, e.g.
# "No Reset On Close=true").
# shellcheck source=common.sh
. "$(dirname "${BASH_SOURCE[0]}")/common.sh"

tasks=${BENCH_TASKS:-5000}
loop_counts=${BENCH_LOOPS:-1 2 8}
connection_options=${BENCH_WORKER_CONNECTION_OPTIONS:-}
warmup_tasks=500
database=gateway_bench_worker
worker_log=$logs/worker.log
require dotnet python3 curl

worker_pid=""
stop_own() { stop_process "$worker_pid"; worker_pid=""; }

prepare_database "$database" fresh

# The no-op: owned by gateway_owner like the application's functions (internal.is_runnable_function runs as it),
# granted to the worker and allow-listed, as a migration would do for a real one.
psql -d "$database" -q -v ON_ERROR_STOP=1 <<'SQL'
create schema bench authorization gateway_owner;
set role gateway_owner;
create function bench.noop(_payload jsonb) returns jsonb
language sql
immutable
as $$
  select '{"status": "succeeded"}'::jsonb
$$;
grant usage on schema bench to worker_service_user;
grant execute on function bench.noop(jsonb) to worker_service_user;
insert into internal.runnable_function (function_name) values ('bench.noop');
reset role;
SQL

publish src/Worker "$out/worker"

enqueue() {  # BATCH COUNT: one transaction, as a burst of business transactions' kickoffs would commit
  psql -d "$database" -qAt -v ON_ERROR_STOP=1 -c \
    "select count(queues.enqueue('db_function', jsonb_build_object('db_function', 'bench.noop', 'batch', '$1'))) from generate_series(1, $2)" >/dev/null
}

wait_until_done() {  # BATCH: every task of the batch completed, bounded by five minutes
  for _ in $(seq 1 3000); do
    [ "$(psql -d "$database" -qAt -c "select count(*) from queues.task_pending as p join queues.task as t using (task_id) where t.payload ->> 'batch' = '$1'")" = 0 ] && return 0
    sleep 0.1
  done
  die "batch $1 did not finish in five minutes; see $worker_log"
}

table=$(printf '%-6s %8s %9s %10s\n' loops tasks seconds 'tasks/s')
for loops in $loop_counts; do
  log "$loops loop(s): starting the worker"
  health=http://127.0.0.1:$(free_port)
  ConnectionStrings__Worker=$(connection_string worker_service_user "$WORKER_PASSWORD" "$database" "$connection_options") \
  Worker__Concurrency=$loops \
  Worker__HealthUrls=$health \
  Worker__Smtp__Host=127.0.0.1 \
  Worker__Smtp__Security=none \
  Logging__LogLevel__Default=Warning \
    "$out/worker/Gateway.Worker" >"$worker_log" 2>&1 &
  worker_pid=$!
  wait_ready worker "$worker_pid" "$health" "$worker_log"

  enqueue "warmup-$loops" "$warmup_tasks"
  wait_until_done "warmup-$loops"
  log "$loops loop(s): $tasks tasks"
  enqueue "run-$loops" "$tasks"
  wait_until_done "run-$loops"
  stop_own

  row=$(psql -d "$database" -qAt -F ' ' -c "
    select count(*), round(extract(epoch from max(c.completed_at) - min(l.leased_at))::numeric, 3)
    from queues.task as t
    join queues.task_completed as c using (task_id)
    join queues.task_lease as l using (task_id)
    where t.payload ->> 'batch' = 'run-$loops'")
  read -r count seconds <<<"$row"
  rate=$(awk -v n="$count" -v s="$seconds" 'BEGIN { printf "%.0f", n / s }')
  table+=$'\n'$(printf '%-6s %8s %9s %10s' "$loops" "$count" "$seconds" "$rate")
done

{
  echo "Queue worker throughput, no-op db_function tasks ($(date -u +%Y-%m-%dT%H:%M:%SZ), $(nproc) cores)"
  echo "$table"
} | tee "$results/worker-latest.txt"
