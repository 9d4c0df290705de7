using System.Text.Json;
using Gateway.Auth;

namespace Gateway.Tests.Auth;

public sealed class RoleClaimPathTests
{
    private const string Claims = """
        {"role":"top","app":{"role":"nested","roles":["first","second"]},"https://x.example/role":"by-url","a.b":"dotted-name"}
        """;

    [Theory]
    [InlineData("role", "top")]
    [InlineData("app.role", "nested")]
    [InlineData(".app.role", "nested")]
    [InlineData("$.app.role", "nested")]
    [InlineData("$.app.roles[1]", "second")]
    [InlineData("app.roles[0]", "first")]
    [InlineData("$['https://x.example/role']", "by-url")]
    [InlineData("$[\"a.b\"]", "dotted-name")]
    [InlineData("$['app'].role", "nested")]
    public void A_path_finds_its_value(string text, string expected)
    {
        Assert.True(RoleClaimPath.TryParse(text, out var path, out var problem), problem);
        using var claims = JsonDocument.Parse(Claims);

        Assert.True(path.TryFind(claims.RootElement, out var value));
        Assert.Equal(expected, value.GetString());
    }

    [Theory]
    [InlineData("missing")]
    [InlineData("app.missing")]
    [InlineData("role.deeper")]
    [InlineData("app.roles[2]")]
    [InlineData("app[0]")]
    public void A_path_to_nothing_finds_nothing(string text)
    {
        Assert.True(RoleClaimPath.TryParse(text, out var path, out _));
        using var claims = JsonDocument.Parse(Claims);

        Assert.False(path.TryFind(claims.RootElement, out _));
    }

    [Theory]
    [InlineData("")]
    [InlineData("$")]
    [InlineData("a..b")]
    [InlineData("$.")]
    [InlineData("$[")]
    [InlineData("$['x'")]
    [InlineData("$[x]")]
    [InlineData("$[-1]")]
    [InlineData("$.a[?(@ == 'x')]")]
    [InlineData("$x")]
    public void A_malformed_path_is_refused_with_a_reason(string text)
    {
        Assert.False(RoleClaimPath.TryParse(text, out _, out var problem));
        Assert.False(string.IsNullOrEmpty(problem));
    }
}
