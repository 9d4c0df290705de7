using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;

namespace Gateway.Worker.Metrics;

internal static class MetricsExtensions
{
    public static WebApplicationBuilder AddWorkerMetrics(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<WorkerMetrics>();
        builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService("gateway-worker"))
            .WithMetrics(metrics => metrics
            .AddMeter(WorkerMetrics.MeterName)
            .AddPrometheusExporter());
        return builder;
    }

    /// <summary><c>/metrics</c> in Prometheus' text format, on the same private endpoint as the health checks.</summary>
    public static WebApplication MapWorkerMetrics(this WebApplication app)
    {
        app.MapPrometheusScrapingEndpoint();
        return app;
    }
}
