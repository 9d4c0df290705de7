#!/usr/bin/env bash
# Starts (creating on first use) a PostgreSQL cluster from the OS packages, bound to 127.0.0.1 only.
#
#   scripts/pg-local.sh start DATA_DIR PORT   # prints the superuser connection string on stdout
#   scripts/pg-local.sh stop  DATA_DIR
#   scripts/pg-local.sh restart DATA_DIR         # pg_ctl restart -m fast: what an operator's restart does to clients
#
# The cluster's superuser is "postgres" with a random password kept in DATA_DIR/../superuser-password.
# initdb refuses to run as root, so as root the cluster belongs to the OS user "postgres".
set -euo pipefail

log() { echo "pg-local: $*" >&2; }

find_bin() {
  local dir
  for dir in /usr/lib/postgresql/*/bin; do
    [ -x "$dir/initdb" ] && { echo "$dir"; return 0; }
  done
  return 1
}

ensure_installed() {
  if ! find_bin >/dev/null; then
    log "PostgreSQL server not found; installing it from the OS packages"
    local sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    $sudo apt-get update -qq >&2
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq postgresql postgresql-contrib >&2
  fi
}

# Runs a command as the cluster's owner: ourselves, or "postgres" when we are root.
as_owner() {
  if [ "$(id -u)" -eq 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

cmd=${1:?usage: pg-local.sh start|stop|restart DATA_DIR [PORT]}
data=${2:?usage: pg-local.sh start|stop|restart DATA_DIR [PORT]}
mkdir -p "$(dirname "$data")"
data=$(cd "$(dirname "$data")" && pwd)/$(basename "$data")
root=$(dirname "$data")
password_file=$root/superuser-password

case "$cmd" in
  start)
    port=${3:?usage: pg-local.sh start DATA_DIR PORT}
    ensure_installed
    bin=$(find_bin)
    if [ ! -f "$data/PG_VERSION" ]; then
      mkdir -p "$data"
      [ -f "$password_file" ] || head -c 24 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' > "$password_file"
      chmod 600 "$password_file"
      if [ "$(id -u)" -eq 0 ]; then
        chown postgres: "$data"
        # The owner must be able to reach the data folder through every parent.
        if ! runuser -u postgres -- test -w "$data"; then
          log "the OS user postgres cannot write $data; choose a folder it can reach"
          exit 1
        fi
      fi
      pwfile=$(mktemp)
      cp "$password_file" "$pwfile"
      chmod 644 "$pwfile"
      log "creating a cluster in $data"
      as_owner "$bin/initdb" -D "$data" -U postgres --pwfile="$pwfile" \
        --auth-local=scram-sha-256 --auth-host=scram-sha-256 -E UTF8 --locale=C.UTF-8 >&2
      rm -f "$pwfile"
    fi
    if ! as_owner "$bin/pg_ctl" -D "$data" status >/dev/null 2>&1; then
      log "starting PostgreSQL on 127.0.0.1:$port"
      # On failure its log says why (a port taken, memory); the caller may delete the folder, so it is shown here.
      as_owner "$bin/pg_ctl" -D "$data" -l "$data/server.log" -w -t 60 start \
        -o "-c listen_addresses=127.0.0.1 -c port=$port -c unix_socket_directories='$data' -c max_connections=300 -c fsync=off -c synchronous_commit=off" >&2 \
        || { log "PostgreSQL did not start; the end of $data/server.log:"; tail -n 20 "$data/server.log" >&2 || true; exit 1; }
    fi
    echo "Host=127.0.0.1;Port=$port;Username=postgres;Password=$(cat "$password_file");Database=postgres"
    ;;
  restart)
    bin=$(find_bin)
    # The options given at start are kept in postmaster.opts; the log file is not, so it is named again.
    as_owner "$bin/pg_ctl" -D "$data" -l "$data/server.log" -m fast -w -t 60 restart >&2
    ;;
  stop)
    bin=$(find_bin) || exit 0
    if [ -f "$data/PG_VERSION" ] && as_owner "$bin/pg_ctl" -D "$data" status >/dev/null 2>&1; then
      as_owner "$bin/pg_ctl" -D "$data" -m fast -w stop >&2
    fi
    ;;
  *)
    echo "usage: pg-local.sh start|stop|restart DATA_DIR [PORT]" >&2
    exit 2
    ;;
esac
