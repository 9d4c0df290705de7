using System.Net;
using System.Text;
using System.Text.Json;
using Dapper;
using Gateway.IntegrationTests.Infrastructure;
using Gateway.IntegrationTests.Worker;

namespace Gateway.IntegrationTests.Production;

/// <summary>The request body limit, the request timeout that cancels the statement, and the row cap.</summary>
public sealed class LimitsTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    [Fact]
    public async Task A_body_larger_than_the_default_mebibyte_is_refused_with_413_and_a_json_error()
    {
        await using var gateway = Gateways.With(api, new Dictionary<string, string?>());
        var client = await Gateways.ReadyClientAsync(gateway);
        var body = "{\"x\":\"" + new string('a', 1024 * 1024) + "\"}";

        using var response = await client.PostAsync("/rpc/echo", new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        using var error = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("PGRSTX13", error.RootElement.GetProperty("code").GetString());
        Assert.Contains("1048576", error.RootElement.GetProperty("details").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_chunked_body_past_the_limit_is_stopped_by_the_server_with_413()
    {
        await using var gateway = Gateways.With(api, new Dictionary<string, string?> { ["Gateway:MaxRequestBodySize"] = "1000" }, kestrel: true);
        var client = await Gateways.ReadyClientAsync(gateway);
        // No Content-Length: the body is sent in chunks, and only counting it while it is read can find it too large.
        var content = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes("{\"x\":\"" + new string('a', 5000) + "\"}")));
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/rpc/echo") { Content = content };
        request.Headers.TransferEncodingChunked = true;

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        using var error = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("PGRSTX13", error.RootElement.GetProperty("code").GetString());
    }

    [Fact]
    public async Task A_request_past_the_timeout_answers_504_and_its_statement_is_cancelled_in_postgresql()
    {
        await using var gateway = Gateways.With(api, new Dictionary<string, string?> { ["Gateway:RequestTimeout"] = "00:00:01" });
        var client = await Gateways.ReadyClientAsync(gateway);
        await using var admin = await api.OpenAdminAsync();
        const string Running = Gateways.RunningSleeps;

        var call = client.PostAsync("/rpc/sleep", new StringContent("{\"seconds\": 31.5}", Encoding.UTF8, "application/json"));
        await Eventually.TrueAsync(async () => call.IsCompleted || await admin.ExecuteScalarAsync<long>(Running) > 0, "the sleep to start in PostgreSQL");
        using var response = await call;

        Assert.Equal(HttpStatusCode.GatewayTimeout, response.StatusCode);
        using var error = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("PGRSTX04", error.RootElement.GetProperty("code").GetString());
        // Well before the 31.5 seconds of the sleep: the gateway cancelled it.
        await Eventually.TrueAsync(async () => await admin.ExecuteScalarAsync<long>(Running) == 0, "the statement to be cancelled", TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task Reads_are_capped_at_max_rows_without_an_error()
    {
        await using var gateway = Gateways.With(api, new Dictionary<string, string?> { ["Gateway:MaxRows"] = "2" });
        var client = await Gateways.ReadyClientAsync(gateway);

        using var response = await client.GetAsync("/items?select=id&order=id");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var ids = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.EnumerateArray().Select(row => row.GetProperty("id").GetInt32());
        Assert.Equal([1, 2], ids);
        Assert.Equal("0-1/*", response.Content.Headers.GetValues("Content-Range").Single());
    }

    [Fact]
    public async Task A_capped_read_with_a_count_answers_206_with_the_total()
    {
        await using var gateway = Gateways.With(api, new Dictionary<string, string?> { ["Gateway:MaxRows"] = "2" });
        var client = await Gateways.ReadyClientAsync(gateway);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/items?select=id");
        request.Headers.Add("Prefer", "count=exact");

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.PartialContent, response.StatusCode);
        Assert.Equal("0-1/5", response.Content.Headers.GetValues("Content-Range").Single());
    }

    [Fact]
    public async Task A_smaller_limit_and_function_results_keep_within_max_rows()
    {
        await using var gateway = Gateways.With(api, new Dictionary<string, string?> { ["Gateway:MaxRows"] = "2" });
        var client = await Gateways.ReadyClientAsync(gateway);

        using var limited = await client.GetAsync("/items?select=id&limit=1");
        using var call = await client.GetAsync("/rpc/all_items?select=id");

        Assert.Single(JsonDocument.Parse(await limited.Content.ReadAsStringAsync()).RootElement.EnumerateArray());
        Assert.Equal(2, JsonDocument.Parse(await call.Content.ReadAsStringAsync()).RootElement.GetArrayLength());
    }
}
