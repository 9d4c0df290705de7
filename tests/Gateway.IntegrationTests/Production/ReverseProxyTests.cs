using System.Net;
using Gateway.IntegrationTests.Infrastructure;
using Gateway.IntegrationTests.Worker;

namespace Gateway.IntegrationTests.Production;

/// <summary>
/// Behind a reverse proxy, on a real socket of 127.0.0.1: X-Forwarded-For is believed only from a configured proxy,
/// and the api can be mounted under a path prefix.
/// </summary>
public sealed class ReverseProxyTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    [Fact]
    public async Task A_trusted_proxy_s_forwarded_address_is_the_client_for_rate_limits_and_the_log()
    {
        var logs = new StructuredLogs();
        var settings = RateLimitTests.Limit("anon", 1);
        settings["Gateway:ForwardedHeaders:KnownProxies:0"] = "127.0.0.1";
        await using var gateway = Gateways.With(api, settings, logs, kestrel: true);
        var client = await Gateways.ReadyClientAsync(gateway);

        using var first = await GetFromAsync(client, "203.0.113.10", "fwd-1");
        using var other = await GetFromAsync(client, "203.0.113.11", "fwd-2");
        using var again = await GetFromAsync(client, "203.0.113.10", "fwd-3");

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, other.StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, again.StatusCode);
        Assert.Equal("203.0.113.10", (await LineAsync(logs, "fwd-1")).Field("Client"));
    }

    [Fact]
    public async Task An_untrusted_proxy_s_forwarded_address_is_ignored()
    {
        var logs = new StructuredLogs();
        var settings = RateLimitTests.Limit("anon", 1);
        settings["Gateway:ForwardedHeaders:KnownProxies:0"] = "10.11.12.13";
        await using var gateway = Gateways.With(api, settings, logs, kestrel: true);
        var client = await Gateways.ReadyClientAsync(gateway);

        using var first = await GetFromAsync(client, "203.0.113.20", "untrusted-1");
        using var second = await GetFromAsync(client, "203.0.113.21", "untrusted-2");

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        // Both came from 127.0.0.1, whatever they claimed: one caller, one permit.
        Assert.Equal(HttpStatusCode.TooManyRequests, second.StatusCode);
        Assert.Equal("127.0.0.1", (await LineAsync(logs, "untrusted-1")).Field("Client"));
    }

    [Fact]
    public async Task Without_configured_proxies_forwarded_headers_are_ignored_even_from_loopback()
    {
        var logs = new StructuredLogs();
        await using var gateway = Gateways.With(api, new Dictionary<string, string?>(), logs, kestrel: true);
        var client = await Gateways.ReadyClientAsync(gateway);

        using var response = await GetFromAsync(client, "203.0.113.30", "none-1");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("127.0.0.1", (await LineAsync(logs, "none-1")).Field("Client"));
    }

    [Fact]
    public async Task With_a_path_base_the_api_and_health_answer_under_the_prefix()
    {
        await using var gateway = Gateways.With(api, new Dictionary<string, string?> { ["Gateway:PathBase"] = "/api/v1" }, kestrel: true);
        var client = gateway.CreateClient();
        await Eventually.TrueAsync(async () => (await client.GetAsync("/api/v1/health/ready")).IsSuccessStatusCode, "readiness under the prefix");

        using var read = await client.GetAsync("/api/v1/items?select=id&id=eq.3");
        using var call = await client.GetAsync("/api/v1/rpc/add?a=1&b=2");

        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        Assert.Equal("[{\"id\":3}]", await read.Content.ReadAsStringAsync());
        Assert.Equal("3", await call.Content.ReadAsStringAsync());
    }

    private static Task<HttpResponseMessage> GetFromAsync(HttpClient client, string forwardedFor, string requestId)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/items?limit=1");
        request.Headers.Add("X-Forwarded-For", forwardedFor);
        request.Headers.Add("X-Request-Id", requestId);
        return client.SendAsync(request);
    }

    private static async Task<StructuredLogs.Entry> LineAsync(StructuredLogs logs, string requestId)
    {
        var lines = await Eventually.ValueAsync(
            () => Task.FromResult(logs.Requests.Where(e => e.Field("RequestId") == requestId).ToList()),
            found => found.Count > 0,
            TimeSpan.FromSeconds(10),
            $"the request log line of {requestId}");
        return Assert.Single(lines);
    }
}
