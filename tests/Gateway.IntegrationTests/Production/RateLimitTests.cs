using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Gateway.IntegrationTests.Infrastructure;
using Gateway.IntegrationTests.Worker;

namespace Gateway.IntegrationTests.Production;

/// <summary>Rate limits per role, partitioned by the token's subject or the client's address.</summary>
public sealed class RateLimitTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    [Fact]
    public async Task Past_the_limit_a_caller_gets_429_with_Retry_After_and_a_postgrest_shaped_error()
    {
        await using var gateway = Gateways.With(api, Limit("anon", 2));
        var client = await Gateways.ReadyClientAsync(gateway);

        using var first = await client.GetAsync("/items?limit=1");
        using var second = await client.GetAsync("/items?limit=1");
        using var third = await client.GetAsync("/items?limit=1");

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, third.StatusCode);
        Assert.True(third.Headers.RetryAfter?.Delta >= TimeSpan.FromSeconds(1), "Retry-After must give whole seconds to wait");
        Assert.StartsWith("application/json", third.Content.Headers.ContentType?.ToString(), StringComparison.Ordinal);
        using var error = JsonDocument.Parse(await third.Content.ReadAsStringAsync());
        Assert.Equal("PGRSTX29", error.RootElement.GetProperty("code").GetString());
        Assert.Equal("Too many requests", error.RootElement.GetProperty("message").GetString());
        Assert.True(error.RootElement.TryGetProperty("details", out _) && error.RootElement.TryGetProperty("hint", out _));
        await Eventually.TrueAsync(
            async () => MetricsTests.Sum(await client.GetStringAsync("/metrics"), "gateway_rate_limit_rejections_total", "role=\"anon\"") >= 1,
            "the rejection in gateway_rate_limit_rejections_total");
    }

    [Fact]
    public async Task Signed_in_callers_are_limited_by_their_token_s_subject()
    {
        await using var gateway = Gateways.With(api, Limit("authenticated", 1));
        var client = await Gateways.ReadyClientAsync(gateway);

        using var firstOfOne = await SendAsync(client, api.Token(101));
        using var secondOfOne = await SendAsync(client, api.Token(101));
        using var firstOfTwo = await SendAsync(client, api.Token(102));

        Assert.Equal(HttpStatusCode.OK, firstOfOne.StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, secondOfOne.StatusCode);
        Assert.Equal(HttpStatusCode.OK, firstOfTwo.StatusCode);
    }

    [Fact]
    public async Task A_role_without_a_limit_and_the_health_checks_are_not_limited()
    {
        await using var gateway = Gateways.With(api, Limit("anon", 1));
        var client = await Gateways.ReadyClientAsync(gateway);

        for (var i = 0; i < 3; i++)
        {
            using var signedIn = await SendAsync(client, api.Token(103));
            using var health = await client.GetAsync("/health/live");
            Assert.Equal(HttpStatusCode.OK, signedIn.StatusCode);
            Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        }
    }

    internal static Dictionary<string, string?> Limit(string role, int permits) => new()
    {
        [$"Gateway:RateLimits:{role}:PermitLimit"] = permits.ToString(System.Globalization.CultureInfo.InvariantCulture),
        // Long enough that the window never turns over during a test.
        [$"Gateway:RateLimits:{role}:Window"] = "01:00:00",
    };

    /// <summary>A one-row read of the fixture's <c>items</c> with a bearer token.</summary>
    internal static Task<HttpResponseMessage> SendAsync(HttpClient client, string token)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/items?limit=1");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client.SendAsync(request);
    }
}
