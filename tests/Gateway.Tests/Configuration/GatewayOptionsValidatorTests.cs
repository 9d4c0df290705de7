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

    [Theory]
    [InlineData("https://keys.example/jwks.json", null)]
    [InlineData(null, "https://issuer.example/realms/app")]
    public void A_jwks_url_or_an_authority_makes_the_secret_optional(string? jwksUrl, string? authority)
    {
        var options = Options("Host=db", null);
        (options.Jwt.JwksUrl, options.Jwt.Authority) = (jwksUrl, authority);

        Assert.True(Validator.Validate(null, options).Succeeded);
    }

    [Fact]
    public void A_short_secret_is_refused_even_beside_a_jwks_url()
    {
        var options = Options("Host=db", "short");
        options.Jwt.JwksUrl = "https://keys.example/jwks.json";

        Assert.Contains(Validator.Validate(null, options).Failures!, failure => failure.Contains("shorter than 32 bytes", StringComparison.Ordinal));
    }

    [Fact]
    public void Every_auth_problem_is_reported_at_once_with_its_key()
    {
        var options = Options(null, null);
        options.AnonRole = " ";
        options.Jwt.JwksUrl = "http://keys.example/jwks.json";
        options.Jwt.Authority = "not a url";
        options.Jwt.RoleClaim = "$.a[";
        options.Jwt.AllowedRoles = ["authenticated", "postgres", "pg_read_all_data"];
        options.Jwt.CacheMaxEntries = -1;
        options.Jwt.KeysRefreshInterval = TimeSpan.FromMinutes(1);
        options.Jwt.KeysMinimumRefreshInterval = TimeSpan.Zero;

        var failures = Validator.Validate(null, options).Failures!.ToList();

        string[] expected =
        [
            "ConnectionStrings__Gateway", "Gateway__AnonRole is empty", "are both set", "Gateway__Jwt__JwksUrl must use https",
            "Gateway__Jwt__Authority is not an absolute", "Gateway__Jwt__RoleClaim", "must not contain 'postgres'",
            "must not contain 'pg_read_all_data'", "Gateway__Jwt__CacheMaxEntries", "Gateway__Jwt__KeysRefreshInterval",
            "Gateway__Jwt__KeysMinimumRefreshInterval",
        ];
        Assert.All(expected, key => Assert.Contains(failures, failure => failure.Contains(key, StringComparison.Ordinal)));
        Assert.Equal(expected.Length, failures.Count);
    }

    [Fact]
    public void Plain_http_key_urls_are_allowed_when_https_is_not_required()
    {
        var options = Options("Host=db", null);
        options.Jwt.JwksUrl = "http://localhost:8080/jwks.json";
        options.Jwt.RequireHttpsMetadata = false;

        Assert.True(Validator.Validate(null, options).Succeeded);
    }

    [Theory]
    [InlineData("authenticator")]
    [InlineData("gateway_owner")]
    public void The_anon_role_cannot_be_a_login_or_owner(string role)
    {
        var options = Options("Host=db", new string('k', 32));
        options.AnonRole = role;

        Assert.Contains(Validator.Validate(null, options).Failures!, failure => failure.Contains("Gateway__AnonRole", StringComparison.Ordinal));
    }

    private static GatewayOptions Options(string? connectionString, string? secret) => new()
    {
        ConnectionString = connectionString,
        Jwt = new GatewayOptions.JwtOptions { Secret = secret },
    };
}
