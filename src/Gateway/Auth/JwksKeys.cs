using Gateway.Configuration;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;

namespace Gateway.Auth;

/// <summary>
/// Asymmetric signing keys from a JWKS URL or an OpenID Connect authority's discovery document, fetched on first
/// use and refreshed by Microsoft.IdentityModel's <see cref="ConfigurationManager{T}"/>: every
/// <c>KeysRefreshInterval</c>, and when a token names a <c>kid</c> the set lacks (at most once per
/// <c>KeysMinimumRefreshInterval</c>). After the first fetch, refreshes run in the background and a failed one
/// keeps the last good keys.
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

    private readonly ConfigurationManager<OpenIdConnectConfiguration> _manager;
    private readonly string? _authority;
    private Snapshot? _snapshot;

    public JwksKeys(GatewayOptions.JwtOptions options, IDocumentRetriever documents)
    {
        IConfigurationRetriever<OpenIdConnectConfiguration> retriever;
        if (!string.IsNullOrWhiteSpace(options.Authority))
        {
            _authority = options.Authority;
            Address = options.Authority.TrimEnd('/') + "/.well-known/openid-configuration";
            retriever = new OpenIdConnectConfigurationRetriever();
        }
        else
        {
            Address = options.JwksUrl ?? throw new ArgumentException("Neither Gateway:Jwt:Authority nor Gateway:Jwt:JwksUrl is set.", nameof(options));
            retriever = new JwksRetriever();
        }

        _manager = new ConfigurationManager<OpenIdConnectConfiguration>(Address, retriever, documents)
        {
            AutomaticRefreshInterval = options.KeysRefreshInterval,
            RefreshInterval = options.KeysMinimumRefreshInterval,
        };
    }

    /// <summary>Where the keys (or the discovery document naming them) come from; not secret, fine to log.</summary>
    public string Address { get; }

    /// <summary>The current keys as validation parameters; throws <see cref="InvalidOperationException"/> when none were ever fetched.</summary>
    public async Task<Snapshot> GetAsync(CancellationToken cancellationToken)
    {
        var configuration = await _manager.GetConfigurationAsync(cancellationToken).ConfigureAwait(false);
        var snapshot = _snapshot;
        if (snapshot is null || !ReferenceEquals(snapshot.Configuration, configuration))
        {
            snapshot = new Snapshot(configuration, ParametersFor(configuration), IssuerOf(configuration));
            _snapshot = snapshot;
        }

        return snapshot;
    }

    /// <summary>Asks for a fetch, e.g. because a token's <c>kid</c> is unknown; rate-limited, and runs in the background.</summary>
    public void RequestRefresh() => _manager.RequestRefresh();

    private string? IssuerOf(OpenIdConnectConfiguration configuration) =>
        _authority is null ? null : string.IsNullOrEmpty(configuration.Issuer) ? _authority : configuration.Issuer;

    private static TokenValidationParameters ParametersFor(OpenIdConnectConfiguration configuration) => new()
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
    internal sealed record Snapshot(OpenIdConnectConfiguration Configuration, TokenValidationParameters Parameters, string? Issuer);

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
