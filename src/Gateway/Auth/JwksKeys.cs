using Gateway.Configuration;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;

namespace Gateway.Auth;

/// <summary>
/// Asymmetric signing keys from a JWKS URL or an OpenID Connect authority's discovery document, as JwtBearer's
/// <see cref="ConfigurationManager{T}"/> fetches them: on first use, every <c>KeysRefreshInterval</c>, and when a
/// token names a <c>kid</c> the set lacks (at most once per <c>KeysMinimumRefreshInterval</c>). After the first
/// fetch, refreshes run in the background and a failed one keeps the last good keys. This class makes the manager
/// for a bare JWKS URL, and turns each fetched set into the parameters that verify tokens against it.
/// </summary>
internal sealed class JwksKeys
{
    /// <summary>The algorithms accepted from JWKS keys; never HS*, so a public key can never be used as an HMAC secret.</summary>
    public static readonly IReadOnlyList<string> Algorithms =
    [
        SecurityAlgorithms.RsaSha256, SecurityAlgorithms.RsaSha384, SecurityAlgorithms.RsaSha512,
        SecurityAlgorithms.EcdsaSha256, SecurityAlgorithms.EcdsaSha384, SecurityAlgorithms.EcdsaSha512,
        SecurityAlgorithms.RsaSsaPssSha256,
    ];

    private Snapshot? _snapshot;

    /// <summary>The manager for <paramref name="address"/>: a bare JWKS document, or with <paramref name="discovery"/> an OpenID Connect discovery document.</summary>
    public static ConfigurationManager<OpenIdConnectConfiguration> Manager(
        string address, bool discovery, IDocumentRetriever documents, GatewayOptions.JwtOptions options) =>
        new(address, discovery ? new OpenIdConnectConfigurationRetriever() : new JwksRetriever(), documents)
        {
            AutomaticRefreshInterval = options.KeysRefreshInterval,
            RefreshInterval = options.KeysMinimumRefreshInterval,
        };

    /// <summary>
    /// The parameters for <paramref name="configuration"/>'s keys, made once per fetched set. The issuer tokens must
    /// carry is the discovery document's, else <paramref name="configuredIssuer"/> (the authority); none for a bare JWKS.
    /// </summary>
    public Snapshot For(BaseConfiguration configuration, string? configuredIssuer)
    {
        var snapshot = _snapshot;
        if (snapshot is null || !ReferenceEquals(snapshot.Configuration, configuration))
        {
            var issuer = string.IsNullOrEmpty(configuration.Issuer) ? configuredIssuer : configuration.Issuer;
            snapshot = new Snapshot(configuration, ParametersFor(configuration), issuer);
            _snapshot = snapshot;
        }

        return snapshot;
    }

    private static TokenValidationParameters ParametersFor(BaseConfiguration configuration) => new()
    {
        IssuerSigningKeys = [.. configuration.SigningKeys.Where(IsAsymmetric)],
        ValidAlgorithms = Algorithms,
        TryAllIssuerSigningKeys = true,
        // Lifetime, audience and issuer follow PostgREST's rules in ClaimsPolicy and VerifiedToken.
        ValidateLifetime = false,
        RequireExpirationTime = false,
        ValidateAudience = false,
        ValidateIssuer = false,
        RequireSignedTokens = true,
    };

    private static bool IsAsymmetric(SecurityKey key) =>
        key is not SymmetricSecurityKey && !(key is JsonWebKey webKey && webKey.Kty == JsonWebAlgorithmsKeyTypes.Octet);

    /// <summary>A fetched key set and the parameters that validate tokens against it.</summary>
    internal sealed record Snapshot(BaseConfiguration Configuration, TokenValidationParameters Parameters, string? Issuer);

    /// <summary>Reads a bare JWKS document into the configuration type the manager caches.</summary>
    private sealed class JwksRetriever : IConfigurationRetriever<OpenIdConnectConfiguration>
    {
        public async Task<OpenIdConnectConfiguration> GetConfigurationAsync(string address, IDocumentRetriever retriever, CancellationToken cancel)
        {
            var document = await retriever.GetDocumentAsync(address, cancel).ConfigureAwait(false);
            var keys = new JsonWebKeySet(document);
            var configuration = new OpenIdConnectConfiguration { JwksUri = address, JsonWebKeySet = keys };
            foreach (var key in keys.GetSigningKeys())
            {
                configuration.SigningKeys.Add(key);
            }

            return configuration;
        }
    }
}
