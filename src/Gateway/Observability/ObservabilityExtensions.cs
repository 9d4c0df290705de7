using Gateway.Configuration;
using Npgsql;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Gateway.Observability;

internal static class ObservabilityExtensions
{
    private const string ServiceName = "gateway";

    /// <summary>
    /// Metrics through OpenTelemetry: the gateway's own meter and Npgsql's (connection pool usage, command durations),
    /// for Prometheus to scrape. Traces of requests and their SQL (ASP.NET Core and Npgsql instrumentation) are
    /// recorded only when an OTLP collector is configured (<c>Gateway:Otlp:Endpoint</c> or the standard
    /// <c>OTEL_EXPORTER_OTLP_ENDPOINT</c>), and go there with the metrics.
    /// </summary>
    public static WebApplicationBuilder AddGatewayObservability(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<GatewayMetrics>();
        var configuration = builder.Configuration;
        var gatewayEndpoint = configuration["Gateway:Otlp:Endpoint"];
        var exportsOtlp = !string.IsNullOrWhiteSpace(gatewayEndpoint)
            || !string.IsNullOrWhiteSpace(configuration["OTEL_EXPORTER_OTLP_ENDPOINT"])
            || !string.IsNullOrWhiteSpace(configuration["OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"]);
        var metricsPath = configuration["Gateway:MetricsPath"] is { Length: > 0 } path ? path : GatewayOptions.DefaultMetricsPath;

        var telemetry = builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(ServiceName))
            .WithMetrics(metrics =>
            {
                metrics
                    .AddMeter(GatewayMetrics.MeterName)
                    .AddNpgsqlInstrumentation()
                    // Each scrape sees the requests answered just before it.
                    .AddPrometheusExporter(prometheus => prometheus.ScrapeResponseCacheDurationMilliseconds = 0);
                if (exportsOtlp)
                {
                    metrics.AddOtlpExporter(otlp => Configure(otlp, configuration, "v1/metrics"));
                }
            });

        if (exportsOtlp)
        {
            telemetry.WithTracing(tracing => tracing
                .AddAspNetCoreInstrumentation(aspNetCore => aspNetCore.Filter = context =>
                    !context.Request.Path.StartsWithSegments("/health", StringComparison.OrdinalIgnoreCase)
                    && !context.Request.Path.Equals(metricsPath, StringComparison.OrdinalIgnoreCase))
                // Statements are traced as text with $1, $2 placeholders: client values are parameters, never recorded.
                .AddNpgsql()
                .AddOtlpExporter(otlp => Configure(otlp, configuration, "v1/traces")));
        }

        return builder;
    }

    /// <summary>The request log and request metrics, around everything that follows.</summary>
    public static WebApplication UseGatewayObservability(this WebApplication app)
    {
        app.UseMiddleware<RequestLogMiddleware>();
        return app;
    }

    /// <summary><c>/metrics</c> (<c>Gateway:MetricsPath</c>) in Prometheus' text format.</summary>
    public static WebApplication MapGatewayMetrics(this WebApplication app)
    {
        var path = app.Configuration["Gateway:MetricsPath"] is { Length: > 0 } configured ? configured : GatewayOptions.DefaultMetricsPath;
        app.MapPrometheusScrapingEndpoint(path);
        return app;
    }

    /// <summary>
    /// <c>Gateway:Otlp</c> when set; otherwise the exporter reads the standard <c>OTEL_EXPORTER_OTLP_*</c> variables
    /// itself. An endpoint given in code is used as is for HTTP, so the signal's path is appended here.
    /// </summary>
    private static void Configure(OtlpExporterOptions otlp, IConfiguration configuration, string signalPath)
    {
        if (configuration["Gateway:Otlp:Endpoint"] is not { Length: > 0 } endpoint || !Uri.TryCreate(endpoint, UriKind.Absolute, out var uri))
        {
            return;
        }

        if (configuration["Gateway:Otlp:Protocol"] == "http/protobuf")
        {
            otlp.Protocol = OtlpExportProtocol.HttpProtobuf;
            otlp.Endpoint = new Uri(uri.AbsoluteUri.TrimEnd('/') + "/" + signalPath);
        }
        else
        {
            otlp.Protocol = OtlpExportProtocol.Grpc;
            otlp.Endpoint = uri;
        }
    }
}
