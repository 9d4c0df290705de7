using System.Data.Common;
using Gateway.Worker.Configuration;
using Npgsql;

namespace Gateway.Worker.Queue;

internal static class QueueExtensions
{
    /// <summary>The pooled connections of the worker's login, the queue's SQL, and the services that watch the queue.</summary>
    public static WebApplicationBuilder AddWorkerQueue(this WebApplicationBuilder builder, WorkerOptions options)
    {
        builder.Services.AddSingleton(services =>
        {
            var dataSource = new NpgsqlDataSourceBuilder(options.ConnectionString) { Name = "worker" };
            ApplyDefaults(dataSource.ConnectionStringBuilder, options.ConnectionString);
            dataSource.UseLoggerFactory(services.GetRequiredService<ILoggerFactory>());
            return dataSource.Build();
        });
        builder.Services.AddSingleton<TaskQueue>();
        builder.Services.AddSingleton(_ => new WakeSignal(options.Concurrency));
        builder.Services.AddSingleton<LeaseDuration>();
        builder.Services.AddSingleton<QueueStatsSnapshot>();
        builder.Services.AddHostedService<QueueListener>();
        builder.Services.AddHostedService<QueueStatsSampler>();
        return builder;
    }

    /// <summary>
    /// A task is a handful of fixed statements on pooled connections, and the worker keeps no session state, so unless
    /// the connection string says otherwise a connection skips its reset on return to the pool and prepares those
    /// statements automatically: together about twice the throughput of no-op tasks (bench/worker.sh). Behind
    /// PgBouncer older than 1.21 in transaction mode, set <c>Max Auto Prepare=0</c>.
    /// </summary>
    private static void ApplyDefaults(NpgsqlConnectionStringBuilder connection, string configured)
    {
        var keys = new DbConnectionStringBuilder { ConnectionString = configured }.Keys.Cast<string>()
            .Select(key => key.Replace(" ", "", StringComparison.Ordinal))
            .ToHashSet(StringComparer.OrdinalIgnoreCase);
        if (string.IsNullOrEmpty(connection.ApplicationName))
        {
            connection.ApplicationName = "gateway-worker";
        }

        if (!keys.Contains("NoResetOnClose"))
        {
            connection.NoResetOnClose = true;
        }

        if (!keys.Contains("MaxAutoPrepare"))
        {
            connection.MaxAutoPrepare = 16;
        }
    }
}
