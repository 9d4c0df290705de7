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
# shellcheck source=common.sh
. "$(dirname "${BASH_SOURCE[0]}")/common.sh"

runs=${CATALOG_BENCH_RUNS:-5}
database=gateway_catalog_bench
require dotnet python3 curl

# ---------------------------------------------------------------------------------------------- database
prepare_database "$database"
log "creating 1,000 tables, 2,000 foreign keys and 1,000 views"
apply_fixtures "$database" catalog-fixture.sql
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
publish src/Gateway "$out/gateway"
gateway_log=$logs/gateway.log
log "starting the gateway and asking for $runs reloads"
start_gateway "$out/gateway" "http://127.0.0.1:$(free_port)" "$(connection_string authenticator "$AUTHENTICATOR_PASSWORD" "$database")" \
  "$gateway_log" Logging__LogLevel__Gateway.Catalog=Information

loads() { grep -c 'Catalog of schema' "$gateway_log" || true; }
wait_for_loads() {  # COUNT: waits (bounded) until the gateway has logged COUNT loads
  for _ in $(seq 1 600); do
    [ "$(loads)" -ge "$1" ] && return 0
    kill -0 "$gateway_pid" 2>/dev/null || { tail -30 "$gateway_log" >&2; die "the gateway exited"; }
    sleep 0.1
  done
  tail -30 "$gateway_log" >&2
  die "the gateway logged no catalog load within 60 s"
}

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
