using System.Buffers.Text;
using System.Text;
using Gateway.Configuration;
using Gateway.Errors;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Tokens;

namespace Gateway.Auth;

/// <summary>
/// The Auth stage: turns a request's <c>Authorization</c> header into the <see cref="AuthContext"/> it runs as, or
/// the 401 that stops it, before any SQL runs. It owns token verification (HS256 with <c>Gateway:Jwt:Secret</c>,
/// RS/ES/PS with keys from a JWKS) and PostgREST's claim rules; it never touches the database, and never logs a token.
/// </summary>
internal sealed class Authenticator
{
    private static readonly JsonWebTokenHandler Handler = new();

    private static readonly HashSet<string> KnownButRefusedAlgorithms = new(StringComparer.Ordinal)
    {
        SecurityAlgorithms.HmacSha384, SecurityAlgorithms.HmacSha512,
        SecurityAlgorithms.RsaSsaPssSha384, SecurityAlgorithms.RsaSsaPssSha512,
    };

    private readonly ClaimsPolicy _policy;
    private readonly TokenValidationParameters? _secretParameters;
    private readonly JwksKeys? _jwks;
    private readonly VerifiedTokenCache? _cache;
    private readonly TimeProvider _time;
    private readonly ILogger<Authenticator> _logger;

    /// <param name="jwksDocuments">Fetches the JWKS or discovery document; required when <c>Gateway:Jwt:JwksUrl</c> or <c>Authority</c> is set.</param>
    public Authenticator(GatewayOptions options, TimeProvider time, ILogger<Authenticator> logger, IDocumentRetriever? jwksDocuments = null)
    {
        _policy = new ClaimsPolicy(options);
        _time = time;
        _logger = logger;
        if (!string.IsNullOrEmpty(options.Jwt.Secret))
        {
            _secretParameters = new TokenValidationParameters
            {
                IssuerSigningKey = new SymmetricSecurityKey(Encoding.UTF8.GetBytes(options.Jwt.Secret)),
                // PostgREST pins a plain-text secret to HS256; HS384/HS512 tokens are refused, not tried.
                ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
                ValidateLifetime = false,
                RequireExpirationTime = false,
                ValidateAudience = false,
                ValidateIssuer = false,
                RequireSignedTokens = true,
            };
        }

        if (options.Jwt.HasKeySource)
        {
            _jwks = new JwksKeys(options.Jwt, jwksDocuments ?? throw new ArgumentNullException(nameof(jwksDocuments)));
        }

        if (options.Jwt.CacheMaxEntries > 0)
        {
            _cache = new VerifiedTokenCache(options.Jwt.CacheMaxEntries);
        }
    }

    /// <summary>
    /// Authenticates <paramref name="request"/> by its first <c>Authorization</c> header, once per header value: the
    /// verdict stays on the request as an <see cref="AuthenticationOutcome"/>, which the rate limiter (that asks
    /// first), the request log and the metrics read.
    /// </summary>
    public ValueTask<Result<AuthContext>> AuthenticateAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var authorization = request.Headers.Authorization;
        var header = authorization.Count == 0 ? null : authorization[0];
        var features = request.HttpContext.Features;
        if (features.Get<AuthenticationOutcome>() is { } known && string.Equals(known.Authorization, header, StringComparison.Ordinal))
        {
            return new(known.Result);
        }

        var pending = AuthenticateAsync(header, cancellationToken);
        if (pending.IsCompletedSuccessfully)
        {
            features.Set(new AuthenticationOutcome(header, pending.Result));
            return pending;
        }

        return RememberAsync(features, header, pending);
    }

    private static async ValueTask<Result<AuthContext>> RememberAsync(
        Microsoft.AspNetCore.Http.Features.IFeatureCollection features, string? header, ValueTask<Result<AuthContext>> pending)
    {
        var result = await pending.ConfigureAwait(false);
        features.Set(new AuthenticationOutcome(header, result));
        return result;
    }

    /// <summary>
    /// The context for an <c>Authorization</c> header value: no header or another scheme runs as the anon role; a
    /// Bearer token must verify, pass the claim checks and name an allowed role. Completes synchronously, without
    /// allocating, for a cached HS256 token.
    /// </summary>
    public ValueTask<Result<AuthContext>> AuthenticateAsync(string? authorization, CancellationToken cancellationToken)
    {
        if (!BearerToken.TryFind(authorization, out var token))
        {
            return new(_policy.Anonymous);
        }

        if (token.IsEmpty)
        {
            return new(Refuse(AuthErrors.EmptyToken));
        }

        if (_cache is not null && _cache.TryGet(token, out var cached))
        {
            return new(Check(cached, token));
        }

        return VerifyAsync(token.ToString(), cancellationToken);
    }

    private async ValueTask<Result<AuthContext>> VerifyAsync(string token, CancellationToken cancellationToken)
    {
        var parts = token.AsSpan().Count('.') + 1;
        if (parts != 3)
        {
            return Refuse(AuthErrors.PartsCount(parts));
        }

        JsonWebToken jwt;
        try
        {
            jwt = new JsonWebToken(token);
        }
        catch (ArgumentException)
        {
            return Refuse(AuthErrors.Malformed);
        }

        var algorithm = jwt.Alg;
        if (string.IsNullOrEmpty(algorithm) || algorithm.Equals("none", StringComparison.OrdinalIgnoreCase))
        {
            return Refuse(AuthErrors.Unsecured);
        }

        if (algorithm == SecurityAlgorithms.HmacSha256)
        {
            return _secretParameters is null
                ? Refuse(AuthErrors.AlgorithmNotAccepted)
                : await VerifyWithSecretAsync(token, jwt).ConfigureAwait(false);
        }

        if (JwksKeys.Algorithms.Contains(algorithm))
        {
            return _jwks is null
                ? Refuse(AuthErrors.AlgorithmNotAccepted)
                : await VerifyWithJwksAsync(_jwks, jwt, cancellationToken).ConfigureAwait(false);
        }

        return Refuse(KnownButRefusedAlgorithms.Contains(algorithm) ? AuthErrors.AlgorithmNotAccepted : AuthErrors.UnsupportedAlgorithm);
    }

    private async Task<Result<AuthContext>> VerifyWithSecretAsync(string token, JsonWebToken jwt)
    {
        var result = await Handler.ValidateTokenAsync(jwt, _secretParameters).ConfigureAwait(false);
        if (!result.IsValid)
        {
            return Refuse(SignatureError(result.Exception));
        }

        if (PayloadOf(jwt) is not { } payload)
        {
            return Refuse(AuthErrors.Malformed);
        }

        var verified = _policy.Inspect(payload, trustedIssuer: null);
        _cache?.Add(token, verified);
        return Check(verified, token);
    }

    /// <summary>
    /// Not cached: a key removed from the set must stop verifying tokens at the next refresh, not when they expire.
    /// </summary>
    private async Task<Result<AuthContext>> VerifyWithJwksAsync(JwksKeys jwks, JsonWebToken jwt, CancellationToken cancellationToken)
    {
        JwksKeys.Snapshot keys;
        try
        {
            keys = await jwks.GetAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (InvalidOperationException exception)
        {
            AuthLog.KeysUnavailable(_logger, jwks.Address, exception);
            return AuthErrors.KeysUnavailable;
        }

        var result = await Handler.ValidateTokenAsync(jwt, keys.Parameters).ConfigureAwait(false);
        if (result.Exception is SecurityTokenSignatureKeyNotFoundException)
        {
            // The issuer may have rotated its keys. The manager refreshes in the background, so usually the next
            // request sees the new set; if this one already can, use it.
            AuthLog.UnknownKeyId(_logger, jwks.Address);
            jwks.RequestRefresh();
            var refreshed = await jwks.GetAsync(cancellationToken).ConfigureAwait(false);
            if (!ReferenceEquals(refreshed, keys))
            {
                keys = refreshed;
                result = await Handler.ValidateTokenAsync(jwt, keys.Parameters).ConfigureAwait(false);
            }
        }

        if (!result.IsValid)
        {
            return Refuse(SignatureError(result.Exception));
        }

        if (PayloadOf(jwt) is not { } payload)
        {
            return Refuse(AuthErrors.Malformed);
        }

        return Check(_policy.Inspect(payload, keys.Issuer), token: default);
    }

    private Result<AuthContext> Check(VerifiedToken verified, ReadOnlySpan<char> token)
    {
        var outcome = verified.Check(_time.GetUtcNow().ToUnixTimeSeconds());
        if (outcome.IsOk)
        {
            return outcome;
        }

        if (ReferenceEquals(outcome.Error, AuthErrors.Expired) && !token.IsEmpty)
        {
            // It will never be valid again.
            _cache?.Remove(token);
        }

        return Refuse(outcome.Error);
    }

    private GatewayError Refuse(GatewayError error)
    {
        AuthLog.TokenRefused(_logger, error.Code, error.Message);
        return error;
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
}

/// <summary>
/// The verdict on a request's <c>Authorization</c> header, kept as a request feature. A class, not a record: it holds
/// the header, and must never print it.
/// </summary>
internal sealed class AuthenticationOutcome(string? authorization, Result<AuthContext> result)
{
    public string? Authorization { get; } = authorization;

    public Result<AuthContext> Result { get; } = result;
}
