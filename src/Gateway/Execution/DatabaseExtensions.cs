using Gateway.Configuration;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Gateway.Execution;

internal static class DatabaseExtensions
{
    /// <summary>How many statements each connection keeps prepared unless the connection string says otherwise.</summary>
    public const int AutoPrepared = 64;

    /// <summary>
    /// One pooled <see cref="NpgsqlDataSource"/> logged in as <c>authenticator</c>; every request borrows a
    /// connection from it and switches role inside its own transaction.
    /// </summary>
    public static WebApplicationBuilder AddGatewayDatabase(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton(services =>
        {
            var options = services.GetRequiredService<IOptions<GatewayOptions>>().Value;
            var dataSource = new NpgsqlDataSourceBuilder(options.ConnectionString) { Name = "gateway" };
            // PostgREST hands the database's DETAIL to the client on 4xx errors; Npgsql hides it unless asked.
            dataSource.ConnectionStringBuilder.IncludeErrorDetail = true;
            if (!Names(options.ConnectionString ?? "").Contains("MaxAutoPrepare"))
            {
                // A request's statements are the same text for the same request shape (every value is a parameter),
                // so preparing the frequent ones saves PostgreSQL parsing and planning them on every request. The pool
                // reset keeps prepared statements (Npgsql then resets without DISCARD ALL). Behind PgBouncer older
                // than 1.21 in transaction mode, set Max Auto Prepare=0.
                dataSource.ConnectionStringBuilder.MaxAutoPrepare = AutoPrepared;
            }

            dataSource.UseLoggerFactory(services.GetRequiredService<ILoggerFactory>());
            return dataSource.Build();
        });
        // Which of its hosts a transaction goes to: read-only to a standby when one is named, else the primary.
        builder.Services.AddSingleton(services => new Replicas.SessionTargets(services.GetRequiredService<NpgsqlDataSource>()));
        return builder;
    }

    // The keywords a connection string sets, spaces removed ("Max Auto Prepare" and "MaxAutoPrepare" alike).
    private static HashSet<string> Names(string connectionString) =>
        new System.Data.Common.DbConnectionStringBuilder { ConnectionString = connectionString }.Keys.Cast<string>()
            .Select(key => key.Replace(" ", "", StringComparison.Ordinal))
            .ToHashSet(StringComparer.OrdinalIgnoreCase);
}
