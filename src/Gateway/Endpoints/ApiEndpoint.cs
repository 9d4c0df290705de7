using Gateway.Configuration;
using Gateway.Execution;
using Gateway.Pipeline;
using Gateway.Planning;
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
    /// ASP.NET Core's authorization, where <c>UseAuthorization</c> stands, for every endpoint but the api's when it has
    /// nothing to decide there. The api endpoint carries no authorization metadata, so only a fallback policy could
    /// apply to it; while the host has set none (and keeps the default policy provider, which could make one up), an
    /// api request steps over the authorization middleware, which would only pass it on (after filling
    /// <c>HttpContext.Items</c> and combining no policies: 2-5 µs of CPU per request in alternating A/B runs, README's
    /// Performance), to whatever follows it. With a fallback policy every request goes through it as before.
    /// </summary>
    public static WebApplication UseGatewayAuthorization(this WebApplication app)
    {
        // The pipeline is composed from its end: what follows authorization is known before the step over it is made.
        RequestDelegate? afterAuthorization = null;
        if (AuthorizesNothingForTheApi(app.Services))
        {
            app.Use(next =>
            {
                var over = afterAuthorization ?? next;
                return context => Is(context.GetEndpoint()) ? over(context) : next(context);
            });
        }

        app.UseAuthorization();
        // Adds no step: it hands the rest of the pipeline on unchanged, noting it.
        app.Use(next => afterAuthorization = next);
        return app;
    }

    public static WebApplication MapGatewayApi(this WebApplication app)
    {
        app.Map("/{**path}", (HttpContext context, ApiPipeline pipeline) => pipeline.HandleAsync(context)).WithMetadata(Marker.Instance);
        return app;
    }

    /// <summary>Whether <paramref name="endpoint"/> is the api's catch-all, which <see cref="MapGatewayApi"/> maps.</summary>
    public static bool Is(Endpoint? endpoint) => endpoint?.Metadata.GetMetadata<Marker>() is not null;

    private static bool AuthorizesNothingForTheApi(IServiceProvider services) =>
        services.GetRequiredService<IAuthorizationPolicyProvider>().GetType() == typeof(DefaultAuthorizationPolicyProvider)
        && services.GetRequiredService<IOptions<AuthorizationOptions>>().Value.FallbackPolicy is null;

    /// <summary>Marks the api endpoint among the app's endpoints.</summary>
    private sealed class Marker
    {
        public static readonly Marker Instance = new();
    }
}
