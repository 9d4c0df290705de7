using Gateway.Configuration;
using Gateway.Execution;
using Gateway.Pipeline;
using Gateway.Planning;
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

    public static WebApplication MapGatewayApi(this WebApplication app)
    {
        app.Map("/{**path}", (HttpContext context, ApiPipeline pipeline) => pipeline.HandleAsync(context));
        return app;
    }
}
