using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.IdentityModel.Tokens;
using static Gateway.Tests.Auth.TestAuth;

namespace Gateway.Tests.Auth;

public sealed class AuthenticatorTests
{
    private readonly AuthHarness _authenticator = Create();

    [Fact]
    public async Task A_valid_hs256_token_runs_as_its_role_with_its_claims()
    {
        var claims = AccessClaims();
        claims["app"] = new JsonObject { ["tenant"] = new JsonObject { ["id"] = 7 }, ["tags"] = new JsonArray("a", "b") };

        var context = AssertOk(await _authenticator.BearerAsync(Hs256(claims)));

        Assert.Equal("authenticated", context.Role);
        Assert.False(context.IsAnonymous);
        using var json = JsonDocument.Parse(context.ClaimsJson);
        Assert.Equal("authenticated", json.RootElement.GetProperty("role").GetString());
        Assert.Equal("42", json.RootElement.GetProperty("sub").GetString());
        Assert.Equal(7, json.RootElement.GetProperty("app").GetProperty("tenant").GetProperty("id").GetInt32());
        Assert.Equal("b", json.RootElement.GetProperty("app").GetProperty("tags")[1].GetString());
        Assert.Equal(NowSeconds + 3600, json.RootElement.GetProperty("exp").GetInt64());
    }

    [Fact]
    public async Task A_sub_minted_as_a_json_number_stays_a_number()
    {
        var claims = AccessClaims();
        claims["sub"] = 42;

        var context = AssertOk(await _authenticator.BearerAsync(Hs256(claims)));

        using var json = JsonDocument.Parse(context.ClaimsJson);
        Assert.Equal(JsonValueKind.Number, json.RootElement.GetProperty("sub").ValueKind);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("Basic dXNlcjpwYXNz")]
    [InlineData("Bearerish abc.def.ghi")]
    public async Task No_bearer_token_runs_as_anon(string? authorization)
    {
        var context = AssertOk(await _authenticator.AuthenticateAsync(authorization));

        Assert.Equal(("anon", "{\"role\":\"anon\"}", true), (context.Role, context.ClaimsJson, context.IsAnonymous));
    }

    [Theory]
    [InlineData("bearer ")]
    [InlineData("BEARER ")]
    [InlineData("Bearer")]
    public async Task The_scheme_is_case_insensitive(string scheme)
    {
        var context = AssertOk(await _authenticator.AuthenticateAsync(scheme + " " + Hs256(AccessClaims())));

        Assert.Equal("authenticated", context.Role);
    }

    [Theory]
    [InlineData("Bearer ")]
    [InlineData("Bearer    ")]
    [InlineData("Bearer")]
    public async Task Bearer_without_a_token_is_401_pgrst301(string authorization)
    {
        AssertInvalidToken(await _authenticator.AuthenticateAsync(authorization), "PGRST301", "Empty JWT is sent in Authorization header");
    }

    [Theory]
    [InlineData("abc", 1)]
    [InlineData("abc.def", 2)]
    [InlineData("a.b.c.d.e", 5)]
    public async Task A_token_without_three_parts_is_401_pgrst301(string token, int parts)
    {
        AssertInvalidToken(await _authenticator.BearerAsync(token), "PGRST301", $"Expected 3 parts in JWT; got {parts}");
    }

    [Fact]
    public async Task A_token_that_is_not_base64url_json_is_401_pgrst301()
    {
        AssertInvalidToken(await _authenticator.BearerAsync("not!.json!.here"), "PGRST301", "JWT cryptographic operation failed");
    }

    [Fact]
    public async Task A_token_with_a_tampered_payload_is_refused()
    {
        var token = Hs256(AccessClaims()).Split('.');
        var forged = AccessClaims();
        forged["role"] = "admin";

        var result = await _authenticator.BearerAsync($"{token[0]}.{Base64Url(forged.ToJsonString())}.{token[2]}");

        var error = AssertInvalidToken(result, "PGRST301", "No suitable key or wrong key type");
        Assert.Equal("None of the keys was able to decode the JWT", error.Details);
    }

    [Fact]
    public async Task A_token_signed_with_another_secret_is_refused()
    {
        var token = Hs256(AccessClaims(), secret: "another-secret-that-is-also-long-enough-0123456789");

        AssertInvalidToken(await _authenticator.BearerAsync(token), "PGRST301", "No suitable key or wrong key type");
    }

    [Theory]
    [InlineData("none")]
    [InlineData("None")]
    public async Task An_unsigned_token_is_refused(string algorithm)
    {
        var token = $"{Base64Url($"{{\"alg\":\"{algorithm}\",\"typ\":\"JWT\"}}")}.{Base64Url(AccessClaims().ToJsonString())}.";

        var error = AssertInvalidToken(await _authenticator.BearerAsync(token), "PGRST301", "Wrong or unsupported encoding algorithm");
        Assert.Equal("JWT is unsecured but expected 'alg' was not 'none'", error.Details);
    }

    [Theory]
    [InlineData(SecurityAlgorithms.HmacSha384)]
    [InlineData(SecurityAlgorithms.HmacSha512)]
    public async Task Other_hmac_algorithms_are_refused_with_the_hs256_secret(string algorithm)
    {
        var token = Sign(AccessClaims(), Secret, algorithm);

        AssertInvalidToken(await _authenticator.BearerAsync(token), "PGRST301", "No suitable key or wrong key type");
    }

    [Fact]
    public async Task An_rs256_token_is_refused_when_only_the_secret_is_configured()
    {
        using var key = TestKey.Rsa("k1");

        AssertInvalidToken(await _authenticator.BearerAsync(Sign(AccessClaims(), key.Credentials)), "PGRST301", "No suitable key or wrong key type");
    }

    [Fact]
    public async Task An_unknown_algorithm_is_refused()
    {
        var token = $"{Base64Url("{\"alg\":\"XY999\"}")}.{Base64Url(AccessClaims().ToJsonString())}.c2ln";

        AssertInvalidToken(await _authenticator.BearerAsync(token), "PGRST301", "Wrong or unsupported encoding algorithm");
    }

    [Fact]
    public async Task A_token_expired_beyond_the_30_second_leeway_is_401_pgrst303()
    {
        var claims = AccessClaims();
        claims["exp"] = NowSeconds - 31;

        AssertInvalidToken(await _authenticator.BearerAsync(Hs256(claims)), "PGRST303", "JWT expired");
    }

    [Fact]
    public async Task A_token_expired_29_seconds_ago_is_still_accepted()
    {
        var claims = AccessClaims();
        claims["exp"] = NowSeconds - 29;

        AssertOk(await _authenticator.BearerAsync(Hs256(claims)));
    }

    [Fact]
    public async Task A_token_not_valid_before_a_future_time_is_401_pgrst303()
    {
        var claims = AccessClaims();
        claims["nbf"] = NowSeconds + 31;

        AssertInvalidToken(await _authenticator.BearerAsync(Hs256(claims)), "PGRST303", "JWT not yet valid");
    }

    [Fact]
    public async Task A_token_issued_in_the_future_is_401_pgrst303()
    {
        var claims = AccessClaims();
        claims["iat"] = NowSeconds + 31;

        AssertInvalidToken(await _authenticator.BearerAsync(Hs256(claims)), "PGRST303", "JWT issued at future");
    }

    [Fact]
    public async Task A_time_claim_that_is_not_a_number_is_401_pgrst303()
    {
        var claims = AccessClaims();
        claims["exp"] = (NowSeconds + 3600).ToString(System.Globalization.CultureInfo.InvariantCulture);

        AssertInvalidToken(await _authenticator.BearerAsync(Hs256(claims)), "PGRST303", "The JWT 'exp' claim must be a number");
    }

    [Fact]
    public async Task A_token_without_exp_is_accepted_as_in_postgrest()
    {
        var claims = AccessClaims();
        claims.Remove("exp");

        AssertOk(await _authenticator.BearerAsync(Hs256(claims)));
    }

    [Fact]
    public async Task A_cached_token_is_still_checked_against_the_clock()
    {
        var clock = new TestClock(Now);
        var authenticator = Create(clock: clock);
        var token = Hs256(AccessClaims());
        AssertOk(await authenticator.BearerAsync(token));
        AssertOk(await authenticator.BearerAsync(token));

        clock.Now = Now.AddSeconds(3600 + 31);

        AssertInvalidToken(await authenticator.BearerAsync(token), "PGRST303", "JWT expired");
    }

    [Fact]
    public async Task A_cached_token_gives_the_same_context_without_reverifying()
    {
        var token = Hs256(AccessClaims());

        var first = AssertOk(await _authenticator.BearerAsync(token));
        var second = _authenticator.Authenticator.AuthenticateAsync("Bearer " + token, CancellationToken.None);

        Assert.True(second.IsCompletedSuccessfully);
        Assert.Same(first, (await second).Value);
    }

    [Fact]
    public async Task The_audience_must_match_when_configured()
    {
        var authenticator = Create(options => options.Jwt.Audience = "gateway");
        var claims = AccessClaims();
        claims["aud"] = "another-api";

        AssertInvalidToken(await authenticator.BearerAsync(Hs256(claims)), "PGRST303", "JWT not in audience");
    }

    [Theory]
    [InlineData("\"gateway\"")]
    [InlineData("[\"other\",\"gateway\"]")]
    [InlineData("[]")]
    [InlineData("null")]
    public async Task A_matching_missing_or_empty_audience_is_accepted(string audience)
    {
        var authenticator = Create(options => options.Jwt.Audience = "gateway");
        var claims = AccessClaims();
        claims["aud"] = JsonNode.Parse(audience);

        AssertOk(await authenticator.BearerAsync(Hs256(claims)));
    }

    [Fact]
    public async Task Claims_the_token_library_cannot_read_are_refused_as_undecodable()
    {
        // PostgREST says PGRST303 "The JWT 'aud' claim must be ..."; IdentityModel refuses to read such a token at all.
        var claims = AccessClaims();
        claims["aud"] = 5;

        AssertInvalidToken(await _authenticator.BearerAsync(Hs256(claims)), "PGRST301", "JWT cryptographic operation failed");
    }

    [Fact]
    public async Task A_token_without_a_role_claim_runs_as_anon_with_its_claims()
    {
        var claims = AccessClaims();
        claims.Remove("role");

        var context = AssertOk(await _authenticator.BearerAsync(Hs256(claims)));

        Assert.Equal(("anon", true), (context.Role, context.IsAnonymous));
        using var json = JsonDocument.Parse(context.ClaimsJson);
        Assert.Equal("anon", json.RootElement.GetProperty("role").GetString());
        Assert.Equal("42", json.RootElement.GetProperty("sub").GetString());
    }

    [Theory]
    [InlineData("postgres")]
    [InlineData("authenticator")]
    [InlineData("worker_service_user")]
    [InlineData("gateway_owner")]
    [InlineData("anon")]
    public async Task A_role_outside_the_allow_list_is_refused_before_any_sql(string role)
    {
        var claims = AccessClaims();
        claims["role"] = role;

        AssertInvalidToken(await _authenticator.BearerAsync(Hs256(claims)), "PGRST303", $"JWT role '{role}' is not allowed");
    }

    [Fact]
    public async Task A_role_that_is_not_a_string_is_refused()
    {
        var claims = AccessClaims();
        claims["role"] = new JsonArray("authenticated");

        AssertInvalidToken(await _authenticator.BearerAsync(Hs256(claims)), "PGRST303", "JWT role '[\"authenticated\"]' is not allowed");
    }

    [Fact]
    public async Task A_role_cannot_inject_into_the_challenge_header()
    {
        var claims = AccessClaims();
        claims["role"] = "x\"\r\nSet-Cookie: a=b";

        var result = await _authenticator.BearerAsync(Hs256(claims));

        var header = AssertError(result, 401, "PGRST303", "JWT role 'x\"\r\nSet-Cookie: a=b' is not allowed").Headers!["WWW-Authenticate"];
        Assert.Equal("Bearer error=\"invalid_token\", error_description=\"JWT role 'x\\\"??Set-Cookie: a=b' is not allowed\"", header);
    }

    [Fact]
    public async Task Configured_roles_replace_the_default_allow_list()
    {
        var authenticator = Create(options => options.Jwt.AllowedRoles = ["editor", "viewer"]);
        var claims = AccessClaims();

        claims["role"] = "viewer";
        AssertOk(await authenticator.BearerAsync(Hs256(claims)));
        claims["role"] = "authenticated";
        AssertInvalidToken(await authenticator.BearerAsync(Hs256(claims)), "PGRST303", "JWT role 'authenticated' is not allowed");
    }

    [Theory]
    [InlineData("app.role")]
    [InlineData(".app.role")]
    [InlineData("$.app.role")]
    [InlineData("$['app']['role']")]
    public async Task The_role_can_come_from_a_nested_claim(string path)
    {
        var authenticator = Create(options => options.Jwt.RoleClaim = path);
        var claims = AccessClaims();
        claims["role"] = "postgres";
        claims["app"] = new JsonObject { ["role"] = "authenticated" };

        var context = AssertOk(await authenticator.BearerAsync(Hs256(claims)));

        Assert.Equal("authenticated", context.Role);
        using var json = JsonDocument.Parse(context.ClaimsJson);
        Assert.Equal("authenticated", json.RootElement.GetProperty("role").GetString());
    }

    [Fact]
    public async Task The_role_can_come_from_an_array_element_under_a_url_named_claim()
    {
        var authenticator = Create(options => options.Jwt.RoleClaim = "$['https://example.com/claims'].roles[1]");
        var claims = AccessClaims();
        claims["https://example.com/claims"] = new JsonObject { ["roles"] = new JsonArray("viewer", "authenticated") };

        Assert.Equal("authenticated", AssertOk(await authenticator.BearerAsync(Hs256(claims))).Role);
    }

    [Fact]
    public async Task A_refresh_token_is_not_a_bearer_token()
    {
        var claims = AccessClaims();
        claims["token_use"] = "refresh";
        claims["exp"] = NowSeconds + 86400;

        AssertInvalidToken(await _authenticator.BearerAsync(Hs256(claims)), "PGRST303", "JWT claim 'token_use' must be 'access'");
    }

    [Fact]
    public async Task A_token_without_token_use_is_refused()
    {
        var claims = AccessClaims();
        claims.Remove("token_use");

        AssertInvalidToken(await _authenticator.BearerAsync(Hs256(claims)), "PGRST303", "JWT lacks the required claim 'token_use'");
    }

    [Fact]
    public async Task An_empty_required_value_drops_the_requirement()
    {
        var authenticator = Create(options => options.Jwt.RequiredClaims["token_use"] = "");
        var claims = AccessClaims();
        claims.Remove("token_use");

        AssertOk(await authenticator.BearerAsync(Hs256(claims)));
    }

    [Fact]
    public async Task Required_claims_can_be_added()
    {
        var authenticator = Create(options => options.Jwt.RequiredClaims["email_verified"] = "true");
        var claims = AccessClaims();

        claims["email_verified"] = false;
        AssertInvalidToken(await authenticator.BearerAsync(Hs256(claims)), "PGRST303", "JWT claim 'email_verified' must be 'true'");
        claims["email_verified"] = true;
        AssertOk(await authenticator.BearerAsync(Hs256(claims)));
    }

    [Fact]
    public async Task Without_anonymous_access_a_request_without_a_token_is_401_pgrst302()
    {
        var authenticator = Create(options => options.AllowAnonymous = false);

        var error = AssertError(await authenticator.AuthenticateAsync(null), 401, "PGRST302", "Anonymous access is disabled");

        Assert.Equal("Bearer", error.Headers?["WWW-Authenticate"]);
    }

    [Fact]
    public async Task Without_anonymous_access_a_token_without_a_role_is_401_pgrst302()
    {
        var authenticator = Create(options => options.AllowAnonymous = false);
        var claims = AccessClaims();
        claims.Remove("role");

        AssertError(await authenticator.BearerAsync(Hs256(claims)), 401, "PGRST302", "Anonymous access is disabled");
    }

    [Fact]
    public async Task Without_anonymous_access_a_valid_token_still_works()
    {
        var authenticator = Create(options => options.AllowAnonymous = false);

        AssertOk(await authenticator.BearerAsync(Hs256(AccessClaims())));
    }

    [Fact]
    public async Task The_anon_role_is_configurable()
    {
        var authenticator = Create(options => options.AnonRole = "web_anon");

        var context = AssertOk(await authenticator.AuthenticateAsync(null));

        Assert.Equal(("web_anon", "{\"role\":\"web_anon\"}"), (context.Role, context.ClaimsJson));
    }

    [Fact]
    public async Task Claims_with_a_duplicate_name_are_refused()
    {
        var payload = AccessClaims().ToJsonString()[..^1] + ",\"role\":\"postgres\"}";

        AssertInvalidToken(await _authenticator.BearerAsync(Hs256Payload(payload)), "PGRST303", "Parsing claims failed");
    }
}
