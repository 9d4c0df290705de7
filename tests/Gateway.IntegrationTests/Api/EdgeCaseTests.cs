using System.Net;
using System.Text;
using Dapper;
using Gateway.IntegrationTests.Infrastructure;
using Microsoft.AspNetCore.Hosting;

namespace Gateway.IntegrationTests.Api;

/// <summary>Cases a review of the pipeline found: each pins behaviour that was wrong before.</summary>
public sealed class EdgeCaseTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    [Fact]
    public async Task Counting_the_result_of_a_volatile_function_runs_it_once()
    {
        var before = await CounterAsync();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/rpc/bump") { Content = Json("{}") };
        request.Headers.Add("Prefer", "count=exact");

        using var response = await api.Anon().SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(before + 1, await CounterAsync());
        Assert.Equal((before + 1).ToString(System.Globalization.CultureInfo.InvariantCulture), await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Max_affected_on_a_call_of_a_function_that_is_not_set_returning_is_400_PGRST128_and_rolled_back()
    {
        var before = await CounterAsync();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/rpc/bump") { Content = Json("{}") };
        request.Headers.Add("Prefer", "handling=strict, max-affected=0");

        using var response = await api.Anon().SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("\"PGRST128\"", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(before, await CounterAsync());
    }

    [Fact]
    public async Task An_empty_patch_needs_no_delete_privilege()
    {
        using var request = new HttpRequestMessage(HttpMethod.Patch, "/note_updates?id=eq.1") { Content = Json("{}") };

        using var response = await api.Anon().SendAsync(request);

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
    }

    [Fact]
    public async Task A_call_with_thousands_of_unknown_keys_gets_a_short_404()
    {
        var body = "{" + string.Join(",", Enumerable.Range(0, 5000).Select(i => $"\"key_{i}\":1")) + "}";

        using var response = await api.Anon().PostAsync("/rpc/add", Json(body));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.True((await response.Content.ReadAsStringAsync()).Length < 4096, "the error should name only a few of the keys");
    }

    [Fact]
    public async Task A_range_up_to_the_largest_integer_returns_every_row()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/items?select=id");
        request.Headers.TryAddWithoutValidation("Range", "0-9223372036854775807");

        using var response = await api.Anon().SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("0-4/*", response.Content.Headers.GetValues("Content-Range").Single());
    }

    [Fact]
    public async Task Vary_keeps_origin_when_cors_echoes_a_listed_origin()
    {
        await using var factory = api.Factory.WithWebHostBuilder(b => b.UseSetting("Gateway:Cors:AllowedOrigins:0", "https://app.example"));
        var client = factory.CreateClient();
        await ApiFixture.WaitUntilReadyAsync(client);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/items?select=id&id=eq.1");
        request.Headers.Add("Origin", "https://app.example");

        using var response = await client.SendAsync(request);

        var vary = string.Join(", ", response.Headers.Vary);
        Assert.Contains("Origin", vary, StringComparison.Ordinal);
        Assert.Contains("Accept", vary, StringComparison.Ordinal);
    }

    private async Task<int> CounterAsync()
    {
        await using var admin = await api.OpenAdminAsync();
        return await admin.ExecuteScalarAsync<int>("select n from demo.fixture_counter");
    }

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");
}
