#!/usr/bin/env bash
# Brings everything up on this machine, in the foreground:
#   PostgreSQL from the OS packages (installed if missing), a cluster in .local/pg on 127.0.0.1,
#   the database "gateway" migrated by the migrator, a demo account, and the gateway on 127.0.0.1.
# Ctrl-C stops the gateway; scripts/down.sh stops PostgreSQL. Secrets are generated once into
# .local/secrets.env (git-ignored); delete .local to start from scratch.
set -euo pipefail
cd "$(dirname "$0")/.."

pg_port=${GATEWAY_PG_PORT:-54329}
http_port=${GATEWAY_HTTP_PORT:-3000}
database=gateway
demo_email=demo@example.com

command -v dotnet >/dev/null || { echo "up: the .NET 10 SDK (dotnet) is required" >&2; exit 1; }

mkdir -p .local
scripts/pg-local.sh start .local/pg "$pg_port" >/dev/null
export PGHOST=127.0.0.1 PGPORT=$pg_port PGUSER=postgres PGPASSWORD
PGPASSWORD=$(cat .local/superuser-password)

if [ ! -f .local/secrets.env ]; then
  random() { head -c 48 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' | head -c "$1"; }
  umask 077
  cat > .local/secrets.env <<SECRETS
AUTHENTICATOR_PASSWORD=$(random 32)
WORKER_PASSWORD=$(random 32)
JWT_SECRET=$(random 48)
DEMO_PASSWORD=$(random 16)
SECRETS
fi
# shellcheck disable=SC1091
. .local/secrets.env

if [ -z "$(psql -d postgres -Atc "select 1 from pg_database where datname = '$database'")" ]; then
  psql -d postgres -qc "create database $database"
fi

echo "up: migrating database '$database'"
ConnectionStrings__Admin="Host=127.0.0.1;Port=$pg_port;Username=postgres;Password=$PGPASSWORD;Database=$database" \
Migrator__AuthenticatorPassword=$AUTHENTICATOR_PASSWORD \
Migrator__WorkerPassword=$WORKER_PASSWORD \
Migrator__JwtSecret=$JWT_SECRET \
  dotnet run --project src/Migrator -c Release

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
  curl -s http://127.0.0.1:$http_port/health/ready
Demo account: $demo_email / $DEMO_PASSWORD
  Log in as the gateway will, as anon (returns an access and a refresh token):
  PGPASSWORD='$AUTHENTICATOR_PASSWORD' psql -h 127.0.0.1 -p $pg_port -U authenticator -d $database -qAtc "set role anon; select api.login('$demo_email', '$DEMO_PASSWORD')"
Stop: Ctrl-C (gateway), then scripts/down.sh (PostgreSQL).

INFO

export ConnectionStrings__Gateway="Host=127.0.0.1;Port=$pg_port;Username=authenticator;Password=$AUTHENTICATOR_PASSWORD;Database=$database"
export Gateway__Jwt__Secret=$JWT_SECRET
exec dotnet run --project src/Gateway -c Release --no-launch-profile --urls "http://127.0.0.1:$http_port"
