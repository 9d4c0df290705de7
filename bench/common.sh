# What the bench scripts (run.sh, soak.sh, catalog.sh, worker.sh) share. Each sources it first, so that it says only
# what is its own; sourcing it:
#   - sets bench and root and moves to root; out (bench/.out/<script>, for builds and generated files), logs ($out/logs)
#     and results (bench/results), made if missing; log and die, which name the script;
#   - defines pg_port, the local cluster's port (GATEWAY_PG_PORT, 54329 as scripts/up.sh; set it to keep away from a
#     cluster another worktree or person runs on 54329), and up.sh's steps (up_cluster, up_secrets, up_migrate);
#   - at exit (success, error or Ctrl-C), stops what the script started: what its own stop_own function stops, the
#     gateway of start_gateway, and the cluster when prepare_database had to start it.
# shellcheck shell=bash
set -euo pipefail

script=$(basename "$0" .sh)
bench=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(dirname "$bench")
cd "$root"
out=$bench/.out/$script
logs=$out/logs
results=$bench/results
mkdir -p "$logs" "$results"

log() { echo "bench/$script: $*" >&2; }
die() { log "$*"; exit 1; }

# shellcheck source=../scripts/up.sh
. "$root/scripts/up.sh"

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

apt_install() {  # PACKAGE...: from the OS packages, updating the lists only when the first try fails
  log "installing $* from the OS packages"
  if ! as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >&2; then
    as_root apt-get update -qq >&2
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >&2
  fi
}

require() {  # TOOL...: wrk and PostgreSQL's client tools are installed from the OS packages; any other missing one dies
  local tool
  for tool in "$@"; do
    command -v "$tool" >/dev/null && continue
    case "$tool" in
      wrk) apt_install wrk ;;
      psql | pg_isready | pgbench) apt_install postgresql-client ;;
      *) die "$tool is required" ;;
    esac
  done
}

stop_process() {  # PID: TERM, then KILL after 10 s
  [ -n "$1" ] || return 0
  kill "$1" 2>/dev/null || true
  for _ in $(seq 1 50); do
    kill -0 "$1" 2>/dev/null || break
    sleep 0.2
  done
  kill -9 "$1" 2>/dev/null || true
  wait "$1" 2>/dev/null || true
}

free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

wait_ready() {  # NAME PID BASE LOGFILE: until BASE/health/ready answers 2xx; dies when PID exits or after 60 s
  for _ in $(seq 1 240); do
    if curl -fsS -o /dev/null "$3/health/ready" 2>/dev/null; then
      return 0
    fi
    kill -0 "$2" 2>/dev/null || { tail -30 "$4" >&2; die "the $1 exited during start-up"; }
    sleep 0.25
  done
  tail -30 "$4" >&2
  die "the $1 was not ready after 60 s"
}

access_token() {  # SECRET SECONDS: an access token as api.login mints them (HS256, role authenticated, token_use access)
  python3 - "$1" "$2" <<'PY'
import base64, hashlib, hmac, json, sys, time
def b64(data): return base64.urlsafe_b64encode(data).rstrip(b"=").decode()
def part(obj): return b64(json.dumps(obj, separators=(",", ":")).encode())
signing_input = part({"alg": "HS256", "typ": "JWT"}) + "." + part(
    {"sub": "bench-user", "role": "authenticated", "token_use": "access", "exp": int(time.time()) + int(sys.argv[2])})
signature = hmac.new(sys.argv[1].encode(), signing_input.encode(), hashlib.sha256).digest()
print(signing_input + "." + b64(signature))
PY
}

# ---------------------------------------------------------------------------------------------- database
cluster_stop_at_exit=false

# The .local/pg cluster of scripts/up.sh (started unless it runs, then stopped at exit), its secrets (.local/secrets.env,
# loaded: AUTHENTICATOR_PASSWORD, WORKER_PASSWORD, JWT_SECRET), and DATABASE created if missing (dropped first with
# fresh) and migrated by the real migrator, its output in $logs/migrate.log.
prepare_database() {  # DATABASE [fresh]
  require pg_isready psql
  if pg_isready -q -h 127.0.0.1 -p "$pg_port"; then
    log "cluster on 127.0.0.1:$pg_port: already running"
  else
    log "cluster on 127.0.0.1:$pg_port: starting it"
    cluster_stop_at_exit=true
  fi
  up_cluster
  up_secrets
  [ "${2:-}" != fresh ] || psql -d postgres -qc "drop database if exists $1 with (force)"
  log "migrating database $1 (log: ${logs#"$root"/}/migrate.log)"
  up_migrate "$1" >"$logs/migrate.log" 2>&1 || { tail -20 "$logs/migrate.log" >&2; die "the migrator failed"; }
}

apply_fixtures() {  # DATABASE FILE...: bench/FILE each, as the superuser, stopping at the first error (output in $logs/FILE.log)
  local database=$1 fixture
  shift
  for fixture in "$@"; do
    log "applying bench/$fixture"
    psql -d "$database" -q -v ON_ERROR_STOP=1 -f "$bench/$fixture" >"$logs/$fixture.log" 2>&1 \
      || { cat "$logs/$fixture.log" >&2; die "bench/$fixture failed"; }
  done
}

connection_string() {  # USER PASSWORD DATABASE [OPTIONS]: to the cluster, OPTIONS (Npgsql keywords) appended
  echo "Host=127.0.0.1;Port=$pg_port;Username=$1;Password=$2;Database=$3${4:+;$4}"
}

# ---------------------------------------------------------------------------------------------- programs
publish() {  # PROJECT DIR: dotnet publish in Release (output in $logs/publish-<name of DIR>.log)
  local logfile=$logs/publish-$(basename "$2").log
  log "publishing $1 in Release (log: ${logfile#"$root"/})"
  dotnet publish "$1" -c Release -o "$2" >"$logfile" 2>&1 || { tail -30 "$logfile" >&2; die "dotnet publish $1 failed"; }
}

gateway_pid=""

# The gateway published in DIR, in production mode with warnings only and the container's garbage collection setting
# (up_gateway_gen0size, as docker/entrypoint.sh sets it) unless VAR=VALUE settings say otherwise, listening on BASE
# and logging to LOGFILE; sets gateway_pid and returns once it is ready.
start_gateway() {  # DIR BASE CONNECTION LOGFILE [VAR=VALUE...]
  local dir=$1 base=$2 connection=$3 logfile=$4
  shift 4
  env ASPNETCORE_ENVIRONMENT=Production ConnectionStrings__Gateway="$connection" Gateway__Jwt__Secret="$JWT_SECRET" \
    Logging__LogLevel__Default=Warning DOTNET_GCgen0size="${DOTNET_GCgen0size:-$up_gateway_gen0size}" "$@" "$dir/Gateway" --urls "$base" >"$logfile" 2>&1 &
  gateway_pid=$!
  wait_ready gateway "$gateway_pid" "$base" "$logfile"
}

stop_gateway() { stop_process "$gateway_pid"; gateway_pid=""; }

# ---------------------------------------------------------------------------------------------- exit
stop_own() { :; }  # a script that starts more than the gateway defines its own

cleanup() {
  local status=$?
  trap - EXIT INT TERM
  stop_own
  stop_gateway
  if $cluster_stop_at_exit; then
    log "stopping the cluster (it was not running before)"
    scripts/pg-local.sh stop .local/pg || true
  fi
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
