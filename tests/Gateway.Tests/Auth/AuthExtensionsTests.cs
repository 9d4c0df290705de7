using System.Text.Json.Nodes;
using Gateway.Auth;
using Gateway.Configuration;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.Protocols;
using static Gateway.Tests.Auth.TestAuth;

namespace Gateway.Tests.Auth;

/// <summary>The wiring: configuration keys bind to the authenticator the container hands out.</summary>
public sealed class AuthExtensionsTests
{
    [Fact]
    public async Task Configured_roles_role_claim_and_required_claims_reach_the_authenticator()
    {
        using var app = Build(new()
        {
            ["Gateway:Jwt:AllowedRoles:0"] = "editor",
            ["Gateway:Jwt:RoleClaim"] = "$.app.role",
            ["Gateway:Jwt:RequiredClaims:token_use"] = "",
            ["Gateway:Jwt:RequiredClaims:tenant"] = "acme",
        });
        var authenticator = new AuthHarness(app.Services);
        var claims = new JsonObject { ["app"] = new JsonObject { ["role"] = "editor" }, ["tenant"] = "acme" };

        Assert.Equal("editor", AssertOk(await authenticator.BearerAsync(Hs256(claims))).Role);
        claims["app"]!["role"] = "authenticated";
        AssertInvalidToken(await authenticator.BearerAsync(Hs256(claims)), "PGRST303", "JWT role 'authenticated' is not allowed");
    }

    [Fact]
    public async Task Anonymous_access_can_be_switched_off()
    {
        using var app = Build(new() { ["Gateway:AllowAnonymous"] = "false" });

        var result = await new AuthHarness(app.Services).AuthenticateAsync(null);

        AssertError(result, 401, "PGRST302", "Anonymous access is disabled");
    }

    [Fact]
    public async Task The_request_header_is_read_and_checked_against_the_system_clock()
    {
        using var app = Build([]);
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var claims = AccessClaims();
        (claims["iat"], claims["nbf"], claims["exp"]) = (now, now, now + 60);
        var result = await new AuthHarness(app.Services).BearerAsync(Hs256(claims));

        Assert.Equal("authenticated", AssertOk(result).Role);
    }

    [Fact]
    public async Task A_registered_document_retriever_serves_the_jwks()
    {
        using var key = TestKey.Rsa("k1");
        var documents = new StubDocuments { ["https://keys.example/jwks.json"] = TestKey.Jwks(key) };
        using var app = Build(
            new() { ["Gateway:Jwt:Secret"] = null, ["Gateway:Jwt:JwksUrl"] = "https://keys.example/jwks.json" },
            services => services.AddSingleton<IDocumentRetriever>(documents));
        var claims = AccessClaims();
        claims.Remove("exp");
        claims.Remove("nbf");
        claims.Remove("iat");

        AssertOk(await new AuthHarness(app.Services).BearerAsync(Sign(claims, key.Credentials)));
        Assert.Equal(1, documents.Fetches);
    }

    [Fact]
    public void JwtBearer_s_log_line_for_each_refused_token_is_off_unless_configured()
    {
        const string handler = "Microsoft.AspNetCore.Authentication.JwtBearer.JwtBearerHandler";
        using var quiet = Build([]);
        using var configured = Build(new() { ["Logging:LogLevel:Microsoft.AspNetCore.Authentication"] = "Information" });

        Assert.False(quiet.Services.GetRequiredService<ILoggerFactory>().CreateLogger(handler).IsEnabled(LogLevel.Information));
        Assert.True(quiet.Services.GetRequiredService<ILoggerFactory>().CreateLogger(handler).IsEnabled(LogLevel.Warning));
        Assert.True(configured.Services.GetRequiredService<ILoggerFactory>().CreateLogger(handler).IsEnabled(LogLevel.Information));
    }

    private static WebApplication Build(Dictionary<string, string?> settings, Action<IServiceCollection>? services = null)
    {
        var builder = WebApplication.CreateBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Gateway"] = "Host=db",
            ["Gateway:Jwt:Secret"] = Secret,
        });
        builder.Configuration.AddInMemoryCollection(settings);
        services?.Invoke(builder.Services);
        builder.AddGatewayOptions();
        builder.AddGatewayAuth();
        return builder.Build();
    }
}
