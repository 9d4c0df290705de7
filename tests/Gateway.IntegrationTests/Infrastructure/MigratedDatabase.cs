using Gateway.Migrator;
using Gateway.Testing;
using Npgsql;

namespace Gateway.IntegrationTests.Infrastructure;

/// <summary>
/// A database of its own, migrated by the real migrator, with connection strings for each real login: the testing
/// kit's <see cref="GatewayTestDatabase"/>, a copy of a template migrated once per run (and per set of fixture
/// scripts). Use it as an xUnit class fixture: each test class gets its own database, dropped afterwards.
/// </summary>
public class MigratedDatabase : IAsyncLifetime
{
    private readonly GatewayTestOptions options;
    private GatewayTestDatabase? database;

    public MigratedDatabase()
        : this(new GatewayTestOptions())
    {
    }

    /// <param name="options">What the template holds beyond the gateway's migrations (fixture scripts).</param>
    protected MigratedDatabase(GatewayTestOptions options) => this.options = options;

    /// <summary>The kit's database behind this fixture.</summary>
    public GatewayTestDatabase TestDatabase => database ?? throw new InvalidOperationException("not initialized");

    public string DatabaseName => TestDatabase.Name;

    public string ServerAdminConnectionString => TestDatabase.ServerAdminConnectionString;

    /// <summary>Superuser, connected to this database.</summary>
    public string AdminConnectionString => TestDatabase.AdminConnectionString;

    /// <summary>The gateway's login: <c>authenticator</c>.</summary>
    public string AuthenticatorConnectionString => TestDatabase.AuthenticatorConnectionString;

    /// <summary>The queue worker's login: <c>worker_service_user</c>.</summary>
    public string WorkerConnectionString => TestDatabase.WorkerConnectionString;

    public string JwtSecret => TestDatabase.Secrets.JwtSecret;

    public async Task InitializeAsync()
    {
        if (await ServerAsync() is { } server)
        {
            options.AdminConnectionString = server;
        }

        database = await GatewayTestDatabase.CreateAsync(options);
    }

    /// <summary>A superuser connection string to a server of the fixture's own (a private cluster), or null for the shared one.</summary>
    protected virtual Task<string?> ServerAsync() => Task.FromResult<string?>(null);

    /// <summary>Runs the real migrator on a database of this server with this run's secrets, one migration at a time.</summary>
    public static Task<MigrationResult> MigrateAsync(string adminConnectionString, string? migrationsPath = null, TextWriter? log = null) =>
        GatewayTestServer.MigrateAsync(adminConnectionString, migrationsPath, log);

    public async Task<NpgsqlConnection> OpenAdminAsync() => await OpenAsync(AdminConnectionString);

    public async Task<NpgsqlConnection> OpenAuthenticatorAsync() => await OpenAsync(AuthenticatorConnectionString);

    public async Task<NpgsqlConnection> OpenWorkerAsync() => await OpenAsync(WorkerConnectionString);

    public static async Task<NpgsqlConnection> OpenAsync(string connectionString)
    {
        var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        return connection;
    }

    public async Task DisposeAsync()
    {
        if (database is not null)
        {
            await database.DisposeAsync();
        }
    }

    public static async Task DropDatabaseAsync(string serverAdminConnectionString, string database)
    {
        await using var server = new NpgsqlConnection(PostgresServer.ForDatabase(serverAdminConnectionString, "postgres"));
        await server.OpenAsync();
        await using var drop = new NpgsqlCommand($"drop database if exists \"{database}\" with (force)", server);
        await drop.ExecuteNonQueryAsync();
    }
}
