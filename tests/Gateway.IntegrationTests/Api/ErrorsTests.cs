using Microsoft.AspNetCore.Hosting;
using Gateway.IntegrationTests.Infrastructure;
using static Gateway.IntegrationTests.Api.RpcHttp;

namespace Gateway.IntegrationTests.Api;

/// <summary>
/// Errors as PostgREST sends them (contract §4, Error.hs): the body <c>{code, details, hint, message}</c>, the
/// SQLSTATE → status table, <c>RAISE SQLSTATE 'PGRST'</c> for full control, 401 vs 403 for 42501, and 5xx
/// bodies that never carry the database's internal message.
/// </summary>
public sealed class ErrorsTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    [Fact]
    public async Task Raise_exception_returns_400_P0001_with_message_details_and_hint_passed_through()
    {
        using var response = await api.Anon().PostJsonAsync("/rpc/fail", """{"kind": "p0001"}""");

        await AssertErrorAsync(response, 400, "P0001");
        Assert.Equal(
            """{"code":"P0001","details":"some detail","hint":"some hint","message":"Plain failure"}""",
            await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task The_database_details_reach_the_client_even_when_the_connection_string_turns_them_off()
    {
        await using var factory = api.Factory.WithWebHostBuilder(builder =>
            builder.UseSetting("ConnectionStrings:Gateway", api.AuthenticatorConnectionString + ";Include Error Detail=false"));

        var client = factory.CreateClient();
        await ApiFixture.WaitUntilReadyAsync(client);

        using var response = await client.PostJsonAsync("/rpc/fail", """{"kind": "p0001"}""");

        var error = await AssertErrorAsync(response, 400, "P0001");
        Assert.Equal("some detail", error.Details);
    }

    [Fact]
    public async Task Raise_sqlstate_PTnnn_returns_status_nnn()
    {
        using var response = await api.Anon().PostJsonAsync("/rpc/fail", """{"kind": "pt402"}""");

        await AssertErrorAsync(response, 402, "PT402");
        Assert.Equal(
            """{"code":"PT402","details":null,"hint":null,"message":"Payment Required"}""",
            await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Raise_sqlstate_PGRST_sets_the_status_headers_and_body_from_its_json()
    {
        using var response = await api.Anon().PostJsonAsync("/rpc/fail", """{"kind": "pgrst"}""");

        await AssertErrorAsync(response, 332, "123");
        Assert.Equal("str", Header(response, "X-Header"));
        Assert.Equal(
            """{"code":"123","details":"DEF","hint":"XYZ","message":"ABC"}""",
            await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Raise_sqlstate_PGRST_with_status_text_uses_it_as_the_reason_phrase()
    {
        using var response = await api.Anon().PostJsonAsync("/rpc/raise_pgrst",
            """{"message": "{\"code\":\"T1\",\"message\":\"Teapot\"}", "detail": "{\"status\":418,\"status_text\":\"Short and stout\",\"headers\":{}}"}""");

        var error = await AssertErrorAsync(response, 418, "T1");
        Assert.Equal("Teapot", error.Message);
        Assert.Null(error.Details);
        Assert.Null(error.Hint);
        Assert.Equal("Short and stout", response.ReasonPhrase);
    }

    [Fact]
    public async Task Raise_sqlstate_PGRST_with_a_message_that_is_not_json_returns_500_PGRST121()
    {
        using var response = await api.Anon().PostJsonAsync("/rpc/fail", """{"kind": "badpgrst"}""");

        var error = await AssertErrorAsync(response, 500, "PGRST121");
        Assert.Equal("Could not parse JSON in the \"RAISE SQLSTATE 'PGRST'\" error", error.Message);
        Assert.Equal("Invalid JSON value for MESSAGE: 'INVALID'", error.Details);
        Assert.Equal("MESSAGE must be a JSON object with obligatory keys: 'code', 'message' and optional keys: 'details', 'hint'.", error.Hint);
    }

    [Fact]
    public async Task Raise_sqlstate_PGRST_without_detail_returns_500_PGRST121()
    {
        using var response = await api.Anon().PostJsonAsync("/rpc/raise_pgrst", """{"message": "{\"code\":\"T1\",\"message\":\"M\"}"}""");

        var error = await AssertErrorAsync(response, 500, "PGRST121");
        Assert.Equal("DETAIL is missing in the RAISE statement", error.Details);
        Assert.Equal("DETAIL must be a JSON object with obligatory keys: 'status', 'headers' and optional key: 'status_text'.", error.Hint);
    }

    [Fact]
    public async Task Raise_sqlstate_PGRST_with_a_detail_that_is_not_json_returns_500_PGRST121()
    {
        using var response = await api.Anon().PostJsonAsync("/rpc/raise_pgrst",
            """{"message": "{\"code\":\"T1\",\"message\":\"M\"}", "detail": "nope"}""");

        var error = await AssertErrorAsync(response, 500, "PGRST121");
        Assert.Equal("Invalid JSON value for DETAIL: 'nope'", error.Details);
        Assert.Equal("DETAIL must be a JSON object with obligatory keys: 'status', 'headers' and optional key: 'status_text'.", error.Hint);
    }

    [Fact]
    public async Task Internal_error_returns_500_without_the_database_message()
    {
        using var response = await api.Anon().PostJsonAsync("/rpc/fail", """{"kind": "internal"}""");

        await AssertErrorAsync(response, 500, "XX000");
        Assert.DoesNotContain("secret internal detail", await response.Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Unique_violation_returns_409_23505()
    {
        using var response = await api.Anon().PostJsonAsync("/rpc/fail", """{"kind": "unique"}""");

        var error = await AssertErrorAsync(response, 409, "23505");
        Assert.Equal("duplicate key value", error.Message);
    }

    [Fact]
    public async Task Anon_calling_a_function_granted_only_to_authenticated_returns_401_with_a_bearer_challenge()
    {
        using var response = await api.Anon().PostJsonAsync("/rpc/me", "{}");

        var error = await AssertErrorAsync(response, 401, "42501");
        Assert.Equal("permission denied for function me", error.Message);
        Assert.Equal("Bearer", Header(response, "WWW-Authenticate"));
    }

    [Fact]
    public async Task Anon_calling_hello_world_email_returns_401_with_a_bearer_challenge()
    {
        using var response = await api.Anon().PostJsonAsync("/rpc/hello_world_email", """{"to_address": "someone@example.com"}""");

        await AssertErrorAsync(response, 401, "42501");
        Assert.Equal("Bearer", Header(response, "WWW-Authenticate"));
    }

    [Fact]
    public async Task Authenticated_calling_a_function_it_lacks_execute_on_returns_403_without_a_challenge()
    {
        using var response = await api.As(1).PostJsonAsync("/rpc/anon_only", "{}");

        var error = await AssertErrorAsync(response, 403, "42501");
        Assert.Equal("permission denied for function anon_only", error.Message);
        Assert.Null(Header(response, "WWW-Authenticate"));
    }

    [Fact]
    public async Task Insufficient_privilege_raised_for_an_authenticated_caller_returns_403_with_the_function_details()
    {
        // api.me refuses a token whose account does not exist with its own 42501.
        using var response = await api.As(987654321).GetAsync("/rpc/me");

        var error = await AssertErrorAsync(response, 403, "42501");
        Assert.Equal(new ErrorBody("42501", "The account of this token no longer exists.", "not_signed_in", "You must be signed in"), error);
    }

    [Fact]
    public async Task Error_bodies_are_plain_json_without_html_escapes()
    {
        using var response = await api.Anon().GetAsync("/rpc/overloaded?a=1");

        await AssertErrorAsync(response, 300, "PGRST203");
        Assert.Contains("api.overloaded(a => integer)", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/rpc/no_such_function")]
    [InlineData("/rpc/add?a=x&b=1")]
    [InlineData("/no_such_view")]
    [InlineData("/rpc/overloaded?a=1")]
    [InlineData("/a/b/c")]
    [InlineData("/rpc/all_items?order=id.sideways")]
    [InlineData("/rpc/me")]
    [InlineData("/rpc/bump")]
    [InlineData("/rpc/bad_headers")]
    public async Task Every_error_has_exactly_code_details_hint_message_and_a_proxy_status(string path)
    {
        using var response = await api.Anon().GetAsync(path);

        var text = await response.Content.ReadAsStringAsync();
        Assert.False(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {text}");
        Assert.Equal("application/json; charset=utf-8", response.Content.Headers.ContentType?.ToString());
        var error = ParseError(text);
        Assert.Equal($"PostgREST; error={error.Code}", Header(response, "Proxy-Status"));
    }
}
