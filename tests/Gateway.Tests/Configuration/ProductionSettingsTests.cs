using Gateway.Configuration;
using Microsoft.Extensions.Configuration;

namespace Gateway.Tests.Configuration;

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
    public void A_request_timeout_longer_than_a_timer_can_run_is_refused_at_start_up_not_on_every_request()
    {
        var options = Valid();
        options.RequestTimeout = TimeSpan.FromDays(50);

        var failure = Assert.Single(Validator.Validate(null, options).Failures!);

        Assert.StartsWith("Gateway__RequestTimeout must be at most 49 days", failure, StringComparison.Ordinal);
        options.RequestTimeout = TimeSpan.FromDays(49);
        Assert.True(Validator.Validate(null, options).Succeeded);
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
    public void Multiplexing_is_refused_with_a_reason_rather_than_left_to_a_gateway_that_never_gets_ready()
    {
        var options = Valid();
        options.ConnectionString = "Host=a;Username=authenticator;Multiplexing=true";

        Assert.Contains(Validator.Validate(null, options).Failures!, failure => failure.StartsWith("ConnectionStrings__Gateway sets Multiplexing", StringComparison.Ordinal));
        options.ConnectionString = "Host=a;Username=authenticator;Multiplexing=false";
        Assert.True(Validator.Validate(null, options).Succeeded);
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
    [InlineData("metrics")]
    [InlineData("/")]
    [InlineData("/metrics?format=text")]
    [InlineData("/metrics/{format}")]
    public void A_metrics_path_that_is_not_a_plain_path_is_named_at_start_up(string path)
    {
        var options = Valid();
        options.MetricsPath = path;

        Assert.Equal(["Gateway__MetricsPath must be a path such as /metrics."], Validator.Validate(null, options).Failures!);
    }

    [Theory]
    [InlineData("")]
    [InlineData("tmp")]
    [InlineData("./spill")]
    public void A_spill_directory_that_is_not_an_absolute_path_is_named_at_start_up(string directory)
    {
        var options = Valid();
        options.SpillDirectory = directory;

        Assert.Equal(
            ["Gateway__SpillDirectory must be an absolute directory path such as /tmp, or unset for the temporary directory."],
            Validator.Validate(null, options).Failures!);
    }

    [Fact]
    public void An_absolute_spill_directory_is_accepted_even_before_it_exists()
    {
        var options = Valid();
        options.SpillDirectory = "/var/tmp/gateway-spill";

        Assert.True(Validator.Validate(null, options).Succeeded);
    }

    [Theory]
    [InlineData("redis:6379")]
    [InlineData("10.0.0.5:6380,password=s3cret,ssl=true,abortConnect=false")]
    [InlineData("redis-a:6379,redis-b:6379,serviceName=primary")]
    public void A_redis_configuration_string_that_names_hosts_is_accepted(string connectionString)
    {
        var options = Valid();
        options.RedisConnectionString = connectionString;

        Assert.True(Validator.Validate(null, options).Succeeded);
    }

    [Theory]
    [InlineData("redis:6379,passwrd=s3cret", "'passwrd' is not an option")]
    [InlineData("redis:6379,connectTimeout=soon", "'connectTimeout' is not an option or has a bad value")]
    [InlineData(",", "names no host")]
    [InlineData("redis:port", "names no host")]
    [InlineData("redis://:s3cret@redis:6379", "a URL such as redis://... is not understood")]
    public void A_redis_configuration_string_that_cannot_be_used_is_named_without_quoting_it(string connectionString, string problem)
    {
        var options = Valid();
        options.RedisConnectionString = connectionString;

        var failure = Assert.Single(Validator.Validate(null, options).Failures!);

        Assert.StartsWith("ConnectionStrings__Redis ", failure, StringComparison.Ordinal);
        Assert.Contains(problem, failure, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cret", failure, StringComparison.Ordinal);
    }

    private static GatewayOptions Valid() => new() { ConnectionString = "Host=db;Username=authenticator", Jwt = { Secret = new string('k', 32) } };
}
