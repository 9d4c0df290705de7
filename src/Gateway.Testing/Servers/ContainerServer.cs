using DotNet.Testcontainers.Builders;
using Testcontainers.PostgreSql;

namespace Gateway.Testing.Servers;

/// <summary>A PostgreSQL container started with Testcontainers, when a Docker engine answers.</summary>
internal static class ContainerServer
{
    public const string Image = "postgres:15";

    /// <summary>The superuser connection string of a new container, or why Docker could not start one.</summary>
    public static async Task<(string? ConnectionString, string? Unavailable)> TryStartAsync(CancellationToken cancellationToken)
    {
        try
        {
            var container = new PostgreSqlBuilder(Image)
                .WithCommand("-c", "max_connections=300", "-c", "fsync=off", "-c", "synchronous_commit=off")
                .Build();
            await container.StartAsync(cancellationToken).ConfigureAwait(false);
            // The container lives as long as the test process; Testcontainers' reaper removes it afterwards.
            return (container.GetConnectionString(), null);
        }
        catch (DockerUnavailableException unavailable)
        {
            return (null, unavailable.Message);
        }
    }
}
