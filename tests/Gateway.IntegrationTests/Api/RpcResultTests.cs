using System.Text.Json.Nodes;
using Gateway.IntegrationTests.Infrastructure;
using static Gateway.IntegrationTests.Api.RpcHttp;

namespace Gateway.IntegrationTests.Api;

/// <summary>
/// The shape of a function's result as PostgREST returns it (contract §1.8): a scalar is a bare JSON value, a
/// composite or OUT parameters an object, SETOF an array, void 204; and the results of set-returning functions
/// accept select, filters, order, limit/offset, Range and counts, like views.
/// </summary>
public sealed class RpcResultTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    [Fact]
    public async Task Scalar_integer_result_is_a_bare_json_number()
    {
        using var response = await api.Anon().GetAsync("/rpc/add?a=2&b=3");

        await AssertJsonAsync(response);
        Assert.Equal("5", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Scalar_text_result_is_a_bare_json_string()
    {
        using var response = await api.Anon().GetAsync("/rpc/greet");

        await AssertJsonAsync(response);
        Assert.Equal("\"Hello, world!\"", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Composite_result_is_an_object()
    {
        using var response = await api.Anon().GetAsync("/rpc/item?item_id=2");

        var item = await AssertJsonAsync(response);
        Assert.Equal(2, (int)item!["id"]!);
        Assert.Equal("banana", (string?)item["name"]);
        Assert.Equal(19.50m, (decimal)item["price"]!);
        Assert.Equal(13, item.AsObject().Count);
    }

    [Fact]
    public async Task Out_parameters_are_an_object_of_their_names()
    {
        using var response = await api.Anon().GetAsync("/rpc/doubled?x=2");

        await AssertJsonEqualAsync(response, """{"doubled": 4, "tripled": 6}""");
    }

    [Fact]
    public async Task A_single_out_parameter_is_an_object_of_its_name()
    {
        using var response = await api.Anon().GetAsync("/rpc/plus_one?n=5");

        await AssertJsonEqualAsync(response, """{"num_plus_one": 6}""");
    }

    [Fact]
    public async Task A_table_of_one_column_is_an_array_of_objects()
    {
        using var response = await api.Anon().GetAsync("/rpc/words");

        await AssertJsonEqualAsync(response, """[{"data": "a"}, {"data": "b"}]""");
    }

    [Fact]
    public async Task Setof_composite_result_is_an_array_of_objects()
    {
        using var response = await api.Anon().GetAsync("/rpc/all_items?select=id");

        await AssertJsonEqualAsync(response, """[{"id": 1}, {"id": 2}, {"id": 3}, {"id": 4}, {"id": 5}]""");
    }

    [Fact]
    public async Task Setof_with_one_matching_row_is_still_an_array()
    {
        using var response = await api.Anon().GetAsync("/rpc/items_named?prefix=ban&select=name");

        await AssertJsonEqualAsync(response, """[{"name": "banana"}]""");
    }

    [Fact]
    public async Task Setof_with_no_rows_is_an_empty_array()
    {
        using var response = await api.Anon().GetAsync("/rpc/items_named?prefix=nothing-starts-like-this");

        await AssertJsonEqualAsync(response, "[]");
    }

    [Fact]
    public async Task Setof_scalar_result_is_an_array_of_values()
    {
        using var response = await api.Anon().GetAsync("/rpc/numbers");

        await AssertJsonEqualAsync(response, "[1, 2, 3]");
    }

    [Fact]
    public async Task Void_result_is_204_without_body_or_content_type()
    {
        using var response = await api.Anon().PostJsonAsync("/rpc/noop", "{}");

        Assert.Equal(204, (int)response.StatusCode);
        Assert.Null(response.Content.Headers.ContentType);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Setof_result_accepts_select_order_and_limit()
    {
        using var response = await api.Anon().GetAsync("/rpc/all_items?select=id,name&order=id.desc&limit=2");

        await AssertJsonEqualAsync(response, """[{"id": 5, "name": "elderberry"}, {"id": 4, "name": "Date, \"dried\""}]""");
    }

    [Fact]
    public async Task Setof_result_accepts_offset()
    {
        using var response = await api.Anon().GetAsync("/rpc/all_items?select=id&order=id&limit=2&offset=3");

        await AssertJsonEqualAsync(response, """[{"id": 4}, {"id": 5}]""");
    }

    [Fact]
    public async Task Setof_result_accepts_filters()
    {
        using var response = await api.Anon().GetAsync("/rpc/all_items?select=id&active=is.true&order=id");

        await AssertJsonEqualAsync(response, """[{"id": 1}, {"id": 3}]""");
    }

    [Fact]
    public async Task Setof_result_accepts_filters_on_columns_it_does_not_select()
    {
        using var response = await api.Anon().GetAsync("/rpc/all_items?select=name&price=gt.10");

        await AssertJsonEqualAsync(response, """[{"name": "banana"}]""");
    }

    [Fact]
    public async Task Get_sorts_operator_values_into_filters_and_other_values_into_arguments()
    {
        // prefix=a is the argument (only apple starts with a); id=gt.1 filters the result and removes apple.
        using var filtered = await api.Anon().GetAsync("/rpc/items_named?prefix=a&id=gt.1");
        using var kept = await api.Anon().GetAsync("/rpc/items_named?prefix=a&id=lt.2&select=id,name");

        await AssertJsonEqualAsync(filtered, "[]");
        await AssertJsonEqualAsync(kept, """[{"id": 1, "name": "apple"}]""");
    }

    [Fact]
    public async Task Post_applies_query_string_select_and_filters_to_the_result()
    {
        using var response = await api.Anon().PostJsonAsync("/rpc/all_items?select=id,name&id=in.(2,3)&order=id.desc", "{}");

        await AssertJsonEqualAsync(response, """[{"id": 3, "name": "cherry"}, {"id": 2, "name": "banana"}]""");
    }

    [Fact]
    public async Task Setof_result_honours_the_range_header()
    {
        using var response = await api.Anon().SendAsync(HttpMethod.Get, "/rpc/all_items?select=id&order=id",
            request => request.Headers.TryAddWithoutValidation("Range", "1-2"));

        await AssertJsonEqualAsync(response, """[{"id": 2}, {"id": 3}]""");
        Assert.Equal("1-2/*", Header(response, "Content-Range"));
    }

    [Fact]
    public async Task Setof_result_with_count_exact_and_a_partial_page_is_206_with_the_total()
    {
        using var response = await api.Anon().SendAsync(HttpMethod.Get, "/rpc/all_items?select=id&order=id&limit=2",
            request => request.Headers.TryAddWithoutValidation("Prefer", "count=exact"));

        await AssertJsonEqualAsync(response, """[{"id": 1}, {"id": 2}]""", status: 206);
        Assert.Equal("0-1/5", Header(response, "Content-Range"));
    }

    [Fact]
    public async Task Setof_result_count_exact_counts_the_filtered_rows()
    {
        using var response = await api.Anon().SendAsync(HttpMethod.Get, "/rpc/all_items?select=id&active=is.false&order=id",
            request => request.Headers.TryAddWithoutValidation("Prefer", "count=exact"));

        await AssertJsonEqualAsync(response, """[{"id": 2}, {"id": 5}]""");
        Assert.Equal("0-1/2", Header(response, "Content-Range"));
    }

    [Fact]
    public async Task Scalar_result_with_count_exact_has_content_range_0_0_1()
    {
        using var response = await api.Anon().SendAsync(HttpMethod.Get, "/rpc/add?a=1&b=2",
            request => request.Headers.TryAddWithoutValidation("Prefer", "count=exact"));

        await AssertJsonEqualAsync(response, "3");
        Assert.Equal("0-0/1", Header(response, "Content-Range"));
    }

    [Fact]
    public async Task Setof_result_with_an_unknown_column_in_a_filter_returns_400_42703()
    {
        using var response = await api.Anon().GetAsync("/rpc/all_items?nope=eq.1");

        await AssertErrorAsync(response, 400, "42703");
    }

    [Fact]
    public async Task Setof_result_with_a_malformed_order_returns_400_PGRST100()
    {
        using var response = await api.Anon().GetAsync("/rpc/all_items?order=id.sideways");

        await AssertErrorAsync(response, 400, "PGRST100");
    }

    [Fact]
    public async Task Setof_result_accepts_the_singular_object_media_type_for_one_row()
    {
        using var response = await api.Anon().SendAsync(HttpMethod.Get, "/rpc/items_named?prefix=ch&select=id,name",
            request => request.Headers.TryAddWithoutValidation("Accept", "application/vnd.pgrst.object+json"));

        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, text);
        Assert.Equal("application/vnd.pgrst.object+json; charset=utf-8", response.Content.Headers.ContentType?.ToString());
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"id": 3, "name": "cherry"}"""), JsonNode.Parse(text)), text);
    }
}
