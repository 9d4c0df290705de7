#!/usr/bin/env bash
# The gateway's soak, in one command (see bench/README.md): the gateway published in Release against the local
# cluster (.local/pg, as scripts/up.sh makes it; database gateway_soak migrated by the real migrator plus
# bench/fixture.sql, perf-fixture.sql and soak-fixture.sql), then wrk sending a mixed workload (bench/soak.lua:
# reads, writes, calls and client errors) one minute at a time. Every minute it prints the gateway's RSS, GC heap,
# pool usage, throughput and answers by class; at the end a verdict (no 5xx, no socket errors, RSS flat after the
# warm-up) and a chart of RSS and throughput over time, bench/results/soak.svg (figures in bench/results/soak.tsv).
# Exits 1 when the verdict is not met. Stops everything it started, even on error.
#
# Knobs (environment): SOAK_MINUTES (30), SOAK_WARMUP_MINUTES (5, left out of the RSS trend), SOAK_CONNECTIONS (16),
# SOAK_THREADS (2), SOAK_DELAY_MS (0: each connection sends as soon as it is answered; a pause per request soaks at a
# lower rate), SOAK_GATEWAY_CONNECTION_OPTIONS (appended to the gateway's connection string), GATEWAY_PG_PORT (54329).
# shellcheck source=common.sh
. "$(dirname "${BASH_SOURCE[0]}")/common.sh"

minutes=${SOAK_MINUTES:-30}
warmup=${SOAK_WARMUP_MINUTES:-5}
connections=${SOAK_CONNECTIONS:-16}
threads=${SOAK_THREADS:-2}
delay_ms=${SOAK_DELAY_MS:-0}
connection_options=${SOAK_GATEWAY_CONNECTION_OPTIONS:-}
database=gateway_soak

for knob in minutes warmup connections threads delay_ms; do
  [[ ${!knob} =~ ^[0-9]+$ ]] || die "SOAK_${knob^^} must be a whole number (got '${!knob}')"
done
[ "$minutes" -ge 1 ] || die "SOAK_MINUTES must be at least 1"
require wrk dotnet python3 curl

# ---------------------------------------------------------------------------------------------- database, gateway
prepare_database "$database"
apply_fixtures "$database" fixture.sql perf-fixture.sql soak-fixture.sql
publish src/Gateway "$out/gateway"
base=http://127.0.0.1:$(free_port)
start_gateway "$out/gateway" "$base" "$(connection_string authenticator "$AUTHENTICATOR_PASSWORD" "$database" "$connection_options")" "$logs/gateway.log"
token=$(access_token "$JWT_SECRET" $(( (minutes + 10) * 60 )))

# ---------------------------------------------------------------------------------------------- minutes
field() { sed -n "s/.* $1=\([0-9]*\).*/\1/p" <<<"$2"; }
rss_mb() { awk '/^VmRSS:/ { printf "%.1f", $2 / 1024 }' "/proc/$gateway_pid/status"; }
metric() {  # NAME [LABEL...]: the sum of the scraped samples of NAME whose labels contain every LABEL
  local name=$1
  shift
  awk -v name="$name" -v labels="$*" '
    index($0, name "{") == 1 || index($0, name " ") == 1 {
      n = split(labels, want, " "); ok = 1
      for (i = 1; i <= n; i++) if (index($0, want[i]) == 0) ok = 0
      if (ok) {
        line = $0
        if (index(line, "}")) sub(/^.*} */, "", line); else sub(/^[^ ]* +/, "", line)
        split(line, v, " "); sum += v[1]
      }
    }
    END { printf "%.0f", sum }' "$out/metrics.txt"
}

printf 'minute\treq_per_s\tp50_ms\tp99_ms\tok\tclient_errors\tserver_errors\tsocket_errors\trss_mb\tgc_heap_mb\tpool_used\tpool_idle\tpool_max\n' >"$results/soak.tsv"
log "$minutes minute(s) of the mixed workload: $connections connections, $threads threads, ${delay_ms} ms pause per request"
printf '%6s %8s %7s %7s %8s %7s %5s %5s %8s %8s %10s\n' minute 'req/s' 'p50 ms' 'p99 ms' 2xx 4xx 5xx sock 'RSS MB' 'heap MB' 'pool u/i/max'
for minute in $(seq 1 "$minutes"); do
  SOAK_TOKEN=$token SOAK_DELAY_MS=$delay_ms \
    wrk -t"$threads" -c"$connections" -d60s --timeout 10s --latency -s "$bench/soak.lua" "$base" >"$logs/wrk-$minute.log" 2>&1 \
    || die "wrk failed (see bench/.out/soak/logs/wrk-$minute.log)"
  kill -0 "$gateway_pid" 2>/dev/null || { tail -30 "$logs/gateway.log" >&2; die "the gateway exited"; }
  line=$(grep '^SOAK ' "$logs/wrk-$minute.log") || die "no result line from wrk (see bench/.out/soak/logs/wrk-$minute.log)"
  curl -fsS "$base/metrics" >"$out/metrics.txt" || die "could not scrape $base/metrics"
  rate=$(awk -v n="$(field requests "$line")" -v us="$(field duration_us "$line")" 'BEGIN { printf "%.0f", n / (us / 1e6) }')
  p50=$(awk -v us="$(field p50_us "$line")" 'BEGIN { printf "%.2f", us / 1000 }')
  p99=$(awk -v us="$(field p99_us "$line")" 'BEGIN { printf "%.2f", us / 1000 }')
  heap=$(awk -v b="$(metric dotnet_gc_last_collection_heap_size_bytes)" 'BEGIN { printf "%.1f", b / 1048576 }')
  used=$(metric db_client_connection_count 'state="used"')
  idle=$(metric db_client_connection_count 'state="idle"')
  max=$(metric db_client_connection_max)
  row=("$minute" "$rate" "$p50" "$p99" "$(field ok "$line")" "$(field client_errors "$line")" "$(field server_errors "$line")"
    "$(( $(field socket_errors "$line") + $(field timeouts "$line") ))" "$(rss_mb)" "$heap" "$used" "$idle" "$max")
  (IFS=$'\t'; echo "${row[*]}") >>"$results/soak.tsv"
  printf '%6s %8s %7s %7s %8s %7s %5s %5s %8s %8s %10s\n' "${row[@]:0:10}" "${used}/${idle}/${max}"
done
stop_gateway

# ---------------------------------------------------------------------------------------------- verdict, chart
commit=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
git diff --quiet HEAD -- src 2>/dev/null || commit="$commit + uncommitted changes in src/"
title="Gateway soak, $(date -u '+%Y-%m-%d %H:%M UTC'), commit $commit, $(nproc) cores, $minutes min, $connections connections"
python3 "$bench/soak-report.py" "$results/soak.tsv" "$results/soak.svg" "$warmup" "$title"
