using Gateway.Configuration;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Gateway.Execution;

internal static class DatabaseExtensions
{
    /// <summary>
    /// The pool's size unless the connection string says otherwise (Npgsql's own default, 100, is PostgreSQL's whole
    /// default <c>max_connections</c>, which one replica would then be able to take).
    /// </summary>
    public const int MaxPoolSize = 20;

    /// <summary>
    /// Seconds a request waits for a connection (a free pooled one, or a new one) unless the connection string says
    /// otherwise; then it answers 503 PGRST003 (pool) or PGRST000 (server) with <c>Retry-After</c>. Npgsql's 15 would
    /// hold a request, and its client, for half the request timeout.
    /// </summary>
    public const int ConnectionTimeout = 5;

    /// <summary>
    /// How many statements each connection keeps prepared unless the connection string says otherwise: a request's
    /// SQL is the same text for the same request shape, so PostgreSQL parses and plans it once per connection.
    /// </summary>
    public const int MaxAutoPrepare = 64;

    /// <summary>The key of the unpooled data source readiness uses when the pool has no connection free.</summary>
    public const string Unpooled = "unpooled";

    /// <summary>
    /// One pooled <see cref="NpgsqlDataSource"/> logged in as <c>authenticator</c>; every request borrows a
    /// connection from it and switches role inside its own transaction.
    /// </summary>
    public static WebApplicationBuilder AddGatewayDatabase(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton(services => Build(services, pooled: true));
        builder.Services.AddKeyedSingleton(Unpooled, (services, _) => Build(services, pooled: false));
        // Which of its hosts a transaction goes to: read-only to a standby when one is named, else the primary.
        builder.Services.AddSingleton(services => new Replicas.SessionTargets(services.GetRequiredService<NpgsqlDataSource>()));
        builder.Services.AddSingleton<DatabaseAvailability>();
        builder.Services.AddSingleton<ResponseSpill>();
        return builder;
    }

    private static NpgsqlDataSource Build(IServiceProvider services, bool pooled)
    {
        var options = services.GetRequiredService<IOptions<GatewayOptions>>().Value;
        var dataSource = new NpgsqlDataSourceBuilder(options.ConnectionString) { Name = pooled ? "gateway" : "gateway-unpooled" };
        var settings = dataSource.ConnectionStringBuilder;
        var given = Given(settings);
        // PostgREST hands the database's DETAIL to the client on 4xx errors; Npgsql hides it unless asked.
        settings.IncludeErrorDetail = true;
        // Behind PgBouncer before 1.21 in transaction mode, the connection string must say Max Auto Prepare=0.
        if (!given.Contains("Max Auto Prepare"))
        {
            settings.MaxAutoPrepare = MaxAutoPrepare;
        }

        // No reset on giving a connection back: every transaction sets role, claims and settings for itself, and with
        // Gateway:SessionReset on it also undoes the rest (SessionReset), prepared and in its own batch, for a tenth of
        // what Npgsql's reset costs PostgreSQL.
        if (!given.Contains("No Reset On Close"))
        {
            settings.NoResetOnClose = true;
        }

        if (!given.Contains("Maximum Pool Size"))
        {
            settings.MaxPoolSize = Math.Max(MaxPoolSize, settings.MinPoolSize);
        }

        if (!given.Contains("Timeout"))
        {
            settings.Timeout = ConnectionTimeout;
        }

        settings.Pooling = pooled && settings.Pooling;
        dataSource.UseLoggerFactory(services.GetRequiredService<ILoggerFactory>());
        return dataSource.Build();
    }

    // The keywords the connection string sets, by their canonical names: Npgsql's builder keeps only what was given,
    // under one name whichever synonym was used ("MaxPoolSize" and "Maximum Pool Size" alike).
    private static HashSet<string> Given(NpgsqlConnectionStringBuilder settings) =>
        new System.Data.Common.DbConnectionStringBuilder { ConnectionString = settings.ConnectionString }.Keys.Cast<string>()
            .ToHashSet(StringComparer.OrdinalIgnoreCase);
}
