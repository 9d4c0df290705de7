namespace Gateway.Testing;

/// <summary>
/// What a test database holds beyond the gateway's own migrations, and how the gateway under test is configured.
/// Databases made with the same migrations and fixtures are copies of one template, built once per test process.
/// </summary>
public sealed class GatewayTestOptions
{
    /// <summary>
    /// A superuser connection string to use instead of <see cref="GatewayTestServer"/>'s shared server
    /// (<c>GATEWAY_TEST_ADMIN_CONNECTION</c>, Testcontainers or a local cluster).
    /// </summary>
    public string? AdminConnectionString { get; set; }

    /// <summary>
    /// Folders of your own migrations (<c>NNNN_name.sql</c>), applied in order after the gateway's by the same migrator
    /// and journal, so a file must not share a name with one of the gateway's. A relative folder is looked for from
    /// the test's output folder upwards, so <c>db/migrations</c> finds the one at the root of your repository.
    /// </summary>
    public IList<string> MigrationFolders { get; } = [];

    /// <summary>SQL files run as the superuser after the migrations, in order (relative paths are found as for <see cref="MigrationFolders"/>).</summary>
    public IList<string> FixtureFiles { get; } = [];

    /// <summary>SQL run as the superuser after <see cref="FixtureFiles"/>, in order: test data, or objects only tests need.</summary>
    public IList<string> FixtureSql { get; } = [];

    /// <summary>
    /// Gateway configuration for the factory's host, by key (<c>Gateway:AggregatesEnabled</c> = <c>true</c>); the
    /// connection string and the JWT secret are set by the factory.
    /// </summary>
    public IDictionary<string, string?> Settings { get; } = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
}
