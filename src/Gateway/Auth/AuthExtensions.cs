using Gateway.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Protocols;

namespace Gateway.Auth;

internal static class AuthExtensions
{
    private const string JwksHttpClient = "Gateway.Auth.Jwks";

    /// <summary>
    /// Registers the <see cref="Authenticator"/> singleton, configured from <see cref="GatewayOptions"/> (so call it
    /// after <c>AddGatewayOptions</c>). JWKS and discovery documents are fetched with a dedicated HTTP client, unless
    /// an <see cref="IDocumentRetriever"/> is registered (tests serve keys that way).
    /// </summary>
    public static WebApplicationBuilder AddGatewayAuth(this WebApplicationBuilder builder)
    {
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddHttpClient(JwksHttpClient, client =>
            {
                client.Timeout = TimeSpan.FromSeconds(30);
                client.MaxResponseContentBufferSize = 1024 * 1024;
            })
            // The client lives as long as the key set; this keeps it following DNS changes of the key server.
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) });
        builder.Services.AddSingleton(services =>
        {
            var options = services.GetRequiredService<IOptions<GatewayOptions>>().Value;
            var documents = options.Jwt.HasKeySource
                ? services.GetService<IDocumentRetriever>() ?? new HttpDocumentRetriever(
                    services.GetRequiredService<IHttpClientFactory>().CreateClient(JwksHttpClient))
                {
                    RequireHttps = options.Jwt.RequireHttpsMetadata,
                }
                : null;
            return new Authenticator(
                options,
                services.GetRequiredService<TimeProvider>(),
                services.GetRequiredService<ILogger<Authenticator>>(),
                documents);
        });
        return builder;
    }
}
