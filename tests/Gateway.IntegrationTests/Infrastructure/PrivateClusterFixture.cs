using Gateway.Testing.Servers;

namespace Gateway.IntegrationTests.Infrastructure;

/// <summary>
/// <see cref="ApiFixture"/> on a PostgreSQL cluster of the test class's own (the testing kit's <see cref="LocalCluster"/>):
/// the migrated database, the fixture objects and the gateway, on a server the class may stop and restart without
/// disturbing the server every other test shares. Where the machine has no PostgreSQL server binaries, nothing starts
/// and <see cref="Missing"/> is the tests' reason to skip (the test command installs them; CI has them).
/// </summary>
public sealed class PrivateClusterFixture : ApiFixture, IAsyncLifetime
{
    private static readonly string? Binaries = LocalCluster.FindBinaries();

    private LocalCluster? cluster;

    /// <summary>Why a private cluster cannot be started here, or null when it can.</summary>
    public static string? Missing { get; } = Binaries is null
        ? "No PostgreSQL server binaries (initdb, pg_ctl) in /usr/lib/postgresql/*/bin or on PATH (Debian: apt-get install postgresql; scripts/test.sh does it)"
        : null;

    internal LocalCluster Cluster => cluster ?? throw new InvalidOperationException("not started: " + Missing);

    protected override Task<string?> ServerAsync() => Task.FromResult<string?>(Cluster.ConnectionString);

    public new async Task InitializeAsync()
    {
        if (Binaries is null)
        {
            return;
        }

        cluster = await LocalCluster.CreateAsync(Binaries);
        await base.InitializeAsync();
    }

    public new async Task DisposeAsync()
    {
        if (cluster is null)
        {
            return;
        }

        // A failed test may have left it stopped; the fixture's connections close before the cluster goes.
        await cluster.StartAsync();
        await base.DisposeAsync();
        await cluster.DisposeAsync();
    }
}
