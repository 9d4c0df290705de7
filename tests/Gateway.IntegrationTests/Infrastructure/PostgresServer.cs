using Gateway.Testing;

namespace Gateway.IntegrationTests.Infrastructure;

/// <summary>
/// The PostgreSQL server every test of this run shares: the testing kit's (<see cref="GatewayTestServer"/>:
/// <c>GATEWAY_TEST_ADMIN_CONNECTION</c>, else Testcontainers, else a local cluster). Tests never share a database:
/// each fixture gets its own copy of a migrated template.
/// </summary>
internal static class PostgresServer
{
    /// <summary>A superuser connection string to the server's maintenance database.</summary>
    public static Task<string> GetAdminConnectionStringAsync() => GatewayTestServer.GetAdminConnectionStringAsync();

    /// <summary>The same server and credentials, pointed at another database.</summary>
    public static string ForDatabase(string adminConnectionString, string database) => GatewayTestServer.ForDatabase(adminConnectionString, database);

    /// <summary>The same server, logged in as another role with its password.</summary>
    public static string ForLogin(string adminConnectionString, string database, string username, string password) =>
        GatewayTestServer.ForLogin(adminConnectionString, database, username, password);
}
