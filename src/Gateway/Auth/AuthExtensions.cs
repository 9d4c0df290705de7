using System.Text;
using Gateway.Configuration;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Tokens;

namespace Gateway.Auth;

internal static class AuthExtensions
{
    private const string JwksHttpClient = "Gateway.Auth.Jwks";

    /// <summary>
    /// Registers ASP.NET Core authentication with the JwtBearer scheme as the default, configured from
    /// <see cref="GatewayOptions"/> (so call it after <c>AddGatewayOptions</c>), and authorization, so a host's
    /// <c>RequireAuthorization()</c> works; the app calls <c>UseAuthentication</c> after token refresh.
    /// </summary>
    public static WebApplicationBuilder AddGatewayAuth(this WebApplicationBuilder builder)
    {
        builder.Services.AddGatewayAuth();
        return builder;
    }

    /// <summary>
    /// The services of <see cref="AddGatewayAuth(WebApplicationBuilder)"/>. JWKS and discovery documents are fetched with
    /// a dedicated HTTP client, unless an <see cref="IDocumentRetriever"/> is registered (tests serve keys that way).
    /// </summary>
    public static IServiceCollection AddGatewayAuth(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddHttpClient(JwksHttpClient, client =>
            {
                client.Timeout = TimeSpan.FromSeconds(30);
                client.MaxResponseContentBufferSize = 1024 * 1024;
            })
            // The client lives as long as the key set; this keeps it following DNS changes of the key server.
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) });
        services.AddSingleton(provider => new ClaimsPolicy(provider.GetRequiredService<IOptions<GatewayOptions>>().Value));
        services.AddSingleton<GatewayTokenHandler>();
        services.AddSingleton<BearerEvents>();
        services.AddSingleton<Authenticator>();

        services.AddAuthentication(Authenticator.Scheme).AddJwtBearer();
        // JwtBearer's scheme, options and events, with the handler that answers a known token the short way; made by
        // the container, as AddJwtBearer registers its own (otherwise each request would make one by reflection).
        services.Configure<AuthenticationOptions>(authentication => authentication.SchemeMap[Authenticator.Scheme].HandlerType = typeof(GatewayBearerHandler));
        services.TryAddTransient<GatewayBearerHandler>();
        services.Replace(ServiceDescriptor.Scoped<IAuthenticationHandlerProvider, HeaderBoundHandlerProvider>());
        services.AddOptions<JwtBearerOptions>(Authenticator.Scheme)
            .Configure<IOptions<GatewayOptions>, GatewayTokenHandler, BearerEvents, IServiceProvider>(
                (bearer, gateway, tokens, events, provider) => ConfigureBearer(bearer, gateway.Value.Jwt, tokens, events, provider));
        services.AddAuthorization();

        // JwtBearer logs every refused token at Information, twice ("Failed to validate the token", "was not
        // authenticated"), and every challenge; the request log already has one line with the error code. First in
        // the list, so a configured level for this category or a longer one still wins.
        services.Configure<LoggerFilterOptions>(filters =>
            filters.Rules.Insert(0, new LoggerFilterRule(null, "Microsoft.AspNetCore.Authentication", LogLevel.Warning, null)));
        return services;
    }

    private static void ConfigureBearer(
        JwtBearerOptions bearer, GatewayOptions.JwtOptions jwt, GatewayTokenHandler tokens, BearerEvents events, IServiceProvider provider)
    {
        var audience = string.IsNullOrEmpty(jwt.Audience) ? null : jwt.Audience;
        var authority = string.IsNullOrWhiteSpace(jwt.Authority) ? null : jwt.Authority;
        bearer.MapInboundClaims = false;
        // Nothing reads the token back from the authentication properties: storing it costs every request.
        bearer.SaveToken = false;
        bearer.TokenHandlers.Clear();
        bearer.TokenHandlers.Add(tokens);
        bearer.Events = events;
        bearer.TimeProvider = provider.GetRequiredService<TimeProvider>();
        bearer.Audience = audience;
        bearer.RequireHttpsMetadata = jwt.RequireHttpsMetadata;
        bearer.AutomaticRefreshInterval = jwt.KeysRefreshInterval;
        bearer.RefreshInterval = jwt.KeysMinimumRefreshInterval;
        // What the token handler applies, in PostgREST's way (30 s of leeway, an absent aud or exp passes).
        bearer.TokenValidationParameters = new TokenValidationParameters
        {
            IssuerSigningKey = string.IsNullOrEmpty(jwt.Secret) ? null : new SymmetricSecurityKey(Encoding.UTF8.GetBytes(jwt.Secret)),
            ValidAlgorithms = [.. string.IsNullOrEmpty(jwt.Secret) ? [] : new[] { SecurityAlgorithms.HmacSha256 }, .. jwt.HasKeySource ? JwksKeys.Algorithms : []],
            ValidAudience = audience,
            ValidateAudience = audience is not null,
            ValidIssuer = authority,
            ValidateIssuer = authority is not null,
            ClockSkew = TimeSpan.FromSeconds(VerifiedToken.ClockSkewSeconds),
            RequireExpirationTime = false,
            NameClaimType = "sub",
            RoleClaimType = "role",
        };

        var documents = provider.GetService<IDocumentRetriever>();
        if (authority is not null)
        {
            bearer.Authority = authority;
            if (documents is null)
            {
                // JwtBearer makes the manager for the discovery document itself, with this client.
                bearer.Backchannel = JwksClient(provider);
            }
            else
            {
                bearer.MetadataAddress = authority.TrimEnd('/') + "/.well-known/openid-configuration";
                bearer.ConfigurationManager = JwksKeys.Manager(bearer.MetadataAddress, discovery: true, documents, jwt);
            }
        }
        else if (!string.IsNullOrWhiteSpace(jwt.JwksUrl))
        {
            documents ??= new HttpDocumentRetriever(JwksClient(provider)) { RequireHttps = jwt.RequireHttpsMetadata };
            bearer.ConfigurationManager = JwksKeys.Manager(jwt.JwksUrl, discovery: false, documents, jwt);
        }
    }

    private static HttpClient JwksClient(IServiceProvider provider) =>
        provider.GetRequiredService<IHttpClientFactory>().CreateClient(JwksHttpClient);
}
