using System.Globalization;
using System.Text.Json;
using Gateway.IntegrationTests.Infrastructure;
using Microsoft.IdentityModel.Tokens;

namespace Gateway.IntegrationTests.Auth;

/// <summary>The tokens minted in SQL, as any HS256 consumer (the gateway, PostgREST) sees them.</summary>
public sealed class TokenTests(MigratedDatabase database) : IClassFixture<MigratedDatabase>
{
    [Fact]
    public async Task Access_and_refresh_tokens_are_HS256_JWTs_signed_with_the_configured_secret()
    {
        var pair = await AuthApi.SignUpAsync(database, AuthApi.NewEmail());

        foreach (var token in new[] { pair.AccessToken, pair.RefreshToken })
        {
            var result = await Jwt.ValidateAsync(token, database.JwtSecret);

            Assert.True(result.IsValid, result.Exception?.Message);
            Assert.Equal("HS256", Jwt.HeaderOf(token).GetProperty("alg").GetString());
            Assert.Equal("JWT", Jwt.HeaderOf(token).GetProperty("typ").GetString());
        }
    }

    [Fact]
    public async Task A_token_checked_with_another_secret_fails_signature_validation()
    {
        var pair = await AuthApi.SignUpAsync(database, AuthApi.NewEmail());

        var result = await Jwt.ValidateAsync(pair.AccessToken, Jwt.OtherSecret());

        Assert.False(result.IsValid);
        Assert.IsAssignableFrom<SecurityTokenInvalidSignatureException>(result.Exception);
    }

    [Fact]
    public async Task The_access_token_names_the_account_as_a_string_sub_with_role_authenticated_and_lives_one_hour()
    {
        var email = AuthApi.NewEmail();
        var before = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var pair = await AuthApi.SignUpAsync(database, email);
        var after = DateTimeOffset.UtcNow.ToUnixTimeSeconds();

        var claims = Jwt.PayloadOf(pair.AccessToken);

        AssertIdentityClaims(claims, await AuthApi.AccountIdOfAsync(database, email));
        Assert.Equal("access", claims.GetProperty("token_use").GetString());
        AssertLifetime(claims, before, after, seconds: 3600);
    }

    [Fact]
    public async Task The_refresh_token_names_the_same_account_with_token_use_refresh_and_lives_one_day()
    {
        var email = AuthApi.NewEmail();
        var before = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var pair = await AuthApi.SignUpAsync(database, email);
        var after = DateTimeOffset.UtcNow.ToUnixTimeSeconds();

        var claims = Jwt.PayloadOf(pair.RefreshToken);

        AssertIdentityClaims(claims, await AuthApi.AccountIdOfAsync(database, email));
        Assert.Equal("refresh", claims.GetProperty("token_use").GetString());
        AssertLifetime(claims, before, after, seconds: 86400);
    }

    private static void AssertIdentityClaims(JsonElement claims, long accountId)
    {
        // A string, as RFC 7519 says sub is: consumers that read it as a string must not see a number.
        Assert.Equal(JsonValueKind.String, claims.GetProperty("sub").ValueKind);
        Assert.Equal(accountId.ToString(CultureInfo.InvariantCulture), claims.GetProperty("sub").GetString());
        Assert.Equal("authenticated", claims.GetProperty("role").GetString());
    }

    private static void AssertLifetime(JsonElement claims, long before, long after, long seconds)
    {
        var issuedAt = claims.GetProperty("iat").GetInt64();
        Assert.InRange(issuedAt, before, after);
        Assert.Equal(issuedAt, claims.GetProperty("nbf").GetInt64());
        Assert.Equal(issuedAt + seconds, claims.GetProperty("exp").GetInt64());
    }
}
