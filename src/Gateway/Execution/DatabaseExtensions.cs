using Gateway.Configuration;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Gateway.Execution;

internal static class DatabaseExtensions
{
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
            dataSource.UseLoggerFactory(services.GetRequiredService<ILoggerFactory>());
            return dataSource.Build();
        });
        // Which of its hosts a transaction goes to: read-only to a standby when one is named, else the primary.
        builder.Services.AddSingleton(services => new Replicas.SessionTargets(services.GetRequiredService<NpgsqlDataSource>()));
        return builder;
    }
}
