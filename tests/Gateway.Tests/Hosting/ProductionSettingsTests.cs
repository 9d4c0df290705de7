using Gateway.Configuration;
using Gateway.Hosting;
using Microsoft.Extensions.Configuration;

namespace Gateway.Tests.Hosting;

public sealed class ProductionSettingsTests
{
    private static readonly GatewayOptionsValidator Validator = new();

    [Fact]
    public void The_defaults_are_valid_limits_off_and_refresh_off()
    {
        var options = Valid();

        Assert.True(Validator.Validate(null, options).Succeeded);
        Assert.Equal(1024 * 1024, options.MaxRequestBodySize);
        Assert.Equal(TimeSpan.FromSeconds(30), options.RequestTimeout);
        Assert.Null(options.MaxRows);
        Assert.Empty(options.RateLimits);
        Assert.False(options.ForwardedHeaders.IsEnabled);
        Assert.False(options.TokenRefresh.Enabled);
        Assert.Equal("refresh_tokens", options.TokenRefresh.Function);
    }

    [Fact]
    public void Every_bad_production_setting_is_reported_at_once_with_its_key()
    {
        var options = Valid();
        options.MaxRequestBodySize = 0;
        options.RequestTimeout = TimeSpan.Zero;
        options.MaxRows = 0;
        options.PathBase = "api/";
        options.ShutdownTimeout = TimeSpan.FromSeconds(-1);
        options.ForwardedHeaders.KnownProxies.Add("proxy.local");
        options.ForwardedHeaders.KnownNetworks.Add("10.0.0.0/99");
        options.RateLimits["anon"] = new RateLimitSettings { PermitLimit = 0, Window = TimeSpan.Zero };
        options.TokenRefresh.Enabled = true;
        options.TokenRefresh.Function = " ";
        options.TokenRefresh.RefreshTokenHeader = "X Refresh";
        options.Otlp.Endpoint = "collector:4317";
        options.Otlp.Protocol = "udp";

        var failures = Validator.Validate(null, options).Failures!.ToList();

        foreach (var key in new[]
        {
            "Gateway__MaxRequestBodySize", "Gateway__RequestTimeout", "Gateway__MaxRows", "Gateway__PathBase",
            "Gateway__ShutdownTimeout", "Gateway__ForwardedHeaders__KnownProxies", "Gateway__ForwardedHeaders__KnownNetworks",
            "Gateway__RateLimits__anon__PermitLimit", "Gateway__RateLimits__anon__Window", "Gateway__TokenRefresh__Function",
            "Gateway__TokenRefresh__RefreshTokenHeader", "Gateway__Otlp__Endpoint", "Gateway__Otlp__Protocol",
        })
        {
            Assert.Contains(failures, failure => failure.StartsWith(key, StringComparison.Ordinal));
        }
    }

    [Fact]
    public void Several_hosts_with_target_session_attributes_are_refused()
    {
        var options = Valid();
        options.ConnectionString = "Host=a,b;Username=authenticator;Target Session Attributes=primary";

        Assert.Contains(Validator.Validate(null, options).Failures!, failure => failure.Contains("Target Session Attributes", StringComparison.Ordinal));
    }

    [Fact]
    public void Values_of_the_wrong_type_are_all_named_instead_of_stopping_at_the_first()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["MaxRows"] = "lots",
            ["RequestTimeout"] = "soon",
            ["RateLimits:anon:PermitLimit"] = "ten",
            ["TokenRefresh:Enabled"] = "yes please",
            ["AnonRole"] = "web_anon",
        }).Build();
        var options = new GatewayOptions();

        SettingsBinder.Bind(configuration, options);

        Assert.Equal("web_anon", options.AnonRole);
        Assert.Contains("Gateway__MaxRows cannot be read as a whole number.", options.BindingProblems);
        Assert.Contains("Gateway__RequestTimeout cannot be read as a duration (hh:mm:ss).", options.BindingProblems);
        Assert.Contains("Gateway__RateLimits__anon__PermitLimit cannot be read as a whole number.", options.BindingProblems);
        Assert.Contains("Gateway__TokenRefresh__Enabled cannot be read as true or false.", options.BindingProblems);
        options.ConnectionString = "Host=db";
        options.Jwt.Secret = new string('k', 32);
        Assert.Equal(4, Validator.Validate(null, options).Failures!.Count(f => f.Contains("cannot be read", StringComparison.Ordinal)));
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
        Assert.Equal(acceptable, RequestIdMiddleware.IsAcceptable(id));

    private static GatewayOptions Valid() => new() { ConnectionString = "Host=db;Username=authenticator", Jwt = { Secret = new string('k', 32) } };
}
