using Gateway.Auth;
using Gateway.Configuration;
using Gateway.Execution;
using Gateway.Pipeline;
using Gateway.Planning;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;

namespace Gateway.Endpoints;

/// <summary>Maps every path the other endpoints leave to the <see cref="ApiPipeline"/>; nothing else happens here.</summary>
internal static class ApiEndpoint
{
    public static WebApplicationBuilder AddGatewayApi(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<RequestExecutor>();
        builder.Services.AddSingleton(services =>
        {
            var options = services.GetRequiredService<IOptions<GatewayOptions>>().Value;
            return new ApiSettings(options.ServerTiming, new PlanSettings(options.MaxRows, options.AllowTransactionOverride, options.AggregatesEnabled, options.PlanEnabled));
        });
        builder.Services.AddSingleton<ApiPipeline>();
        return builder;
    }

    /// <summary>
    /// ASP.NET Core's authentication, where <c>UseAuthentication</c> stands, for every request but an api request
    /// without a bearer token while the gateway's scheme is the only way to authenticate: its own handler and events
    /// (<see cref="Authenticator.OwnsScheme"/>), the default scheme, and no scheme that handles requests of its own
    /// (a remote sign-in's callback path). Such a request is anonymous whatever the middleware does: it would only
    /// build the scheme's handler to hear "no result" (or "anonymous access is off", which the pipeline answers
    /// itself), so it steps over to whatever follows, and the pipeline's <see cref="Authenticator"/> gives the
    /// verdict without the handler. A request with a token, or any request while a host has added a scheme or
    /// replaced the events, goes through <c>UseAuthentication</c> as before.
    /// </summary>
    public static WebApplication UseGatewayAuthentication(this WebApplication app) => StepOver(
        app,
        OnlyTheGatewayAuthenticates(app.Services),
        context => Is(context.GetEndpoint()) && !BearerToken.IsIn(context.Request),
        middleware => middleware.UseAuthentication());

    /// <summary>
    /// ASP.NET Core's authorization, where <c>UseAuthorization</c> stands, for every endpoint but the api's when it has
    /// nothing to decide there. The api endpoint carries no authorization metadata, so only a fallback policy could
    /// apply to it; while the host has set none (and keeps the default policy provider, which could make one up), an
    /// api request steps over the authorization middleware, which would only pass it on (after filling
    /// <c>HttpContext.Items</c> and combining no policies: 2-5 µs of CPU per request in alternating A/B runs, README's
    /// Performance), to whatever follows it. With a fallback policy every request goes through it as before.
    /// </summary>
    public static WebApplication UseGatewayAuthorization(this WebApplication app) => StepOver(
        app,
        AuthorizesNothingForTheApi(app.Services),
        context => Is(context.GetEndpoint()),
        middleware => middleware.UseAuthorization());

    /// <summary>
    /// <paramref name="use"/>'s middleware where it stands, which a request <paramref name="skips"/> steps over to
    /// whatever follows it, while <paramref name="enabled"/> (decided once, at start-up).
    /// </summary>
    private static WebApplication StepOver(WebApplication app, bool enabled, Func<HttpContext, bool> skips, Action<WebApplication> use)
    {
        // The pipeline is composed from its end: what follows the middleware is known before the step over it is made.
        RequestDelegate? after = null;
        if (enabled)
        {
            app.Use(next =>
            {
                var over = after ?? next;
                return context => skips(context) ? over(context) : next(context);
            });
        }

        use(app);
        // Adds no step: it hands the rest of the pipeline on unchanged, noting it.
        app.Use(next => after = next);
        return app;
    }

    public static WebApplication MapGatewayApi(this WebApplication app)
    {
        app.Map("/{**path}", (HttpContext context, ApiPipeline pipeline) => pipeline.HandleAsync(context)).WithMetadata(Marker.Instance);
        return app;
    }

    /// <summary>Whether <paramref name="endpoint"/> is the api's catch-all, which <see cref="MapGatewayApi"/> maps.</summary>
    public static bool Is(Endpoint? endpoint) => endpoint?.Metadata.GetMetadata<Marker>() is not null;

    private static bool OnlyTheGatewayAuthenticates(IServiceProvider services)
    {
        var options = services.GetRequiredService<IOptions<AuthenticationOptions>>().Value;
        return services.GetRequiredService<Authenticator>().OwnsScheme
            && (options.DefaultAuthenticateScheme ?? options.DefaultScheme) == Authenticator.Scheme
            && options.Schemes.All(scheme => !typeof(IAuthenticationRequestHandler).IsAssignableFrom(scheme.HandlerType));
    }

    private static bool AuthorizesNothingForTheApi(IServiceProvider services) =>
        services.GetRequiredService<IAuthorizationPolicyProvider>().GetType() == typeof(DefaultAuthorizationPolicyProvider)
        && services.GetRequiredService<IOptions<AuthorizationOptions>>().Value.FallbackPolicy is null;

    /// <summary>Marks the api endpoint among the app's endpoints.</summary>
    private sealed class Marker
    {
        public static readonly Marker Instance = new();
    }
}
