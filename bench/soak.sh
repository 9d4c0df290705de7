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
set -euo pipefail

bench=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(dirname "$bench")
cd "$root"

minutes=${SOAK_MINUTES:-30}
warmup=${SOAK_WARMUP_MINUTES:-5}
connections=${SOAK_CONNECTIONS:-16}
threads=${SOAK_THREADS:-2}
delay_ms=${SOAK_DELAY_MS:-0}
connection_options=${SOAK_GATEWAY_CONNECTION_OPTIONS:-}
pg_port=${GATEWAY_PG_PORT:-54329}
database=gateway_soak
out=$bench/.out/soak
logs=$out/logs
results=$bench/results

log() { echo "soak: $*" >&2; }
die() { log "$*"; exit 1; }

for knob in minutes warmup connections threads delay_ms; do
  [[ ${!knob} =~ ^[0-9]+$ ]] || die "SOAK_${knob^^} must be a whole number (got '${!knob}')"
done
[ "$minutes" -ge 1 ] || die "SOAK_MINUTES must be at least 1"

# shellcheck source=common.sh
. "$bench/common.sh"
command -v wrk >/dev/null || apt_install wrk
command -v pg_isready >/dev/null || apt_install postgresql-client
for tool in dotnet python3 curl; do
  command -v "$tool" >/dev/null || die "$tool is required"
done

cluster_was_running=false
pg_isready -q -h 127.0.0.1 -p "$pg_port" && cluster_was_running=true
cluster_started=false
gateway_pid=""
cleanup() {
  local status=$?
  trap - EXIT INT TERM
  stop_process "$gateway_pid"
  if $cluster_started && ! $cluster_was_running; then
    log "stopping the cluster (it was not running before)"
    scripts/pg-local.sh stop .local/pg || true
  fi
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
mkdir -p "$logs" "$results"

# ---------------------------------------------------------------------------------------------- database, gateway
# shellcheck source=../scripts/up.sh
. "$root/scripts/up.sh"
log "cluster on 127.0.0.1:$pg_port ($($cluster_was_running && echo "already running" || echo "starting it"))"
up_cluster
cluster_started=true
up_secrets
log "migrating database $database (log: bench/.out/soak/logs/migrate.log)"
up_migrate "$database" >"$logs/migrate.log" 2>&1 || { tail -20 "$logs/migrate.log" >&2; die "the migrator failed"; }
for fixture in fixture.sql perf-fixture.sql soak-fixture.sql; do
  psql -d "$database" -q -f "$bench/$fixture" >"$logs/$fixture.log" 2>&1 || { cat "$logs/$fixture.log" >&2; die "$fixture failed"; }
done

log "publishing the gateway in Release (log: bench/.out/soak/logs/publish.log)"
dotnet publish src/Gateway -c Release -o "$out/gateway" >"$logs/publish.log" 2>&1 \
  || { tail -30 "$logs/publish.log" >&2; die "dotnet publish src/Gateway failed"; }
base=http://127.0.0.1:$(free_port)
ASPNETCORE_ENVIRONMENT=Production \
ConnectionStrings__Gateway="Host=127.0.0.1;Port=$pg_port;Username=authenticator;Password=$AUTHENTICATOR_PASSWORD;Database=$database${connection_options:+;$connection_options}" \
Gateway__Jwt__Secret=$JWT_SECRET \
Logging__LogLevel__Default=Warning \
  "$out/gateway/Gateway" --urls "$base" >"$logs/gateway.log" 2>&1 &
gateway_pid=$!
wait_ready gateway "$gateway_pid" "$base" "$logs/gateway.log"
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
stop_process "$gateway_pid"
gateway_pid=""

# ---------------------------------------------------------------------------------------------- verdict, chart
commit=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
git diff --quiet HEAD -- src 2>/dev/null || commit="$commit + uncommitted changes in src/"
title="Gateway soak, $(date -u '+%Y-%m-%d %H:%M UTC'), commit $commit, $(nproc) cores, $minutes min, $connections connections"
python3 - "$results/soak.tsv" "$results/soak.svg" "$warmup" "$title" <<'PY'
import csv, sys

tsv, svg, warmup, title = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
rows = [{k: float(v) for k, v in row.items()} for row in csv.DictReader(open(tsv), delimiter="\t")]
minutes = [r["minute"] for r in rows]
rss = [r["rss_mb"] for r in rows]
rate = [r["req_per_s"] for r in rows]

server = sum(r["server_errors"] for r in rows)
socket = sum(r["socket_errors"] for r in rows)
requests = sum(r["req_per_s"] * 60 for r in rows)
print(f"{requests:.0f} requests, {sum(r['client_errors'] for r in rows):.0f} of them meant as client errors (4xx)")
print(f"no 5xx: {'met' if server == 0 else 'MISSED'} ({server:.0f}); no socket errors or timeouts: {'met' if socket == 0 else 'MISSED'} ({socket:.0f})")

# RSS flat after the warm-up: the least-squares trend over the remaining minutes, projected over their span,
# within 5% of their mean (or 5 MB, whichever is larger).
steady = [(m, v) for m, v in zip(minutes, rss) if m > warmup]
flat = True
if len(steady) >= 3:
    n = len(steady)
    mx = sum(m for m, _ in steady) / n
    my = sum(v for _, v in steady) / n
    slope = sum((m - mx) * (v - my) for m, v in steady) / sum((m - mx) ** 2 for m, _ in steady)
    drift = slope * (steady[-1][0] - steady[0][0])
    flat = abs(drift) <= max(0.05 * my, 5)
    print(f"RSS after minute {warmup}: mean {my:.1f} MB, min {min(v for _, v in steady):.1f}, max {max(v for _, v in steady):.1f}, "
          f"trend {slope * 10:+.2f} MB per 10 min ({drift:+.1f} MB over the run); flat: {'met' if flat else 'MISSED'}")
else:
    print(f"RSS trend: not judged (fewer than 3 minutes after the {warmup}-minute warm-up)")

# The chart: RSS (left axis) and throughput (right axis) by minute.
W, H, L, R, T, B = 900, 420, 70, 80, 50, 50
pw, ph = W - L - R, H - T - B
xmax = max(minutes[-1], 2)
def ceil_nice(v):
    for step in (1, 2, 5):
        for p in range(0, 9):
            nice = step * 10 ** p
            if nice >= v:
                return nice
    return v
rmax = ceil_nice(max(rss) * 1.15 or 1)
qmax = ceil_nice(max(rate) * 1.15 or 1)
x = lambda m: L + (m - 1) / max(xmax - 1, 1) * pw
yr = lambda v: T + ph - v / rmax * ph
yq = lambda v: T + ph - v / qmax * ph
def line(ys, color):
    pts = " ".join(f"{x(m):.1f},{y:.1f}" for m, y in zip(minutes, ys))
    return f'<polyline fill="none" stroke="{color}" stroke-width="2" points="{pts}"/>'
parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{W}" height="{H}" font-family="sans-serif" font-size="12">',
         f'<rect width="{W}" height="{H}" fill="white"/>',
         f'<text x="{L}" y="22" font-size="14">{title}</text>']
for i in range(6):
    gy = T + ph - i / 5 * ph
    parts.append(f'<line x1="{L}" y1="{gy:.1f}" x2="{L + pw}" y2="{gy:.1f}" stroke="#ddd"/>')
    parts.append(f'<text x="{L - 6}" y="{gy + 4:.1f}" text-anchor="end" fill="#c0392b">{rmax * i / 5:g}</text>')
    parts.append(f'<text x="{L + pw + 6}" y="{gy + 4:.1f}" fill="#2471a3">{qmax * i / 5:g}</text>')
ticks = sorted({1, int(xmax)} | set(range(5, int(xmax) + 1, 5)))
for m in ticks:
    parts.append(f'<text x="{x(m):.1f}" y="{T + ph + 18}" text-anchor="middle">{m}</text>')
if warmup and xmax > warmup:
    parts.append(f'<line x1="{x(warmup):.1f}" y1="{T}" x2="{x(warmup):.1f}" y2="{T + ph}" stroke="#999" stroke-dasharray="4 4"/>')
    parts.append(f'<text x="{x(warmup) + 4:.1f}" y="{T + 12}" fill="#777">warm-up ends</text>')
parts += [f'<rect x="{L}" y="{T}" width="{pw}" height="{ph}" fill="none" stroke="#333"/>',
          line([yr(v) for v in rss], "#c0392b"), line([yq(v) for v in rate], "#2471a3"),
          f'<text x="{L + pw / 2}" y="{H - 12}" text-anchor="middle">minute</text>',
          f'<text x="16" y="{T + ph / 2}" transform="rotate(-90 16 {T + ph / 2})" text-anchor="middle" fill="#c0392b">RSS (MB)</text>',
          f'<text x="{W - 16}" y="{T + ph / 2}" transform="rotate(90 {W - 16} {T + ph / 2})" text-anchor="middle" fill="#2471a3">requests per second</text>',
          "</svg>"]
open(svg, "w").write("\n".join(parts) + "\n")
print(f"chart: {svg}")
sys.exit(0 if server == 0 and socket == 0 and flat else 1)
PY
