using Gateway.Testing;

namespace Gateway.IntegrationTests.Infrastructure;

/// <summary>
/// The real gateway, in memory, logged in to a migrated test database as <c>authenticator</c>: the testing kit's
/// factory over the fixture's database. The tests wait for readiness themselves (some test the time before it).
/// </summary>
public sealed class GatewayFactory(MigratedDatabase database) : GatewayApplicationFactory(database.TestDatabase)
{
    protected override bool WaitsForCatalog => false;
}
