#!/usr/bin/env bash
# Brings everything up on this machine, in the foreground:
#   PostgreSQL from the OS packages (installed if missing), a cluster in .local/pg on 127.0.0.1,
#   the database "gateway" migrated by the migrator, a demo account, and the gateway on 127.0.0.1.
# Ctrl-C stops the gateway; scripts/down.sh stops PostgreSQL. Secrets are generated once into
# .local/secrets.env (git-ignored); delete .local to start from scratch.
#
# Sourced (`. scripts/up.sh`), it runs nothing and only defines its steps for other scripts (bench/run.sh):
#   up_cluster            start the .local/pg cluster; export PGHOST PGPORT PGUSER PGPASSWORD (its superuser)
#   up_secrets            create .local/secrets.env once, then load it
#   up_migrate DATABASE   create DATABASE if missing and migrate it with the migrator
#   up_gateway_gen0size   the gateway's young generation, as docker/entrypoint.sh gives it (README, "Container")
set -euo pipefail

up_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
pg_port=${GATEWAY_PG_PORT:-54329}
up_gateway_gen0size=0x1000000

up_cluster() {
  mkdir -p "$up_root/.local"
  "$up_root/scripts/pg-local.sh" start "$up_root/.local/pg" "$pg_port" >/dev/null
  export PGHOST=127.0.0.1 PGPORT=$pg_port PGUSER=postgres PGPASSWORD
  PGPASSWORD=$(cat "$up_root/.local/superuser-password")
}

up_secrets() {
  if [ ! -f "$up_root/.local/secrets.env" ]; then
    random() { head -c 48 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' | head -c "$1"; }
    (
      umask 077
      cat > "$up_root/.local/secrets.env" <<SECRETS
AUTHENTICATOR_PASSWORD=$(random 32)
WORKER_PASSWORD=$(random 32)
JWT_SECRET=$(random 48)
DEMO_PASSWORD=$(random 16)
SECRETS
    )
  fi
  # shellcheck disable=SC1091
  . "$up_root/.local/secrets.env"
}

# Needs up_cluster and up_secrets first.
up_migrate() {
  local database=$1
  if [ -z "$(psql -d postgres -Atc "select 1 from pg_database where datname = '$database'")" ]; then
    psql -d postgres -qc "create database $database"
  fi

  echo "up: migrating database '$database'"
  (
    cd "$up_root"
    ConnectionStrings__Admin="Host=127.0.0.1;Port=$pg_port;Username=postgres;Password=$PGPASSWORD;Database=$database" \
    Migrator__AuthenticatorPassword=$AUTHENTICATOR_PASSWORD \
    Migrator__WorkerPassword=$WORKER_PASSWORD \
    Migrator__JwtSecret=$JWT_SECRET \
      dotnet run --project src/Migrator -c Release
  )
}

up_main() {
  cd "$up_root"
  local http_port=${GATEWAY_HTTP_PORT:-3000}
  local database=gateway
  local demo_email=demo@example.com

  command -v dotnet >/dev/null || { echo "up: the .NET 10 SDK (dotnet) is required" >&2; exit 1; }

  up_cluster
  up_secrets
  up_migrate "$database"

  # The demo account is made the way a client would: through api.signup, as anon.
  if [ -z "$(psql -d "$database" -Atc "select 1 from accounts.account where email = '$demo_email'")" ]; then
    psql -d "$database" -qAt -v email="$demo_email" -v password="$DEMO_PASSWORD" >/dev/null <<'SQL'
begin;
set local role anon;
select api.signup(password => :'password', email => :'email');
commit;
SQL
  fi

  cat <<INFO

Gateway:  http://127.0.0.1:$http_port   (PostgreSQL: 127.0.0.1:$pg_port, database $database)
  curl -s http://127.0.0.1:$http_port/hello_world
Demo account: $demo_email / $DEMO_PASSWORD
  Log in (an access and a refresh token), then call what only a signed-in user may:
  token=\$(curl -s http://127.0.0.1:$http_port/rpc/login -H 'Content-Type: application/json' \\
    -d '{"identifier": "$demo_email", "password": "$DEMO_PASSWORD"}' | sed -E 's/.*"access_token": *"([^"]+)".*/\\1/')
  curl -s http://127.0.0.1:$http_port/rpc/me -H "Authorization: Bearer \$token"
  curl -s "http://127.0.0.1:$http_port/todos?select=todo_id,title&order=todo_id.desc" -H "Authorization: Bearer \$token"
Ready: curl -s http://127.0.0.1:$http_port/health/ready
Stop: Ctrl-C (gateway), then scripts/down.sh (PostgreSQL).

INFO

  export ConnectionStrings__Gateway="Host=127.0.0.1;Port=$pg_port;Username=authenticator;Password=$AUTHENTICATOR_PASSWORD;Database=$database"
  export Gateway__Jwt__Secret=$JWT_SECRET
  # The container's garbage collection setting; an exported value wins.
  export DOTNET_GCgen0size=${DOTNET_GCgen0size:-$up_gateway_gen0size}
  exec dotnet run --project src/Gateway -c Release --no-launch-profile --urls "http://127.0.0.1:$http_port"
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  up_main "$@"
fi
