#!/usr/bin/env bash
# Runs every test: unit tests, and integration tests against a real PostgreSQL.
#
# With GATEWAY_TEST_ADMIN_CONNECTION set (a superuser connection string) the tests use that server.
# Otherwise this script starts a throwaway cluster from the OS packages (installing them if missing),
# on a free port of 127.0.0.1, and removes it afterwards. Extra arguments go to `dotnet test`.
# The compatibility suite runs the real @supabase/postgrest-js in Node against the gateway, so Node 20 and npm are
# needed too; its packages are installed here from tests/postgrest-js/package-lock.json. PostGIS (for the GeoJSON
# tests) is installed with the throwaway cluster's server when it can be; elsewhere those tests skip, saying why.
# redis-server (for the shared rate limit tests) is installed from the OS packages when missing.
set -euo pipefail
cd "$(dirname "$0")/.."

cluster=""
cleanup() {
  if [ -n "$cluster" ]; then
    scripts/pg-local.sh stop "$cluster/data" || true
    rm -rf "$cluster"
  fi
}
trap cleanup EXIT

free_port() {
  local port
  for port in $(seq 55432 55532); do
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      echo "$port"
      return 0
    fi
  done
  echo "no free port between 55432 and 55532" >&2
  return 1
}

if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  echo "test.sh: Node.js and npm not found; installing them from the OS packages" >&2
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq nodejs npm >&2
fi
(cd tests/postgrest-js && npm ci --no-audit --no-fund --loglevel=error)

# The shared rate limit tests start their own redis-server on a free port of 127.0.0.1; in CI its absence fails them.
if ! command -v redis-server >/dev/null; then
  echo "test.sh: redis-server not found; installing it from the OS packages" >&2
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq redis-server >&2
fi

if [ -z "${GATEWAY_TEST_ADMIN_CONNECTION:-}" ]; then
  mkdir -p .local
  cluster=$(mktemp -d "$PWD/.local/test-pg.XXXXXX")
  chmod 755 "$cluster"
  # The cluster's owner (postgres, when we are root) must reach the folder; a clone in a private home may not.
  if [ "$(id -u)" -eq 0 ] && ! runuser -u postgres -- test -x "$cluster"; then
    rm -rf "$cluster"
    cluster=$(mktemp -d /tmp/gateway-test-pg.XXXXXX)
    chmod 755 "$cluster"
  fi
  GATEWAY_TEST_ADMIN_CONNECTION=$(scripts/pg-local.sh start "$cluster/data" "$(free_port)")
  export GATEWAY_TEST_ADMIN_CONNECTION
  # The GeoJSON tests need PostGIS for the server's major version; without it they skip, saying so.
  for bin in /usr/lib/postgresql/*/bin; do
    version=$(basename "$(dirname "$bin")")
    if [ -x "$bin/initdb" ] && [ ! -f "/usr/share/postgresql/$version/extension/postgis.control" ]; then
      echo "test.sh: PostGIS not found; installing postgresql-$version-postgis-3 from the OS packages" >&2
      sudo=""
      [ "$(id -u)" -eq 0 ] || sudo="sudo"
      { $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "postgresql-$version-postgis-3"; } >&2 \
        || echo "test.sh: could not install PostGIS; the GeoJSON tests will be skipped" >&2
    fi
  done
fi

log=$(mktemp)
status=0
dotnet test Gateway.sln --nologo "$@" 2>&1 | tee "$log" || status=$?
# One closing line for the whole run, summed over the test projects, naming every skipped test (a test skips only
# when something outside the repository is absent; its reason is in the run's output above).
awk '/^(Passed|Failed|Skipped)!/ {
       for (i = 1; i <= NF; i++) { if ($i == "Passed:") p += $(i+1); if ($i == "Failed:") f += $(i+1); if ($i == "Skipped:") s += $(i+1) }
     }
     /^  Skipped / { n = split($2, parts, "."); names = names (names == "" ? "" : ", ") parts[n-1] "." parts[n] }
     END { printf "%d passed, %d failed, %d skipped%s\n", p, f, s, (names == "" ? "" : " (skipped: " names ")") }' "$log"
rm -f "$log"
exit "$status"
