using Gateway.Configuration;
using Gateway.Hosting;
using Gateway.Tests.Configuration;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Gateway.Tests.Hosting;

/// <summary>How the gateway lives in a container: the server and host settings it takes, its health probe, its request ids.</summary>
public sealed class HostingTests
{
    [Fact]
    public void The_server_body_limit_and_the_shutdown_bound_are_the_validated_settings()
    {
        using var app = Build(("Gateway:MaxRequestBodySize", "2048"), ("Gateway:ShutdownTimeout", "00:00:07"));

        Assert.Equal(2048, app.Services.GetRequiredService<IOptions<KestrelServerOptions>>().Value.Limits.MaxRequestBodySize);
        Assert.Equal(TimeSpan.FromSeconds(7), app.Services.GetRequiredService<IOptions<HostOptions>>().Value.ShutdownTimeout);
    }

    [Fact]
    public void A_bad_setting_the_host_needs_is_named_while_the_app_is_built()
    {
        // The host takes its shutdown bound as it is built, before anything could start with a bad value.
        var invalid = Assert.Throws<OptionsValidationException>(() => Build(("Gateway:ShutdownTimeout", "-00:00:01"), ("Gateway:MaxRequestBodySize", "0")));

        Assert.Contains(invalid.Failures, failure => failure.StartsWith("Gateway__ShutdownTimeout ", StringComparison.Ordinal));
        Assert.Contains(invalid.Failures, failure => failure.StartsWith("Gateway__MaxRequestBodySize ", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("http://127.0.0.1:5000", null, "http://127.0.0.1:5000/health/live")]
    [InlineData("http://+:8080;https://+:8443", null, "http://127.0.0.1:8080/health/live")]
    [InlineData("http://[::]:9000/", null, "http://127.0.0.1:9000/health/live")]
    [InlineData(null, "8081", "http://127.0.0.1:8081/health/live")]
    [InlineData(null, null, "http://127.0.0.1:8080/health/live")]
    public void The_health_probe_asks_the_first_listening_port_on_loopback(string? urls, string? ports, string expected) =>
        Assert.Equal(expected, HealthProbe.LocalUrl(urls, ports));

    [Theory]
    [InlineData("3f2a9c0e7b2d4c1a8e6f5d4c3b2a1908", true)]
    [InlineData("req-1:edge/42", true)]
    [InlineData("", false)]
    [InlineData("two words", false)]
    [InlineData("caf\u00e9", false)]
    [InlineData("line\nbreak", false)]
    public void A_request_id_from_the_proxy_is_used_only_when_short_and_printable(string id, bool acceptable) =>
        Assert.Equal(acceptable, RequestIds.IsAcceptable(id));

    private static WebApplication Build(params (string Key, string Value)[] settings) =>
        GatewayApps.Build(settings, builder => builder.AddGatewayOptions().AddGatewayHosting());
}
