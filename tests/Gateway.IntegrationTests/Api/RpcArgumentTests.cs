using Gateway.IntegrationTests.Infrastructure;
using static Gateway.IntegrationTests.Api.RpcHttp;

namespace Gateway.IntegrationTests.Api;

/// <summary>
/// <c>/rpc/{fn}</c>: how arguments arrive (POST body keys, GET query string, the whole body, variadic), how a
/// function is chosen among overloads by argument names, and the 404/300/405/400 answers when that fails
/// (contract §1.8, PostgREST's Plan.hs <c>findProc</c> and Error.hs <c>NoRpc</c>).
/// </summary>
public sealed class RpcArgumentTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    [Fact]
    public async Task Post_passes_the_json_object_keys_as_named_arguments()
    {
        using var response = await api.Anon().PostJsonAsync("/rpc/add", """{"a": 1, "b": 2}""");

        await AssertJsonEqualAsync(response, "3");
    }

    [Fact]
    public async Task Post_matches_argument_names_not_key_order()
    {
        using var response = await api.Anon().PostJsonAsync("/rpc/add", """{"b": 10, "a": 1}""");

        await AssertJsonEqualAsync(response, "11");
    }

    [Fact]
    public async Task Get_passes_query_string_values_as_named_arguments()
    {
        using var response = await api.Anon().GetAsync("/rpc/add?a=1&b=2");

        await AssertJsonEqualAsync(response, "3");
    }

    [Fact]
    public async Task Get_decodes_plus_as_a_space_in_argument_values()
    {
        using var response = await api.Anon().GetAsync("/rpc/greet?name=Ann+Lee");

        await AssertJsonEqualAsync(response, "\"Hello, Ann Lee!\"");
    }

    [Fact]
    public async Task Get_with_a_repeated_non_variadic_argument_keeps_the_last_value()
    {
        using var response = await api.Anon().GetAsync("/rpc/greet?name=first&name=last");

        await AssertJsonEqualAsync(response, "\"Hello, last!\"");
    }

    [Fact]
    public async Task Head_calls_the_function_and_returns_no_body()
    {
        using var response = await api.Anon().SendAsync(HttpMethod.Head, "/rpc/add?a=1&b=2");

        Assert.Equal(200, (int)response.StatusCode);
        Assert.Equal("application/json; charset=utf-8", response.Content.Headers.ContentType?.ToString());
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Post_may_omit_an_argument_with_a_default()
    {
        using var response = await api.Anon().PostJsonAsync("/rpc/greet", "{}");

        await AssertJsonEqualAsync(response, "\"Hello, world!\"");
    }

    [Fact]
    public async Task Get_may_omit_an_argument_with_a_default()
    {
        using var response = await api.Anon().GetAsync("/rpc/greet");

        await AssertJsonEqualAsync(response, "\"Hello, world!\"");
    }

    [Fact]
    public async Task Post_with_an_empty_body_calls_the_function_without_arguments()
    {
        using var response = await api.Anon().PostAsync("/rpc/greet", Json(""));

        await AssertJsonEqualAsync(response, "\"Hello, world!\"");
    }

    [Fact]
    public async Task Post_without_any_body_or_content_type_calls_the_function_without_arguments()
    {
        using var response = await api.Anon().PostAsync("/rpc/greet", content: null);

        await AssertJsonEqualAsync(response, "\"Hello, world!\"");
    }

    [Fact]
    public async Task Post_with_a_json_null_argument_passes_sql_null()
    {
        using var response = await api.Anon().PostJsonAsync("/rpc/greet", """{"name": null}""");

        await AssertJsonEqualAsync(response, "null");
    }

    [Fact]
    public async Task Post_with_an_unknown_key_returns_404_PGRST202_naming_the_keys_and_the_function_that_exists()
    {
        using var response = await api.Anon().PostJsonAsync("/rpc/add", """{"a": 1, "b": 2, "c": 3}""");

        var error = await AssertErrorAsync(response, 404, "PGRST202");
        Assert.Equal("Could not find the function api.add(a, b, c) in the schema cache", error.Message);
        Assert.Equal(
            "Searched for the function api.add with parameters a, b, c or with a single unnamed json/jsonb parameter, but no matches were found in the schema cache.",
            error.Details);
        Assert.Equal("Perhaps you meant to call the function api.add(a, b)", error.Hint);
    }

    [Fact]
    public async Task Get_with_an_unknown_argument_returns_404_PGRST202_naming_the_arguments_and_the_function_that_exists()
    {
        using var response = await api.Anon().GetAsync("/rpc/add?a=1&b=2&c=3");

        var error = await AssertErrorAsync(response, 404, "PGRST202");
        Assert.Equal("Could not find the function api.add(a, b, c) in the schema cache", error.Message);
        Assert.Equal("Searched for the function api.add with parameters a, b, c, but no matches were found in the schema cache.", error.Details);
        Assert.Equal("Perhaps you meant to call the function api.add(a, b)", error.Hint);
    }

    [Fact]
    public async Task Post_missing_an_argument_without_default_returns_404_PGRST202()
    {
        using var response = await api.Anon().PostJsonAsync("/rpc/add", """{"a": 1}""");

        var error = await AssertErrorAsync(response, 404, "PGRST202");
        Assert.Equal("Could not find the function api.add(a) in the schema cache", error.Message);
        Assert.Equal(
            "Searched for the function api.add with parameter a or with a single unnamed json/jsonb parameter, but no matches were found in the schema cache.",
            error.Details);
    }

    [Fact]
    public async Task Get_of_an_unknown_function_returns_404_PGRST202_with_the_nearest_name_as_hint()
    {
        using var response = await api.Anon().GetAsync("/rpc/greeet");

        var error = await AssertErrorAsync(response, 404, "PGRST202");
        Assert.Equal("Could not find the function api.greeet without parameters in the schema cache", error.Message);
        Assert.Equal("Searched for the function api.greeet without parameters, but no matches were found in the schema cache.", error.Details);
        Assert.Equal("Perhaps you meant to call the function api.greet", error.Hint);
    }

    [Fact]
    public async Task Post_of_an_unknown_function_with_arguments_returns_404_PGRST202_with_the_nearest_name_as_hint()
    {
        using var response = await api.Anon().PostJsonAsync("/rpc/greeet", """{"name": "Ann"}""");

        var error = await AssertErrorAsync(response, 404, "PGRST202");
        Assert.Equal("Could not find the function api.greeet(name) in the schema cache", error.Message);
        Assert.Equal("Perhaps you meant to call the function api.greet", error.Hint);
    }

    [Fact]
    public async Task Unknown_function_with_no_similar_name_returns_404_PGRST202_without_hint()
    {
        using var response = await api.Anon().GetAsync("/rpc/qqqqzzzzxxxx");

        var error = await AssertErrorAsync(response, 404, "PGRST202");
        Assert.Null(error.Hint);
    }

    [Fact]
    public async Task Get_chooses_the_overload_whose_argument_names_match()
    {
        using var x = await api.Anon().GetAsync("/rpc/pick?x=7");
        using var y = await api.Anon().GetAsync("/rpc/pick?y=seven");

        await AssertJsonEqualAsync(x, "\"x=7\"");
        await AssertJsonEqualAsync(y, "\"y=seven\"");
    }

    [Fact]
    public async Task Post_chooses_the_overload_whose_argument_names_match()
    {
        using var x = await api.Anon().PostJsonAsync("/rpc/pick", """{"x": 7}""");
        using var y = await api.Anon().PostJsonAsync("/rpc/pick", """{"y": "seven"}""");

        await AssertJsonEqualAsync(x, "\"x=7\"");
        await AssertJsonEqualAsync(y, "\"y=seven\"");
    }

    [Fact]
    public async Task Get_of_overloads_with_the_same_argument_names_returns_300_PGRST203()
    {
        using var response = await api.Anon().GetAsync("/rpc/overloaded?a=1");

        var error = await AssertErrorAsync(response, 300, "PGRST203");
        Assert.StartsWith("Could not choose the best candidate function between: ", error.Message, StringComparison.Ordinal);
        Assert.Contains("api.overloaded(a => integer)", error.Message, StringComparison.Ordinal);
        Assert.Contains("api.overloaded(a => text)", error.Message, StringComparison.Ordinal);
        Assert.Equal("Try renaming the parameters or the function itself in the database so function overloading can be resolved", error.Hint);
    }

    [Fact]
    public async Task Post_of_overloads_with_the_same_argument_names_returns_300_PGRST203()
    {
        using var response = await api.Anon().PostJsonAsync("/rpc/overloaded", """{"a": 1}""");

        await AssertErrorAsync(response, 300, "PGRST203");
    }

    [Fact]
    public async Task Post_to_a_function_with_one_unnamed_json_parameter_passes_the_whole_body()
    {
        const string body = """{"anything": [1, 2, {"deep": true}], "name": "x", "n": null}""";

        using var response = await api.Anon().PostJsonAsync("/rpc/echo", body);

        await AssertJsonEqualAsync(response, body);
    }

    [Fact]
    public async Task Post_passes_a_json_array_to_a_variadic_argument()
    {
        using var response = await api.Anon().PostJsonAsync("/rpc/sum_all", """{"v": [1, 2, 3]}""");

        await AssertJsonEqualAsync(response, "6");
    }

    [Fact]
    public async Task Get_passes_repeated_keys_to_a_variadic_argument()
    {
        using var response = await api.Anon().GetAsync("/rpc/sum_all?v=1&v=2");

        await AssertJsonEqualAsync(response, "3");
    }

    [Fact]
    public async Task Get_passes_a_single_key_to_a_variadic_argument_as_a_one_element_array()
    {
        using var response = await api.Anon().GetAsync("/rpc/sum_all?v=5");

        await AssertJsonEqualAsync(response, "5");
    }

    [Theory]
    [InlineData("PUT")]
    [InlineData("PATCH")]
    [InlineData("DELETE")]
    public async Task Other_methods_on_rpc_return_405_PGRST101(string method)
    {
        using var response = await api.Anon().SendAsync(new HttpMethod(method), "/rpc/add", request => request.Content = Json("""{"a": 1, "b": 2}"""));

        var error = await AssertErrorAsync(response, 405, "PGRST101");
        Assert.Equal($"Cannot use the {method} method on RPC", error.Message);
    }

    [Theory]
    [InlineData("{")]
    [InlineData("""{"a": 1,}""")]
    [InlineData("not json")]
    public async Task Post_with_invalid_json_returns_400_PGRST102(string body)
    {
        using var response = await api.Anon().PostJsonAsync("/rpc/add", body);

        var error = await AssertErrorAsync(response, 400, "PGRST102");
        Assert.Equal("Empty or invalid json", error.Message);
    }

    [Fact]
    public async Task Post_with_an_argument_of_the_wrong_type_returns_400_with_the_database_message()
    {
        using var response = await api.Anon().PostJsonAsync("/rpc/add", """{"a": "one", "b": 2}""");

        var error = await AssertErrorAsync(response, 400, "22P02");
        Assert.Equal("invalid input syntax for type integer: \"one\"", error.Message);
    }

    [Fact]
    public async Task Get_with_an_argument_of_the_wrong_type_returns_400_with_the_database_message()
    {
        using var response = await api.Anon().GetAsync("/rpc/add?a=one&b=2");

        var error = await AssertErrorAsync(response, 400, "22P02");
        Assert.Equal("invalid input syntax for type integer: \"one\"", error.Message);
    }
}
