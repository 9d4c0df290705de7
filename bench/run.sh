#!/usr/bin/env bash
# The gateway's performance harness, in one command (see bench/README.md):
#   the local cluster (.local/pg, as scripts/up.sh makes it), a database gateway_bench migrated by the real
#   migrator plus bench fixtures, the gateway published in Release on 127.0.0.1, then per scenario
#   wrk against the gateway and pgbench running the same SQL transaction, back to back.
# Prints a table and writes it to bench/results/latest.txt. Stops everything it started, even on error.
#
# Knobs (environment): BENCH_DURATION (20 s), BENCH_WARMUP (5 s), BENCH_CONNECTIONS (32), BENCH_THREADS (2),
# GATEWAY_PG_PORT (54329, as scripts/up.sh), BENCH_GATEWAY_CONNECTION_OPTIONS (appended to the gateway's
# connection string, for experiments, e.g. "No Reset On Close=true").
set -euo pipefail

bench=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(dirname "$bench")
cd "$root"

duration=${BENCH_DURATION:-20}
warmup=${BENCH_WARMUP:-5}
connections=${BENCH_CONNECTIONS:-32}
connection_options=${BENCH_GATEWAY_CONNECTION_OPTIONS:-}
threads=${BENCH_THREADS:-2}
pg_port=${GATEWAY_PG_PORT:-54329}
database=gateway_bench
probe=4242                     # the id of the requests whose SQL is captured for pgbench
out=$bench/.out
logs=$out/logs
results=$bench/results
server_log=$root/.local/pg/server.log

log() { echo "bench: $*" >&2; }
die() { log "$*"; exit 1; }

# ---------------------------------------------------------------------------------------------- tools
as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }
apt_install() {
  log "installing $* from the OS packages"
  if ! as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >&2; then
    as_root apt-get update -qq >&2
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >&2
  fi
}

command -v wrk >/dev/null || apt_install wrk
command -v pgbench >/dev/null && command -v pg_isready >/dev/null || apt_install postgresql-client
for tool in dotnet python3 curl; do
  command -v "$tool" >/dev/null || die "$tool is required"
done
pgbench_major=$(pgbench --version | sed -n 's/.* \([0-9][0-9]*\)\..*/\1/p')
[ "${pgbench_major:-0}" -ge 14 ] || die "pgbench 14 or later is needed for \\startpipeline (found $(pgbench --version))"

# ---------------------------------------------------------------------------------------------- cleanup
cluster_was_running=false
pg_isready -q -h 127.0.0.1 -p "$pg_port" && cluster_was_running=true
cluster_started=false
gateway_pid=""
sampler_pid=""
logging_on=false

stop_gateway() {
  [ -n "$gateway_pid" ] || return 0
  kill "$gateway_pid" 2>/dev/null || true
  for _ in $(seq 1 50); do
    kill -0 "$gateway_pid" 2>/dev/null || break
    sleep 0.2
  done
  kill -9 "$gateway_pid" 2>/dev/null || true
  wait "$gateway_pid" 2>/dev/null || true
  gateway_pid=""
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

cleanup() {
  local status=$?
  trap - EXIT INT TERM
  if [ -n "$sampler_pid" ]; then kill "$sampler_pid" 2>/dev/null || true; fi
  stop_gateway
  if $logging_on; then statement_logging off || true; fi
  if $cluster_started && ! $cluster_was_running; then
    log "stopping the cluster (it was not running before)"
    scripts/pg-local.sh stop .local/pg || true
  fi
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

mkdir -p "$logs" "$results"

# ---------------------------------------------------------------------------------------------- database
# The cluster, secrets and migrator steps of scripts/up.sh (sourcing it runs nothing by itself).
# shellcheck source=../scripts/up.sh
. "$root/scripts/up.sh"
log "cluster on 127.0.0.1:$pg_port ($($cluster_was_running && echo "already running" || echo "starting it"))"
up_cluster
cluster_started=true
up_secrets

log "migrating database $database (log: bench/.out/logs/migrate.log)"
up_migrate "$database" >"$logs/migrate.log" 2>&1 || { tail -20 "$logs/migrate.log" >&2; die "the migrator failed"; }
log "creating the bench fixtures (bench/fixture.sql)"
psql -d "$database" -q -f "$bench/fixture.sql" >"$logs/fixture.log" 2>&1 || { cat "$logs/fixture.log" >&2; die "fixture failed"; }

# ---------------------------------------------------------------------------------------------- gateway
log "publishing the gateway in Release (log: bench/.out/logs/publish.log)"
dotnet publish src/Gateway -c Release -o "$out/gateway" >"$logs/publish.log" 2>&1 \
  || { tail -30 "$logs/publish.log" >&2; die "dotnet publish failed"; }

http_port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
base=http://127.0.0.1:$http_port

start_gateway() {  # LOGFILE
  ASPNETCORE_ENVIRONMENT=Production \
  ConnectionStrings__Gateway="Host=127.0.0.1;Port=$pg_port;Username=authenticator;Password=$AUTHENTICATOR_PASSWORD;Database=$database${connection_options:+;$connection_options}" \
  Gateway__Jwt__Secret=$JWT_SECRET \
  Logging__LogLevel__Default=Warning \
    "$out/gateway/Gateway" --urls "$base" >"$1" 2>&1 &
  gateway_pid=$!
  for _ in $(seq 1 240); do
    if curl -fsS -o /dev/null "$base/health/ready" 2>/dev/null; then
      return 0
    fi
    kill -0 "$gateway_pid" 2>/dev/null || { tail -30 "$1" >&2; gateway_pid=""; die "the gateway exited during start-up"; }
    sleep 0.25
  done
  tail -30 "$1" >&2
  die "the gateway was not ready after 60 s"
}

# An access token as api.login mints them: HS256 with the shared secret, role and token_use claims.
token=$(python3 - "$JWT_SECRET" <<'PY'
import base64, hashlib, hmac, json, sys, time
def b64(data): return base64.urlsafe_b64encode(data).rstrip(b"=").decode()
def part(obj): return b64(json.dumps(obj, separators=(",", ":")).encode())
signing_input = part({"alg": "HS256", "typ": "JWT"}) + "." + part(
    {"sub": "bench-user", "role": "authenticated", "token_use": "access", "exp": int(time.time()) + 3600})
signature = hmac.new(sys.argv[1].encode(), signing_input.encode(), hashlib.sha256).digest()
print(signing_input + "." + b64(signature))
PY
)

# ---------------------------------------------------------------------------------------------- capture
# The gateway serves two of each request with log_statement on for its login; capture.py turns the logged
# statements into the pgbench scripts. The curl requests carry the headers wrk sends (Host, Authorization,
# Content-Type, Content-Length), so request.headers is the same. Logging stays on only for this gateway.
log "capturing the SQL the gateway sends (log_statement on $database for authenticator, then off)"
[ -r "$server_log" ] || die "cannot read $server_log to capture the gateway's SQL"
statement_logging on
offset=$(stat -c %s "$server_log")
start_gateway "$logs/gateway-capture.log"
call() {  # get|post|embed -> body; fails unless 200
  local args=(-sS -o "$out/response.json" -w '%{http_code}' -H 'User-Agent:' -H 'Accept:' -H "Authorization: Bearer $token")
  if [ "$1" = post ]; then
    args+=(-H 'Content-Type: application/json' --data-binary "{\"n\": $probe}" "$base/rpc/bench_echo")
  elif [ "$1" = embed ]; then
    args+=("$base/bench_items?id=eq.$probe&select=id,name,bench_item_parts(id,label,qty)")
  else
    args+=("$base/bench_items?id=eq.$probe")
  fi
  local code
  code=$(curl "${args[@]}")
  [ "$code" = 200 ] || die "$1 answered $code: $(cat "$out/response.json")"
  grep -q "\"id\": *$probe" "$out/response.json" || die "$1 did not return row $probe: $(cat "$out/response.json")"
}
for _ in 1 2; do call get; call post; call embed; done
stop_gateway
statement_logging off
sleep 0.5
statements=$(python3 "$bench/capture.py" "$server_log" "$offset" "$probe" "$out") || die "could not capture the gateway's SQL"
echo "$statements" >&2

# ---------------------------------------------------------------------------------------------- measure
start_gateway "$logs/gateway.log"
log "gateway pid $gateway_pid on $base"

sample_rss() {  # PID FILE: keeps the largest VmRSS (kB) seen in FILE until the process ends or we are killed
  local pid=$1 file=$2 max=0 key value
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
postgres_ticks() {  # the whole cluster: the postmaster, its reaped backends, and the live ones
  local postmaster total child
  postmaster=$(head -1 "$root/.local/pg/postmaster.pid")
  total=$(proc_ticks "$postmaster" 1)
  for child in $(pgrep -P "$postmaster"); do
    total=$((total + $(proc_ticks "$child")))
  done
  echo "$total"
}
children_ms() {  # CPU of this shell's reaped children (wrk, pgbench), from the builtin `times` (run in this shell)
  awk 'NR == 2 { split($1, u, /[ms]/); split($2, s, /[ms]/); printf "%d", (u[1] * 60 + u[2] + s[1] * 60 + s[2]) * 1000 }' "$out/times"
}
per_request_us() {  # TICKS_OR_MS UNIT(ticks|ms) REQUESTS
  awk -v v="$1" -v unit="$2" -v n="$3" -v hz="$clock_ticks" 'BEGIN { printf "%.0f", (unit == "ms" ? v * 1000 : v * 1e6 / hz) / n }'
}

declare -A rps p50 p99 rss tps pg_latency errors cpu_gateway cpu_pg_gw cpu_wrk cpu_pg_pgbench cpu_pgbench
scenarios=(get post embed)
declare -A label=([get]="GET /bench_items?id=eq.N" [post]='POST /rpc/bench_echo {"n":N}' [embed]="GET ...&select=..,parts(..) x10")
load_before=$(cut -d' ' -f1-3 /proc/loadavg)

for scenario in "${scenarios[@]}"; do
  log "$scenario: wrk ${warmup} s warm-up, then ${duration} s (${connections} connections, ${threads} threads)"
  echo 0 >"$out/rss-$scenario"
  sample_rss "$gateway_pid" "$out/rss-$scenario" &
  sampler_pid=$!
  BENCH_SCENARIO=$scenario BENCH_TOKEN=$token wrk -t"$threads" -c"$connections" -d"${warmup}s" --timeout 5s \
    -s "$bench/wrk.lua" "$base" >"$logs/wrk-$scenario-warmup.log" 2>&1 || die "wrk failed (see $logs/wrk-$scenario-warmup.log)"
  times >"$out/times"
  gateway0=$(proc_ticks "$gateway_pid") postgres0=$(postgres_ticks) children0=$(children_ms)
  BENCH_SCENARIO=$scenario BENCH_TOKEN=$token wrk -t"$threads" -c"$connections" -d"${duration}s" --timeout 5s --latency \
    -s "$bench/wrk.lua" "$base" >"$logs/wrk-$scenario.log" 2>&1 || die "wrk failed (see $logs/wrk-$scenario.log)"
  times >"$out/times"
  children1=$(children_ms) postgres1=$(postgres_ticks) gateway1=$(proc_ticks "$gateway_pid")
  kill "$sampler_pid" 2>/dev/null || true
  wait "$sampler_pid" 2>/dev/null || true
  sampler_pid=""

  line=$(grep '^BENCH ' "$logs/wrk-$scenario.log") || die "no result line from wrk (see $logs/wrk-$scenario.log)"
  requests=$(field requests "$line")
  rps[$scenario]=$(awk -v n="$requests" -v us="$(field duration_us "$line")" 'BEGIN { printf "%.0f", n / (us / 1e6) }')
  p50[$scenario]=$(awk -v us="$(field p50_us "$line")" 'BEGIN { printf "%.2f", us / 1000 }')
  p99[$scenario]=$(awk -v us="$(field p99_us "$line")" 'BEGIN { printf "%.2f", us / 1000 }')
  errors[$scenario]=$(( $(field connect "$line") + $(field read "$line") + $(field write "$line") + $(field status "$line") + $(field timeout "$line") ))
  rss[$scenario]=$(awk -v kb="$(cat "$out/rss-$scenario")" 'BEGIN { printf "%.0f", kb / 1024 }')
  cpu_gateway[$scenario]=$(per_request_us $((gateway1 - gateway0)) ticks "$requests")
  cpu_pg_gw[$scenario]=$(per_request_us $((postgres1 - postgres0)) ticks "$requests")
  cpu_wrk[$scenario]=$(per_request_us $((children1 - children0)) ms "$requests")
  log "$scenario: gateway ${rps[$scenario]} req/s, p50 ${p50[$scenario]} ms, p99 ${p99[$scenario]} ms, ${errors[$scenario]} errors, max RSS ${rss[$scenario]} MB"

  log "$scenario: pgbench ${warmup} s warm-up, then ${duration} s (-c ${connections} -j ${threads}, one pipeline per transaction)"
  mapfile -d '' defines <"$out/$scenario.args"
  for phase in warmup measure; do
    seconds=$duration logfile=$logs/pgbench-$scenario.log
    [ "$phase" = warmup ] && seconds=$warmup logfile=$logs/pgbench-$scenario-warmup.log
    [ "$phase" = warmup ] || { sleep 0.5; postgres0=$(postgres_ticks); times >"$out/times"; children0=$(children_ms); }
    PGPASSWORD=$AUTHENTICATOR_PASSWORD pgbench -n -M extended -r -c "$connections" -j "$threads" -T "$seconds" \
      -h 127.0.0.1 -p "$pg_port" -U authenticator "${defines[@]}" -f "$out/$scenario.pgbench" "$database" \
      >"$logfile" 2>&1 || { tail -20 "$logfile" >&2; die "pgbench failed"; }
  done
  times >"$out/times"
  children1=$(children_ms) postgres1=$(postgres_ticks)
  transactions=$(sed -n 's/^number of transactions actually processed: \([0-9]*\).*/\1/p' "$logs/pgbench-$scenario.log")
  cpu_pg_pgbench[$scenario]=$(per_request_us $((postgres1 - postgres0)) ticks "$transactions")
  cpu_pgbench[$scenario]=$(per_request_us $((children1 - children0)) ms "$transactions")
  tps[$scenario]=$(sed -n 's/^tps = \([0-9.]*\) .*/\1/p' "$logs/pgbench-$scenario.log" | awk '{ printf "%.0f", $1 }')
  pg_latency[$scenario]=$(sed -n 's/^latency average = \([0-9.]*\) ms/\1/p' "$logs/pgbench-$scenario.log")
  failed=$(sed -n 's/^number of failed transactions: \([0-9]*\).*/\1/p' "$logs/pgbench-$scenario.log")
  [ "${failed:-0}" -eq 0 ] || die "pgbench: $failed failed transactions (see $logs/pgbench-$scenario.log)"
  log "$scenario: pgbench ${tps[$scenario]} tps, latency average ${pg_latency[$scenario]} ms"
done
load_after=$(cut -d' ' -f1-3 /proc/loadavg)
stop_gateway

# ---------------------------------------------------------------------------------------------- report
commit=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
git diff --quiet HEAD -- src 2>/dev/null || commit="$commit + uncommitted changes in src/"
report=$(
  echo "Gateway bench, $(date -u '+%Y-%m-%d %H:%M UTC'), commit $commit, $(nproc) cores"
  echo "wrk: ${connections} connections, ${threads} threads, ${duration} s after ${warmup} s warm-up, 127.0.0.1."
  echo "pgbench: -c ${connections} -j ${threads} -T ${duration} -M extended as authenticator, the gateway's transaction in one pipeline."
  [ -z "$connection_options" ] || echo "gateway connection string options added: $connection_options"
  echo "load average before: $load_before, after: $load_after (other work on the machine skews both sides)"
  echo
  printf '%-30s %14s %12s %6s %8s %8s %14s %11s\n' scenario "gateway req/s" "pgbench tps" ratio "p50 ms" "p99 ms" "pgbench avg ms" "max RSS MB"
  for scenario in "${scenarios[@]}"; do
    ratio=$(awk -v g="${rps[$scenario]}" -v p="${tps[$scenario]}" 'BEGIN { printf "%.2f", g / p }')
    printf '%-30s %14s %12s %6s %8s %8s %14s %11s\n' "${label[$scenario]}" "${rps[$scenario]}" "${tps[$scenario]}" \
      "$ratio" "${p50[$scenario]}" "${p99[$scenario]}" "${pg_latency[$scenario]}" "${rss[$scenario]}"
  done
  echo
  echo "CPU per request in microseconds (user+system, from /proc; the postgres column is the whole cluster):"
  printf '%-30s %10s %10s %10s   %12s %10s\n' scenario gateway postgres wrk "postgres(pgb)" pgbench
  for scenario in "${scenarios[@]}"; do
    printf '%-30s %10s %10s %10s   %12s %10s\n' "${label[$scenario]}" "${cpu_gateway[$scenario]}" "${cpu_pg_gw[$scenario]}" \
      "${cpu_wrk[$scenario]}" "${cpu_pg_pgbench[$scenario]}" "${cpu_pgbench[$scenario]}"
  done
  echo
  echo "targets: ratio >= 0.30 on each, max RSS < 150 MB"
  for scenario in "${scenarios[@]}"; do
    ratio_ok=$(awk -v g="${rps[$scenario]}" -v p="${tps[$scenario]}" 'BEGIN { print (g / p >= 0.3) ? "met" : "MISSED" }')
    rss_ok=$( [ "${rss[$scenario]}" -lt 150 ] && echo met || echo MISSED)
    echo "  $scenario: ratio $ratio_ok, RSS $rss_ok, wrk errors (non-2xx, timeouts, socket): ${errors[$scenario]}"
  done
  echo
  echo "what the gateway sent per request (log_statement; pgbench runs from set_config through the main statement):"
  echo "$statements"
)
echo
echo "$report"
stamp=$(date -u +%Y%m%d-%H%M%S)
echo "$report" >"$results/latest.txt"
cp "$results/latest.txt" "$results/$stamp.txt"
echo
echo "written to bench/results/latest.txt (and $stamp.txt); raw output in bench/.out/logs/"

for scenario in "${scenarios[@]}"; do
  [ "${errors[$scenario]}" -eq 0 ] || die "$scenario: wrk saw ${errors[$scenario]} errors; see $logs/wrk-$scenario.log"
done
