using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using Gateway.IntegrationTests.Infrastructure;
using Gateway.IntegrationTests.Worker;

namespace Gateway.IntegrationTests.Production;

/// <summary>/metrics in Prometheus' text format: the gateway's own instruments and Npgsql's pool.</summary>
public sealed class MetricsTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    private static readonly Dictionary<string, string?> Defaults = new();

    [Fact]
    public async Task The_metrics_count_the_request_just_made_by_kind_and_status()
    {
        await using var gateway = Gateways.With(api, Defaults);
        var client = await Gateways.ReadyClientAsync(gateway);
        var before = Sum(await ScrapeAsync(client), "gateway_request_duration_seconds_count", "kind=\"rpc\"", "status=\"404\"");

        using var response = await client.GetAsync("/rpc/not_a_function");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        await Eventually.ValueAsync(
            () => ScrapeAsync(client),
            text => Sum(text, "gateway_request_duration_seconds_count", "kind=\"rpc\"", "status=\"404\"") >= before + 1,
            Eventually.DefaultBound,
            "the 404 of /rpc/not_a_function in gateway_request_duration_seconds_count");
        var text = await ScrapeAsync(client);
        Assert.Contains("gateway_request_duration_seconds_bucket{", text, StringComparison.Ordinal);
        Assert.Contains("# TYPE gateway_requests_in_flight gauge", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_in_flight_gauge_counts_a_request_while_it_is_being_answered()
    {
        await using var gateway = Gateways.With(api, Defaults);
        var client = await Gateways.ReadyClientAsync(gateway);
        using var stop = new CancellationTokenSource();
        using var slow = new HttpRequestMessage(HttpMethod.Post, "/rpc/sleep")
        {
            Content = new StringContent("""{"seconds": 60}""", System.Text.Encoding.UTF8, "application/json"),
        };
        slow.Headers.Authorization = new AuthenticationHeaderValue("Bearer", api.Token(1));
        var answered = client.SendAsync(slow, stop.Token);

        // The scrape is in flight itself; the sleeping call makes a second (other tests' hosts can only add to it).
        await Eventually.ValueAsync(
            () => ScrapeAsync(client),
            text => Sum(text, "gateway_requests_in_flight") >= 2,
            Eventually.DefaultBound,
            "gateway_requests_in_flight counting the sleeping call and the scrape");
        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => answered);
    }

    [Fact]
    public async Task The_metrics_show_catalog_loads_pool_usage_and_refused_tokens_by_reason()
    {
        await using var gateway = Gateways.With(api, Defaults);
        var client = await Gateways.ReadyClientAsync(gateway);
        using var refused = new HttpRequestMessage(HttpMethod.Get, "/items");
        refused.Headers.Authorization = new AuthenticationHeaderValue("Bearer", api.Token(1) + "x");

        using var response = await client.SendAsync(refused);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        await Eventually.TrueAsync(
            async () => Sum(await ScrapeAsync(client), "gateway_jwt_failures_total", "reason=\"signature\"") >= 1,
            "a signature failure in gateway_jwt_failures_total");
        var text = await ScrapeAsync(client);
        Assert.True(Sum(text, "gateway_catalog_reloads_total", "outcome=\"loaded\"") >= 1, text);
        Assert.True(Sum(text, "gateway_catalog_load_duration_seconds_count") >= 1, text);
        // Npgsql's own instruments: connections of the pool by state, the pool's size, operation durations; not its
        // byte counters, which cost every request.
        Assert.Contains("db_client_connection", text, StringComparison.Ordinal);
        Assert.True(Sum(text, "db_client_operation_duration_seconds_count") >= 1, text);
        Assert.DoesNotContain("db_client_operation_npgsql_bytes", text, StringComparison.Ordinal);
        // The runtime's: the GC heap and the process's memory, which a soak watches for growth.
        Assert.True(Sum(text, "dotnet_gc_last_collection_heap_size_bytes") > 0, text);
        Assert.True(Sum(text, "dotnet_process_memory_working_set_bytes") > 0, text);
    }

    internal static async Task<string> ScrapeAsync(HttpClient client)
    {
        using var response = await client.GetAsync("/metrics");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync();
    }

    /// <summary>The sum of the samples of <paramref name="metric"/> whose labels contain all of <paramref name="labels"/>.</summary>
    internal static double Sum(string text, string metric, params string[] labels) => text
        .Split('\n')
        .Where(line => line.StartsWith(metric + "{", StringComparison.Ordinal) || line.StartsWith(metric + " ", StringComparison.Ordinal))
        .Where(line => labels.All(label => line.Contains(label, StringComparison.Ordinal)))
        .Sum(ValueOf);

    // name{labels} value [timestamp]
    private static double ValueOf(string line)
    {
        var afterLabels = line.Contains('}', StringComparison.Ordinal) ? line[(line.LastIndexOf('}') + 1)..] : line[line.IndexOf(' ', StringComparison.Ordinal)..];
        return double.Parse(afterLabels.Split(' ', StringSplitOptions.RemoveEmptyEntries)[0], CultureInfo.InvariantCulture);
    }
}
