using Gateway.IntegrationTests.Infrastructure;
using static Gateway.IntegrationTests.Api.ReadsHttp;

namespace Gateway.IntegrationTests.Api;

/// <summary>
/// <c>order</c>, <c>limit</c>/<c>offset</c>, the <c>Range</c> header, <c>Prefer: count=exact</c> with
/// <c>Content-Range</c> and 206/416, and HEAD (contract §1.4, §1.5) on <c>GET /items</c>, whose five rows have
/// prices 9.99, 19.50, 0.50, null and 5.00.
/// </summary>
public sealed class ReadsPagingTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    private static readonly (string, string) CountExact = ("Prefer", "count=exact");

    private readonly HttpClient anon = api.Anon();

    [Fact]
    public async Task Get_with_order_desc_sorts_descending()
    {
        await AssertIdsAsync("/items?select=id&order=id.desc", 5, 4, 3, 2, 1);
    }

    [Fact]
    public async Task Get_with_order_asc_puts_nulls_last_by_default()
    {
        await AssertIdsAsync("/items?select=id&order=price.asc", 3, 5, 1, 2, 4);
    }

    [Fact]
    public async Task Get_with_order_desc_puts_nulls_first_by_default()
    {
        await AssertIdsAsync("/items?select=id&order=price.desc", 4, 2, 1, 5, 3);
    }

    [Fact]
    public async Task Get_with_order_nullsfirst_puts_nulls_first()
    {
        await AssertIdsAsync("/items?select=id&order=price.nullsfirst", 4, 3, 5, 1, 2);
    }

    [Fact]
    public async Task Get_with_order_desc_nullslast_puts_nulls_last()
    {
        await AssertIdsAsync("/items?select=id&order=price.desc.nullslast", 2, 1, 5, 3, 4);
    }

    [Fact]
    public async Task Get_with_several_order_terms_sorts_by_each_in_turn()
    {
        await AssertIdsAsync("/items?select=id&order=active.desc.nullslast,id.desc", 3, 1, 5, 2, 4);
    }

    [Fact]
    public async Task Get_with_order_on_a_json_text_path()
    {
        await AssertIdsAsync("/items?select=id&order=data->>color,id", 5, 1, 3, 2, 4);
    }

    [Fact]
    public async Task Get_with_order_on_a_nested_json_path()
    {
        await AssertIdsAsync("/items?select=id&order=data->size->w.desc.nullslast,id", 2, 1, 3, 4, 5);
    }

    [Fact]
    public async Task Get_with_malformed_order_returns_400_PGRST100()
    {
        using var response = await anon.ReadAsync("/items?order=id.ac");

        await RpcHttp.AssertErrorAsync(response, 400, "PGRST100");
    }

    [Fact]
    public async Task Get_with_limit_returns_the_first_rows_and_their_range()
    {
        using var response = await anon.ReadAsync("/items?select=id&order=id&limit=2");

        var body = await AssertBodyAsync(response, 200);
        Assert.Equal([1, 2], Ids(body));
        Assert.Equal("0-1/*", RpcHttp.Header(response, "Content-Range"));
    }

    [Fact]
    public async Task Get_with_limit_and_offset_returns_that_page_and_its_range()
    {
        using var response = await anon.ReadAsync("/items?select=id&order=id&limit=2&offset=2");

        var body = await AssertBodyAsync(response, 200);
        Assert.Equal([3, 4], Ids(body));
        Assert.Equal("2-3/*", RpcHttp.Header(response, "Content-Range"));
    }

    [Fact]
    public async Task Get_with_limit_zero_returns_an_empty_array()
    {
        using var response = await anon.ReadAsync("/items?select=id&limit=0");

        Assert.Equal("[]", await AssertBodyAsync(response, 200));
        Assert.Equal("*/*", RpcHttp.Header(response, "Content-Range"));
    }

    [Fact]
    public async Task Get_with_negative_offset_ignores_it()
    {
        using var response = await anon.ReadAsync("/items?select=id&order=id&offset=-1");

        var body = await AssertBodyAsync(response, 200);
        Assert.Equal([1, 2, 3, 4, 5], Ids(body));
        Assert.Equal("0-4/*", RpcHttp.Header(response, "Content-Range"));
    }

    [Fact]
    public async Task Get_with_negative_limit_returns_416_PGRST103()
    {
        using var response = await anon.ReadAsync("/items?select=id&limit=-1");

        var error = await RpcHttp.AssertErrorAsync(response, 416, "PGRST103");
        Assert.Equal("Requested range not satisfiable", error.Message);
        Assert.Equal("Limit should be greater than or equal to zero.", error.Details);
    }

    [Fact]
    public async Task Get_with_non_numeric_limit_returns_400_PGRST100()
    {
        using var response = await anon.ReadAsync("/items?select=id&limit=ten");

        await RpcHttp.AssertErrorAsync(response, 400, "PGRST100");
    }

    [Fact]
    public async Task Get_without_rows_reports_no_range()
    {
        using var response = await anon.ReadAsync("/items?select=id&id=eq.99");

        Assert.Equal("[]", await AssertBodyAsync(response, 200));
        Assert.Equal("*/*", RpcHttp.Header(response, "Content-Range"));
    }

    [Fact]
    public async Task Get_without_count_reports_an_unknown_total()
    {
        using var response = await anon.ReadAsync("/items?select=id");

        await AssertBodyAsync(response, 200);
        Assert.Equal("0-4/*", RpcHttp.Header(response, "Content-Range"));
    }

    [Fact]
    public async Task Get_with_range_header_returns_that_page_with_200_without_count()
    {
        using var response = await anon.ReadAsync("/items?select=id&order=id", ("Range", "0-1"));

        var body = await AssertBodyAsync(response, 200);
        Assert.Equal([1, 2], Ids(body));
        Assert.Equal("0-1/*", RpcHttp.Header(response, "Content-Range"));
    }

    [Fact]
    public async Task Get_with_range_header_and_count_returns_206_with_the_total()
    {
        using var response = await anon.ReadAsync("/items?select=id&order=id", ("Range", "0-1"), CountExact);

        var body = await AssertBodyAsync(response, 206);
        Assert.Equal([1, 2], Ids(body));
        Assert.Equal("0-1/5", RpcHttp.Header(response, "Content-Range"));
    }

    [Fact]
    public async Task Get_with_open_range_header_returns_the_rest()
    {
        using var response = await anon.ReadAsync("/items?select=id&order=id", ("Range", "1-"));

        var body = await AssertBodyAsync(response, 200);
        Assert.Equal([2, 3, 4, 5], Ids(body));
        Assert.Equal("1-4/*", RpcHttp.Header(response, "Content-Range"));
    }

    [Fact]
    public async Task Get_with_range_header_beyond_the_rows_is_truncated()
    {
        using var response = await anon.ReadAsync("/items?select=id&order=id", ("Range", "3-100"));

        var body = await AssertBodyAsync(response, 200);
        Assert.Equal([4, 5], Ids(body));
        Assert.Equal("3-4/*", RpcHttp.Header(response, "Content-Range"));
    }

    [Fact]
    public async Task Get_with_range_header_is_intersected_with_limit()
    {
        using var response = await anon.ReadAsync("/items?select=id&order=id&limit=3", ("Range", "0-1"));

        var body = await AssertBodyAsync(response, 200);
        Assert.Equal([1, 2], Ids(body));
        Assert.Equal("0-1/*", RpcHttp.Header(response, "Content-Range"));
    }

    [Fact]
    public async Task Get_ignores_a_range_header_with_a_unit()
    {
        using var response = await anon.ReadAsync("/items?select=id&order=id", ("Range", "items=0-1"));

        var body = await AssertBodyAsync(response, 200);
        Assert.Equal([1, 2, 3, 4, 5], Ids(body));
        Assert.Equal("0-4/*", RpcHttp.Header(response, "Content-Range"));
    }

    [Fact]
    public async Task Get_with_reversed_range_header_returns_416_PGRST103()
    {
        using var response = await anon.ReadAsync("/items?select=id", ("Range", "1-0"));

        var error = await RpcHttp.AssertErrorAsync(response, 416, "PGRST103");
        Assert.Equal("Requested range not satisfiable", error.Message);
        Assert.Equal("The lower boundary must be lower than or equal to the upper boundary in the Range header.", error.Details);
    }

    [Fact]
    public async Task Get_with_count_exact_and_every_row_returns_200_with_the_total()
    {
        using var response = await anon.ReadAsync("/items?select=id", CountExact);

        await AssertBodyAsync(response, 200);
        Assert.Equal("0-4/5", RpcHttp.Header(response, "Content-Range"));
    }

    [Fact]
    public async Task Get_with_count_exact_and_a_partial_page_returns_206()
    {
        using var response = await anon.ReadAsync("/items?select=id&order=id&limit=2", CountExact);

        var body = await AssertBodyAsync(response, 206);
        Assert.Equal([1, 2], Ids(body));
        Assert.Equal("0-1/5", RpcHttp.Header(response, "Content-Range"));
    }

    [Fact]
    public async Task Get_with_count_exact_counts_the_filtered_rows_only()
    {
        using var response = await anon.ReadAsync("/items?select=id&id=gt.2", CountExact);

        await AssertBodyAsync(response, 200);
        Assert.Equal("0-2/3", RpcHttp.Header(response, "Content-Range"));
    }

    [Fact]
    public async Task Get_with_count_exact_and_no_rows_reports_a_zero_total()
    {
        using var response = await anon.ReadAsync("/items?select=id&id=eq.99", CountExact);

        Assert.Equal("[]", await AssertBodyAsync(response, 200));
        Assert.Equal("*/0", RpcHttp.Header(response, "Content-Range"));
    }

    [Fact]
    public async Task Get_with_count_exact_echoes_it_in_preference_applied()
    {
        using var response = await anon.ReadAsync("/items?select=id", CountExact);

        await AssertBodyAsync(response, 200);
        Assert.Equal("count=exact", RpcHttp.Header(response, "Preference-Applied"));
    }

    [Fact]
    public async Task Get_with_offset_beyond_the_total_and_count_returns_416_PGRST103()
    {
        using var response = await anon.ReadAsync("/items?select=id&offset=10", CountExact);

        var error = await RpcHttp.AssertErrorAsync(response, 416, "PGRST103");
        Assert.Equal("Requested range not satisfiable", error.Message);
        Assert.Equal("An offset of 10 was requested, but there are only 5 rows.", error.Details);
        Assert.Equal("*/5", RpcHttp.Header(response, "Content-Range"));
    }

    [Fact]
    public async Task Get_with_offset_beyond_the_rows_without_count_returns_an_empty_array()
    {
        using var response = await anon.ReadAsync("/items?select=id&offset=10");

        Assert.Equal("[]", await AssertBodyAsync(response, 200));
        Assert.Equal("*/*", RpcHttp.Header(response, "Content-Range"));
    }

    [Fact]
    public async Task Head_returns_the_same_status_and_headers_as_get_without_a_body()
    {
        const string path = "/items?select=id&order=id&limit=2";
        using var get = await anon.ReadAsync(HttpMethod.Get, path, CountExact);
        using var head = await anon.ReadAsync(HttpMethod.Head, path, CountExact);

        Assert.Equal(206, (int)get.StatusCode);
        Assert.Equal(206, (int)head.StatusCode);
        Assert.Equal(JsonContentType, head.Content.Headers.ContentType?.ToString());
        Assert.Equal("0-1/5", RpcHttp.Header(head, "Content-Range"));
        Assert.Equal(RpcHttp.Header(get, "Content-Range"), RpcHttp.Header(head, "Content-Range"));
        Assert.Empty(await head.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Head_without_count_reports_the_page_range()
    {
        using var response = await anon.ReadAsync(HttpMethod.Head, "/items?select=id&limit=3&offset=2");

        Assert.Empty(await AssertBodyAsync(response, 200));
        Assert.Equal("2-4/*", RpcHttp.Header(response, "Content-Range"));
    }

    [Fact]
    public async Task Head_ignores_the_range_header()
    {
        using var response = await anon.ReadAsync(HttpMethod.Head, "/items?select=id", ("Range", "0-1"));

        Assert.Empty(await AssertBodyAsync(response, 200));
        Assert.Equal("0-4/*", RpcHttp.Header(response, "Content-Range"));
    }

    private async Task AssertIdsAsync(string path, params int[] expected)
    {
        using var response = await anon.ReadAsync(path);
        Assert.Equal(expected, Ids(await AssertBodyAsync(response, 200)));
    }
}
