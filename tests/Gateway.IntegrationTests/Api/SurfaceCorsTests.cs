using Gateway.IntegrationTests.Infrastructure;
using static Gateway.IntegrationTests.Api.RpcHttp;
using static Gateway.IntegrationTests.Api.WritesHttp;

namespace Gateway.IntegrationTests.Api;

/// <summary>
/// CORS as PostgREST answers it (contract §1.10; its Cors.hs and CorsSpec): only for requests with <c>Origin</c>;
/// by default any origin (<c>*</c>) with PostgREST's expose-headers and preflight answers; with
/// <c>Gateway:Cors:AllowedOrigins</c> the listed origin echoed with credentials and other origins left without CORS headers.
/// </summary>
public sealed class SurfaceCorsTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    // PostgREST's list, then the gateway's request id and refreshed token pair, which browsers must be able to read.
    private const string ExposedHeaders =
        "Content-Encoding, Content-Location, Content-Range, Content-Type, Date, Location, Server, Transfer-Encoding, Range-Unit, "
        + "X-Request-Id, X-New-Access-Token, X-New-Refresh-Token";

    private const string AllowedMethods = "GET, POST, PATCH, PUT, DELETE, OPTIONS, HEAD";

    private const string ListedOrigin = "https://app.example";

    private readonly HttpClient anon = api.Anon();

    [Fact]
    public async Task Request_with_an_origin_gets_allow_origin_star_and_the_exposed_headers()
    {
        using var response = await anon.ReadAsync("/notes?select=id&limit=1", ("Origin", "http://example.com"));

        Assert.Equal(200, (int)response.StatusCode);
        Assert.Equal("*", Header(response, "Access-Control-Allow-Origin"));
        Assert.Equal(ExposedHeaders, Header(response, "Access-Control-Expose-Headers"));
        Assert.Null(Header(response, "Access-Control-Allow-Credentials"));
    }

    [Fact]
    public async Task Write_with_an_origin_gets_allow_origin_star_and_the_exposed_headers()
    {
        using var response = await anon.SendJsonAsync(HttpMethod.Post, "/notes", """{"id": 8001, "body": "cors"}""",
            ("Origin", "http://example.com"), ("Prefer", "return=headers-only"));

        await AssertNoBodyAsync(response, 201);
        Assert.Equal("*", Header(response, "Access-Control-Allow-Origin"));
        Assert.Equal(ExposedHeaders, Header(response, "Access-Control-Expose-Headers"));
        Assert.Equal("/notes?id=eq.8001", Header(response, "Location"));
    }

    [Fact]
    public async Task Error_response_to_a_request_with_an_origin_carries_cors_headers()
    {
        using var response = await anon.ReadAsync("/nonexistent", ("Origin", "http://example.com"));

        await AssertErrorAsync(response, 404, "PGRST205");
        Assert.Equal("*", Header(response, "Access-Control-Allow-Origin"));
    }

    [Fact]
    public async Task Request_without_an_origin_gets_no_cors_headers()
    {
        using var response = await anon.ReadAsync("/notes?select=id&limit=1");

        Assert.Equal(200, (int)response.StatusCode);
        Assert.Null(Header(response, "Access-Control-Allow-Origin"));
        Assert.Null(Header(response, "Access-Control-Expose-Headers"));
        Assert.Null(Header(response, "Access-Control-Allow-Credentials"));
    }

    [Fact]
    public async Task Preflight_answers_methods_requested_headers_after_authorization_and_max_age()
    {
        using var response = await PreflightAsync(anon, "http://example.com", "content-type,prefer");

        await AssertNoBodyAsync(response, 200);
        Assert.Equal("*", Header(response, "Access-Control-Allow-Origin"));
        Assert.Equal(AllowedMethods, Header(response, "Access-Control-Allow-Methods"));
        Assert.Equal("Authorization, content-type, prefer, Accept, Accept-Language, Content-Language",
            Header(response, "Access-Control-Allow-Headers"));
        Assert.Equal("86400", Header(response, "Access-Control-Max-Age"));
    }

    [Fact]
    public async Task Preflight_keeps_the_order_of_spaced_requested_headers()
    {
        using var response = await PreflightAsync(anon, "http://example.com", "Foo, Bar");

        Assert.Equal(200, (int)response.StatusCode);
        Assert.Equal("Authorization, Foo, Bar, Accept, Accept-Language, Content-Language", Header(response, "Access-Control-Allow-Headers"));
    }

    [Fact]
    public async Task Preflight_without_requested_headers_allows_authorization_and_the_simple_headers()
    {
        using var response = await PreflightAsync(anon, "http://example.com", null);

        Assert.Equal(200, (int)response.StatusCode);
        Assert.Equal("Authorization, Accept, Accept-Language, Content-Language", Header(response, "Access-Control-Allow-Headers"));
    }

    [Fact]
    public async Task Preflight_is_answered_before_authentication()
    {
        // A browser sends no credentials on a preflight; a broken token must not turn it into a 401.
        var client = api.Anon().WithAuthorization("Bearer not-a-jwt");

        using var response = await PreflightAsync(client, "http://example.com", "authorization");

        Assert.Equal(200, (int)response.StatusCode);
        Assert.Equal("*", Header(response, "Access-Control-Allow-Origin"));
    }

    [Fact]
    public async Task Listed_origin_is_echoed_with_credentials()
    {
        await using var factory = await api.WithSettingsAsync(("Gateway:Cors:AllowedOrigins:0", ListedOrigin));

        using var response = await factory.CreateClient().ReadAsync("/notes?select=id&limit=1", ("Origin", ListedOrigin));

        Assert.Equal(200, (int)response.StatusCode);
        Assert.Equal(ListedOrigin, Header(response, "Access-Control-Allow-Origin"));
        Assert.Equal("true", Header(response, "Access-Control-Allow-Credentials"));
        Assert.Equal(ExposedHeaders, Header(response, "Access-Control-Expose-Headers"));
    }

    [Fact]
    public async Task Unlisted_origin_gets_no_cors_headers()
    {
        await using var factory = await api.WithSettingsAsync(("Gateway:Cors:AllowedOrigins:0", ListedOrigin));

        using var response = await factory.CreateClient().ReadAsync("/notes?select=id&limit=1", ("Origin", "https://evil.example"));

        Assert.Equal(200, (int)response.StatusCode);
        Assert.Null(Header(response, "Access-Control-Allow-Origin"));
        Assert.Null(Header(response, "Access-Control-Allow-Credentials"));
        Assert.Null(Header(response, "Access-Control-Expose-Headers"));
    }

    [Fact]
    public async Task Preflight_from_a_listed_origin_echoes_it_with_credentials()
    {
        await using var factory = await api.WithSettingsAsync(("Gateway:Cors:AllowedOrigins:0", ListedOrigin));

        using var response = await PreflightAsync(factory.CreateClient(), ListedOrigin, "content-type");

        Assert.Equal(200, (int)response.StatusCode);
        Assert.Equal(ListedOrigin, Header(response, "Access-Control-Allow-Origin"));
        Assert.Equal("true", Header(response, "Access-Control-Allow-Credentials"));
        Assert.Equal(AllowedMethods, Header(response, "Access-Control-Allow-Methods"));
        Assert.Equal("86400", Header(response, "Access-Control-Max-Age"));
    }

    [Fact]
    public async Task Preflight_from_an_unlisted_origin_gets_no_cors_headers()
    {
        await using var factory = await api.WithSettingsAsync(("Gateway:Cors:AllowedOrigins:0", ListedOrigin));

        using var response = await PreflightAsync(factory.CreateClient(), "https://evil.example", "content-type");

        Assert.Null(Header(response, "Access-Control-Allow-Origin"));
        Assert.Null(Header(response, "Access-Control-Allow-Methods"));
        Assert.Null(Header(response, "Access-Control-Allow-Credentials"));
    }

    private static Task<HttpResponseMessage> PreflightAsync(HttpClient client, string origin, string? requestHeaders)
    {
        var headers = new List<(string, string)> { ("Origin", origin), ("Access-Control-Request-Method", "POST") };
        if (requestHeaders is not null)
        {
            headers.Add(("Access-Control-Request-Headers", requestHeaders));
        }

        return client.ReadAsync(HttpMethod.Options, "/notes", [.. headers]);
    }
}
