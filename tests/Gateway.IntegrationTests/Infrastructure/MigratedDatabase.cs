using Gateway.Migrator;
using Npgsql;

namespace Gateway.IntegrationTests.Infrastructure;

/// <summary>
/// A fresh database of its own, migrated by the real migrator, with connection strings for each real login.
/// Use it as an xUnit class fixture: each test class gets its own database, dropped afterwards.
/// </summary>
public class MigratedDatabase : IAsyncLifetime
{
    // Migrations touch cluster-wide roles; two at once would race on them. Creating the database itself
    // is cheap, so only the migration is serialized.
    private static readonly SemaphoreSlim MigrationLock = new(1, 1);

    public string DatabaseName { get; } = "gw_test_" + Guid.NewGuid().ToString("N")[..16];

    public string ServerAdminConnectionString { get; private set; } = "";

    /// <summary>Superuser, connected to this database.</summary>
    public string AdminConnectionString { get; private set; } = "";

    /// <summary>The gateway's login: <c>authenticator</c>.</summary>
    public string AuthenticatorConnectionString { get; private set; } = "";

    /// <summary>The queue worker's login: <c>worker_service_user</c>.</summary>
    public string WorkerConnectionString { get; private set; } = "";

    public string JwtSecret => TestSecrets.JwtSecret;

    public async Task InitializeAsync()
    {
        ServerAdminConnectionString = await ServerAsync();
        await using (var server = new NpgsqlConnection(PostgresServer.ForDatabase(ServerAdminConnectionString, "postgres")))
        {
            await server.OpenAsync();
            await using var create = new NpgsqlCommand($"create database \"{DatabaseName}\"", server);
            await create.ExecuteNonQueryAsync();
        }

        AdminConnectionString = PostgresServer.ForDatabase(ServerAdminConnectionString, DatabaseName);
        AuthenticatorConnectionString = PostgresServer.ForLogin(ServerAdminConnectionString, DatabaseName, "authenticator", TestSecrets.AuthenticatorPassword);
        WorkerConnectionString = PostgresServer.ForLogin(ServerAdminConnectionString, DatabaseName, "worker_service_user", TestSecrets.WorkerPassword);

        var result = await MigrateAsync(AdminConnectionString);
        if (!result.Succeeded)
        {
            throw new InvalidOperationException($"Migration {result.FailedScript} failed: {result.Error}");
        }
    }

    /// <summary>A superuser connection string to the server to create the database on: the one every test shares.</summary>
    protected virtual Task<string> ServerAsync() => PostgresServer.GetAdminConnectionStringAsync();

    /// <summary>Runs the real migrator on a database of this server with this run's secrets.</summary>
    public static async Task<MigrationResult> MigrateAsync(string adminConnectionString, string? migrationsPath = null, TextWriter? log = null)
    {
        var options = new MigratorOptions
        {
            AdminConnectionString = adminConnectionString,
            AuthenticatorPassword = TestSecrets.AuthenticatorPassword,
            WorkerPassword = TestSecrets.WorkerPassword,
            JwtSecret = TestSecrets.JwtSecret,
            MigrationsPath = migrationsPath ?? Path.Combine(AppContext.BaseDirectory, "migrations"),
        };
        await MigrationLock.WaitAsync();
        try
        {
            return await Task.Run(() => MigrationRunner.Run(options, log ?? TextWriter.Null));
        }
        finally
        {
            MigrationLock.Release();
        }
    }

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
        NpgsqlConnection.ClearAllPools();
        await DropDatabaseAsync(ServerAdminConnectionString, DatabaseName);
    }

    public static async Task DropDatabaseAsync(string serverAdminConnectionString, string database)
    {
        await using var server = new NpgsqlConnection(PostgresServer.ForDatabase(serverAdminConnectionString, "postgres"));
        await server.OpenAsync();
        await using var drop = new NpgsqlCommand($"drop database if exists \"{database}\" with (force)", server);
        await drop.ExecuteNonQueryAsync();
    }
}
