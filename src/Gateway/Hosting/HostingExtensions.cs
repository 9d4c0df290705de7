using System.Net;
using Gateway.Configuration;
using Gateway.Shared;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;

namespace Gateway.Hosting;

/// <summary>
/// How the gateway lives in a container behind a reverse proxy: JSON logs on stdout, the request body limit, the
/// shutdown bound, forwarded headers from trusted proxies only, a path base, and the request id.
/// </summary>
internal static class HostingExtensions
{
    /// <summary>
    /// The gateway's log levels, below every other configuration source (<see cref="ConsoleLogging"/>): they hold
    /// wherever the program is started from (appsettings.json is read from the working directory only). The
    /// host's own request lines (<c>Microsoft.AspNetCore.Hosting.Diagnostics</c>) name the query string, which the
    /// gateway's request log never does; and while that category is on at all, ASP.NET Core gives every request an
    /// <c>Activity</c> and a log scope that nothing reads without an OTLP collector.
    /// </summary>
    private static readonly Dictionary<string, string?> LogLevels = new(StringComparer.Ordinal)
    {
        ["Logging:LogLevel:Default"] = "Information",
        ["Logging:LogLevel:Microsoft.AspNetCore"] = "Warning",
        ["Logging:LogLevel:Microsoft.AspNetCore.Hosting.Diagnostics"] = "None",
        ["Logging:LogLevel:Npgsql"] = "Warning",
    };

    public static WebApplicationBuilder AddGatewayHosting(this WebApplicationBuilder builder)
    {
        builder.AddJsonConsoleLogging(LogLevels);
        builder.AddRequestIdLogScope();
        builder.Services.AddSingleton<RequestIds>();

        // The host and the server are made while the app is built, so the options are validated then.
        builder.Services.AddOptions<HostOptions>().Configure<IOptions<GatewayOptions>>((host, gateway) =>
            host.ShutdownTimeout = gateway.Value.ShutdownTimeout);
        builder.Services.AddOptions<KestrelServerOptions>().Configure<IOptions<GatewayOptions>>((kestrel, gateway) =>
            kestrel.Limits.MaxRequestBodySize = gateway.Value.MaxRequestBodySize);

        builder.Services.AddOptions<ForwardedHeadersOptions>().Configure<IOptions<GatewayOptions>>((forwarded, gateway) =>
        {
            var trusted = gateway.Value.ForwardedHeaders;
            // ASP.NET Core trusts loopback by default; only what is configured is trusted here.
            forwarded.KnownProxies.Clear();
            forwarded.KnownIPNetworks.Clear();
            forwarded.ForwardedHeaders = trusted.IsEnabled ? ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto : ForwardedHeaders.None;
            // Walk back through X-Forwarded-For while the hop is a trusted proxy; the first other address is the client.
            forwarded.ForwardLimit = null;
            foreach (var proxy in trusted.KnownProxies)
            {
                forwarded.KnownProxies.Add(IPAddress.Parse(proxy));
            }

            foreach (var network in trusted.KnownNetworks)
            {
                forwarded.KnownIPNetworks.Add(System.Net.IPNetwork.Parse(network));
            }
        });
        return builder;
    }

    /// <summary>
    /// Forwarded headers (when proxies are trusted), then the path base, then routing, so that everything after sees
    /// the client's address, the path without the prefix, and the endpoint (the request id comes with the request
    /// log, first after routing: <see cref="Observability.RequestLogMiddleware"/>).
    /// </summary>
    public static WebApplication UseGatewayHosting(this WebApplication app)
    {
        var options = app.Services.GetRequiredService<IOptions<GatewayOptions>>().Value;
        // Without a trusted proxy the middleware would only read the headers it then ignores, on every request.
        if (options.ForwardedHeaders.IsEnabled)
        {
            app.UseForwardedHeaders();
        }

        if (options.PathBase is { Length: > 0 } pathBase)
        {
            app.UsePathBase(pathBase);
        }

        app.UseRouting();
        return app;
    }
}
