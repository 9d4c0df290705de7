#!/usr/bin/env bash
# The gateway against an earlier build of itself, in one alternating run (see bench/README.md, "Against an earlier
# build"): issue 12's "double today's rate" as a ratio measured here and now, not against a figure taken on another
# day at another load.
#   the local cluster and gateway_bench with the bench fixtures (as run.sh), the gateway of this checkout and the one of
#   BENCH_BASELINE (a commit; its src/ exported with git archive and published, kept in bench/.out/baseline for the
#   next run), both started as a new user would start them; then per scenario, rounds of wrk against each in turn
#   (the baseline first in odd rounds), with req/s, p50/p99 and CPU per request of each build and of PostgreSQL.
# Prints the table and writes it to bench/results/baseline-latest.txt. Stops everything it started, even on error.
#
# Knobs (environment): BENCH_BASELINE (default d5b63e7: the build issue 12's "today" was measured on), BENCH_SCENARIOS
# (names from bench/scenarios.txt; default "minimal perfpost", the issue's two), BENCH_ROUNDS (6), BENCH_SLICE (seconds
# per round and build, 8), BENCH_JIT_WARMUP (seconds per build, split over the scenarios, 90), BENCH_CONNECTIONS (32),
# BENCH_THREADS (2), BENCH_POOL (both builds' Maximum Pool Size; unset, each has its own default: Npgsql's 100 for the
# baseline, the gateway's 20 now), GATEWAY_PG_PORT (54329).
# shellcheck source=common.sh
. "$(dirname "${BASH_SOURCE[0]}")/common.sh"

baseline=${BENCH_BASELINE:-d5b63e7}
rounds=${BENCH_ROUNDS:-6}
slice=${BENCH_SLICE:-8}
jit_warmup=${BENCH_JIT_WARMUP:-90}
connections=${BENCH_CONNECTIONS:-32}
threads=${BENCH_THREADS:-2}
pool=${BENCH_POOL:-}
database=gateway_bench
probe=4242

for knob in rounds slice jit_warmup connections threads; do
  [[ ${!knob} =~ ^[0-9]+$ ]] && [ "${!knob}" -gt 0 ] || die "BENCH_${knob^^} must be a positive whole number (got '${!knob}')"
done
[ -z "$pool" ] || [[ $pool =~ ^[1-9][0-9]*$ ]] || die "BENCH_POOL must be a whole number of connections (got '$pool')"
require wrk dotnet python3 curl git
sha=$(git rev-parse --verify --quiet "$baseline^{commit}") \
  || die "BENCH_BASELINE: no commit '$baseline' in this clone (a shallow clone lacks history: git fetch --unshallow)"
short=${sha:0:7}

declare -A method target body expect auth
scenarios=()
while read -r name a m t b e _; do
  case "$name" in '' | '#'*) continue ;; esac
  if [[ " ${BENCH_SCENARIOS:-minimal perfpost} " != *" $name "* ]]; then continue; fi
  scenarios+=("$name")
  auth[$name]=$a method[$name]=$m target[$name]=$t expect[$name]=$e
  body[$name]=$([ "$b" = - ] || echo "$b")
done <"$bench/scenarios.txt"
[ "${#scenarios[@]}" -gt 0 ] || die "no scenario of bench/scenarios.txt is named in BENCH_SCENARIOS (${BENCH_SCENARIOS:-})"

# ---------------------------------------------------------------------------------------------- builds, servers
prepare_database "$database"
apply_fixtures "$database" fixture.sql perf-fixture.sql
publish src/Gateway "$out/current"
if [ ! -x "$out/gateway-$short/Gateway" ]; then
  log "exporting $short's src/ (git archive) to build it"
  rm -rf "$out/src-$short"
  mkdir -p "$out/src-$short"
  git archive "$sha" .editorconfig Directory.Build.props Directory.Packages.props global.json src | tar -x -C "$out/src-$short"
  publish "$out/src-$short/src/Gateway" "$out/gateway-$short"
fi

authenticator=$(connection_string authenticator "$AUTHENTICATOR_PASSWORD" "$database" "${pool:+Maximum Pool Size=$pool}")
token=$(access_token "$JWT_SECRET" 3600)
builds=(baseline current)
declare -A dir=([baseline]="$out/gateway-$short" [current]="$out/current") base pid
stop_own() { for build in "${builds[@]}"; do stop_process "${pid[$build]:-}"; done; }
for build in "${builds[@]}"; do
  base[$build]=http://127.0.0.1:$(free_port)
  start_gateway "${dir[$build]}" "${base[$build]}" "$authenticator" "$logs/$build.log"
  pid[$build]=$gateway_pid
  gateway_pid=""
done
log "baseline $short pid ${pid[baseline]} on ${base[baseline]}, current pid ${pid[current]} on ${base[current]}"

wrk_run() {  # BUILD SCENARIO SECONDS LOGFILE
  local scenario=$2
  BENCH_METHOD=${method[$scenario]} BENCH_TARGET=${target[$scenario]} BENCH_BODY=${body[$scenario]} \
  BENCH_TOKEN=$([ "${auth[$scenario]}" = jwt ] && echo "$token" || true) \
    wrk -t"$threads" -c"$connections" -d"${3}s" --timeout 5s --latency -s "$bench/wrk.lua" "${base[$1]}" >"$4" 2>&1 \
    || die "wrk failed (see $4)"
}

for scenario in "${scenarios[@]}"; do
  for build in "${builds[@]}"; do
    tok=$([ "${auth[$scenario]}" = jwt ] && echo "$token" || true)
    args=(-sS -o "$out/response.json" -w '%{http_code}' -X "${method[$scenario]}")
    [ -z "$tok" ] || args+=(-H "Authorization: Bearer $tok")
    [ -z "${body[$scenario]}" ] || args+=(-H 'Content-Type: application/json' --data-binary "${body[$scenario]//\{id\}/$probe}")
    code=$(curl "${args[@]}" "${base[$build]}${target[$scenario]//\{id\}/$probe}")
    [ "$code" = 200 ] && grep -Eq -- "${expect[$scenario]//\{id\}/$probe}" "$out/response.json" \
      || die "$build: $scenario answered $code, not what bench/scenarios.txt expects: $(head -c 500 "$out/response.json")"
  done
done

# ---------------------------------------------------------------------------------------------- measure
clock_ticks=$(getconf CLK_TCK)
ticks() { awk -v children="${2:-0}" '{ sub(/.*\) /, ""); print $12 + $13 + (children ? $14 + $15 : 0) }' "/proc/$1/stat" 2>/dev/null || echo 0; }
postgres_ticks() {  # the postmaster with its reaped backends, and the live ones
  local postmaster total child
  postmaster=$(head -1 "$root/.local/pg/postmaster.pid")
  total=$(ticks "$postmaster" 1)
  for child in $(pgrep -P "$postmaster"); do total=$((total + $(ticks "$child"))); done
  echo "$total"
}
field() { sed -n "s/.* $1=\([0-9]*\).*/\1/p" "$2"; }

load_before=$(cut -d' ' -f1-3 /proc/loadavg)
per_scenario=$(( (jit_warmup + ${#scenarios[@]} - 1) / ${#scenarios[@]} ))
: >"$out/rounds.tsv"
for scenario in "${scenarios[@]}"; do
  log "$scenario: ${per_scenario} s warm-up each, then $rounds rounds of ${slice} s, the builds in turn"
  for build in "${builds[@]}"; do wrk_run "$build" "$scenario" "$per_scenario" "$logs/wrk-$build-$scenario-warmup.log"; done
  for round in $(seq 1 "$rounds"); do
    order=("${builds[@]}")
    [ $((round % 2)) -eq 1 ] || order=(current baseline)
    for build in "${order[@]}"; do
      file=$logs/wrk-$build-$scenario-$round.log
      server0=$(ticks "${pid[$build]}") pg0=$(postgres_ticks)
      wrk_run "$build" "$scenario" "$slice" "$file"
      server=$(( $(ticks "${pid[$build]}") - server0 )) postgres=$(( $(postgres_ticks) - pg0 ))
      grep -q '^BENCH ' "$file" || die "no result line from wrk (see $file)"
      errors=$(( $(field connect "$file") + $(field read "$file") + $(field write "$file") + $(field status "$file") + $(field timeout "$file") ))
      printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$scenario" "$round" "$build" "$(field requests "$file")" \
        "$(field duration_us "$file")" "$(field p50_us "$file")" "$(field p99_us "$file")" \
        $(( server * 1000000 / clock_ticks )) $(( postgres * 1000000 / clock_ticks )) "$errors" >>"$out/rounds.tsv"
    done
  done
done
load_after=$(cut -d' ' -f1-3 /proc/loadavg)

# ---------------------------------------------------------------------------------------------- report
commit=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
git diff --quiet HEAD -- src 2>/dev/null || commit="$commit + uncommitted changes in src/"
report=$(
  echo "Gateway against an earlier build, $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores"
  echo "current: $commit; baseline: $short ($(git log -1 --format='%ad, %s' --date=short "$sha" | cut -c1-90))"
  echo "wrk: ${connections} connections, ${threads} threads, 127.0.0.1; ${per_scenario} s warm-up of each build per scenario, then"
  echo "  $rounds rounds of ${slice} s each, the builds in turn (the baseline first in odd rounds)."
  if [ -n "$pool" ]; then echo "pools: Maximum Pool Size=$pool for both"; else echo "pools: each build's own default (no Maximum Pool Size in the connection string)"; fi
  echo "load average before: $load_before, after: $load_after (other work on the machine skews both builds alike)"
  echo
  python3 "$bench/baseline-report.py" "$out/rounds.tsv"
)
echo "$report"
echo "$report" >"$results/baseline-latest.txt"
cp "$results/baseline-latest.txt" "$results/baseline-$(date -u +%Y%m%d-%H%M%S).txt"
