using System.Text;
using Gateway.IntegrationTests.Auth;
using Gateway.IntegrationTests.Infrastructure;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using static Gateway.IntegrationTests.Api.RpcHttp;

namespace Gateway.IntegrationTests.Api;

/// <summary>
/// JWTs over HTTP (contract §3): only <c>Authorization: Bearer</c> (any case) carries a token; a token must verify
/// with the HS256 secret, pass the time checks with 30 s leeway, and name an allowed role, or the request is 401
/// PGRST301/PGRST303 with <c>WWW-Authenticate: Bearer error="invalid_token"</c> before any SQL runs.
/// </summary>
public sealed class AuthHttpTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    [Fact]
    public async Task No_token_runs_as_anon()
    {
        using var response = await api.Anon().GetAsync("/rpc/whoami");

        var me = await AssertJsonAsync(response);
        Assert.Equal("anon", (string?)me!["role"]);
    }

    [Fact]
    public async Task Lower_case_bearer_scheme_is_accepted()
    {
        using var client = api.Anon().WithAuthorization("bearer " + api.Token(7));
        using var response = await client.GetAsync("/rpc/whoami");

        var me = await AssertJsonAsync(response);
        Assert.Equal("authenticated", (string?)me!["role"]);
        Assert.Equal("7", (string?)me["claims"]!["sub"]);
    }

    [Fact]
    public async Task Basic_scheme_counts_as_no_token_and_runs_as_anon()
    {
        using var client = api.Anon().WithAuthorization("Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("user:password")));
        using var response = await client.GetAsync("/rpc/whoami");

        var me = await AssertJsonAsync(response);
        Assert.Equal("anon", (string?)me!["role"]);
    }

    [Fact]
    public async Task Token_without_role_claim_runs_as_anon_with_its_claims()
    {
        var token = Jwt.Mint(api.JwtSecret, Claims(sub: "9", role: null));
        using var client = api.Anon().WithBearer(token);
        using var response = await client.GetAsync("/rpc/whoami");

        var me = await AssertJsonAsync(response);
        Assert.Equal("anon", (string?)me!["role"]);
        Assert.Equal("9", (string?)me["claims"]!["sub"]);
        Assert.Equal("anon", (string?)me["claims"]!["role"]);
    }

    [Fact]
    public async Task Empty_bearer_token_returns_401_PGRST301_with_an_invalid_token_challenge()
    {
        using var client = api.Anon().WithAuthorization("Bearer ");
        using var response = await client.GetAsync("/rpc/whoami");

        var error = await AssertErrorAsync(response, 401, "PGRST301");
        Assert.Equal("Empty JWT is sent in Authorization header", error.Message);
        Assert.Equal(
            "Bearer error=\"invalid_token\", error_description=\"Empty JWT is sent in Authorization header\"",
            Header(response, "WWW-Authenticate"));
    }

    [Fact]
    public async Task Token_signed_with_another_secret_returns_401_PGRST301()
    {
        var token = Jwt.Mint(Jwt.OtherSecret(), Claims(sub: "1"));
        using var client = api.Anon().WithBearer(token);
        using var response = await client.GetAsync("/rpc/whoami");

        var error = await AssertErrorAsync(response, 401, "PGRST301");
        Assert.Equal(
            $"Bearer error=\"invalid_token\", error_description=\"{error.Message}\"",
            Header(response, "WWW-Authenticate"));
    }

    [Fact]
    public async Task Token_with_edited_claims_and_the_old_signature_returns_401_PGRST301()
    {
        var token = Jwt.WithEditedPayload(api.Token(1), claims => claims["sub"] = "2");
        using var client = api.Anon().WithBearer(token);
        using var response = await client.GetAsync("/rpc/whoami");

        await AssertErrorAsync(response, 401, "PGRST301");
    }

    [Fact]
    public async Task Token_without_three_parts_returns_401_PGRST301()
    {
        using var client = api.Anon().WithAuthorization("Bearer abc.def");
        using var response = await client.GetAsync("/rpc/whoami");

        var error = await AssertErrorAsync(response, 401, "PGRST301");
        Assert.Equal("Expected 3 parts in JWT; got 2", error.Message);
    }

    [Fact]
    public async Task Unsigned_alg_none_token_returns_401_PGRST301()
    {
        var token = Jwt.Unsigned(Claims(sub: "1"));
        using var client = api.Anon().WithBearer(token);
        using var response = await client.GetAsync("/rpc/whoami");

        var error = await AssertErrorAsync(response, 401, "PGRST301");
        Assert.Equal("Wrong or unsupported encoding algorithm", error.Message);
    }

    [Fact]
    public async Task Hs512_token_signed_with_the_secret_returns_401_PGRST301_because_the_secret_is_pinned_to_hs256()
    {
        var token = new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(new SecurityTokenDescriptor
        {
            Claims = Claims(sub: "1"),
            SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(Encoding.UTF8.GetBytes(api.JwtSecret)), SecurityAlgorithms.HmacSha512),
        });
        using var client = api.Anon().WithBearer(token);
        using var response = await client.GetAsync("/rpc/whoami");

        await AssertErrorAsync(response, 401, "PGRST301");
    }

    [Fact]
    public async Task Token_expired_beyond_the_30_second_leeway_returns_401_PGRST303_jwt_expired()
    {
        var token = Jwt.Mint(api.JwtSecret, Claims(sub: "1", exp: Now() - 60));
        using var client = api.Anon().WithBearer(token);
        using var response = await client.GetAsync("/rpc/whoami");

        var error = await AssertErrorAsync(response, 401, "PGRST303");
        Assert.Equal("JWT expired", error.Message);
        Assert.Equal("Bearer error=\"invalid_token\", error_description=\"JWT expired\"", Header(response, "WWW-Authenticate"));
    }

    [Fact]
    public async Task Token_expired_within_the_30_second_leeway_is_accepted()
    {
        var token = Jwt.Mint(api.JwtSecret, Claims(sub: "1", exp: Now() - 10));
        using var client = api.Anon().WithBearer(token);
        using var response = await client.GetAsync("/rpc/whoami");

        var me = await AssertJsonAsync(response);
        Assert.Equal("authenticated", (string?)me!["role"]);
    }

    [Fact]
    public async Task Token_not_yet_valid_beyond_the_leeway_returns_401_PGRST303()
    {
        var claims = Claims(sub: "1");
        claims["nbf"] = Now() + 120;
        var token = Jwt.Mint(api.JwtSecret, claims);
        using var client = api.Anon().WithBearer(token);
        using var response = await client.GetAsync("/rpc/whoami");

        var error = await AssertErrorAsync(response, 401, "PGRST303");
        Assert.Equal("JWT not yet valid", error.Message);
    }

    [Theory]
    [InlineData("postgres")]
    [InlineData("authenticator")]
    [InlineData("worker_service_user")]
    [InlineData("gateway_owner")]
    [InlineData("pg_write_all_data")]
    [InlineData("no_such_role")]
    public async Task Token_naming_a_role_outside_the_allow_list_returns_401_before_any_sql_runs(string role)
    {
        var before = await api.CounterAsync();
        var token = Jwt.Mint(api.JwtSecret, Claims(sub: "1", role: role));
        using var client = api.Anon().WithBearer(token);

        using var response = await client.PostJsonAsync("/rpc/bump", "{}");

        await AssertErrorAsync(response, 401, "PGRST303");
        Assert.StartsWith("Bearer error=\"invalid_token\"", Header(response, "WWW-Authenticate"), StringComparison.Ordinal);
        Assert.Equal(before, await api.CounterAsync());
    }

    [Fact]
    public async Task Refresh_token_from_signup_used_as_bearer_returns_401()
    {
        var pair = await SignUpAsync(AuthApi.NewEmail());
        using var client = api.Anon().WithBearer(pair.RefreshToken);

        using var response = await client.GetAsync("/hello_secure");

        await AssertErrorAsync(response, 401, "PGRST303");
        Assert.StartsWith("Bearer error=\"invalid_token\"", Header(response, "WWW-Authenticate"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Refresh_token_from_login_used_as_bearer_returns_401_and_writes_nothing()
    {
        var email = AuthApi.NewEmail();
        await SignUpAsync(email);
        using var login = await api.Anon().PostJsonAsync("/rpc/login", $$"""{"identifier": "{{email}}", "password": "{{AuthApi.Password}}"}""");
        var pair = TokenPair.Parse((await AssertJsonAsync(login))!.ToJsonString());
        var before = await api.CounterAsync();
        using var client = api.Anon().WithBearer(pair.RefreshToken);

        using var response = await client.PostJsonAsync("/rpc/bump", "{}");

        await AssertErrorAsync(response, 401, "PGRST303");
        Assert.Equal(before, await api.CounterAsync());
    }

    [Fact]
    public async Task Access_token_from_signup_reads_hello_secure()
    {
        var pair = await SignUpAsync(AuthApi.NewEmail());
        using var client = api.Anon().WithBearer(pair.AccessToken);

        using var response = await client.GetAsync("/hello_secure");

        await AssertJsonEqualAsync(response, """[{"message": "Hello, Authenticated!"}]""");
    }

    [Fact]
    public async Task Access_token_from_login_calls_me_as_the_signed_in_account()
    {
        var email = AuthApi.NewEmail();
        await SignUpAsync(email);
        using var login = await api.Anon().PostJsonAsync("/rpc/login", $$"""{"identifier": "{{email}}", "password": "{{AuthApi.Password}}"}""");
        var pair = TokenPair.Parse((await AssertJsonAsync(login))!.ToJsonString());
        using var client = api.Anon().WithBearer(pair.AccessToken);

        using var response = await client.GetAsync("/rpc/me");

        var me = await AssertJsonAsync(response);
        Assert.Equal(email, (string?)me!["email"]);
    }

    [Fact]
    public async Task Anon_reading_hello_secure_returns_401_with_a_bearer_challenge()
    {
        using var response = await api.Anon().GetAsync("/hello_secure");

        var error = await AssertErrorAsync(response, 401, "42501");
        Assert.Equal("permission denied for view hello_secure", error.Message);
        Assert.Equal("Bearer", Header(response, "WWW-Authenticate"));
    }

    private async Task<TokenPair> SignUpAsync(string email)
    {
        using var response = await api.Anon().PostJsonAsync("/rpc/signup", $$"""{"email": "{{email}}", "password": "{{AuthApi.Password}}"}""");
        return TokenPair.Parse((await AssertJsonAsync(response))!.ToJsonString());
    }

    private static long Now() => DateTimeOffset.UtcNow.ToUnixTimeSeconds();

    /// <summary>Access-token claims as the SQL auth functions mint them; <paramref name="role"/> null leaves the claim out.</summary>
    private static Dictionary<string, object> Claims(string sub, string? role = "authenticated", long? exp = null)
    {
        var now = Now();
        var claims = new Dictionary<string, object>
        {
            ["sub"] = sub,
            ["token_use"] = "access",
            ["iat"] = now - 120,
            ["exp"] = exp ?? now + 3600,
        };
        if (role is not null)
        {
            claims["role"] = role;
        }

        return claims;
    }
}
