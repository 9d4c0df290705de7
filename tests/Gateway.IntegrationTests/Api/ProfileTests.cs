using System.Net;
using System.Text.Json;
using Gateway.IntegrationTests.Infrastructure;

namespace Gateway.IntegrationTests.Api;

public sealed class ProfileTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    [Fact]
    public async Task Accept_profile_naming_the_exposed_schema_is_served()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/items?select=id&id=eq.1");
        request.Headers.Add("Accept-Profile", "api");

        using var response = await api.Anon().SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("[{\"id\":1}]", await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("accounts")]
    [InlineData("internal")]
    [InlineData("public")]
    public async Task Accept_profile_naming_another_schema_returns_406_PGRST106(string schema)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/items");
        request.Headers.Add("Accept-Profile", schema);

        using var response = await api.Anon().SendAsync(request);

        Assert.Equal(HttpStatusCode.NotAcceptable, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("PGRST106", body.RootElement.GetProperty("code").GetString());
        Assert.Equal("The schema must be one of the following: api", body.RootElement.GetProperty("message").GetString());
    }

    [Fact]
    public async Task Content_profile_naming_another_schema_on_a_post_returns_406_PGRST106()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/rpc/add")
        {
            Content = new StringContent("{\"a\":1,\"b\":2}", System.Text.Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("Content-Profile", "queues");

        using var response = await api.Anon().SendAsync(request);

        Assert.Equal(HttpStatusCode.NotAcceptable, response.StatusCode);
    }
}
