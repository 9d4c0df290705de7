using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Gateway.IntegrationTests.Infrastructure;

/// <summary>The real gateway, in memory, logged in to a migrated test database as <c>authenticator</c>.</summary>
public sealed class GatewayFactory(MigratedDatabase database) : WebApplicationFactory<Program>
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("ConnectionStrings:Gateway", database.AuthenticatorConnectionString);
        builder.UseSetting("Gateway:Jwt:Secret", database.JwtSecret);
    }
}
