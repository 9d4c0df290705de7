using Gateway.IntegrationTests.Infrastructure;
using static Gateway.IntegrationTests.Api.ReadsHttp;

namespace Gateway.IntegrationTests.Api;

/// <summary>
/// Reads that name something that is not there or say it in a way the grammar refuses (contract §1.1, §1.2, §4):
/// unknown views 404 PGRST205 with a hint, other path shapes 404 PGRST125, nothing outside <c>api</c> reachable,
/// unknown columns 400 <c>42703</c>, malformed parameters 400 PGRST100.
/// </summary>
public sealed class ReadsErrorTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    private readonly HttpClient anon = api.Anon();

    [Fact]
    public async Task Get_unknown_view_returns_404_PGRST205_with_a_hint_for_a_similar_name()
    {
        using var response = await anon.ReadAsync("/itemz");

        var error = await RpcHttp.AssertErrorAsync(response, 404, "PGRST205");
        Assert.Equal("Could not find the table 'api.itemz' in the schema cache", error.Message);
        Assert.Null(error.Details);
        Assert.Equal("Perhaps you meant the table 'api.items'", error.Hint);
    }

    [Fact]
    public async Task Get_unknown_view_unlike_any_other_returns_404_PGRST205_without_a_hint()
    {
        using var response = await anon.ReadAsync("/zzzzzzzzzzzz");

        var error = await RpcHttp.AssertErrorAsync(response, 404, "PGRST205");
        Assert.Equal("Could not find the table 'api.zzzzzzzzzzzz' in the schema cache", error.Message);
        Assert.Null(error.Hint);
    }

    [Fact]
    public async Task Get_schema_qualified_view_name_returns_404_PGRST205()
    {
        using var response = await anon.ReadAsync("/api.items");

        await RpcHttp.AssertErrorAsync(response, 404, "PGRST205");
    }

    [Fact]
    public async Task Get_table_of_another_schema_by_qualified_name_returns_404_PGRST205()
    {
        using var response = await anon.ReadAsync("/accounts.account");

        await RpcHttp.AssertErrorAsync(response, 404, "PGRST205");
    }

    [Fact]
    public async Task Get_table_of_another_schema_by_bare_name_returns_404_PGRST205()
    {
        using var response = await anon.ReadAsync("/fixture_item");

        await RpcHttp.AssertErrorAsync(response, 404, "PGRST205");
    }

    [Fact]
    public async Task Get_catalog_view_returns_404_PGRST205()
    {
        using var response = await anon.ReadAsync("/pg_roles");

        await RpcHttp.AssertErrorAsync(response, 404, "PGRST205");
    }

    [Fact]
    public async Task Get_with_accept_profile_of_another_schema_returns_406_PGRST106()
    {
        using var response = await anon.ReadAsync("/fixture_item", ("Accept-Profile", "demo"));

        await RpcHttp.AssertErrorAsync(response, 406, "PGRST106");
    }

    [Fact]
    public async Task Get_deeper_path_returns_404_PGRST125()
    {
        using var response = await anon.ReadAsync("/a/b/c");

        var error = await RpcHttp.AssertErrorAsync(response, 404, "PGRST125");
        Assert.Equal("Invalid path specified in request URL", error.Message);
    }

    [Fact]
    public async Task Get_view_with_unknown_column_in_select_returns_400_42703()
    {
        using var response = await anon.ReadAsync("/items?select=id,nope");

        var error = await RpcHttp.AssertErrorAsync(response, 400, "42703");
        Assert.Equal("column items.nope does not exist", error.Message);
    }

    [Fact]
    public async Task Get_view_with_unknown_column_in_filter_returns_400_42703()
    {
        using var response = await anon.ReadAsync("/items?nope=eq.1");

        var error = await RpcHttp.AssertErrorAsync(response, 400, "42703");
        Assert.Equal("column items.nope does not exist", error.Message);
    }

    [Fact]
    public async Task Get_view_with_unknown_column_under_a_json_path_returns_400_42703()
    {
        using var response = await anon.ReadAsync("/items?nope->>a=eq.1");

        await RpcHttp.AssertErrorAsync(response, 400, "42703");
    }

    [Fact]
    public async Task Get_view_with_unknown_column_in_order_returns_400_42703()
    {
        using var response = await anon.ReadAsync("/items?order=nope.desc");

        var error = await RpcHttp.AssertErrorAsync(response, 400, "42703");
        Assert.Equal("column items.nope does not exist", error.Message);
    }

    [Fact]
    public async Task Get_view_with_column_names_matched_case_sensitively_returns_400_42703()
    {
        using var response = await anon.ReadAsync("/items?select=ID");

        await RpcHttp.AssertErrorAsync(response, 400, "42703");
    }

    [Fact]
    public async Task Get_view_with_unknown_operator_returns_400_PGRST100()
    {
        using var response = await anon.ReadAsync("/items?id=eqq.1");

        await RpcHttp.AssertErrorAsync(response, 400, "PGRST100");
    }

    [Fact]
    public async Task Get_view_with_filter_value_without_operator_returns_400_PGRST100()
    {
        using var response = await anon.ReadAsync("/items?id=1");

        await RpcHttp.AssertErrorAsync(response, 400, "PGRST100");
    }

    [Fact]
    public async Task Get_view_with_operator_without_value_delimiter_returns_400_PGRST100()
    {
        using var response = await anon.ReadAsync("/items?id=eq");

        await RpcHttp.AssertErrorAsync(response, 400, "PGRST100");
    }

    [Fact]
    public async Task Get_view_with_empty_select_item_returns_400_PGRST100()
    {
        using var response = await anon.ReadAsync("/items?select=id,,name");

        await RpcHttp.AssertErrorAsync(response, 400, "PGRST100");
    }

    [Fact]
    public async Task Get_view_with_cast_without_type_returns_400_PGRST100()
    {
        using var response = await anon.ReadAsync("/items?select=id::");

        await RpcHttp.AssertErrorAsync(response, 400, "PGRST100");
    }

    [Fact]
    public async Task Get_view_with_malformed_order_direction_returns_400_PGRST100()
    {
        using var response = await anon.ReadAsync("/items?order=id.descc");

        await RpcHttp.AssertErrorAsync(response, 400, "PGRST100");
    }

    [Fact]
    public async Task Get_view_with_aggregate_returns_400_PGRST123()
    {
        using var response = await anon.ReadAsync("/items?select=price.sum()");

        await RpcHttp.AssertErrorAsync(response, 400, "PGRST123");
    }

    [Fact]
    public async Task Get_view_reachable_by_anon_returns_its_rows()
    {
        using var response = await anon.ReadAsync("/hello_world");

        Assert.Equal("""[{"message":"Hello, World!"}]""", await AssertBodyAsync(response, 200));
    }
}
