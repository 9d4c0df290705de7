#!/usr/bin/env bash
# How long the gateway takes to load its catalog of a large api schema (see bench/README.md, "Catalog load"):
#   the local cluster (.local/pg, as scripts/up.sh makes it), a database gateway_catalog_bench migrated by the real
#   migrator plus bench/catalog-fixture.sql (1,000 private tables with 2,000 foreign keys, 1,000 api views over them),
#   then
#   1. the gateway's catalog query, taken from src/Gateway/Catalog/CatalogLoader.cs, run through psql as
#      authenticator with the loader's settings: wall time and the backend's CPU time (from /proc) per run;
#   2. the gateway published in Release and started on 127.0.0.1: its own "Catalog ... loaded" log lines for the
#      start-up load and for reloads asked with NOTIFY (query, transfer, parsing and finding relationships).
# Prints the figures and writes them to bench/results/catalog-latest.txt. Stops everything it started, even on error.
#
# Knobs (environment): CATALOG_BENCH_RUNS (5, per measurement), GATEWAY_PG_PORT (54329, as scripts/up.sh).
set -euo pipefail

bench=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(dirname "$bench")
cd "$root"

runs=${CATALOG_BENCH_RUNS:-5}
pg_port=${GATEWAY_PG_PORT:-54329}
database=gateway_catalog_bench
out=$bench/.out
logs=$out/logs
results=$bench/results

log() { echo "catalog bench: $*" >&2; }
die() { log "$*"; exit 1; }

for tool in dotnet python3 curl psql pg_isready; do
  command -v "$tool" >/dev/null || die "$tool is required"
done

cluster_was_running=false
pg_isready -q -h 127.0.0.1 -p "$pg_port" && cluster_was_running=true
cluster_started=false
gateway_pid=""

cleanup() {
  local status=$?
  trap - EXIT INT TERM
  if [ -n "$gateway_pid" ]; then
    kill "$gateway_pid" 2>/dev/null || true
    wait "$gateway_pid" 2>/dev/null || true
  fi
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
# shellcheck source=../scripts/up.sh
. "$root/scripts/up.sh"
log "cluster on 127.0.0.1:$pg_port ($($cluster_was_running && echo "already running" || echo "starting it"))"
up_cluster
cluster_started=true
up_secrets

log "migrating database $database (log: bench/.out/logs/catalog-migrate.log)"
up_migrate "$database" >"$logs/catalog-migrate.log" 2>&1 || { tail -20 "$logs/catalog-migrate.log" >&2; die "the migrator failed"; }
log "creating 1,000 tables, 2,000 foreign keys and 1,000 views (bench/catalog-fixture.sql)"
psql -d "$database" -q -v ON_ERROR_STOP=1 -f "$bench/catalog-fixture.sql" >"$logs/catalog-fixture.log" 2>&1 \
  || { cat "$logs/catalog-fixture.log" >&2; die "fixture failed"; }
psql -d "$database" -qc "analyze" >/dev/null

# ---------------------------------------------------------------------------------------------- the query alone
# The query is the C# raw string between 'Query = """' and '""";', indented by eight spaces.
awk '/private const string Query = """/ { inside = 1; next } inside && /^ *""";/ { exit } inside { sub(/^        /, ""); print }' \
  src/Gateway/Catalog/CatalogLoader.cs >"$out/catalog-query.sql"
[ -s "$out/catalog-query.sql" ] || die "could not find the catalog query in src/Gateway/Catalog/CatalogLoader.cs"

log "running the catalog query through psql as authenticator, $runs times after a warm-up"
query_report=$(PGUSER=authenticator PGPASSWORD=$AUTHENTICATOR_PASSWORD python3 - "$database" "$out/catalog-query.sql" "$runs" <<'PY'
import json, os, statistics, subprocess, sys, time

database, query_file, runs = sys.argv[1], sys.argv[2], int(sys.argv[3])
psql = subprocess.Popen(["psql", "-d", database, "-X", "-q", "-At", "-v", "ON_ERROR_STOP=1"],
                        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)

def run(sql):
    psql.stdin.write(sql + "\n\\echo __done__\n")
    psql.stdin.flush()
    lines = []
    for line in psql.stdout:
        if line.rstrip("\n") == "__done__":
            return lines
        lines.append(line)
    sys.exit("psql ended early")

backend = int(run("select pg_backend_pid();")[0])
ticks = os.sysconf("SC_CLK_TCK")

def cpu_ms():
    fields = open(f"/proc/{backend}/stat").read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) * 1000 / ticks

# The loader's session: only pg_catalog on the search path, no JIT; the query as a prepared statement.
run("set search_path = pg_catalog; set jit = off;")
run("prepare catalog(text) as " + open(query_file).read() + ";")
document = json.loads(run("execute catalog('api');")[0])
walls, cpus = [], []
for _ in range(runs):
    cpu0, start = cpu_ms(), time.monotonic()
    text = run("execute catalog('api');")[0]
    walls.append((time.monotonic() - start) * 1000)
    cpus.append(cpu_ms() - cpu0)
psql.stdin.close()

print(f"document: {len(document['relations'])} relations, {len(document['foreign_keys'])} foreign keys, "
      f"{len(document['column_sources'])} key columns shown, {len(text) / 1e6:.1f} MB of JSON")
print(f"query through psql: median {statistics.median(walls):.0f} ms wall (min {min(walls):.0f}, max {max(walls):.0f}), "
      f"median {statistics.median(cpus):.0f} ms backend CPU")
PY
)

# ---------------------------------------------------------------------------------------------- the gateway's load
log "publishing the gateway in Release (log: bench/.out/logs/catalog-publish.log)"
dotnet publish src/Gateway -c Release -o "$out/gateway" >"$logs/catalog-publish.log" 2>&1 \
  || { tail -30 "$logs/catalog-publish.log" >&2; die "dotnet publish failed"; }

http_port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
gateway_log=$logs/catalog-gateway.log
env ASPNETCORE_ENVIRONMENT=Production \
  ConnectionStrings__Gateway="Host=127.0.0.1;Port=$pg_port;Username=authenticator;Password=$AUTHENTICATOR_PASSWORD;Database=$database" \
  Gateway__Jwt__Secret="$JWT_SECRET" \
  Logging__LogLevel__Default=Warning \
  Logging__LogLevel__Gateway.Catalog=Information \
  "$out/gateway/Gateway" --urls "http://127.0.0.1:$http_port" >"$gateway_log" 2>&1 &
gateway_pid=$!

loads() { grep -c 'Catalog of schema' "$gateway_log" || true; }
wait_for_loads() {  # COUNT: waits (bounded) until the gateway has logged COUNT loads
  for _ in $(seq 1 600); do
    [ "$(loads)" -ge "$1" ] && return 0
    kill -0 "$gateway_pid" 2>/dev/null || { tail -30 "$gateway_log" >&2; gateway_pid=""; die "the gateway exited"; }
    sleep 0.1
  done
  tail -30 "$gateway_log" >&2
  die "the gateway logged no catalog load within 60 s"
}

log "starting the gateway and asking for $runs reloads"
wait_for_loads 1
for i in $(seq 2 $((runs + 1))); do
  psql -d "$database" -qc "notify pgrst, 'reload schema'"
  wait_for_loads "$i"
done

gateway_report=$(python3 - "$gateway_log" <<'PY'
import re, statistics, sys
pattern = re.compile(r"loaded: (\d+) relations, (\d+) functions, (\d+) relationships in (\d+) ms")
found = [m.groups() for m in map(pattern.search, open(sys.argv[1])) if m]
first, reloads = found[0], [int(f[3]) for f in found[1:]]
print(f"gateway: {first[2]} relationships among {first[0]} relations; start-up load {first[3]} ms, "
      f"reloads median {statistics.median(reloads):.0f} ms (min {min(reloads)}, max {max(reloads)})")
PY
)

report=$(cat <<REPORT
Catalog load bench, $(date -u '+%Y-%m-%d %H:%M UTC'), commit $(git rev-parse --short HEAD)$(git diff --quiet HEAD -- src || echo ' with uncommitted changes'), $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)
$query_report
$gateway_report
REPORT
)
echo "$report"
echo "$report" >"$results/catalog-latest.txt"
