# Steps bench/run.sh and bench/soak.sh share; sourced, it runs nothing. The sourcing script defines log and die.
# shellcheck shell=bash

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

apt_install() {  # PACKAGE...: from the OS packages, updating the lists only when the first try fails
  log "installing $* from the OS packages"
  if ! as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >&2; then
    as_root apt-get update -qq >&2
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >&2
  fi
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

# The .local/pg cluster of scripts/up.sh (started unless it runs; the caller stops it when cluster_was_running is
# false), its secrets, and DATABASE created if missing and migrated by the real migrator, the migrator's output in
# LOGFILE. Needs root and pg_port; sets cluster_started.
prepare_database() {  # DATABASE LOGFILE
  # shellcheck source=../scripts/up.sh
  . "$root/scripts/up.sh"
  log "cluster on 127.0.0.1:$pg_port ($($cluster_was_running && echo "already running" || echo "starting it"))"
  up_cluster
  cluster_started=true
  up_secrets
  log "migrating database $1 (log: ${2#"$root"/})"
  up_migrate "$1" >"$2" 2>&1 || { tail -20 "$2" >&2; die "the migrator failed"; }
}
