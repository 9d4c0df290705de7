using System.Text;
using Gateway.Auth;
using Gateway.Configuration;
using static Gateway.Tests.Auth.TestAuth;

namespace Gateway.Tests.Auth;

/// <summary>The claim rules on their own, for payloads the token library would not let through to them.</summary>
public sealed class ClaimsPolicyTests
{
    private readonly ClaimsPolicy _policy = new(new GatewayOptions());

    [Theory]
    [InlineData("5")]
    [InlineData("[5]")]
    [InlineData("{}")]
    public void An_audience_that_is_not_a_string_or_array_of_strings_is_401_pgrst303(string audience)
    {
        var result = Check($"{{\"role\":\"authenticated\",\"token_use\":\"access\",\"aud\":{audience}}}");

        AssertInvalidToken(result, "PGRST303", "The JWT 'aud' claim must be a string or an array of strings");
    }

    [Theory]
    [InlineData("[1,2]")]
    [InlineData("\"claims\"")]
    [InlineData("{not json")]
    public void Claims_that_are_not_a_json_object_are_401_pgrst303(string payload)
    {
        AssertInvalidToken(Check(payload), "PGRST303", "Parsing claims failed");
    }

    [Theory]
    [InlineData("nbf", "true", "The JWT 'nbf' claim must be a number")]
    [InlineData("iat", "{}", "The JWT 'iat' claim must be a number")]
    public void Time_claims_must_be_numbers(string claim, string value, string message)
    {
        AssertInvalidToken(Check($"{{\"role\":\"authenticated\",\"token_use\":\"access\",\"{claim}\":{value}}}"), "PGRST303", message);
    }

    [Fact]
    public void A_fractional_exp_counts_its_whole_seconds()
    {
        var payload = $"{{\"role\":\"authenticated\",\"token_use\":\"access\",\"exp\":{NowSeconds - 30}.9}}";

        AssertOk(Check(payload));
        AssertInvalidToken(Check(payload, now: NowSeconds + 1), "PGRST303", "JWT expired");
    }

    [Theory]
    [InlineData("\"https://other.example/\"")]
    [InlineData("null")]
    [InlineData("5")]
    public void With_a_trusted_issuer_another_iss_is_refused(string issuer)
    {
        var payload = $"{{\"role\":\"authenticated\",\"token_use\":\"access\",\"iss\":{issuer}}}";

        AssertInvalidToken(Check(payload, issuer: "https://issuer.example/"), "PGRST303", "JWT issuer is not trusted");
    }

    [Fact]
    public void With_a_trusted_issuer_its_iss_is_accepted()
    {
        var payload = "{\"role\":\"authenticated\",\"token_use\":\"access\",\"iss\":\"https://issuer.example/\"}";

        AssertOk(Check(payload, issuer: "https://issuer.example/"));
    }

    private Gateway.Errors.Result<AuthContext> Check(string payload, string? issuer = null, long? now = null) =>
        _policy.Inspect(Encoding.UTF8.GetBytes(payload), issuer).Check(now ?? NowSeconds);
}
