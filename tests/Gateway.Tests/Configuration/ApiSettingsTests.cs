using Gateway.Configuration;
using Gateway.OpenApi;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Gateway.Tests.Configuration;

/// <summary>
/// The settings of what the api serves (<c>Gateway:Schema</c>, <c>ServerTiming</c>, <c>AllowTransactionOverride</c>,
/// <c>Cors:AllowedOrigins</c>, <c>OpenApi:Mode</c>), bound and checked as start-up binds and checks them: a bad value
/// is named by its environment variable, beside every other problem.
/// </summary>
public sealed class ApiSettingsTests
{
    [Fact]
    public void Unset_they_serve_the_api_schema_to_any_origin_without_timing_or_rollback()
    {
        var options = Start();

        Assert.Equal("api", options.Schema);
        Assert.False(options.ServerTiming);
        Assert.False(options.AllowTransactionOverride);
        Assert.Empty(options.Cors.AllowedOrigins);
        Assert.Equal(OpenApiMode.FollowPrivileges, options.OpenApi.Mode);
    }

    [Fact]
    public void Each_is_read_from_its_key()
    {
        var options = Start(
            ("Gateway:Schema", "shop"),
            ("Gateway:ServerTiming", "true"),
            ("Gateway:AllowTransactionOverride", "True"),
            ("Gateway:Cors:AllowedOrigins:0", "https://app.example.com"),
            ("Gateway:Cors:AllowedOrigins:1", "http://localhost:5173"),
            ("Gateway:OpenApi:Mode", "ignoreprivileges"));

        Assert.Equal("shop", options.Schema);
        Assert.True(options.ServerTiming);
        Assert.True(options.AllowTransactionOverride);
        Assert.Equal(["https://app.example.com", "http://localhost:5173"], options.Cors.AllowedOrigins);
        Assert.Equal(OpenApiMode.IgnorePrivileges, options.OpenApi.Mode);
    }

    [Fact]
    public void Schema_with_a_nul_byte_is_named_at_start_up()
    {
        Assert.Contains("Gateway__Schema contains a NUL character", Problem(("Gateway:Schema", "api\0"))!, StringComparison.Ordinal);
    }

    [Fact]
    public void Schema_longer_than_63_bytes_is_named_at_start_up()
    {
        // 32 characters, 64 bytes in UTF-8: PostgreSQL counts bytes.
        Assert.Contains("Gateway__Schema is longer than 63 bytes", Problem(("Gateway:Schema", new string('é', 32)))!, StringComparison.Ordinal);
    }

    [Fact]
    public void Schema_of_63_bytes_is_valid()
    {
        Assert.Null(Problem(("Gateway:Schema", new string('s', 63))));
    }

    [Theory]
    [InlineData("")]
    [InlineData("  ")]
    public void An_empty_schema_is_named_at_start_up(string schema)
    {
        Assert.Contains("Gateway__Schema is empty", Problem(("Gateway:Schema", schema))!, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Gateway:ServerTiming", "Gateway__ServerTiming")]
    [InlineData("Gateway:AllowTransactionOverride", "Gateway__AllowTransactionOverride")]
    public void A_switch_that_is_not_true_or_false_is_named_at_start_up(string key, string variable)
    {
        Assert.Equal($"{variable} cannot be read as true or false.", Problem((key, "yes")));
    }

    [Theory]
    [InlineData("Everything")]
    [InlineData("7")]
    public void An_openapi_mode_that_is_not_one_of_the_modes_is_named_at_start_up(string mode)
    {
        Assert.Equal(
            "Gateway__OpenApi__Mode cannot be read as one of FollowPrivileges, IgnorePrivileges, Disabled.",
            Problem(("Gateway:OpenApi:Mode", mode)));
    }

    [Theory]
    [InlineData("https://app.example.com")]
    [InlineData("http://localhost:5173")]
    [InlineData("https://app.example.com:8443")]
    [InlineData("http://[::1]:8080")]
    [InlineData("HTTPS://App.Example.com")]
    public void A_cors_origin_written_as_browsers_send_it_is_valid(string origin)
    {
        Assert.Null(Problem(("Gateway:Cors:AllowedOrigins:0", origin)));
    }

    [Theory]
    [InlineData("*")]
    [InlineData("null")]
    [InlineData("app.example.com")]
    [InlineData("https://app.example.com/")]
    [InlineData("https://app.example.com/app")]
    [InlineData("https://app.example.com?x=1")]
    [InlineData("https://app.example.com:443")]
    [InlineData("https://user@app.example.com")]
    [InlineData("ftp://files.example.com")]
    public void A_cors_origin_that_no_browser_would_send_is_named_at_start_up(string origin)
    {
        Assert.StartsWith($"Gateway__Cors__AllowedOrigins has '{origin}', which is not an origin", Problem(("Gateway:Cors:AllowedOrigins:0", origin)), StringComparison.Ordinal);
    }

    [Fact]
    public void Every_bad_api_setting_is_named_at_once()
    {
        var problems = ProblemsAtStartUp(
            ("Gateway:Schema", ""),
            ("Gateway:ServerTiming", "on"),
            ("Gateway:AllowTransactionOverride", "1"),
            ("Gateway:Cors:AllowedOrigins:0", "*"),
            ("Gateway:OpenApi:Mode", "All"));

        Assert.Equal(5, problems.Count);
        foreach (var variable in new[] { "Gateway__Schema", "Gateway__ServerTiming", "Gateway__AllowTransactionOverride", "Gateway__Cors__AllowedOrigins", "Gateway__OpenApi__Mode" })
        {
            Assert.Contains(problems, problem => problem.StartsWith(variable + " ", StringComparison.Ordinal));
        }
    }

    /// <summary>The options start-up binds from these settings, beside a valid login and secret; they must be valid.</summary>
    private static GatewayOptions Start(params (string Key, string Value)[] settings)
    {
        using var app = Build(settings);
        return app.Services.GetRequiredService<IOptions<GatewayOptions>>().Value;
    }

    /// <summary>The one problem start-up names for these settings, or null when it names none.</summary>
    private static string? Problem(params (string Key, string Value)[] settings) => ProblemsAtStartUp(settings) switch
    {
        [] => null,
        [var problem] => problem,
        var problems => throw new Xunit.Sdk.XunitException("More than one problem: " + string.Join(" | ", problems)),
    };

    private static IReadOnlyList<string> ProblemsAtStartUp(params (string Key, string Value)[] settings)
    {
        using var app = Build(settings);
        try
        {
            _ = app.Services.GetRequiredService<IOptions<GatewayOptions>>().Value;
            return [];
        }
        catch (OptionsValidationException invalid)
        {
            return invalid.Failures.ToList();
        }
    }

    private static WebApplication Build((string Key, string Value)[] settings) =>
        GatewayApps.Build(settings, builder => builder.AddGatewayOptions());
}
