using System.Net;
using System.Net.Http.Json;

namespace Gateway.Testing.Tests;

/// <summary>
/// The tokens of <see cref="Caller"/> follow the gateway's configuration (audience, role claim path), and a test can
/// still make a token the gateway refuses.
/// </summary>
public sealed class CallerTests
{
    private const string WhoAmI = "create view api.whoami as select current_setting('request.jwt.claims', true)::jsonb as claims;"
        + " grant select on api.whoami to authenticated;";

    [Fact]
    public async Task Tokens_carry_the_configured_audience_and_role_claim_path()
    {
        var options = new GatewayTestOptions { FixtureSql = { WhoAmI } };
        options.Settings["Gateway:Jwt:Audience"] = "notes-app";
        options.Settings["Gateway:Jwt:RoleClaim"] = "app.role";
        await using var api = new GatewayApplicationFactory(options);

        using var response = await api.CreateClient(Caller.Authenticated(sub: "frank")).GetAsync("/whoami");
        var claims = (await response.Content.ReadFromJsonAsync<Row[]>())!.Single().Claims;

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("notes-app", claims.GetProperty("aud").GetString());
        Assert.Equal("authenticated", claims.GetProperty("app").GetProperty("role").GetString());
        Assert.Equal("access", claims.GetProperty("token_use").GetString());
    }

    [Fact]
    public async Task A_caller_may_replace_the_kits_claims_to_make_a_token_the_gateway_refuses()
    {
        await using var api = new GatewayApplicationFactory(new GatewayTestOptions { FixtureSql = { WhoAmI } });
        var expired = Caller.Authenticated(sub: "frank", claims: new Dictionary<string, object>
        {
            ["exp"] = DateTimeOffset.UtcNow.AddHours(-1).ToUnixTimeSeconds(),
        });

        using var response = await api.CreateClient(expired).GetAsync("/whoami");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task ReloadCatalogAsync_waits_until_a_view_made_during_the_test_is_served()
    {
        await using var api = new GatewayApplicationFactory();
        await api.InitializeAsync();
        await api.Database.ExecuteAsync("create view api.made_late as select 1 as one; grant select on api.made_late to anon;");

        await api.ReloadCatalogAsync();
        using var response = await api.CreateClient(Caller.Anonymous).GetAsync("/made_late");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private sealed record Row(System.Text.Json.JsonElement Claims);
}
