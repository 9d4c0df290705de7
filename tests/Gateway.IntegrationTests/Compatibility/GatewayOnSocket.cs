using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using Gateway.IntegrationTests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.IntegrationTests.Compatibility;

/// <summary>
/// The Api fixture (a migrated database plus <c>Api/fixture.sql</c> and <c>Api/embedding-fixture.sql</c>) served by
/// the real gateway on a real socket of 127.0.0.1, so that another process (Node) can reach it, and two accounts signed
/// up through the gateway itself, whose access tokens are the ones the SQL auth functions mint. Use as an xUnit class fixture.
/// </summary>
public sealed class GatewayOnSocket : MigratedDatabase, IAsyncLifetime
{
    private SocketGatewayFactory? factory;

    /// <summary>Where the gateway listens, e.g. <c>http://127.0.0.1:41234</c>.</summary>
    public Uri Address { get; private set; } = new("http://127.0.0.1");

    /// <summary>Whether the server has PostGIS, so <c>Api/postgis-fixture.sql</c> is served too.</summary>
    public bool HasPostgis { get; private set; }

    /// <summary>An access token of a signed-in account.</summary>
    public string AccessToken { get; private set; } = "";

    /// <summary>An access token of another signed-in account.</summary>
    public string OtherAccessToken { get; private set; } = "";

    public new async Task InitializeAsync()
    {
        await base.InitializeAsync();
        await using (var admin = await OpenAdminAsync())
        {
            await ApiFixture.ApplyFixtureSqlAsync(admin);
            HasPostgis = await ApiFixture.TryApplyPostgisFixtureAsync(admin);
            // With statistics the planner's estimate for the whole view is its row count, so count=planned is checkable.
            await admin.ExecuteAsync("analyze demo.fixture_item");
        }

        factory = new SocketGatewayFactory(this);
        factory.UseKestrel(options => options.Listen(IPAddress.Loopback, 0));
        factory.StartServer();
        var addresses = factory.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>();
        Address = new Uri(addresses.Addresses.Single());

        using var client = new HttpClient { BaseAddress = Address };
        await ApiFixture.WaitUntilReadyAsync(client);
        AccessToken = await SignUpAsync(client);
        OtherAccessToken = await SignUpAsync(client);
    }

    public new async Task DisposeAsync()
    {
        if (factory is not null)
        {
            await factory.DisposeAsync();
        }

        await base.DisposeAsync();
    }

    /// <summary>Signs up a new account as anon through <c>POST /rpc/signup</c> and returns its access token.</summary>
    private static async Task<string> SignUpAsync(HttpClient client)
    {
        using var response = await client.PostAsJsonAsync(
            "/rpc/signup", new { email = $"postgrest-js-{Guid.NewGuid():N}@example.com", password = "correct horse battery staple" });
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"POST /rpc/signup answered {(int)response.StatusCode}: {body}");
        using var tokens = JsonDocument.Parse(body);
        return tokens.RootElement.GetProperty("access_token").GetString()
            ?? throw new InvalidOperationException($"POST /rpc/signup returned no access token: {body}");
    }

    private sealed class SocketGatewayFactory(MigratedDatabase database) : WebApplicationFactory<Program>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseSetting("ConnectionStrings:Gateway", database.AuthenticatorConnectionString);
            builder.UseSetting("Gateway:Jwt:Secret", database.JwtSecret);
            // So that the suite can show what a client gets from count() and sum(), and from .explain() (both off by
            // default, as in PostgREST).
            builder.UseSetting("Gateway:AggregatesEnabled", "true");
            builder.UseSetting("Gateway:PlanEnabled", "true");
        }
    }
}
