using Gateway.IntegrationTests.Infrastructure;
using static Gateway.IntegrationTests.Api.RpcHttp;
using static Gateway.IntegrationTests.Api.WritesHttp;

namespace Gateway.IntegrationTests.Api;

/// <summary>
/// OPTIONS (contract §1.8, §1.9; PostgREST's Response.hs <c>respondInfo</c>): <c>Allow</c> lists what PostgreSQL can
/// do through the view (insertable, updatable, deletable, and PUT only with a primary key) or what the function's
/// volatility permits, whoever asks; an empty 200 with <c>Access-Control-Allow-Origin: *</c>; 404 for what does not exist.
/// </summary>
public sealed class SurfaceOptionsTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    private readonly HttpClient anon = api.Anon();

    [Fact]
    public async Task Options_on_a_writable_view_with_a_primary_key_allows_every_method()
    {
        using var response = await anon.SendAsync(HttpMethod.Options, "/notes");

        await AssertNoBodyAsync(response, 200);
        Assert.Equal("OPTIONS,GET,HEAD,POST,PUT,PATCH,DELETE", Header(response, "Allow"));
    }

    [Fact]
    public async Task Options_on_a_writable_view_without_primary_key_allows_every_method_but_put()
    {
        using var response = await anon.SendAsync(HttpMethod.Options, "/note_bodies");

        await AssertNoBodyAsync(response, 200);
        Assert.Equal("OPTIONS,GET,HEAD,POST,PATCH,DELETE", Header(response, "Allow"));
    }

    [Fact]
    public async Task Options_on_a_view_postgresql_cannot_write_through_allows_reads_only()
    {
        using var response = await anon.SendAsync(HttpMethod.Options, "/note_tags");

        await AssertNoBodyAsync(response, 200);
        Assert.Equal("OPTIONS,GET,HEAD", Header(response, "Allow"));
    }

    [Fact]
    public async Task Options_lists_what_the_view_permits_not_what_the_caller_may_do()
    {
        // anon holds no privilege on api.todos; Allow still describes the view.
        using var response = await anon.SendAsync(HttpMethod.Options, "/todos");

        await AssertNoBodyAsync(response, 200);
        Assert.Equal("OPTIONS,GET,HEAD,POST,PUT,PATCH,DELETE", Header(response, "Allow"));
    }

    [Fact]
    public async Task Options_on_a_volatile_function_allows_post_only()
    {
        using var response = await anon.SendAsync(HttpMethod.Options, "/rpc/bump");

        await AssertNoBodyAsync(response, 200);
        Assert.Equal("OPTIONS,POST", Header(response, "Allow"));
    }

    [Fact]
    public async Task Options_on_a_stable_function_allows_get_head_and_post()
    {
        using var response = await anon.SendAsync(HttpMethod.Options, "/rpc/whoami");

        await AssertNoBodyAsync(response, 200);
        Assert.Equal("OPTIONS,GET,HEAD,POST", Header(response, "Allow"));
    }

    [Fact]
    public async Task Options_on_an_immutable_function_allows_get_head_and_post()
    {
        using var response = await anon.SendAsync(HttpMethod.Options, "/rpc/add");

        await AssertNoBodyAsync(response, 200);
        Assert.Equal("OPTIONS,GET,HEAD,POST", Header(response, "Allow"));
    }

    [Fact]
    public async Task Options_on_the_root_allows_reads()
    {
        using var response = await anon.SendAsync(HttpMethod.Options, "/");

        await AssertNoBodyAsync(response, 200);
        Assert.Equal("OPTIONS,GET,HEAD", Header(response, "Allow"));
    }

    [Fact]
    public async Task Options_answers_with_content_length_0()
    {
        using var response = await anon.SendAsync(HttpMethod.Options, "/notes");

        Assert.Equal(0, response.Content.Headers.ContentLength);
    }

    [Fact]
    public async Task Options_answers_access_control_allow_origin_star_even_without_an_origin()
    {
        using var response = await anon.SendAsync(HttpMethod.Options, "/notes");

        Assert.Equal(200, (int)response.StatusCode);
        Assert.Equal("*", Header(response, "Access-Control-Allow-Origin"));
    }

    [Fact]
    public async Task Options_on_an_unknown_view_returns_404_PGRST205()
    {
        using var response = await anon.SendAsync(HttpMethod.Options, "/nonexistent");

        var error = await AssertErrorAsync(response, 404, "PGRST205");
        Assert.Equal("Could not find the table 'api.nonexistent' in the schema cache", error.Message);
    }

    [Fact]
    public async Task Options_on_an_unknown_function_returns_404_PGRST202()
    {
        using var response = await anon.SendAsync(HttpMethod.Options, "/rpc/nonexistent");

        await AssertErrorAsync(response, 404, "PGRST202");
    }

    [Fact]
    public async Task Options_on_a_deeper_path_returns_404_PGRST125()
    {
        using var response = await anon.SendAsync(HttpMethod.Options, "/notes/1");

        await AssertErrorAsync(response, 404, "PGRST125");
    }
}
