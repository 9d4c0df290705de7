#!/usr/bin/env bash
# The gateway's performance harness, in one command (see bench/README.md):
#   the local cluster (.local/pg, as scripts/up.sh makes it), a database gateway_bench migrated by the real
#   migrator plus bench fixtures, the gateway and the floor endpoint (bench/Floor) published in Release on
#   127.0.0.1, then per scenario of bench/scenarios.txt: wrk against the gateway, wrk against the floor, and pgbench
#   running the gateway's own SQL transaction pipelined, alternating, in rounds.
# Prints the tables and writes them to bench/results/latest.txt. Stops everything it started, even on error.
#
# Knobs (environment): BENCH_DURATION (20 s measured per server and scenario, split over the rounds), BENCH_WARMUP
# (5 s), BENCH_JIT_WARMUP (160 s per server before the first scenario, split over the scenarios), BENCH_ROUNDS (4), BENCH_CONNECTIONS (32), BENCH_THREADS (2), BENCH_SCENARIOS (names from
# bench/scenarios.txt, space-separated; default all), GATEWAY_PG_PORT (54329, as scripts/up.sh),
# BENCH_GATEWAY_CONNECTION_OPTIONS (appended to the gateway's connection string, e.g. "Max Auto Prepare=20"),
# BENCH_FLOOR_CONNECTION_OPTIONS (the floor's, default "Max Auto Prepare=20;No Reset On Close=true"), BENCH_POOL (both
# servers' Maximum Pool Size; default POOL_PER_CORE connections per core of this machine, where PostgreSQL runs).
# shellcheck source=common.sh
. "$(dirname "${BASH_SOURCE[0]}")/common.sh"

duration=${BENCH_DURATION:-20}
warmup=${BENCH_WARMUP:-5}
jit_warmup=${BENCH_JIT_WARMUP:-160}
[[ $jit_warmup =~ ^[0-9]+$ ]] || { echo "bench: BENCH_JIT_WARMUP must be a whole number of seconds (got '$jit_warmup')" >&2; exit 1; }
rounds=${BENCH_ROUNDS:-4}
connections=${BENCH_CONNECTIONS:-32}
connection_options=${BENCH_GATEWAY_CONNECTION_OPTIONS:-}
floor_options=${BENCH_FLOOR_CONNECTION_OPTIONS-Max Auto Prepare=20;No Reset On Close=true}
threads=${BENCH_THREADS:-2}
# The gateway's and the floor's pools alike, sized for the cores PostgreSQL has, as README's "Pool sizing" advises: with
# more connections than it has cores to run them, statements queue in the kernel's scheduler rather than in the pool's
# first-come queue, and p99 grows more than tenfold (perf10 here: pool 20, p99 420 ms at p50 16; pool 4, 24 ms at 15).
readonly POOL_PER_CORE=4
pool=${BENCH_POOL:-$((POOL_PER_CORE * $(nproc)))}
database=gateway_bench
probe=4242                     # the id of the requests whose SQL is captured for pgbench and the floor
server_log=$root/.local/pg/server.log

[[ $pool =~ ^[1-9][0-9]*$ ]] || die "BENCH_POOL must be a whole number of connections (got '$pool')"
slice=$(awk -v d="$duration" -v r="$rounds" 'BEGIN { s = d / r; if (s != int(s) || s < 1) exit 1; print s }') \
  || die "BENCH_DURATION ($duration) must be a whole multiple of BENCH_ROUNDS ($rounds)"

require wrk pgbench pg_isready dotnet python3 curl
pgbench_major=$(pgbench --version | sed -n 's/.* \([0-9][0-9]*\)\..*/\1/p')
[ "${pgbench_major:-0}" -ge 14 ] || die "pgbench 14 or later is needed for \\startpipeline (found $(pgbench --version))"

# ---------------------------------------------------------------------------------------------- scenarios
declare -A method target body expect label auth
scenarios=()
while read -r name a m t b e l; do
  case "$name" in '' | '#'*) continue ;; esac
  [ -n "$l" ] || die "bench/scenarios.txt: the line of $name has fewer than seven fields"
  if [ -n "${BENCH_SCENARIOS:-}" ] && [[ " $BENCH_SCENARIOS " != *" $name "* ]]; then continue; fi
  scenarios+=("$name")
  auth[$name]=$a method[$name]=$m target[$name]=$t expect[$name]=$e label[$name]=$l
  body[$name]=$([ "$b" = - ] || echo "$b")
done <"$bench/scenarios.txt"
[ "${#scenarios[@]}" -gt 0 ] || die "no scenario of bench/scenarios.txt is named in BENCH_SCENARIOS ($BENCH_SCENARIOS)"

# ---------------------------------------------------------------------------------------------- what it starts
floor_pid=""
samplers=()
logging_on=false

stop_floor() { stop_process "$floor_pid"; floor_pid=""; }
stop_samplers() {
  local pid
  for pid in "${samplers[@]}"; do
    kill "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
  samplers=()
}

statement_logging() {  # on|off: log_statement for the gateway's login in the bench database only
  if [ "$1" = on ]; then
    psql -d postgres -qc "alter role authenticator in database $database set log_statement = 'all'"
    logging_on=true
  else
    psql -d postgres -qc "alter role authenticator in database $database reset log_statement"
    logging_on=false
  fi
}

stop_own() {
  stop_samplers
  stop_floor
  if $logging_on; then statement_logging off || true; fi
}

: >"$logs/cpu.log"

# ---------------------------------------------------------------------------------------------- database, servers
prepare_database "$database"
apply_fixtures "$database" fixture.sql perf-fixture.sql
publish src/Gateway "$out/gateway"
publish bench/Floor "$out/floor"

gateway_base=http://127.0.0.1:$(free_port)
floor_base=http://127.0.0.1:$(free_port)
[ "$gateway_base" != "$floor_base" ] || floor_base=http://127.0.0.1:$(free_port)
authenticator=$(connection_string authenticator "$AUTHENTICATOR_PASSWORD" "$database")

run_gateway() {  # LOGFILE: the gateway with this run's connection options
  start_gateway "$out/gateway" "$gateway_base" "$authenticator;Maximum Pool Size=$pool${connection_options:+;$connection_options}" "$1"
}

start_floor() {  # LOGFILE
  ASPNETCORE_ENVIRONMENT=Production \
  ConnectionStrings__Floor="$authenticator;Maximum Pool Size=$pool${floor_options:+;$floor_options}" \
  Floor__JwtSecret=$JWT_SECRET \
  Floor__Shapes="$out/shapes.json" \
  Logging__LogLevel__Default=Warning \
    "$out/floor/Floor" --urls "$floor_base" >"$1" 2>&1 &
  floor_pid=$!
  wait_ready floor "$floor_pid" "$floor_base" "$1"
}

token=$(access_token "$JWT_SECRET" 3600)
token_of() { [ "${auth[$1]}" = jwt ] && echo "$token" || true; }

# One request of SCENARIO with N for {id}, with the headers wrk sends (Host, Authorization, Content-Type,
# Content-Length), so request.headers is the same; fails unless it answers 200 with what the scenario expects.
call() {  # BASE SCENARIO
  local scenario=$2 tok
  tok=$(token_of "$scenario")
  local args=(-sS -o "$out/response.json" -w '%{http_code}' -H 'User-Agent:' -H 'Accept:' -X "${method[$scenario]}")
  [ -z "$tok" ] || args+=(-H "Authorization: Bearer $tok")
  [ -z "${body[$scenario]}" ] || args+=(-H 'Content-Type: application/json' --data-binary "${body[$scenario]//\{id\}/$probe}")
  local code
  code=$(curl "${args[@]}" "$1${target[$scenario]//\{id\}/$probe}")
  [ "$code" = 200 ] || die "$1: $scenario answered $code: $(head -c 500 "$out/response.json")"
  grep -Eq -- "${expect[$scenario]//\{id\}/$probe}" "$out/response.json" \
    || die "$1: $scenario did not answer what bench/scenarios.txt expects: $(head -c 500 "$out/response.json")"
}

# ---------------------------------------------------------------------------------------------- capture
# The gateway serves each scenario's request twice with log_statement on for its login, the log's size noted around
# the second; capture.py turns those statements into the pgbench scripts and the floor's shapes. Logging stays on
# only for this gateway.
log "capturing the SQL the gateway sends (log_statement on $database for authenticator, then off)"
[ -r "$server_log" ] || die "cannot read $server_log to capture the gateway's SQL"
statement_logging on
run_gateway "$logs/gateway-capture.log"
: >"$out/capture.tsv"
for scenario in "${scenarios[@]}"; do
  call "$gateway_base" "$scenario"
  start=$(stat -c %s "$server_log")
  call "$gateway_base" "$scenario"
  printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$scenario" "$start" "$(stat -c %s "$server_log")" "${method[$scenario]}" \
    "${target[$scenario]}" "${body[$scenario]:--}" >>"$out/capture.tsv"
done
stop_gateway
statement_logging off
statements=$(python3 "$bench/capture.py" "$server_log" "$out/capture.tsv" "$probe" "$out") \
  || die "could not capture the gateway's SQL"
echo "$statements" >&2

# ---------------------------------------------------------------------------------------------- measure
run_gateway "$logs/gateway.log"
start_floor "$logs/floor.log"
log "gateway pid $gateway_pid on $gateway_base, floor pid $floor_pid on $floor_base"
for scenario in "${scenarios[@]}"; do
  call "$floor_base" "$scenario"
done

sample_rss() {  # PID FILE: keeps the largest VmRSS (kB) seen in FILE until the process ends or we are killed
  local pid=$1 file=$2 max=0 key value
  echo 0 >"$file"
  while [ -r "/proc/$pid/status" ]; do
    while read -r key value _; do
      if [ "$key" = VmRSS: ]; then
        if [ "$value" -gt "$max" ]; then max=$value; echo "$max" >"$file"; fi
        break
      fi
    done <"/proc/$pid/status" 2>/dev/null || true
    sleep 0.2
  done
}

field() { sed -n "s/.* $1=\([0-9]*\).*/\1/p" <<<"$2"; }

# CPU time, to show where it goes (wall-clock ratios on a shared 2-core machine are noisy; CPU per request less so).
clock_ticks=$(getconf CLK_TCK)
proc_ticks() {  # PID [1]: user+system clock ticks of PID (with 1: plus its reaped children's), 0 when gone
  awk -v children="${2:-0}" '{ sub(/.*\) /, ""); print $12 + $13 + (children ? $14 + $15 : 0) }' "/proc/$1/stat" 2>/dev/null || echo 0
}
postgres_ticks() {  # [detail]: the whole cluster: the postmaster, its reaped backends, and the live ones
  local postmaster reaped live=0 count=0 child
  postmaster=$(head -1 "$root/.local/pg/postmaster.pid")
  reaped=$(proc_ticks "$postmaster" 1)
  for child in $(pgrep -P "$postmaster"); do
    live=$((live + $(proc_ticks "$child"))) count=$((count + 1))
  done
  if [ -n "${1:-}" ]; then echo "postmaster and reaped $reaped, live $live in $count processes"; else echo $((reaped + live)); fi
}
children_ms() {  # CPU of this shell's reaped children (wrk, pgbench), from the builtin `times` (run in this shell)
  awk 'NR == 2 { split($1, u, /[ms]/); split($2, s, /[ms]/); printf "%d", (u[1] * 60 + u[2] + s[1] * 60 + s[2]) * 1000 }' "$out/times"
}

declare -A sum   # "<who>.<scenario>.<what>" -> total over the measured rounds (who: gateway, floor, pgbench)
add() {  # KEY NUMBER
  [[ $2 =~ ^-?[0-9]+$ ]] || die "not a number for $1: '$2'"
  sum[$1]=$(( ${sum[$1]:-0} + $2 ))
}
cpu_before() { times >"$out/times"; wrk0=$(children_ms) server0=$(proc_ticks "${1:-0}") pg0=$(postgres_ticks); }
cpu_after() {  # WHO SCENARIO [PID]; each measured run's figures also go to bench/.out/run/logs/cpu.log, with the cluster's split
  local loader postgres server
  times >"$out/times"
  loader=$(( $(children_ms) - wrk0 )) postgres=$(( $(postgres_ticks) - pg0 )) server=$(( $(proc_ticks "${3:-0}") - server0 ))
  echo "$1 $2 loader_ms=$loader postgres_ticks=$postgres (from $pg0; now $(postgres_ticks detail)) server_ticks=$server" >>"$logs/cpu.log"
  add "$1.$2.loader_ms" "$loader"
  add "$1.$2.postgres_ticks" "$postgres"
  add "$1.$2.server_ticks" "$server"
}

http_run() {  # gateway|floor SCENARIO SECONDS LOGFILE [measure]
  local who=$1 scenario=$2 base=$gateway_base pid=$gateway_pid line
  [ "$who" = gateway ] || base=$floor_base pid=$floor_pid
  [ -z "${5:-}" ] || cpu_before "$pid"
  BENCH_METHOD=${method[$scenario]} BENCH_TARGET=${target[$scenario]} BENCH_BODY=${body[$scenario]} \
  BENCH_TOKEN=$(token_of "$scenario") \
    wrk -t"$threads" -c"$connections" -d"${3}s" --timeout 5s --latency -s "$bench/wrk.lua" "$base" >"$4" 2>&1 \
    || die "wrk failed (see $4)"
  [ -n "${5:-}" ] || return 0
  cpu_after "$who" "$scenario" "$pid"
  line=$(grep '^BENCH ' "$4") || die "no result line from wrk (see $4)"
  add "$who.$scenario.requests" "$(field requests "$line")"
  add "$who.$scenario.duration_us" "$(field duration_us "$line")"
  add "$who.$scenario.p50_us" "$(field p50_us "$line")"
  add "$who.$scenario.p99_us" "$(field p99_us "$line")"
  add "$who.$scenario.errors" $(( $(field connect "$line") + $(field read "$line") + $(field write "$line") + $(field status "$line") + $(field timeout "$line") ))
}

pgbench_run() {  # SCENARIO SECONDS LOGFILE [measure]
  local scenario=$1 defines failed
  mapfile -d '' defines <"$out/$scenario.args"
  [ -z "${4:-}" ] || { sleep 0.5; cpu_before; }
  PGPASSWORD=$AUTHENTICATOR_PASSWORD pgbench -n -M extended -r -c "$connections" -j "$threads" -T "$2" \
    -h 127.0.0.1 -p "$pg_port" -U authenticator "${defines[@]}" -f "$out/$scenario.pgbench" "$database" \
    >"$3" 2>&1 || { tail -20 "$3" >&2; die "pgbench failed (see $3)"; }
  [ -n "${4:-}" ] || return 0
  cpu_after pgbench "$scenario"
  failed=$(sed -n 's/^number of failed transactions: \([0-9]*\).*/\1/p' "$3")
  [ "${failed:-0}" -eq 0 ] || die "pgbench: $failed failed transactions (see $3)"
  # pgbench prints no tps or latency when no transaction completed (a machine too busy to connect in time).
  add "pgbench.$scenario.requests" "$(pgbench_field 's/^number of transactions actually processed: \([0-9]*\).*/\1/p' 1 "$3")"
  add "pgbench.$scenario.tps_milli" "$(pgbench_field 's/^tps = \([0-9.]*\) .*/\1/p' 1000 "$3")"
  add "pgbench.$scenario.latency_us" "$(pgbench_field 's/^latency average = \([0-9.]*\) ms/\1/p' 1000 "$3")"
}
pgbench_field() {  # SED_SCRIPT FACTOR LOGFILE: the number the script picks out, times FACTOR, as an integer; 0 if absent
  sed -n "$1" "$3" | awk -v factor="$2" '{ value = $1 } END { printf "%d", value * factor }'
}

load_before=$(cut -d' ' -f1-3 /proc/loadavg)
declare -A rss
# The JIT's tiering takes tens of seconds under load to settle (measured: the gateway served 3,362 req/s in its first
# 40 s of GET /bench_items and 4,558 in the next 60, and its CPU profile showed 10% in the JIT early, none later; on
# perf_minimal, libclrjit held 9.6% of its CPU samples after 30 s under load and 1.0% after 100 s); a server runs for
# hours, so both are measured once that has settled. The default was 40 s until the perf_minimal profile.
if [ "$jit_warmup" -gt 0 ]; then
  per_scenario=$(( (jit_warmup + ${#scenarios[@]} - 1) / ${#scenarios[@]} ))
  log "JIT warm-up: ${per_scenario} s of each scenario on each server"
  for scenario in "${scenarios[@]}"; do
    http_run gateway "$scenario" "$per_scenario" "$logs/wrk-gateway-$scenario-jit.log"
    http_run floor "$scenario" "$per_scenario" "$logs/wrk-floor-$scenario-jit.log"
  done
fi
for scenario in "${scenarios[@]}"; do
  log "$scenario: ${warmup} s warm-up each, then $rounds round(s) of ${slice} s: gateway and floor in turn, then pgbench (${connections} connections, ${threads} threads)"
  sample_rss "$gateway_pid" "$out/rss-gateway-$scenario" &
  samplers+=($!)
  sample_rss "$floor_pid" "$out/rss-floor-$scenario" &
  samplers+=($!)
  http_run gateway "$scenario" "$warmup" "$logs/wrk-gateway-$scenario-warmup.log"
  http_run floor "$scenario" "$warmup" "$logs/wrk-floor-$scenario-warmup.log"
  pgbench_run "$scenario" "$warmup" "$logs/pgbench-$scenario-warmup.log"
  # The gateway goes first in odd rounds and the floor in even ones, so a load that grows or fades over a scenario
  # does not always favour the same one.
  for round in $(seq 1 "$rounds"); do
    servers=(gateway floor)
    [ $((round % 2)) -eq 1 ] || servers=(floor gateway)
    for who in "${servers[@]}"; do
      http_run "$who" "$scenario" "$slice" "$logs/wrk-$who-$scenario-$round.log" measure
    done
    pgbench_run "$scenario" "$slice" "$logs/pgbench-$scenario-$round.log" measure
  done
  stop_samplers
  rss[gateway.$scenario]=$(cat "$out/rss-gateway-$scenario")
  rss[floor.$scenario]=$(cat "$out/rss-floor-$scenario")
  log "$scenario: gateway $(awk -v n="${sum[gateway.$scenario.requests]}" -v us="${sum[gateway.$scenario.duration_us]}" 'BEGIN { printf "%.0f", n / (us / 1e6) }') req/s," \
    "floor $(awk -v n="${sum[floor.$scenario.requests]}" -v us="${sum[floor.$scenario.duration_us]}" 'BEGIN { printf "%.0f", n / (us / 1e6) }') req/s," \
    "pgbench $(awk -v t="${sum[pgbench.$scenario.tps_milli]}" -v r="$rounds" 'BEGIN { printf "%.0f", t / 1000 / r }') tps"
done
load_after=$(cut -d' ' -f1-3 /proc/loadavg)
stop_gateway
stop_floor

# ---------------------------------------------------------------------------------------------- report
# Everything below is arithmetic on sum[]; one awk program per table keeps the formatting in one place.
report_values() {  # one line per scenario: name and every sum, as key=value
  local scenario key
  for scenario in "${scenarios[@]}"; do
    printf '%s' "$scenario"
    for key in "${!sum[@]}"; do
      [[ $key == *".$scenario."* ]] && printf ' %s=%s' "${key/.$scenario./.}" "${sum[$key]}"
    done
    printf ' rss_gateway=%s rss_floor=%s\t%s\n' "${rss[gateway.$scenario]}" "${rss[floor.$scenario]}" "${label[$scenario]}"
  done
}

commit=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
git diff --quiet HEAD -- src 2>/dev/null || commit="$commit + uncommitted changes in src/"
report=$(
  echo "Gateway bench, $(date -u '+%Y-%m-%d %H:%M UTC'), commit $commit, $(nproc) cores"
  echo "wrk: ${connections} connections, ${threads} threads, 127.0.0.1; ${jit_warmup} s JIT warm-up of each server; per scenario ${warmup} s warm-up of each server, then"
  echo "  $rounds round(s) of ${slice} s each: gateway and floor (the gateway first in odd rounds), then pgbench (${duration} s measured per server)."
  echo "pgbench: -c ${connections} -j ${threads} -M extended as authenticator, the gateway's transaction in one pipeline."
  echo "floor: bench/Floor, the gateway's statements by hand, connection string options: ${floor_options:-none}"
  echo "pools: Maximum Pool Size=$pool for the gateway and the floor (BENCH_POOL; default $POOL_PER_CORE per core of this machine)"
  [ -z "$connection_options" ] || echo "gateway connection string options added: $connection_options"
  echo "load average before: $load_before, after: $load_after (other work on the machine skews all sides)"
  echo
  report_values | awk -v rounds="$rounds" -v hz="$clock_ticks" -F'\t' '
    function v(key) { return (key in s) ? s[key] : 0 }
    function rate(who) { return v(who ".requests") / (v(who ".duration_us") / 1e6) }
    function ms(who, what) { return v(who "." what) / rounds / 1000 }
    function ratio(a, b) { return b ? sprintf("%.2f", a / b) : "-" }
    function cpu(who, what, unit) { return v(who ".requests") ? v(who "." what) * unit / v(who ".requests") : 0 }
    {
      delete s
      n = split($1, kv, " ")
      name[NR] = kv[1]; label[NR] = $2
      for (i = 2; i <= n; i++) { split(kv[i], p, "="); s[p[1]] = p[2] }
      g = rate("gateway"); f = rate("floor"); pg = v("pgbench.tps_milli") / 1000 / rounds
      t1[NR] = sprintf("%-34s %9.0f %9.0f %9.0f %9s %9s %9s", label[NR], g, f, pg, ratio(g, f), ratio(g, pg), ratio(f, pg))
      t2[NR] = sprintf("%-34s %8.2f %8.2f %8.2f %8.2f %9.2f %8.0f %8.0f %6s", label[NR],
        ms("gateway", "p50_us"), ms("gateway", "p99_us"), ms("floor", "p50_us"), ms("floor", "p99_us"),
        ms("pgbench", "latency_us"), v("rss_gateway") / 1024, v("rss_floor") / 1024, ratio(v("rss_gateway"), v("rss_floor")))
      us = 1e6 / hz
      t3[NR] = sprintf("%-34s %8.0f %8.0f %8.0f   %8.0f %8.0f %8.0f   %8.0f %8.0f", label[NR],
        cpu("gateway", "server_ticks", us), cpu("gateway", "postgres_ticks", us), cpu("gateway", "loader_ms", 1000),
        cpu("floor", "server_ticks", us), cpu("floor", "postgres_ticks", us), cpu("floor", "loader_ms", 1000),
        cpu("pgbench", "postgres_ticks", us), cpu("pgbench", "loader_ms", 1000))
      p50 = ms("gateway", "p50_us"); p99 = ms("gateway", "p99_us"); rg = v("rss_gateway"); rf = v("rss_floor")
      against = ""
      if (name[NR] == "get" || name[NR] == "post")
        against = sprintf("gateway/floor >= 0.90: %s, gateway/pgbench >= 0.75: %s, ",
          (g >= 0.9 * f) ? "met" : "MISSED", (g >= 0.75 * pg) ? "met" : "MISSED")
      t4[NR] = sprintf("  %-9s %sp99 <= 10x p50: %s (%.0fx), peak RSS <= 1.2x floor: %s; wrk errors (non-2xx, timeouts, socket): %d",
        name[NR], against, (p99 <= 10 * p50) ? "met" : "MISSED", p50 ? p99 / p50 : 0,
        (rf && rg <= 1.2 * rf) ? "met" : "MISSED", v("gateway.errors") + v("floor.errors"))
    }
    END {
      printf "%-34s %9s %9s %9s %9s %9s %9s\n", "throughput", "gateway", "floor", "pgbench", "gw/floor", "gw/pgb", "floor/pgb"
      printf "%-34s %9s %9s %9s\n", "", "req/s", "req/s", "tps"
      for (i = 1; i <= NR; i++) print t1[i]
      print ""
      printf "%-34s %17s %17s %9s %17s %6s\n", "latency (ms) and memory (MB)", "gateway", "floor", "pgbench", "peak RSS", "RSS"
      printf "%-34s %8s %8s %8s %8s %9s %8s %8s %6s\n", "", "p50", "p99", "p50", "p99", "avg", "gateway", "floor", "gw/fl"
      for (i = 1; i <= NR; i++) print t2[i]
      print ""
      print "CPU per request in microseconds (user+system, from /proc; postgres is the whole cluster, load is wrk or pgbench):"
      printf "%-34s %26s   %26s   %17s\n", "", "gateway run", "floor run", "pgbench run"
      printf "%-34s %8s %8s %8s   %8s %8s %8s   %8s %8s\n", "", "gateway", "postgres", "load", "floor", "postgres", "load", "postgres", "load"
      for (i = 1; i <= NR; i++) print t3[i]
      print ""
      print "targets (issue 12; GET and POST of one row also against the floor and pgbench):"
      for (i = 1; i <= NR; i++) print t4[i]
    }'
  echo
  echo "what the gateway sent per request (log_statement; pgbench and the floor run from set_config through the main statement):"
  echo "$statements"
)
echo
echo "$report"
stamp=$(date -u +%Y%m%d-%H%M%S)
echo "$report" >"$results/latest.txt"
cp "$results/latest.txt" "$results/$stamp.txt"
echo
echo "written to bench/results/latest.txt (and $stamp.txt); raw output in bench/.out/run/logs/"

for scenario in "${scenarios[@]}"; do
  errors=$(( ${sum[gateway.$scenario.errors]:-0} + ${sum[floor.$scenario.errors]:-0} ))
  [ "$errors" -eq 0 ] || die "$scenario: wrk saw $errors errors; see $logs/wrk-*-$scenario-*.log"
done
