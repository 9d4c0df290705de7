using System.Net;
using System.Text;
using System.Text.Json;
using Gateway.IntegrationTests.Infrastructure;

namespace Gateway.IntegrationTests.Api;

public sealed class RpcBodyTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    [Fact]
    public async Task Post_with_columns_uses_only_the_named_keys_and_ignores_the_rest()
    {
        using var response = await api.Anon().PostAsync("/rpc/add?columns=a,b", Json("""{"a": 2, "b": 3, "unrelated": "x"}"""));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("5", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Post_without_columns_and_with_an_extra_key_finds_no_function()
    {
        using var response = await api.Anon().PostAsync("/rpc/add", Json("""{"a": 2, "b": 3, "unrelated": "x"}"""));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Post_with_a_form_urlencoded_body_passes_its_fields_as_arguments()
    {
        using var body = new FormUrlEncodedContent([new("a", "4"), new("b", "5")]);

        using var response = await api.Anon().PostAsync("/rpc/add", body);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("9", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Post_with_an_array_body_calls_with_its_first_element()
    {
        using var response = await api.Anon().PostAsync("/rpc/add", Json("""[{"a": 1, "b": 1}, {"a": 5, "b": 5}]"""));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("2", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_single_unnamed_json_parameter_receives_an_array_body_whole()
    {
        using var response = await api.Anon().PostAsync("/rpc/echo", Json("""[1, {"a": 2}]"""));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(2, body.RootElement.GetArrayLength());
    }

    [Fact]
    public async Task Count_planned_reports_the_planner_estimate_as_the_total()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/items?select=id&limit=2");
        request.Headers.Add("Prefer", "count=planned");

        using var response = await api.Anon().SendAsync(request);

        var range = response.Content.Headers.TryGetValues("Content-Range", out var values) || response.Headers.TryGetValues("Content-Range", out values)
            ? values.Single()
            : throw new Xunit.Sdk.XunitException("no Content-Range");
        Assert.Matches(@"^0-1/\d+$", range);
        Assert.True(long.Parse(range.Split('/')[1], System.Globalization.CultureInfo.InvariantCulture) > 0);
        Assert.Equal("count=planned", response.Headers.GetValues("Preference-Applied").Single());
    }

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");
}
