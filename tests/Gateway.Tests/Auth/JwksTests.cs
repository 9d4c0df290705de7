using System.Text.Json.Nodes;
using Gateway.Auth;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;
using static Gateway.Tests.Auth.TestAuth;

namespace Gateway.Tests.Auth;

/// <summary>Asymmetric keys from a JWKS URL or an OpenID authority, served from memory.</summary>
public sealed class JwksTests : IDisposable
{
    private const string JwksUrl = "https://keys.example/jwks.json";
    private const string Authority = "https://issuer.example/tenant";

    private readonly TestKey _rsa = TestKey.Rsa("k1");
    private readonly TestKey _ec = TestKey.EcP256("k2");
    private readonly StubDocuments _documents = new();

    public void Dispose()
    {
        _rsa.Dispose();
        _ec.Dispose();
    }

    [Fact]
    public async Task An_rs256_token_whose_kid_is_in_the_set_is_accepted()
    {
        _documents[JwksUrl] = TestKey.Jwks(_rsa, _ec);

        var context = AssertOk(await JwksOnly().BearerAsync(Sign(AccessClaims(), _rsa.Credentials)));

        Assert.Equal("authenticated", context.Role);
    }

    [Fact]
    public async Task An_es256_token_is_accepted()
    {
        _documents[JwksUrl] = TestKey.Jwks(_rsa, _ec);

        AssertOk(await JwksOnly().BearerAsync(Sign(AccessClaims(), _ec.Credentials)));
    }

    [Theory]
    [InlineData(SecurityAlgorithms.RsaSha512)]
    [InlineData(SecurityAlgorithms.RsaSsaPssSha256)]
    public async Task Other_rsa_algorithms_of_the_allowed_list_are_accepted(string algorithm)
    {
        using var key = TestKey.Rsa("k3", algorithm);
        _documents[JwksUrl] = TestKey.Jwks(key);

        AssertOk(await JwksOnly().BearerAsync(Sign(AccessClaims(), key.Credentials)));
    }

    [Fact]
    public async Task A_token_without_kid_is_tried_against_every_key()
    {
        _documents[JwksUrl] = TestKey.Jwks(_ec, _rsa);
        var credentials = new SigningCredentials(new RsaSecurityKey(((RsaSecurityKey)_rsa.Credentials.Key).Rsa), SecurityAlgorithms.RsaSha256);

        AssertOk(await JwksOnly().BearerAsync(Sign(AccessClaims(), credentials)));
    }

    [Fact]
    public async Task A_token_signed_by_another_key_with_a_known_kid_is_refused()
    {
        _documents[JwksUrl] = TestKey.Jwks(_rsa);
        using var impostor = TestKey.Rsa("k1");

        AssertInvalidToken(await JwksOnly().BearerAsync(Sign(AccessClaims(), impostor.Credentials)), "PGRST301", "No suitable key or wrong key type");
    }

    [Fact]
    public async Task An_unknown_kid_refreshes_the_set_and_succeeds_once_the_issuer_has_rotated()
    {
        _documents[JwksUrl] = TestKey.Jwks(_rsa);
        var authenticator = JwksOnly();
        AssertOk(await authenticator.BearerAsync(Sign(AccessClaims(), _rsa.Credentials)));
        Assert.Equal(1, _documents.Fetches);
        using var rotated = TestKey.Rsa("k-new");
        _documents[JwksUrl] = TestKey.Jwks(_rsa, rotated);
        var token = Sign(AccessClaims(), rotated.Credentials);

        // The manager refreshes in the background: this request or one of the next ones sees the new key.
        var result = await authenticator.RequestAsync("Bearer " + token);
        for (var attempt = 0; !result.IsOk && attempt < 200; attempt++)
        {
            await Task.Delay(50);
            result = await authenticator.RequestAsync("Bearer " + token);
        }

        AssertOk(result);
        Assert.Equal(2, _documents.Fetches);
    }

    [Fact]
    public async Task An_unknown_kid_reaches_jwtbearer_as_a_missing_signing_key_so_it_asks_for_fresh_keys_too()
    {
        _documents[JwksUrl] = TestKey.Jwks(_rsa);
        var harness = JwksOnly();
        var bearer = harness.Services.GetRequiredService<IOptionsMonitor<JwtBearerOptions>>().Get(Authenticator.Scheme);
        var parameters = bearer.TokenValidationParameters.Clone();
        parameters.ConfigurationManager = (BaseConfigurationManager)bearer.ConfigurationManager!;
        using var unknown = TestKey.Rsa("k-unknown");
        using var impostor = TestKey.Rsa("k1");
        var tokens = harness.Services.GetRequiredService<GatewayTokenHandler>();

        var unknownKid = await tokens.ValidateTokenAsync(Sign(AccessClaims(), unknown.Credentials), parameters);
        var knownKid = await tokens.ValidateTokenAsync(Sign(AccessClaims(), impostor.Credentials), parameters);

        Assert.True(bearer.RefreshOnIssuerKeyNotFound);
        var missing = Assert.IsType<SecurityTokenSignatureKeyNotFoundException>(unknownKid.Exception);
        Assert.Same(AuthErrors.SignatureInvalid, TokenRefusedException.ErrorOf(missing));
        Assert.Same(AuthErrors.SignatureInvalid, Assert.IsType<TokenRefusedException>(knownKid.Exception).Error);
    }

    [Fact]
    public async Task An_unknown_kid_refreshes_at_most_once_per_minimum_interval()
    {
        _documents[JwksUrl] = TestKey.Jwks(_rsa);
        var authenticator = JwksOnly();
        AssertOk(await authenticator.BearerAsync(Sign(AccessClaims(), _rsa.Credentials)));
        using var unknown = TestKey.Rsa("k-unknown");
        var token = Sign(AccessClaims(), unknown.Credentials);

        for (var i = 0; i < 20; i++)
        {
            AssertInvalidToken(await authenticator.BearerAsync(token), "PGRST301", "No suitable key or wrong key type");
        }

        Assert.InRange(_documents.Fetches, 1, 2);
    }

    [Fact]
    public async Task An_hs256_token_is_refused_when_only_a_jwks_is_configured()
    {
        _documents[JwksUrl] = TestKey.Jwks(_rsa);

        AssertInvalidToken(await JwksOnly().BearerAsync(Hs256(AccessClaims())), "PGRST301", "No suitable key or wrong key type");
    }

    [Fact]
    public async Task A_symmetric_key_in_the_set_is_never_used()
    {
        var octet = new JsonObject { ["kty"] = "oct", ["kid"] = "shared", ["k"] = Base64Url(Secret) };
        _documents[JwksUrl] = $"{{\"keys\":[{octet.ToJsonString()}]}}";
        var credentials = new SigningCredentials(
            new SymmetricSecurityKey(System.Text.Encoding.UTF8.GetBytes(Secret)) { KeyId = "shared" }, SecurityAlgorithms.HmacSha256);

        AssertInvalidToken(await JwksOnly().BearerAsync(Sign(AccessClaims(), credentials)), "PGRST301", "No suitable key or wrong key type");
    }

    [Fact]
    public async Task With_both_a_secret_and_a_jwks_each_verifies_its_own_tokens()
    {
        _documents[JwksUrl] = TestKey.Jwks(_rsa);
        var authenticator = Create(options => options.Jwt.JwksUrl = JwksUrl, _documents);

        AssertOk(await authenticator.BearerAsync(Hs256(AccessClaims())));
        AssertOk(await authenticator.BearerAsync(Sign(AccessClaims(), _rsa.Credentials)));
    }

    [Fact]
    public async Task Keys_that_cannot_be_fetched_give_500_pgrst300()
    {
        var result = await JwksOnly().BearerAsync(Sign(AccessClaims(), _rsa.Credentials));

        var error = AssertError(result, 500, "PGRST300", "Server lacks JWT secret");
        Assert.DoesNotContain("keys.example", error.Details, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_authority_provides_keys_through_its_discovery_document_and_its_issuer_is_required()
    {
        ServeAuthority(issuer: Authority + "/");
        var authenticator = Create(options => (options.Jwt.Secret, options.Jwt.Authority) = (null, Authority), _documents);
        var claims = AccessClaims();

        claims["iss"] = Authority + "/";
        AssertOk(await authenticator.BearerAsync(Sign(claims, _rsa.Credentials)));
        claims["iss"] = "https://evil.example/";
        AssertInvalidToken(await authenticator.BearerAsync(Sign(claims, _rsa.Credentials)), "PGRST303", "JWT issuer is not trusted");
    }

    [Fact]
    public async Task Claim_rules_apply_to_jwks_tokens_too()
    {
        _documents[JwksUrl] = TestKey.Jwks(_rsa);
        var authenticator = JwksOnly();
        var claims = AccessClaims();

        claims["role"] = "postgres";
        AssertInvalidToken(await authenticator.BearerAsync(Sign(claims, _rsa.Credentials)), "PGRST303", "JWT role 'postgres' is not allowed");
        claims["role"] = "authenticated";
        claims["exp"] = NowSeconds - 60;
        AssertInvalidToken(await authenticator.BearerAsync(Sign(claims, _rsa.Credentials)), "PGRST303", "JWT expired");
    }

    private AuthHarness JwksOnly() => Create(options => (options.Jwt.Secret, options.Jwt.JwksUrl) = (null, JwksUrl), _documents);

    private void ServeAuthority(string issuer)
    {
        var discovery = new JsonObject { ["issuer"] = issuer, ["jwks_uri"] = "https://issuer.example/tenant/keys" };
        _documents[Authority + "/.well-known/openid-configuration"] = discovery.ToJsonString();
        _documents["https://issuer.example/tenant/keys"] = TestKey.Jwks(_rsa);
    }
}
