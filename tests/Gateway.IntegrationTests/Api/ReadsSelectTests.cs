using System.Globalization;
using System.Text.Json.Nodes;
using Gateway.IntegrationTests.Infrastructure;
using static Gateway.IntegrationTests.Api.ReadsHttp;

namespace Gateway.IntegrationTests.Api;

/// <summary>
/// <c>?select=</c> on <c>GET /items</c> (contract §1.3) and how every column type of the fixture view comes out: the
/// body is PostgreSQL's own <c>json_agg</c> of the rows, so numbers keep their scale, json keeps its text, and ranges
/// and tsvectors are strings.
/// </summary>
public sealed class ReadsSelectTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    private readonly HttpClient anon = api.Anon();

    [Fact]
    public async Task Get_view_without_select_returns_every_column_in_view_order()
    {
        using var response = await anon.ReadAsync("/items?id=eq.1");

        var row = JsonNode.Parse(await AssertBodyAsync(response, 200))!.AsArray().Single()!.AsObject();
        Assert.Equal(
            ["id", "big", "price", "name", "active", "day", "at", "data", "doc", "tags", "nums", "span", "search"],
            row.Select(property => property.Key));
    }

    [Fact]
    public async Task Get_view_with_select_returns_only_those_columns_in_that_order()
    {
        using var response = await anon.ReadAsync("/items?select=name,id&id=eq.1");

        Assert.Equal("""[{"name":"apple","id":1}]""", await AssertBodyAsync(response, 200));
    }

    [Fact]
    public async Task Get_view_ignores_spaces_around_select_items()
    {
        using var response = await anon.ReadAsync("/items?select=%20id%20,%20name%20&id=eq.1");

        Assert.Equal("""[{"id":1,"name":"apple"}]""", await AssertBodyAsync(response, 200));
    }

    [Fact]
    public async Task Get_view_accepts_double_quoted_column_names()
    {
        using var response = await anon.ReadAsync("/items?select=%22name%22&id=eq.2");

        Assert.Equal("""[{"name":"banana"}]""", await AssertBodyAsync(response, 200));
    }

    [Fact]
    public async Task Get_view_with_alias_renames_the_column()
    {
        using var response = await anon.ReadAsync("/items?select=ident:id,title:name&id=eq.2");

        Assert.Equal("""[{"ident":2,"title":"banana"}]""", await AssertBodyAsync(response, 200));
    }

    [Fact]
    public async Task Get_view_with_cast_returns_the_cast_value_under_the_column_name()
    {
        using var response = await anon.ReadAsync("/items?select=id::text&id=eq.1");

        Assert.Equal("""[{"id":"1"}]""", await AssertBodyAsync(response, 200));
    }

    [Fact]
    public async Task Get_view_with_alias_and_cast_returns_the_cast_value_under_the_alias()
    {
        using var response = await anon.ReadAsync("/items?select=label:price::text&id=eq.2");

        Assert.Equal("""[{"label":"19.50"}]""", await AssertBodyAsync(response, 200));
    }

    [Fact]
    public async Task Get_view_with_unknown_cast_type_returns_400_42704()
    {
        using var response = await anon.ReadAsync("/items?select=id::nosuchtype");

        var error = await RpcHttp.AssertErrorAsync(response, 400, "42704");
        Assert.Equal("type \"nosuchtype\" does not exist", error.Message);
    }

    [Fact]
    public async Task Get_view_with_arrow_path_returns_json_under_the_last_key()
    {
        using var response = await anon.ReadAsync("/items?select=data->size->w&id=eq.1");

        Assert.Equal("""[{"w":1}]""", await AssertBodyAsync(response, 200));
    }

    [Fact]
    public async Task Get_view_with_double_arrow_path_returns_text_under_the_last_key()
    {
        using var response = await anon.ReadAsync("/items?select=data->size->>w&id=eq.1");

        Assert.Equal("""[{"w":"1"}]""", await AssertBodyAsync(response, 200));
    }

    [Fact]
    public async Task Get_view_with_arrow_key_returns_the_json_value_or_null()
    {
        using var response = await anon.ReadAsync("/items?select=data->color&id=in.(1,4)&order=id");

        await AssertJsonAsync(response, """[{"color":"red"},{"color":null}]""");
    }

    [Fact]
    public async Task Get_view_with_double_arrow_key_returns_text_or_null()
    {
        using var response = await anon.ReadAsync("/items?select=data->>color&order=id");

        await AssertJsonAsync(response, """
            [{"color":"red"},{"color":"yellow"},{"color":"red"},{"color":null},{"color":"purple"}]
            """);
    }

    [Fact]
    public async Task Get_view_with_array_index_path_is_keyed_by_the_last_key()
    {
        using var response = await anon.ReadAsync("/items?select=data->list->0&order=id");

        await AssertJsonAsync(response, """[{"list":1},{"list":4},{"list":null},{"list":null},{"list":null}]""");
    }

    [Fact]
    public async Task Get_view_with_negative_array_index_counts_from_the_end()
    {
        using var response = await anon.ReadAsync("/items?select=data->list->-1&id=eq.1");

        Assert.Equal("""[{"list":3}]""", await AssertBodyAsync(response, 200));
    }

    [Fact]
    public async Task Get_view_with_index_only_path_on_an_array_column_is_keyed_by_the_column()
    {
        using var response = await anon.ReadAsync("/items?select=tags->0,second:tags->>1&id=eq.3");

        Assert.Equal("""[{"tags":"fruit","second":"red"}]""", await AssertBodyAsync(response, 200));
    }

    [Fact]
    public async Task Get_view_with_alias_on_json_path_uses_the_alias()
    {
        using var response = await anon.ReadAsync("/items?select=colour:data->>color&id=eq.1");

        Assert.Equal("""[{"colour":"red"}]""", await AssertBodyAsync(response, 200));
    }

    [Fact]
    public async Task Get_view_with_cast_after_json_path_casts_the_value()
    {
        using var response = await anon.ReadAsync("/items?select=data->size->>w::int&id=eq.2");

        Assert.Equal("""[{"w":2}]""", await AssertBodyAsync(response, 200));
    }

    [Fact]
    public async Task Get_view_with_json_path_on_a_json_column()
    {
        using var response = await anon.ReadAsync("/items?select=doc->>k&id=eq.5");

        Assert.Equal("""[{"k":"v5"}]""", await AssertBodyAsync(response, 200));
    }

    /// <summary>
    /// PostgREST parses <c>select=</c> to an empty list and then selects <c>*</c> (QueryBuilder.hs <c>defSelect</c>,
    /// "gets all the columns in case of an empty select"), so the body is the same as without select.
    /// </summary>
    [Fact]
    public async Task Get_view_with_empty_select_returns_every_column()
    {
        using var all = await anon.ReadAsync("/items?id=eq.1");
        using var empty = await anon.ReadAsync("/items?select=&id=eq.1");

        AssertJsonEqual(await AssertBodyAsync(all, 200), await AssertBodyAsync(empty, 200));
    }

    /// <summary>
    /// PostgREST aggregates the rows themselves (<c>json_agg(_postgrest_t)</c>), and json_agg puts <c>", \n "</c> between
    /// composite values (only <c>", "</c> between json values), so clients and tests see exactly this text.
    /// </summary>
    [Fact]
    public async Task Get_view_body_is_the_text_of_json_agg_over_the_rows()
    {
        using var response = await anon.ReadAsync("/items?select=id&id=in.(3,4)&order=id");

        Assert.Equal("[{\"id\":3}, \n {\"id\":4}]", await AssertBodyAsync(response, 200));
    }

    [Fact]
    public async Task Get_renders_integer_and_bigint_as_json_numbers()
    {
        using var response = await anon.ReadAsync("/items?select=id,big&id=eq.1");

        Assert.Equal("""[{"id":1,"big":10000000000}]""", await AssertBodyAsync(response, 200));
    }

    [Fact]
    public async Task Get_renders_numeric_as_a_json_number_with_its_scale()
    {
        using var response = await anon.ReadAsync("/items?select=price&id=eq.2");

        Assert.Equal("""[{"price":19.50}]""", await AssertBodyAsync(response, 200));
    }

    [Fact]
    public async Task Get_renders_text_with_its_quotes_escaped()
    {
        using var response = await anon.ReadAsync("/items?select=name&id=eq.4");

        Assert.Equal("""[{"name":"Date, \"dried\""}]""", await AssertBodyAsync(response, 200));
    }

    [Fact]
    public async Task Get_renders_boolean_as_a_json_boolean()
    {
        using var response = await anon.ReadAsync("/items?select=active&id=eq.2");

        Assert.Equal("""[{"active":false}]""", await AssertBodyAsync(response, 200));
    }

    [Fact]
    public async Task Get_renders_date_as_an_iso_date_string()
    {
        using var response = await anon.ReadAsync("/items?select=day&id=eq.1");

        Assert.Equal("""[{"day":"2024-01-01"}]""", await AssertBodyAsync(response, 200));
    }

    [Fact]
    public async Task Get_renders_timestamptz_as_iso_8601_with_an_offset()
    {
        using var response = await anon.ReadAsync("/items?select=at&id=eq.1");

        var at = JsonNode.Parse(await AssertBodyAsync(response, 200))![0]!["at"]!.GetValue<string>();
        Assert.Matches(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[+-]\d{2}:\d{2}$", at);
        Assert.Equal(
            new DateTimeOffset(2024, 1, 1, 10, 0, 0, TimeSpan.Zero),
            DateTimeOffset.Parse(at, CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task Get_renders_jsonb_as_nested_json()
    {
        using var response = await anon.ReadAsync("/items?select=data&id=eq.1");

        await AssertJsonAsync(response, """[{"data":{"color":"red","size":{"w":1,"h":2},"list":[1,2,3]}}]""");
    }

    [Fact]
    public async Task Get_renders_json_as_the_text_it_was_stored_with()
    {
        using var response = await anon.ReadAsync("/items?select=doc&id=eq.1");

        Assert.Equal("""[{"doc":{"k": "v1"}}]""", await AssertBodyAsync(response, 200));
    }

    [Fact]
    public async Task Get_renders_arrays_as_json_arrays()
    {
        using var response = await anon.ReadAsync("/items?select=tags,nums&id=eq.1");

        Assert.Equal("""[{"tags":["fruit","red"],"nums":[1,2]}]""", await AssertBodyAsync(response, 200));
    }

    [Fact]
    public async Task Get_renders_an_empty_array_as_an_empty_json_array()
    {
        using var response = await anon.ReadAsync("/items?select=tags&id=eq.4");

        Assert.Equal("""[{"tags":[]}]""", await AssertBodyAsync(response, 200));
    }

    [Fact]
    public async Task Get_renders_a_range_as_its_text()
    {
        using var response = await anon.ReadAsync("/items?select=span&id=eq.1");

        Assert.Equal("""[{"span":"[1,5)"}]""", await AssertBodyAsync(response, 200));
    }

    [Fact]
    public async Task Get_renders_a_tsvector_as_its_text()
    {
        using var response = await anon.ReadAsync("/items?select=search&id=eq.1");

        Assert.Equal("""[{"search":"'brown':3 'fox':4 'quick':2"}]""", await AssertBodyAsync(response, 200));
    }

    [Fact]
    public async Task Get_renders_sql_nulls_as_json_null()
    {
        using var response = await anon.ReadAsync("/items?select=price,day,at,data,doc,nums,span,search&id=eq.4");

        Assert.Equal(
            """[{"price":null,"day":null,"at":null,"data":null,"doc":null,"nums":null,"span":null,"search":null}]""",
            await AssertBodyAsync(response, 200));
    }
}
