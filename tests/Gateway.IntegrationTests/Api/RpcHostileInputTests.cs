using System.Text.Json;
using Gateway.IntegrationTests.Infrastructure;
using static Gateway.IntegrationTests.Api.RpcHttp;

namespace Gateway.IntegrationTests.Api;

/// <summary>
/// SQL smuggled into <c>/rpc</c> requests: function names are matched against the catalog of the exposed schema
/// only, argument names must match a function's parameters, and argument values are always parameters. Each
/// attempt is a 4xx (or the value comes back as plain data) and the database is unchanged afterwards.
/// </summary>
public sealed class RpcHostileInputTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    [Theory]
    [InlineData("/rpc/add;drop")]
    [InlineData("/rpc/add;drop%20table%20demo.fixture_counter")]
    [InlineData("/rpc/pg_sleep")]
    [InlineData("/rpc/%22x%22")]
    [InlineData("/rpc/%22add%22")]
    [InlineData("/rpc/add()")]
    [InlineData("/rpc/add--")]
    [InlineData("/rpc/ADD")]
    [InlineData("/rpc/api.add")]
    [InlineData("/rpc/internal.run_function")]
    [InlineData("/rpc/pg_catalog.pg_sleep")]
    [InlineData("/rpc/set_config")]
    [InlineData("/rpc/bump%22();%20update%20demo.fixture_counter%20set%20n%20=%20999;--")]
    public async Task Post_to_a_function_name_carrying_sql_or_another_schema_returns_404_PGRST202_and_changes_nothing(string path)
    {
        var before = await api.StateAsync();

        using var response = await api.Anon().PostJsonAsync(path, "{}");

        await AssertErrorAsync(response, 404, "PGRST202");
        Assert.Equal(before, await api.StateAsync());
    }

    [Theory]
    [InlineData("/rpc/pg_sleep?seconds=1")]
    [InlineData("/rpc/internal.run_function?name=api.bump")]
    [InlineData("/rpc/add;select%20pg_sleep(1)?a=1&b=2")]
    public async Task Get_of_a_function_name_carrying_sql_or_another_schema_returns_404_PGRST202_and_changes_nothing(string path)
    {
        var before = await api.StateAsync();

        using var response = await api.Anon().GetAsync(path);

        await AssertErrorAsync(response, 404, "PGRST202");
        Assert.Equal(before, await api.StateAsync());
    }

    [Theory]
    [InlineData("""{"a": 1, "b": 2, "c); update demo.fixture_counter set n = 999; --": 1}""")]
    [InlineData("""{"a": 1, "b\" integer) as _b; update demo.fixture_counter set n = 999; --": 2}""")]
    [InlineData("""{"a": 1, "b := 2); update demo.fixture_counter set n = 999; --": 2}""")]
    [InlineData("""{"a": 1, "\"b\"": 2}""")]
    public async Task Post_with_argument_names_carrying_sql_returns_404_PGRST202_and_changes_nothing(string body)
    {
        var before = await api.StateAsync();

        using var response = await api.Anon().PostJsonAsync("/rpc/add", body);

        await AssertErrorAsync(response, 404, "PGRST202");
        Assert.Equal(before, await api.StateAsync());
    }

    [Theory]
    [InlineData("/rpc/add?a=1&b=2&c);update%20demo.fixture_counter%20set%20n%3D999;--=1")]
    [InlineData("/rpc/add?a=1&b%22%20integer);update%20demo.fixture_counter%20set%20n%3D999;--=2")]
    [InlineData("/rpc/greet?name%22:%3D%27x%27);update%20demo.fixture_counter%20set%20n%3D999;--=1")]
    public async Task Get_with_argument_names_carrying_sql_returns_4xx_and_changes_nothing(string path)
    {
        var before = await api.StateAsync();

        using var response = await api.Anon().GetAsync(path);

        var text = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode is >= 400 and < 500, $"{(int)response.StatusCode}: {text}");
        ParseError(text);
        Assert.Equal(before, await api.StateAsync());
    }

    [Theory]
    [InlineData("x'); update demo.fixture_counter set n = 999; --")]
    [InlineData("'||(select current_user)||'")]
    [InlineData("$$; drop table demo.fixture_item; $$")]
    [InlineData("\\'; drop table demo.fixture_item; --")]
    public async Task Post_passes_argument_values_carrying_sql_as_plain_values(string value)
    {
        var before = await api.StateAsync();

        using var response = await api.Anon().PostJsonAsync("/rpc/greet", JsonSerializer.Serialize(new { name = value }));

        await AssertJsonEqualAsync(response, JsonSerializer.Serialize($"Hello, {value}!"));
        Assert.Equal(before, await api.StateAsync());
    }

    [Theory]
    [InlineData("x'); update demo.fixture_counter set n = 999; --")]
    [InlineData("'||(select current_user)||'")]
    [InlineData("$$; drop table demo.fixture_item; $$")]
    public async Task Get_passes_argument_values_carrying_sql_as_plain_values(string value)
    {
        var before = await api.StateAsync();

        using var response = await api.Anon().GetAsync("/rpc/greet?name=" + Uri.EscapeDataString(value));

        await AssertJsonEqualAsync(response, JsonSerializer.Serialize($"Hello, {value}!"));
        Assert.Equal(before, await api.StateAsync());
    }

    [Theory]
    [InlineData("1); update demo.fixture_counter set n = 999; --")]
    [InlineData("1 or 1=1")]
    public async Task Get_with_sql_in_an_integer_argument_returns_400_22P02_and_changes_nothing(string value)
    {
        var before = await api.StateAsync();

        using var response = await api.Anon().GetAsync("/rpc/add?b=2&a=" + Uri.EscapeDataString(value));

        await AssertErrorAsync(response, 400, "22P02");
        Assert.Equal(before, await api.StateAsync());
    }

    [Fact]
    public async Task Post_with_sql_in_a_variadic_array_returns_400_and_changes_nothing()
    {
        var before = await api.StateAsync();

        using var response = await api.Anon().PostJsonAsync("/rpc/sum_all", """{"v": ["1}'); update demo.fixture_counter set n = 999; --"]}""");

        await AssertErrorAsync(response, 400, "22P02");
        Assert.Equal(before, await api.StateAsync());
    }

    [Fact]
    public async Task Get_with_sql_in_repeated_variadic_values_returns_400_and_changes_nothing()
    {
        var before = await api.StateAsync();

        using var response = await api.Anon().GetAsync("/rpc/sum_all?v=1&v=" + Uri.EscapeDataString("2}\"); update demo.fixture_counter set n = 999; --"));

        await AssertErrorAsync(response, 400, "22P02");
        Assert.Equal(before, await api.StateAsync());
    }

    [Fact]
    public async Task Post_to_the_whole_body_function_passes_sql_as_json_data()
    {
        var before = await api.StateAsync();
        const string body = """{"x": "'); update demo.fixture_counter set n = 999; --"}""";

        using var response = await api.Anon().PostJsonAsync("/rpc/echo", body);

        await AssertJsonEqualAsync(response, body);
        Assert.Equal(before, await api.StateAsync());
    }

    [Theory]
    [InlineData("/rpc/all_items?select=id;update%20demo.fixture_counter%20set%20n%3D999")]
    [InlineData("/rpc/all_items?select=id::int);update%20demo.fixture_counter%20set%20n%3D999;--")]
    [InlineData("/rpc/all_items?id);update%20demo.fixture_counter%20set%20n%3D999;--=eq.1")]
    [InlineData("/rpc/all_items?order=id;update%20demo.fixture_counter%20set%20n%3D999")]
    [InlineData("/rpc/all_items?data->>x');update%20demo.fixture_counter%20set%20n%3D999;--=eq.1")]
    public async Task Setof_result_with_sql_in_select_filter_or_order_returns_400_and_changes_nothing(string path)
    {
        var before = await api.StateAsync();

        using var response = await api.Anon().GetAsync(path);

        var text = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode == 400, $"{(int)response.StatusCode}: {text}");
        ParseError(text);
        Assert.Equal(before, await api.StateAsync());
    }

    [Fact]
    public async Task Setof_result_filter_value_carrying_sql_is_compared_as_a_value()
    {
        var before = await api.StateAsync();

        using var response = await api.Anon().GetAsync("/rpc/all_items?select=id&name=eq." + Uri.EscapeDataString("x' or '1'='1"));

        await AssertJsonEqualAsync(response, "[]");
        Assert.Equal(before, await api.StateAsync());
    }
}
