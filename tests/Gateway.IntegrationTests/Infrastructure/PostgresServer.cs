using Npgsql;
using Testcontainers.PostgreSql;

namespace Gateway.IntegrationTests.Infrastructure;

/// <summary>
/// The PostgreSQL server every test of this run shares: the one named by <c>GATEWAY_TEST_ADMIN_CONNECTION</c>
/// (a superuser connection string), or else a container started with Testcontainers (needs Docker).
/// Tests never share a database: each fixture creates and migrates its own.
/// </summary>
internal static class PostgresServer
{
    public const string AdminConnectionVariable = "GATEWAY_TEST_ADMIN_CONNECTION";

    private static readonly Lazy<Task<string>> AdminConnection = new(StartAsync);

    /// <summary>A superuser connection string to the server's maintenance database.</summary>
    public static Task<string> GetAdminConnectionStringAsync() => AdminConnection.Value;

    /// <summary>The same server and credentials, pointed at another database.</summary>
    public static string ForDatabase(string adminConnectionString, string database) =>
        new NpgsqlConnectionStringBuilder(adminConnectionString) { Database = database, Pooling = false, IncludeErrorDetail = true }.ConnectionString;

    /// <summary>The same server, logged in as another role with its password.</summary>
    public static string ForLogin(string adminConnectionString, string database, string username, string password) =>
        new NpgsqlConnectionStringBuilder(adminConnectionString)
        {
            Database = database,
            Username = username,
            Password = password,
            IncludeErrorDetail = true,
        }.ConnectionString;

    private static async Task<string> StartAsync()
    {
        var configured = Environment.GetEnvironmentVariable(AdminConnectionVariable);
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return configured;
        }

        var container = new PostgreSqlBuilder("postgres:15")
            .WithCommand("-c", "max_connections=300")
            .Build();
        await container.StartAsync();
        // The container lives as long as the test process; Testcontainers' reaper removes it afterwards.
        return container.GetConnectionString();
    }
}
