#!/usr/bin/env bash
# Memory under large responses (issue 12's target): six clients GET a ~100 MB result at once, first reading as fast
# as they can, then reading slowly (curl --limit-rate); the gateway's RSS is sampled throughout and its growth over
# the idle process is compared with the target (< 100 MB in total for the six). Each client's byte count must equal
# the Content-Length. Same cluster, secrets and migrator as bench/run.sh, in its own database gateway_bench_large.
# Stops everything it started, even on error.
#
# Knobs (environment): LARGE_ROWS (100000 rows of ~1 KB: ~100 MB of JSON), LARGE_CLIENTS (6), LARGE_SLOW_RATE (curl
# --limit-rate of the slow pass, 20M), GATEWAY_PG_PORT (54329, as scripts/up.sh).
set -euo pipefail

rows=${LARGE_ROWS:-100000}
clients=${LARGE_CLIENTS:-6}
slow_rate=${LARGE_SLOW_RATE:-20M}
pg_port=${GATEWAY_PG_PORT:-54329}
database=gateway_bench_large
target_mb=100

# shellcheck source=common.sh
. "$(dirname "${BASH_SOURCE[0]}")/common.sh"

for knob in rows clients; do
  [[ ${!knob} =~ ^[1-9][0-9]*$ ]] || die "LARGE_${knob^^} must be a positive whole number (got '${!knob}')"
done
require curl

sampler_pid=""
stop_own() { [ -z "$sampler_pid" ] || kill "$sampler_pid" 2>/dev/null || true; }

prepare_database "$database"
log "creating api.bench_large: $rows rows of about 1 KB"
psql -d "$database" -q -v ON_ERROR_STOP=1 >"$logs/fixture.log" 2>&1 <<SQL || { cat "$logs/fixture.log" >&2; die "the fixture failed"; }
set client_min_messages = warning;
drop view if exists api.bench_large;
set role gateway_owner;
create view api.bench_large as
  select g as id, repeat(md5(g::text), 31) as payload from generate_series(1, $rows) as g;
grant select on api.bench_large to anon;
SQL

log "publishing the gateway in Release (log: ${logs#"$root"/}/publish.log)"
dotnet publish src/Gateway -c Release -o "$out/gateway" >"$logs/publish.log" 2>&1 \
  || { tail -30 "$logs/publish.log" >&2; die "dotnet publish src/Gateway failed"; }

base=http://127.0.0.1:$(free_port)
ASPNETCORE_ENVIRONMENT=Production \
ConnectionStrings__Gateway="Host=127.0.0.1;Port=$pg_port;Username=authenticator;Password=$AUTHENTICATOR_PASSWORD;Database=$database" \
Gateway__Jwt__Secret=$JWT_SECRET \
Logging__LogLevel__Default=Warning \
  "$out/gateway/Gateway" --urls "$base" >"$logs/gateway.log" 2>&1 &
gateway_pid=$!
wait_ready gateway "$gateway_pid" "$base" "$logs/gateway.log"
curl -fsS -o /dev/null "$base/bench_large?limit=10"

rss_kb() { awk '/^VmRSS:/ { print $2 }' "/proc/$gateway_pid/status"; }
sample_peak() {  # FILE: the largest VmRSS (kB) seen, until killed
  local max=0 value
  while value=$(rss_kb 2>/dev/null); do
    if [ "$value" -gt "$max" ]; then max=$value; echo "$max" >"$1"; fi
    sleep 0.1
  done
}

# PASS RATE: $clients GETs of the whole view at once; prints idle and peak RSS and checks every byte count.
pass() {
  local name=$1 rate=$2 i
  local idle; idle=$(rss_kb)
  echo "$idle" >"$out/peak-$name"
  sample_peak "$out/peak-$name" &
  sampler_pid=$!
  local pids=()
  for i in $(seq 1 "$clients"); do
    curl -sS ${rate:+--limit-rate "$rate"} -o /dev/null -D "$out/headers-$name-$i" -w '%{size_download}\n' \
      "$base/bench_large" >"$out/size-$name-$i" 2>"$logs/curl-$name-$i.log" &
    pids+=($!)
  done
  for pid in "${pids[@]}"; do wait "$pid" || die "a $name client failed (see $logs)"; done
  kill "$sampler_pid" 2>/dev/null || true
  wait "$sampler_pid" 2>/dev/null || true
  sampler_pid=""
  local length size
  for i in $(seq 1 "$clients"); do
    length=$(tr -d '\r' <"$out/headers-$name-$i" | awk 'tolower($1) == "content-length:" { print $2 }')
    size=$(cat "$out/size-$name-$i")
    [ -n "$length" ] && [ "$size" = "$length" ] || die "$name client $i read $size bytes of Content-Length '${length:-none}'"
  done
  local peak; peak=$(cat "$out/peak-$name")
  awk -v name="$name" -v n="$clients" -v size="$size" -v idle="$idle" -v peak="$peak" -v target="$target_mb" 'BEGIN {
    growth = (peak - idle) / 1024
    printf "%-5s %d x %.1f MB: RSS idle %.1f MB, peak %.1f MB, growth %.1f MB (target < %d MB): %s\n",
      name, n, size / 1048576, idle / 1024, peak / 1024, growth, target, growth < target ? "met" : "MISSED" }'
}

log "$clients concurrent GETs of the whole view, read as fast as possible, then at $slow_rate/s each"
{
  echo "Large responses, $(date -u '+%Y-%m-%d %H:%M UTC'), commit $(git rev-parse --short HEAD 2>/dev/null || echo '?'), $(nproc) cores"
  pass fast ""
  pass slow "$slow_rate"
} | tee "$out/result.txt"
