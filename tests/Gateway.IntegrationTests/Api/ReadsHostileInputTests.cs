using System.Text.Json.Nodes;
using Gateway.IntegrationTests.Infrastructure;
using static Gateway.IntegrationTests.Api.ReadsHttp;

namespace Gateway.IntegrationTests.Api;

/// <summary>
/// SQL and junk in every part of a read that reaches the SQL text or its parameters: column names, operators, values,
/// aliases, casts, JSON path keys, order terms and logic trees, NUL bytes, deep nesting and 10 KB inputs. Each is
/// refused with a PostgREST-shaped 4xx, or, for values, simply matches nothing; and afterwards the database is as it
/// was (<see cref="RpcHttp.StateAsync"/>) and demo.fixture_item still holds its five rows.
/// </summary>
public sealed class ReadsHostileInputTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    private readonly HttpClient anon = api.Anon();

    [Theory]
    [InlineData("/items?select=id;drop table demo.fixture_item")]
    [InlineData("/items?select=id,(select 1)")]
    [InlineData("/items?select=*,pg_sleep(1)")]
    [InlineData("/items?select=%22id%22%22;drop table demo.fixture_item;--%22")]
    [InlineData("/items?id;drop table demo.fixture_item=eq.1")]
    [InlineData("/items?id)%20or%201=1--=eq.1")]
    public async Task Get_with_sql_in_a_column_name_is_refused_and_changes_nothing(string path)
    {
        await AssertRefusedAndNothingChangedAsync(path);
    }

    [Theory]
    [InlineData("/items?id=eq;drop table demo.fixture_item.1")]
    [InlineData("/items?id=drop table demo.fixture_item.1")]
    [InlineData("/items?id=eq(any);drop.{1}")]
    [InlineData("/items?id=not;drop.eq.1")]
    [InlineData("/items?search=fts(english);drop table demo.fixture_item).a")]
    [InlineData("/items?search=fts(english')%20or%201=1--).a")]
    [InlineData("/items?search=fts(nosuchconfig).a")]
    public async Task Get_with_sql_in_an_operator_is_refused_and_changes_nothing(string path)
    {
        await AssertRefusedAndNothingChangedAsync(path);
    }

    [Theory]
    [InlineData("/items?name=eq.';%20drop%20table%20x;%20--")]
    [InlineData("/items?name=eq.';%20drop%20table%20demo.fixture_item;%20--")]
    [InlineData("/items?name=like.%25'%20or%20'1'='1")]
    [InlineData("/items?name=in.(%22');drop table demo.fixture_item;--%22,x)")]
    [InlineData("/items?tags=cs.{%22a'};drop table demo.fixture_item;--%22}")]
    [InlineData("/items?data->>color=eq.red'%20or%20'1'='1")]
    [InlineData("/items?or=(name.eq.%22x');drop table demo.fixture_item;--%22)")]
    public async Task Get_with_sql_in_a_value_matches_nothing_and_changes_nothing(string path)
    {
        var before = await api.StateAsync();

        using var response = await anon.ReadAsync(path);

        Assert.Equal("[]", await AssertBodyAsync(response, 200));
        await AssertNothingChangedAsync(before);
    }

    [Fact]
    public async Task Get_with_sql_in_an_integer_value_returns_400_22P02()
    {
        using var response = await anon.ReadAsync("/items?id=eq.1%20or%201=1");

        await RpcHttp.AssertErrorAsync(response, 400, "22P02");
    }

    [Theory]
    [InlineData("/items?select=x\"y:id")]
    [InlineData("/items?select=x'y:id")]
    [InlineData("/items?select=a%20as%20b);drop table demo.fixture_item;--:id")]
    [InlineData("/items?select=%22x%22%22;drop table demo.fixture_item;--%22:id")]
    public async Task Get_with_sql_in_an_alias_is_refused_and_changes_nothing(string path)
    {
        await AssertRefusedAndNothingChangedAsync(path);
    }

    [Fact]
    public async Task Get_with_a_quoted_alias_holding_a_double_quote_uses_it_as_a_key()
    {
        using var response = await anon.ReadAsync("/items?select=%22a%5C%22b%22:id&id=eq.1");

        Assert.Equal("""[{"a\"b":1}]""", await AssertBodyAsync(response, 200));
    }

    [Theory]
    [InlineData("/items?select=id::int);drop table demo.fixture_item;--")]
    [InlineData("/items?select=id::int%20);drop")]
    [InlineData("/items?select=id::int4 from pg_roles")]
    [InlineData("/items?select=id::text $q$,name::text $q$")]
    [InlineData("/items?select=id::text[]);drop")]
    [InlineData("/items?select=id::pg_catalog.text")]
    public async Task Get_with_sql_in_a_cast_is_refused_and_changes_nothing(string path)
    {
        await AssertRefusedAndNothingChangedAsync(path);
    }

    [Fact]
    public async Task Get_with_sql_in_a_json_path_key_selects_that_key_as_null()
    {
        var before = await api.StateAsync();

        using var response = await anon.ReadAsync("/items?select=data->>'a'';drop&order=id");

        var rows = JsonNode.Parse(await AssertBodyAsync(response, 200))!.AsArray();
        Assert.Equal(5, rows.Count);
        Assert.All(rows, row => AssertJsonEqual("""{"'a'';drop":null}""", row!.ToJsonString()));
        await AssertNothingChangedAsync(before);
    }

    [Theory]
    [InlineData("/items?data->>a');drop table demo.fixture_item;--=eq.1")]
    [InlineData("/items?select=data->>x')%20from%20pg_roles--")]
    [InlineData("/items?order=data->>'x''||pg_sleep(1)")]
    public async Task Get_with_sql_in_a_json_path_is_refused_and_changes_nothing(string path)
    {
        await AssertRefusedAndNothingChangedAsync(path);
    }

    [Theory]
    [InlineData("/items?order=id;drop table demo.fixture_item")]
    [InlineData("/items?order=id.desc;drop")]
    [InlineData("/items?order=id,(select 1)")]
    [InlineData("/items?order=id.desc nulls first;drop")]
    public async Task Get_with_sql_in_an_order_term_is_refused_and_changes_nothing(string path)
    {
        await AssertRefusedAndNothingChangedAsync(path);
    }

    [Theory]
    [InlineData("/items?or=(id.eq.1);drop table demo.fixture_item;--")]
    [InlineData("/items?or=(id.eq.1,name.eq.x'),(select 1")]
    [InlineData("/items?not.or=(id.eq.1))%20or%20((1=1")]
    [InlineData("/items?and=(id.gt.0,or(name.eq.a))--)")]
    [InlineData("/items?or=(id.eq.1,drop.table.x)")]
    [InlineData("/items?x.or=(id.eq.1)")]
    public async Task Get_with_sql_in_a_logic_tree_is_refused_and_changes_nothing(string path)
    {
        await AssertRefusedAndNothingChangedAsync(path);
    }

    [Fact]
    public async Task Get_with_logic_trees_nested_a_thousand_levels_deep_is_refused_and_changes_nothing()
    {
        var tree = string.Concat(Enumerable.Repeat("or(id.eq.1,", 1000)) + "id.eq.2" + new string(')', 1000);

        await AssertRefusedAndNothingChangedAsync($"/items?or=({tree})");
    }

    [Theory]
    [InlineData("/items?name=eq.a%00b")]
    [InlineData("/items?select=id%00")]
    [InlineData("/items?id%00=eq.1")]
    [InlineData("/items?order=id%00")]
    [InlineData("/items?or=(name.eq.a%00b)")]
    [InlineData("/items?data->>a%00b=eq.1")]
    public async Task Get_with_a_nul_byte_is_refused_and_changes_nothing(string path)
    {
        await AssertRefusedAndNothingChangedAsync(path);
    }

    [Fact]
    public async Task Get_with_a_10_kb_value_matches_nothing()
    {
        using var response = await anon.ReadAsync("/items?name=eq." + new string('a', 10_240));

        Assert.Equal("[]", await AssertBodyAsync(response, 200));
    }

    [Fact]
    public async Task Get_with_a_10_kb_in_list_matches_its_values()
    {
        var list = string.Join(',', Enumerable.Repeat("1", 5_120));

        await anon.AssertItemIdsAsync($"id=in.({list})", 1);
    }

    [Fact]
    public async Task Get_with_a_10_kb_column_name_returns_400_42703()
    {
        using var response = await anon.ReadAsync("/items?select=" + new string('a', 10_240));

        await RpcHttp.AssertErrorAsync(response, 400, "42703");
    }

    [Fact]
    public async Task Get_with_a_10_kb_json_path_key_selects_null()
    {
        using var response = await anon.ReadAsync($"/items?select=k:data->>{new string('k', 10_240)}&id=eq.1");

        Assert.Equal("""[{"k":null}]""", await AssertBodyAsync(response, 200));
    }

    [Fact]
    public async Task Get_with_a_10_kb_order_term_is_refused_and_changes_nothing()
    {
        await AssertRefusedAndNothingChangedAsync("/items?order=" + new string('o', 10_240));
    }

    private async Task AssertRefusedAndNothingChangedAsync(string path)
    {
        var before = await api.StateAsync();

        using var response = await anon.ReadAsync(path);

        var body = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode is >= 400 and < 500, $"expected a 4xx for {path}, got {(int)response.StatusCode}: {body}");
        RpcHttp.ParseError(body);
        await AssertNothingChangedAsync(before);
    }

    private async Task AssertNothingChangedAsync(string before)
    {
        Assert.Equal(before, await api.StateAsync());
        Assert.Equal(5, await api.FixtureRowCountAsync());
    }
}
