# syntax=docker/dockerfile:1
# One image, three programs, configured only through environment variables (nothing secret is baked in):
#   docker build -t gateway .
#   docker run IMAGE             the gateway, on port 8080 (the default command)
#   docker run IMAGE migrator    applies db/migrations once, then exits (a job before each deployment)
#   docker run IMAGE worker      the queue worker
# README.md ("Container") has the variables each one needs.

FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
# Restore from the project files alone, so this layer is reused until a dependency changes.
COPY global.json Directory.Build.props Directory.Packages.props ./
COPY src/Gateway/Gateway.csproj src/Gateway/
COPY src/Migrator/Migrator.csproj src/Migrator/
COPY src/Worker/Worker.csproj src/Worker/
RUN dotnet restore src/Gateway/Gateway.csproj \
 && dotnet restore src/Migrator/Migrator.csproj \
 && dotnet restore src/Worker/Worker.csproj
COPY src/ src/
COPY db/migrations/ db/migrations/
# The same publish tests/Gateway.IntegrationTests/Production/ContainerTests runs and starts.
RUN dotnet publish src/Gateway/Gateway.csproj -c Release --no-restore -o /app/gateway \
 && dotnet publish src/Migrator/Migrator.csproj -c Release --no-restore -o /app/migrator \
 && dotnet publish src/Worker/Worker.csproj -c Release --no-restore -o /app/worker

FROM mcr.microsoft.com/dotnet/aspnet:10.0
WORKDIR /app
COPY --from=build /app/ ./
COPY --chmod=755 docker/entrypoint.sh /usr/local/bin/entrypoint
ENV ASPNETCORE_HTTP_PORTS=8080 \
    DOTNET_NOLOGO=1
EXPOSE 8080
# The image's own unprivileged user; the files it runs stay root's.
USER $APP_UID
# The image has no curl: the gateway binary asks its own /health/live (the worker's, in a worker container).
HEALTHCHECK --interval=30s --timeout=10s --start-period=30s --retries=3 CMD ["entrypoint", "healthcheck"]
ENTRYPOINT ["entrypoint"]
CMD ["gateway"]
