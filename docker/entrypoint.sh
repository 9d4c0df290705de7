#!/bin/sh
# The image's entry point: runs the program named by the first argument (gateway, the default; migrator; worker),
# from its own folder so it finds its appsettings.json and migrations; or, for HEALTHCHECK, probes what runs.
set -eu

if [ "$#" -eq 0 ]; then
  set -- gateway
fi

program="$1"
shift

# The gateway's young generation: the runtime collects after every 16 MiB (0x1000000) allocated instead of its default
# (about 4 MiB on a small host). The bench's requests allocate ~15-19 KB each, and with the default the gateway paused
# for ~40 collections a second at 8,000 requests/s, most of them promoting the in-flight requests to generation 1;
# with 16 MiB it answered ~10% more requests on the same 2 cores for ~12 MB more peak RSS (README,
# "Container"). The runtime reads this only from the environment, so it is set here; a value given to the container wins.
gateway_gc() { export DOTNET_GCgen0size="${DOTNET_GCgen0size:-0x1000000}"; }

case "$program" in
  gateway)
    gateway_gc
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
    gateway_gc
    cd /app/gateway && exec dotnet Gateway.dll "$program" "$@" ;;
  *)
    exec "$program" "$@" ;;
esac
