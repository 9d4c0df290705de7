using Gateway.Testing;

namespace Gateway.IntegrationTests.Infrastructure;

/// <summary>
/// The secrets of this test run: those the testing kit sets on the shared server (<see cref="GatewayTestSecrets"/>),
/// the same for every database and every test process using that server, since roles are cluster-wide. Read them
/// once a fixture has started the server.
/// </summary>
internal static class TestSecrets
{
    public static string AuthenticatorPassword => Current.AuthenticatorPassword;
    public static string WorkerPassword => Current.WorkerPassword;
    public static string JwtSecret => Current.JwtSecret;

    private static GatewayTestSecrets Current => GatewayTestServer.SecretsFor(PostgresServer.GetAdminConnectionStringAsync().GetAwaiter().GetResult());
}
