using System.Buffers.Text;
using Gateway.Configuration;
using Gateway.Errors;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Gateway.Auth;

/// <summary>
/// The one token handler JwtBearer runs (<see cref="JwtBearerOptions.TokenHandlers"/>): verifies a token as PostgREST
/// does and judges its claims with <see cref="ClaimsPolicy"/>. HS256 tokens verify with the parameters'
/// <c>IssuerSigningKey</c> (<c>Gateway:Jwt:Secret</c>) and are cached once judged, so a known token costs a lookup
/// and a clock check, never a parse or an HMAC; RS/ES/PS tokens verify with the keys of the parameters'
/// <c>ConfigurationManager</c> (JWKS or discovery) and are not cached. A refusal is an invalid result whose exception
/// carries the <see cref="GatewayError"/>; an unknown <c>kid</c> is IdentityModel's own
/// <see cref="SecurityTokenSignatureKeyNotFoundException"/>, so JwtBearer asks for fresh keys too. Never logs a token.
/// </summary>
internal sealed class GatewayTokenHandler : TokenHandler
{
    private static readonly JsonWebTokenHandler Signatures = new();

    private static readonly HashSet<string> KnownButRefusedAlgorithms = new(StringComparer.Ordinal)
    {
        SecurityAlgorithms.HmacSha384, SecurityAlgorithms.HmacSha512,
        SecurityAlgorithms.RsaSsaPssSha384, SecurityAlgorithms.RsaSsaPssSha512,
    };

    private readonly ClaimsPolicy _policy;
    private readonly VerifiedTokenCache? _cache;
    private readonly JwksKeys _jwks = new();
    private readonly TimeProvider _time;
    private readonly ILogger<GatewayTokenHandler> _logger;
    private SecretParameters? _secret;

    public GatewayTokenHandler(ClaimsPolicy policy, IOptions<GatewayOptions> options, TimeProvider time, ILogger<GatewayTokenHandler> logger)
    {
        _policy = policy;
        _time = time;
        _logger = logger;
        if (options.Value.Jwt.CacheMaxEntries > 0)
        {
            _cache = new VerifiedTokenCache(options.Value.Jwt.CacheMaxEntries);
        }
    }

    /// <summary>The token as a string: the cached one when known, so a known token's header is not copied.</summary>
    public string TextOf(ReadOnlySpan<char> token) => _cache is not null && _cache.TryGetText(token, out var text) ? text : token.ToString();

    public override Task<TokenValidationResult> ValidateTokenAsync(string token, TokenValidationParameters validationParameters)
    {
        var pending = VerifyAsync(token, validationParameters, CancellationToken.None);
        return pending.IsCompletedSuccessfully
            ? Task.FromResult(ResultOf(pending.Result, validationParameters))
            : ResultOfAsync(pending, validationParameters);
    }

    /// <summary>
    /// Verifies and judges <paramref name="token"/> with <paramref name="parameters"/> (JwtBearer's, carrying the
    /// secret and the key manager). Completes synchronously, without allocating, for a cached token.
    /// </summary>
    public ValueTask<Verification> VerifyAsync(ReadOnlySpan<char> token, TokenValidationParameters parameters, CancellationToken cancellationToken)
    {
        if (_cache is not null && _cache.TryGet(token, out var cached))
        {
            return new(Check(cached, token));
        }

        return VerifyUncachedAsync(token.ToString(), parameters, cancellationToken);
    }

    /// <summary>
    /// The identity of a token this handler verified before and the clock still accepts, from the cache: what
    /// <see cref="ValidateTokenAsync"/> would make of it, without parsing, verifying or allocating a result. Null for
    /// any other token, which then takes the whole way (and is refused there, if it must be).
    /// </summary>
    public GatewayIdentity? CachedIdentity(ReadOnlySpan<char> token, TokenValidationParameters parameters, out VerifiedToken? verified)
    {
        verified = null;
        if (_cache is null || !_cache.TryGet(token, out var cached) || !cached.Check(_time.GetUtcNow().ToUnixTimeSeconds()).IsOk
            || cached.Caller is not { } caller)
        {
            return null;
        }

        verified = cached;
        return IdentityOf(caller, cached, parameters);
    }

    /// <summary>Logs a refusal (at Debug, code and message only) and returns it.</summary>
    public GatewayError Refuse(GatewayError error)
    {
        AuthLog.TokenRefused(_logger, error.Code, error.Message);
        return error;
    }

    private static async Task<TokenValidationResult> ResultOfAsync(ValueTask<Verification> pending, TokenValidationParameters parameters) =>
        ResultOf(await pending.ConfigureAwait(false), parameters);

    private static TokenValidationResult ResultOf(Verification verification, TokenValidationParameters parameters)
    {
        if (verification.Token is not { Caller: { } caller } token)
        {
            var refused = new TokenRefusedException(verification.Error!);
            return new TokenValidationResult
            {
                IsValid = false,
                Exception = verification.KeyNotFound ? new SecurityTokenSignatureKeyNotFoundException(refused.Message, refused) : refused,
            };
        }

        return new TokenValidationResult { IsValid = true, SecurityToken = token, ClaimsIdentity = IdentityOf(caller, token, parameters), Issuer = token.Issuer };
    }

    private static GatewayIdentity IdentityOf(AuthContext caller, VerifiedToken token, TokenValidationParameters parameters) => new(
        caller,
        token.Claims,
        parameters.AuthenticationType ?? JwtBearerDefaults.AuthenticationScheme,
        parameters.NameClaimType,
        parameters.RoleClaimType);

    private async ValueTask<Verification> VerifyUncachedAsync(string token, TokenValidationParameters parameters, CancellationToken cancellationToken)
    {
        var parts = token.AsSpan().Count('.') + 1;
        if (parts != 3)
        {
            return Refused(AuthErrors.PartsCount(parts));
        }

        JsonWebToken jwt;
        try
        {
            jwt = new JsonWebToken(token);
        }
        catch (ArgumentException)
        {
            return Refused(AuthErrors.Malformed);
        }

        var algorithm = jwt.Alg;
        if (string.IsNullOrEmpty(algorithm) || algorithm.Equals("none", StringComparison.OrdinalIgnoreCase))
        {
            return Refused(AuthErrors.Unsecured);
        }

        if (algorithm == SecurityAlgorithms.HmacSha256)
        {
            return SecretParametersOf(parameters) is { } secret
                ? await VerifyWithSecretAsync(token, jwt, secret).ConfigureAwait(false)
                : Refused(AuthErrors.AlgorithmNotAccepted);
        }

        if (JwksKeys.Algorithms.Contains(algorithm))
        {
            return parameters.ConfigurationManager is { } keys
                ? await VerifyWithJwksAsync(jwt, keys, parameters.ValidIssuer, cancellationToken).ConfigureAwait(false)
                : Refused(AuthErrors.AlgorithmNotAccepted);
        }

        return Refused(KnownButRefusedAlgorithms.Contains(algorithm) ? AuthErrors.AlgorithmNotAccepted : AuthErrors.UnsupportedAlgorithm);
    }

    private async Task<Verification> VerifyWithSecretAsync(string token, JsonWebToken jwt, TokenValidationParameters secret)
    {
        var result = await Signatures.ValidateTokenAsync(jwt, secret).ConfigureAwait(false);
        if (!result.IsValid)
        {
            return Refused(SignatureError(result.Exception));
        }

        if (PayloadOf(jwt) is not { } payload)
        {
            return Refused(AuthErrors.Malformed);
        }

        var verified = _policy.Inspect(payload, trustedIssuer: null);
        _cache?.Add(token, verified);
        return Check(verified, token);
    }

    /// <summary>
    /// Not cached: a key removed from the set must stop verifying tokens at the next refresh, not when they expire.
    /// </summary>
    private async Task<Verification> VerifyWithJwksAsync(
        JsonWebToken jwt, BaseConfigurationManager manager, string? configuredIssuer, CancellationToken cancellationToken)
    {
        JwksKeys.Snapshot keys;
        try
        {
            keys = _jwks.For(await manager.GetBaseConfigurationAsync(cancellationToken).ConfigureAwait(false), configuredIssuer);
        }
        catch (InvalidOperationException exception)
        {
            AuthLog.KeysUnavailable(_logger, manager.MetadataAddress, exception);
            return new Verification(null, AuthErrors.KeysUnavailable, KeyNotFound: false);
        }

        var result = await Signatures.ValidateTokenAsync(jwt, keys.Parameters).ConfigureAwait(false);
        if (result.Exception is SecurityTokenSignatureKeyNotFoundException)
        {
            // The issuer may have rotated its keys. The manager refreshes in the background, so usually the next
            // request sees the new set; if this one already can, use it.
            AuthLog.UnknownKeyId(_logger, manager.MetadataAddress);
            manager.RequestRefresh();
            var refreshed = _jwks.For(await manager.GetBaseConfigurationAsync(cancellationToken).ConfigureAwait(false), configuredIssuer);
            if (!ReferenceEquals(refreshed, keys))
            {
                keys = refreshed;
                result = await Signatures.ValidateTokenAsync(jwt, keys.Parameters).ConfigureAwait(false);
            }
        }

        if (!result.IsValid)
        {
            var error = Refuse(SignatureError(result.Exception));
            return new Verification(null, error, KeyNotFound: result.Exception is SecurityTokenSignatureKeyNotFoundException);
        }

        if (PayloadOf(jwt) is not { } payload)
        {
            return Refused(AuthErrors.Malformed);
        }

        return Check(_policy.Inspect(payload, keys.Issuer), token: default);
    }

    private Verification Check(VerifiedToken verified, ReadOnlySpan<char> token)
    {
        var outcome = verified.Check(_time.GetUtcNow().ToUnixTimeSeconds());
        if (outcome.IsOk)
        {
            return new Verification(verified, null, KeyNotFound: false);
        }

        if (ReferenceEquals(outcome.Error, AuthErrors.Expired) && !token.IsEmpty)
        {
            // It will never be valid again.
            _cache?.Remove(token);
        }

        return Refused(outcome.Error);
    }

    private Verification Refused(GatewayError error) => new(null, Refuse(error), KeyNotFound: false);

    /// <summary>
    /// The parameters that verify HS256 tokens with the key JwtBearer hands over, made once per key: PostgREST pins a
    /// plain-text secret to HS256 (HS384/HS512 tokens are refused, not tried), and time, audience and issuer follow its
    /// rules in <see cref="ClaimsPolicy"/> and <see cref="VerifiedToken"/>.
    /// </summary>
    private TokenValidationParameters? SecretParametersOf(TokenValidationParameters parameters)
    {
        if (parameters.IssuerSigningKey is not SymmetricSecurityKey key)
        {
            return null;
        }

        var secret = _secret;
        if (secret is null || !ReferenceEquals(secret.Key, key))
        {
            secret = new SecretParameters(key, new TokenValidationParameters
            {
                IssuerSigningKey = key,
                ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
                ValidateLifetime = false,
                RequireExpirationTime = false,
                ValidateAudience = false,
                ValidateIssuer = false,
                RequireSignedTokens = true,
            });
            _secret = secret;
        }

        return secret.Parameters;
    }

    private static GatewayError SignatureError(Exception? exception) => exception switch
    {
        SecurityTokenInvalidAlgorithmException => AuthErrors.AlgorithmNotAccepted,
        SecurityTokenSignatureKeyNotFoundException or SecurityTokenInvalidSignatureException => AuthErrors.SignatureInvalid,
        SecurityTokenMalformedException => AuthErrors.Malformed,
        _ => AuthErrors.CryptographyFailed,
    };

    private static byte[]? PayloadOf(JsonWebToken jwt)
    {
        var encoded = jwt.EncodedPayload;
        var bytes = new byte[Base64Url.GetMaxDecodedLength(encoded.Length)];
        return Base64Url.TryDecodeFromChars(encoded, bytes, out var written) ? bytes[..written] : null;
    }

    private sealed record SecretParameters(SymmetricSecurityKey Key, TokenValidationParameters Parameters);
}

/// <summary>
/// What <see cref="GatewayTokenHandler"/> decided: the <paramref name="Token"/> with its caller, or the
/// <paramref name="Error"/> that refuses it; <paramref name="KeyNotFound"/> when no key of the set has its <c>kid</c>.
/// </summary>
internal readonly record struct Verification(VerifiedToken? Token, GatewayError? Error, bool KeyNotFound)
{
    /// <summary>The caller, or the error, as the pipeline takes them.</summary>
    public Result<AuthContext> Result => Token?.Caller is { } caller ? Result<AuthContext>.Ok(caller) : Result<AuthContext>.Fail(Error!);
}
