using Gateway.Configuration;
using Microsoft.Extensions.Options;
using Npgsql;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Gateway.Observability;

internal static class ObservabilityExtensions
{
    private const string ServiceName = "gateway";

    /// <summary>The most tag combinations a metric keeps; more are counted under <c>otel.metric.overflow</c>.</summary>
    public const int MetricPointsPerMetric = 200;

    private const string NpgsqlMeter = "Npgsql";

    private static readonly HashSet<string> UnrecordedNpgsqlInstruments =
        ["db.client.operation.npgsql.bytes_read", "db.client.operation.npgsql.bytes_written"];

    /// <summary>
    /// Metrics through OpenTelemetry: the gateway's own meter, the runtime's and Npgsql's (connection pool usage, command durations),
    /// for Prometheus to scrape. Traces of requests and their SQL (ASP.NET Core and Npgsql instrumentation) are
    /// recorded only when an OTLP collector is configured (<c>Gateway:Otlp:Endpoint</c> or the standard
    /// <c>OTEL_EXPORTER_OTLP_ENDPOINT</c>), and go there with the metrics.
    /// </summary>
    public static WebApplicationBuilder AddGatewayObservability(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<GatewayMetrics>();
        // Which exporters and instruments exist is decided while services are registered, before validation.
        var settings = builder.Configuration.ReadGatewayOptions();
        var otlp = settings.Otlp;

        var telemetry = builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(ServiceName))
            .WithMetrics(metrics =>
            {
                metrics
                    .AddMeter(GatewayMetrics.MeterName)
                    // The runtime's own meter (.NET 9+): GC heap, allocations, working set, thread pool, for leaks and soaks.
                    .AddMeter("System.Runtime")
                    .AddNpgsqlInstrumentation()
                    // OpenTelemetry allocates every metric's points up front, 2,000 by default: 144 KB each, 5.6 MB for the
                    // ~40 metrics here, all of it kept. None of them has more than a few dozen tag combinations (route
                    // kind x status, role, reason, pool state, GC generation); 200 points each is 0.6 MB.
                    // Npgsql's byte counters are left out: counted on every buffer flush and read, they were a third of
                    // the metrics' cost per request and say little that the operation durations do not.
                    .AddView(instrument => instrument.Meter.Name == NpgsqlMeter && UnrecordedNpgsqlInstruments.Contains(instrument.Name)
                        ? MetricStreamConfiguration.Drop
                        : new MetricStreamConfiguration { CardinalityLimit = MetricPointsPerMetric })
                    // Each scrape sees the requests answered just before it.
                    .AddPrometheusExporter(prometheus => prometheus.ScrapeResponseCacheDurationMilliseconds = 0);
                if (otlp.Exports)
                {
                    ExportMetrics(metrics, otlp);
                }
            });

        if (otlp.Exports)
        {
            telemetry.WithTracing(tracing => tracing
                .AddAspNetCoreInstrumentation(aspNetCore => aspNetCore.Filter = context =>
                    !context.Request.Path.StartsWithSegments("/health", StringComparison.OrdinalIgnoreCase)
                    && !context.Request.Path.Equals(settings.MetricsPath, StringComparison.OrdinalIgnoreCase))
                // Statements are traced as text with $1, $2 placeholders: client values are parameters, never recorded.
                .AddNpgsql()
                .AddOtlpExporter(exporter => Configure(exporter, otlp, "v1/traces")));
        }

        return builder;
    }

    /// <summary>The request id, the request log and the request metrics, around everything after routing.</summary>
    public static WebApplication UseGatewayObservability(this WebApplication app)
    {
        app.UseMiddleware<RequestLogMiddleware>();
        return app;
    }

    /// <summary><c>/metrics</c> (<c>Gateway:MetricsPath</c>) in Prometheus' text format.</summary>
    public static WebApplication MapGatewayMetrics(this WebApplication app)
    {
        app.MapPrometheusScrapingEndpoint(app.Services.GetRequiredService<IOptions<GatewayOptions>>().Value.MetricsPath);
        return app;
    }

    // Apart, so that without a collector nothing compiled at start-up refers to the OTLP exporter, which is then never loaded.
    private static void ExportMetrics(MeterProviderBuilder metrics, OtlpSettings otlp) =>
        metrics.AddOtlpExporter(exporter => Configure(exporter, otlp, "v1/metrics"));

    /// <summary>
    /// <c>Gateway:Otlp</c> when set; otherwise the exporter reads the standard <c>OTEL_EXPORTER_OTLP_*</c> variables
    /// itself. An endpoint given in code is used as is for HTTP, so the signal's path is appended here.
    /// </summary>
    private static void Configure(OtlpExporterOptions exporter, OtlpSettings otlp, string signalPath)
    {
        if (otlp.Endpoint is not { Length: > 0 } endpoint || !Uri.TryCreate(endpoint, UriKind.Absolute, out var uri))
        {
            return;
        }

        if (otlp.Protocol == "http/protobuf")
        {
            exporter.Protocol = OtlpExportProtocol.HttpProtobuf;
            exporter.Endpoint = new Uri(uri.AbsoluteUri.TrimEnd('/') + "/" + signalPath);
        }
        else
        {
            exporter.Protocol = OtlpExportProtocol.Grpc;
            exporter.Endpoint = uri;
        }
    }
}
