using System.Globalization;
using System.Text.Json.Nodes;
using Gateway.IntegrationTests.Infrastructure;
using static Gateway.IntegrationTests.Api.RpcHttp;

namespace Gateway.IntegrationTests.Api;

/// <summary>
/// One transaction per request (contract §2): read-only for GET/HEAD and for stable/immutable functions, the role
/// and the request GUCs set transaction-locally (so nothing leaks across pooled connections), committed when the
/// request succeeds and rolled back when it fails; <c>response.headers</c>/<c>response.status</c> shape the reply.
/// api.whoami reports what the function sees.
/// </summary>
public sealed class TransactionTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    [Fact]
    public async Task Get_without_token_runs_read_only_as_anon_with_claims_of_role_anon()
    {
        var me = await WhoamiAsync(api.Anon(), HttpMethod.Get);

        Assert.Equal("anon", (string?)me["role"]);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"role": "anon"}"""), me["claims"]), me["claims"]?.ToJsonString());
        Assert.Equal("on", (string?)me["read_only"]);
    }

    [Fact]
    public async Task Get_with_token_runs_as_authenticated_with_the_token_claims()
    {
        var me = await WhoamiAsync(api.As(4242), HttpMethod.Get);

        Assert.Equal("authenticated", (string?)me["role"]);
        Assert.Equal("4242", (string?)me["claims"]!["sub"]);
        Assert.Equal("authenticated", (string?)me["claims"]!["role"]);
        Assert.Equal("access", (string?)me["claims"]!["token_use"]);
    }

    [Fact]
    public async Task Request_method_and_path_are_set_for_get()
    {
        var me = await WhoamiAsync(api.Anon(), HttpMethod.Get);

        Assert.Equal("GET", (string?)me["method"]);
        Assert.Equal("/rpc/whoami", (string?)me["path"]);
    }

    [Fact]
    public async Task Request_method_and_path_are_set_for_post()
    {
        var me = await WhoamiAsync(api.Anon(), HttpMethod.Post);

        Assert.Equal("POST", (string?)me["method"]);
        Assert.Equal("/rpc/whoami", (string?)me["path"]);
    }

    [Fact]
    public async Task Request_headers_are_a_json_object_with_lower_cased_names()
    {
        var me = await WhoamiAsync(api.Anon(), HttpMethod.Get, request =>
        {
            request.Headers.TryAddWithoutValidation("X-Custom-Header", "Some Value");
            request.Headers.TryAddWithoutValidation("Cookie", "session=abc");
        });

        var headers = me["headers"]!.AsObject();
        Assert.Equal("Some Value", (string?)headers["x-custom-header"]);
        Assert.All(headers.Select(h => h.Key), name => Assert.Equal(name.ToLowerInvariant(), name));
    }

    [Fact]
    public async Task Request_headers_leave_out_the_cookie_header()
    {
        var me = await WhoamiAsync(api.Anon(), HttpMethod.Get,
            request => request.Headers.TryAddWithoutValidation("Cookie", "session=abc"));

        Assert.False(me["headers"]!.AsObject().ContainsKey("cookie"), me["headers"]!.ToJsonString());
    }

    [Fact]
    public async Task Request_cookies_are_a_json_object_of_the_cookie_header()
    {
        var me = await WhoamiAsync(api.Anon(), HttpMethod.Get,
            request => request.Headers.TryAddWithoutValidation("Cookie", "session=abc; theme=dark"));

        Assert.True(
            JsonNode.DeepEquals(JsonNode.Parse("""{"session": "abc", "theme": "dark"}"""), me["cookies"]),
            me["cookies"]?.ToJsonString());
    }

    [Fact]
    public async Task Request_cookies_are_an_empty_object_without_a_cookie_header()
    {
        var me = await WhoamiAsync(api.Anon(), HttpMethod.Get);

        Assert.Equal("{}", me["cookies"]!.ToJsonString());
    }

    [Fact]
    public async Task Request_headers_carry_quotes_backslashes_and_markup_intact()
    {
        const string Value = "say \"hi\" \\ <b>&amp; 'x'";
        var me = await WhoamiAsync(api.Anon(), HttpMethod.Get, request => request.Headers.TryAddWithoutValidation("X-Odd", Value));

        Assert.Equal(Value, (string?)me["headers"]!["x-odd"]);
    }

    [Fact]
    public async Task Post_of_a_stable_function_runs_read_only()
    {
        var me = await WhoamiAsync(api.Anon(), HttpMethod.Post);

        Assert.Equal("on", (string?)me["read_only"]);
    }

    [Fact]
    public async Task Post_of_a_volatile_function_writes_and_commits()
    {
        var before = await api.CounterAsync();

        using var response = await api.Anon().PostJsonAsync("/rpc/bump", "{}");

        await AssertJsonEqualAsync(response, (before + 1).ToString(CultureInfo.InvariantCulture));
        Assert.Equal(before + 1, await api.CounterAsync());
    }

    [Fact]
    public async Task Get_of_a_volatile_function_that_writes_returns_405_25006_and_writes_nothing()
    {
        var before = await api.CounterAsync();

        using var response = await api.Anon().GetAsync("/rpc/bump");

        var error = await AssertErrorAsync(response, 405, "25006");
        Assert.Equal("cannot execute UPDATE in a read-only transaction", error.Message);
        Assert.Equal(before, await api.CounterAsync());
    }

    [Fact]
    public async Task A_function_that_fails_after_writing_has_its_write_rolled_back()
    {
        var before = await api.CounterAsync();

        using var response = await api.Anon().PostJsonAsync("/rpc/bump_then_fail", "{}");

        var error = await AssertErrorAsync(response, 400, "P0001");
        Assert.Equal("rolled_back", error.Hint);
        Assert.Equal(before, await api.CounterAsync());
    }

    [Fact]
    public async Task Sequential_alternating_anon_and_authenticated_requests_each_see_their_own_role()
    {
        // One after another, so the pool hands the same connection back each time.
        for (var i = 1; i <= 20; i++)
        {
            var anonymous = i % 2 == 0;
            var me = await WhoamiAsync(anonymous ? api.Anon() : api.As(i), HttpMethod.Get);

            AssertSeesOwnIdentity(i, anonymous, me);
        }
    }

    [Fact]
    public async Task Concurrent_alternating_anon_and_authenticated_requests_each_see_their_own_role()
    {
        var calls = Enumerable.Range(1, 60).Select(async i =>
        {
            var anonymous = i % 2 == 0;
            return (Index: i, Anonymous: anonymous, Me: await WhoamiAsync(anonymous ? api.Anon() : api.As(i), i % 3 == 0 ? HttpMethod.Post : HttpMethod.Get));
        });

        foreach (var (index, anonymous, me) in await Task.WhenAll(calls))
        {
            AssertSeesOwnIdentity(index, anonymous, me);
        }
    }

    [Fact]
    public async Task Response_headers_and_status_set_in_sql_shape_the_response()
    {
        using var response = await api.Anon().GetAsync("/rpc/with_headers");

        await AssertJsonEqualAsync(response, "\"ok\"", status: 202);
        Assert.Equal("public, max-age=60", Header(response, "Cache-Control"));
        Assert.Equal("a", Header(response, "X-Custom"));
    }

    [Fact]
    public async Task Response_headers_that_are_not_an_array_of_single_key_objects_return_500_PGRST111()
    {
        using var response = await api.Anon().GetAsync("/rpc/bad_headers");

        var error = await AssertErrorAsync(response, 500, "PGRST111");
        Assert.Equal("response.headers guc must be a JSON array composed of objects with a single key and a string value", error.Message);
    }

    private static void AssertSeesOwnIdentity(int index, bool anonymous, JsonNode me)
    {
        if (anonymous)
        {
            Assert.Equal("anon", (string?)me["role"]);
            Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"role": "anon"}"""), me["claims"]), $"request {index}: {me["claims"]?.ToJsonString()}");
        }
        else
        {
            Assert.Equal("authenticated", (string?)me["role"]);
            Assert.Equal(index.ToString(CultureInfo.InvariantCulture), (string?)me["claims"]!["sub"]);
        }
    }

    private static async Task<JsonNode> WhoamiAsync(HttpClient client, HttpMethod method, Action<HttpRequestMessage>? configure = null)
    {
        using (client)
        {
            using var response = await client.SendAsync(method, "/rpc/whoami", request =>
            {
                if (method == HttpMethod.Post)
                {
                    request.Content = Json("{}");
                }

                configure?.Invoke(request);
            });
            return (await AssertJsonAsync(response))!;
        }
    }
}
