#!/bin/sh
# The image's entry point: runs the program named by the first argument (gateway, the default; migrator; worker),
# from its own folder so it finds its appsettings.json and migrations; or, for HEALTHCHECK, probes what runs.
set -eu

if [ "$#" -eq 0 ]; then
  set -- gateway
fi

program="$1"
shift

case "$program" in
  gateway)
    cd /app/gateway && exec dotnet Gateway.dll "$@" ;;
  migrator)
    cd /app/migrator && exec dotnet Gateway.Migrator.dll "$@" ;;
  worker)
    cd /app/worker && exec dotnet Gateway.Worker.dll "$@" ;;
  healthcheck)
    # PID 1 is the program this container runs; a migrator is a job, with nothing to probe.
    case "$(tr '\0' ' ' < /proc/1/cmdline)" in
      *Gateway.Worker.dll*) exec dotnet /app/gateway/Gateway.dll --healthcheck "${Worker__HealthUrls:-http://127.0.0.1:9464}" ;;
      *Gateway.Migrator.dll*) exit 0 ;;
      *) exec dotnet /app/gateway/Gateway.dll --healthcheck ;;
    esac ;;
  -*)
    # Options alone are the gateway's, e.g. docker run IMAGE --urls http://+:9000
    cd /app/gateway && exec dotnet Gateway.dll "$program" "$@" ;;
  *)
    exec "$program" "$@" ;;
esac
