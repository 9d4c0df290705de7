using System.Net;
using Gateway.IntegrationTests.Infrastructure;
using Gateway.IntegrationTests.Worker;
using Microsoft.Extensions.Logging;

namespace Gateway.IntegrationTests.Production;

/// <summary>
/// Rate limits counted in a real Redis (<c>ConnectionStrings:Redis</c>): gateways sharing it enforce one limit, and
/// when it goes away the API keeps answering, limited in-process, with one log line each way.
/// </summary>
public sealed class SharedRateLimitTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    private const int SharedEvent = 3020;
    private const int LocalEvent = 3021;
    private const int SharedAgainEvent = 3022;

    [SkippableFact]
    public async Task Two_gateways_sharing_redis_enforce_one_limit_per_caller()
    {
        RedisServer.SkipUnlessInstalled();
        using var redis = await RedisServer.StartAsync();
        await using var first = Gateways.With(api, Settings(redis, permits: 3));
        await using var second = Gateways.With(api, Settings(redis, permits: 3));
        var one = await Gateways.ReadyClientAsync(first);
        var two = await Gateways.ReadyClientAsync(second);
        var caller = api.Token(401);

        var statuses = new List<HttpStatusCode>();
        foreach (var client in new[] { one, two, one, two, one })
        {
            using var response = await SendAsync(client, caller);
            statuses.Add(response.StatusCode);
        }

        using var refused = await SendAsync(two, caller);
        using var otherCaller = await SendAsync(two, api.Token(402));

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests, HttpStatusCode.TooManyRequests], statuses);
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.InRange(refused.Headers.RetryAfter?.Delta ?? TimeSpan.Zero, TimeSpan.FromSeconds(1), TimeSpan.FromHours(1));
        Assert.Contains("\"PGRSTX29\"", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, otherCaller.StatusCode);
    }

    [SkippableFact]
    public async Task When_redis_stops_requests_are_served_and_limited_in_process_and_it_is_logged_once()
    {
        RedisServer.SkipUnlessInstalled();
        using var redis = await RedisServer.StartAsync();
        var logs = new StructuredLogs();
        await using var gateway = Gateways.With(api, Settings(redis, permits: 3), logs);
        var client = await Gateways.ReadyClientAsync(gateway);
        using (var counted = await SendAsync(client, api.Token(411)))
        {
            Assert.Equal(HttpStatusCode.OK, counted.StatusCode);
        }

        Assert.Single(logs.Entries, entry => entry.Event.Id == SharedEvent);
        Assert.Equal(1, await SharedGaugeAsync(client));

        var beforeStop = logs.Entries.Count;
        redis.Stop();
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 4; i++)
        {
            using var response = await SendAsync(client, api.Token(412));
            statuses.Add(response.StatusCode);
        }

        for (var caller = 420; caller < 430; caller++)
        {
            using var response = await SendAsync(client, api.Token(caller));
            statuses.Add(response.StatusCode);
        }

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests], statuses.Take(4));
        Assert.All(statuses.Skip(4), status => Assert.Equal(HttpStatusCode.OK, status));
        var fellBack = Assert.Single(logs.Entries, entry => entry.Event.Id == LocalEvent);
        Assert.Equal(LogLevel.Warning, fellBack.Level);
        Assert.DoesNotContain(logs.Entries.Skip(beforeStop), entry => entry.Level >= LogLevel.Error);
        Assert.Equal(0, await SharedGaugeAsync(client));

        await redis.RestartAsync();
        var next = 430;
        await Eventually.TrueAsync(
            async () =>
            {
                using var response = await SendAsync(client, api.Token(next++));
                return response.StatusCode == HttpStatusCode.OK && logs.Entries.Any(entry => entry.Event.Id == SharedAgainEvent);
            },
            "the gateway to count in Redis again");
        Assert.Single(logs.Entries, entry => entry.Event.Id == SharedAgainEvent);
        Assert.Single(logs.Entries, entry => entry.Event.Id == LocalEvent);
        Assert.Equal(1, await SharedGaugeAsync(client));
    }

    [Fact]
    public async Task A_gateway_whose_redis_does_not_answer_at_start_up_serves_limited_in_process()
    {
        var logs = new StructuredLogs();
        var settings = RateLimitTests.Limit("authenticated", 2);
        settings["ConnectionStrings:Redis"] = $"127.0.0.1:{RedisServer.FreePort()},connectTimeout=1000";
        await using var gateway = Gateways.With(api, settings, logs);
        var client = await Gateways.ReadyClientAsync(gateway);

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 3; i++)
        {
            using var response = await SendAsync(client, api.Token(441));
            statuses.Add(response.StatusCode);
        }

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests], statuses);
        Assert.Single(logs.Entries, entry => entry.Event.Id == LocalEvent);
        Assert.DoesNotContain(logs.Entries, entry => entry.Event.Id == SharedEvent);
    }

    [Fact]
    public async Task A_redis_connection_string_that_cannot_be_read_stops_the_start_naming_the_key()
    {
        var settings = RateLimitTests.Limit("anon", 3);
        settings["ConnectionStrings:Redis"] = "redis:6379,passwrd=secret";
        await using var gateway = Gateways.With(api, settings);

        var refused = Assert.ThrowsAny<Exception>(() => gateway.CreateClient());

        var message = refused.ToString();
        Assert.Contains("ConnectionStrings__Redis is not a StackExchange.Redis configuration string: 'passwrd'", message, StringComparison.Ordinal);
        Assert.DoesNotContain("secret", message, StringComparison.Ordinal);
    }

    private static Dictionary<string, string?> Settings(RedisServer redis, int permits)
    {
        var settings = RateLimitTests.Limit("authenticated", permits);
        settings["ConnectionStrings:Redis"] = redis.ConnectionString;
        return settings;
    }

    private static async Task<double> SharedGaugeAsync(HttpClient client) =>
        MetricsTests.Sum(await client.GetStringAsync("/metrics"), "gateway_rate_limit_shared");

    private static Task<HttpResponseMessage> SendAsync(HttpClient client, string token) => RateLimitTests.SendAsync(client, token);
}
