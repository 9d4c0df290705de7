using Gateway.Configuration;

namespace Gateway.Tests.Configuration;

public sealed class GatewayOptionsValidatorTests
{
    private static readonly GatewayOptionsValidator Validator = new();

    [Fact]
    public void Complete_options_are_valid()
    {
        var result = Validator.Validate(null, Options("Host=db;Username=authenticator", new string('k', 32)));

        Assert.True(result.Succeeded);
    }

    [Fact]
    public void Missing_connection_string_and_secret_are_both_reported_with_their_keys()
    {
        var result = Validator.Validate(null, Options(null, null));

        Assert.True(result.Failed);
        Assert.Contains(result.Failures!, failure => failure.Contains("ConnectionStrings__Gateway", StringComparison.Ordinal));
        Assert.Contains(result.Failures!, failure => failure.Contains("Gateway__Jwt__Secret is missing", StringComparison.Ordinal));
    }

    [Fact]
    public void A_jwt_secret_shorter_than_32_bytes_is_refused()
    {
        var result = Validator.Validate(null, Options("Host=db", new string('k', 31)));

        Assert.True(result.Failed);
        Assert.Contains(result.Failures!, failure => failure.Contains("shorter than 32 bytes", StringComparison.Ordinal));
    }

    private static GatewayOptions Options(string? connectionString, string? secret) => new()
    {
        ConnectionString = connectionString,
        Jwt = new GatewayOptions.JwtOptions { Secret = secret },
    };
}
