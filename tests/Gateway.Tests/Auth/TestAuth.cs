using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Gateway.Auth;
using Gateway.Configuration;
using Gateway.Errors;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Tokens;

namespace Gateway.Tests.Auth;

/// <summary>
/// Builds authenticators with the real registration (JwtBearer and its token handler) and mints real tokens for the
/// Auth tests; the clock is fixed so time checks are exact.
/// </summary>
internal static class TestAuth
{
    public const string Secret = "a-test-secret-that-is-long-enough-for-hs512-too-0123456789abcdef";

    public static readonly DateTimeOffset Now = DateTimeOffset.FromUnixTimeSeconds(1_800_000_000);

    public static long NowSeconds => Now.ToUnixTimeSeconds();

    public static AuthHarness Create(
        Action<GatewayOptions>? configure = null,
        IDocumentRetriever? documents = null,
        TimeProvider? clock = null)
    {
        var options = new GatewayOptions { ConnectionString = "Host=db", Jwt = { Secret = Secret } };
        configure?.Invoke(options);
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().Build());
        services.AddSingleton(Options.Create(options));
        services.AddSingleton(clock ?? new TestClock(Now));
        if (documents is not null)
        {
            services.AddSingleton(documents);
        }

        services.AddGatewayAuth();
        return new AuthHarness(services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true }));
    }

    /// <summary>An access token's claims as the SQL mints them, issued now and valid for an hour.</summary>
    public static JsonObject AccessClaims() => new()
    {
        ["sub"] = "42",
        ["role"] = "authenticated",
        ["token_use"] = "access",
        ["iat"] = NowSeconds,
        ["nbf"] = NowSeconds,
        ["exp"] = NowSeconds + 3600,
    };

    public static string Hs256(JsonObject claims, string secret = Secret) => Sign(claims, secret, SecurityAlgorithms.HmacSha256);

    public static string Sign(JsonObject claims, string secret, string algorithm) =>
        Sign(claims, new SigningCredentials(new SymmetricSecurityKey(Encoding.UTF8.GetBytes(secret)), algorithm));

    public static string Sign(JsonObject claims, SigningCredentials credentials) =>
        new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(claims.ToJsonString(), credentials);

    /// <summary>An HS256 token over exactly this payload text, signed by hand so the payload need not be valid claims.</summary>
    public static string Hs256Payload(string payloadJson, string secret = Secret)
    {
        var signed = Base64Url("{\"alg\":\"HS256\",\"typ\":\"JWT\"}") + "." + Base64Url(payloadJson);
        var signature = HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.ASCII.GetBytes(signed));
        return signed + "." + Base64UrlEncoder.Encode(signature);
    }

    public static string Base64Url(string text) => Base64UrlEncoder.Encode(Encoding.UTF8.GetBytes(text));


    public static AuthContext AssertOk(Result<AuthContext> result)
    {
        Assert.True(result.IsOk, result.Error?.Message);
        return result.Value;
    }

    public static GatewayError AssertError(Result<AuthContext> result, int status, string code, string message)
    {
        Assert.False(result.IsOk, "expected an error, got role " + result.Value?.Role);
        Assert.Equal((status, code, message), (result.Error.Status, result.Error.Code, result.Error.Message));
        return result.Error;
    }

    public static GatewayError AssertInvalidToken(Result<AuthContext> result, string code, string message)
    {
        var error = AssertError(result, 401, code, message);
        var quoted = message.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal);
        Assert.Equal($"Bearer error=\"invalid_token\", error_description=\"{quoted}\"", error.Headers?["WWW-Authenticate"]);
        return error;
    }
}

/// <summary>
/// An <see cref="Authenticator"/> with its services. Each header is authenticated twice: as a request, through the
/// JwtBearer scheme (its events and token handler), then as a bare header value, the way token refresh asks; both
/// must give the same verdict, and a request's caller must be its <c>HttpContext.User</c>.
/// </summary>
internal sealed class AuthHarness(IServiceProvider services)
{
    public IServiceProvider Services { get; } = services;

    public Authenticator Authenticator => Services.GetRequiredService<Authenticator>();

    public async Task<Result<AuthContext>> AuthenticateAsync(string? authorization)
    {
        var asRequest = await RequestAsync(authorization);
        var asHeader = await Authenticator.AuthenticateAsync(authorization, CancellationToken.None);

        Assert.Equal(Describe(asRequest), Describe(asHeader));
        return asRequest;
    }

    public Task<Result<AuthContext>> BearerAsync(string token) => AuthenticateAsync("Bearer " + token);

    /// <summary>Through the JwtBearer scheme only, as the api endpoint does.</summary>
    public async Task<Result<AuthContext>> RequestAsync(string? authorization)
    {
        await using var scope = Services.CreateAsyncScope();
        var context = new DefaultHttpContext { RequestServices = scope.ServiceProvider };
        if (authorization is not null)
        {
            context.Request.Headers.Authorization = authorization;
        }

        var result = await Authenticator.AuthenticateAsync(context.Request, CancellationToken.None);

        var identity = context.User.Identity as GatewayIdentity;
        Assert.Same(result.IsOk && identity is not null ? result.Value : null, identity?.Caller);
        return result;
    }

    private static string Describe(Result<AuthContext> result) => result.IsOk
        ? $"{result.Value.Role} {result.Value.ClaimsJson} {result.Value.IsAnonymous}"
        : $"{result.Error.Status} {result.Error.Code} {result.Error.Message} {result.Error.Details} {result.Error.Headers?["WWW-Authenticate"]}";
}

internal sealed class TestClock(DateTimeOffset now) : TimeProvider
{
    public DateTimeOffset Now { get; set; } = now;

    public override DateTimeOffset GetUtcNow() => Now;
}

/// <summary>An RSA or EC signing key with a kid, and its public half as a JWK.</summary>
internal sealed class TestKey : IDisposable
{
    private readonly AsymmetricAlgorithm _key;

    private TestKey(AsymmetricAlgorithm key, SecurityKey securityKey, string algorithm, string publicJwk)
    {
        _key = key;
        Credentials = new SigningCredentials(securityKey, algorithm);
        PublicJwk = publicJwk;
    }

    public SigningCredentials Credentials { get; }

    public string PublicJwk { get; }

    public static TestKey Rsa(string kid, string algorithm = SecurityAlgorithms.RsaSha256)
    {
        var rsa = RSA.Create(2048);
        var parameters = rsa.ExportParameters(includePrivateParameters: false);
        var jwk = new JsonObject
        {
            ["kty"] = "RSA",
            ["use"] = "sig",
            ["kid"] = kid,
            ["n"] = Base64UrlEncoder.Encode(parameters.Modulus),
            ["e"] = Base64UrlEncoder.Encode(parameters.Exponent),
        };
        return new TestKey(rsa, new RsaSecurityKey(rsa) { KeyId = kid }, algorithm, jwk.ToJsonString());
    }

    public static TestKey EcP256(string kid)
    {
        var ecdsa = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var parameters = ecdsa.ExportParameters(includePrivateParameters: false);
        var jwk = new JsonObject
        {
            ["kty"] = "EC",
            ["use"] = "sig",
            ["kid"] = kid,
            ["crv"] = "P-256",
            ["x"] = Base64UrlEncoder.Encode(parameters.Q.X),
            ["y"] = Base64UrlEncoder.Encode(parameters.Q.Y),
        };
        return new TestKey(ecdsa, new ECDsaSecurityKey(ecdsa) { KeyId = kid }, SecurityAlgorithms.EcdsaSha256, jwk.ToJsonString());
    }

    public static string Jwks(params TestKey[] keys) => $"{{\"keys\":[{string.Join(',', keys.Select(key => key.PublicJwk))}]}}";

    public void Dispose() => _key.Dispose();
}

/// <summary>Serves JWKS and discovery documents from memory, counting fetches; no network.</summary>
internal sealed class StubDocuments : IDocumentRetriever
{
    private readonly Dictionary<string, string> _documents = new(StringComparer.Ordinal);
    private int _fetches;

    public int Fetches => Volatile.Read(ref _fetches);

    public string this[string address]
    {
        set
        {
            lock (_documents)
            {
                _documents[address] = value;
            }
        }
    }

    public Task<string> GetDocumentAsync(string address, CancellationToken cancel)
    {
        Interlocked.Increment(ref _fetches);
        lock (_documents)
        {
            return _documents.TryGetValue(address, out var document)
                ? Task.FromResult(document)
                : Task.FromException<string>(new IOException($"no document at {address}"));
        }
    }
}
