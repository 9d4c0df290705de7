using Gateway.IntegrationTests.Infrastructure;

namespace Gateway.IntegrationTests.Api;

/// <summary>
/// <c>?or=(...)</c>, <c>?and=(...)</c> and their negations on <c>GET /items</c> (contract §1.2 "Logic trees"): items are
/// <c>col.op.val</c> or nested trees, values may be double-quoted or array literals, and every tree is combined
/// with the other filters by AND.
/// </summary>
public sealed class ReadsLogicTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    private readonly HttpClient anon = api.Anon();

    [Fact]
    public async Task Get_with_or_selects_rows_matching_any_item()
    {
        await anon.AssertItemIdsAsync("or=(id.eq.1,id.eq.3)", 1, 3);
    }

    [Fact]
    public async Task Get_with_and_selects_rows_matching_every_item()
    {
        await anon.AssertItemIdsAsync("and=(id.gt.1,id.lt.4)", 2, 3);
    }

    [Fact]
    public async Task Get_with_and_nested_in_or()
    {
        await anon.AssertItemIdsAsync("or=(id.eq.1,and(price.gt.5,active.is.false))", 1, 2);
    }

    [Fact]
    public async Task Get_with_or_nested_in_and()
    {
        await anon.AssertItemIdsAsync("and=(active.is.true,or(id.eq.3,id.eq.4))", 3);
    }

    [Fact]
    public async Task Get_with_not_or_selects_rows_matching_no_item()
    {
        await anon.AssertItemIdsAsync("not.or=(id.eq.1,id.eq.3)", 2, 4, 5);
    }

    [Fact]
    public async Task Get_with_not_and_nested_in_or()
    {
        await anon.AssertItemIdsAsync("or=(id.eq.1,not.and(id.gt.1,id.lt.4))", 1, 4, 5);
    }

    [Fact]
    public async Task Get_with_a_negated_item_in_or()
    {
        await anon.AssertItemIdsAsync("or=(id.eq.1,name.not.like.*e*)", 1, 2);
    }

    [Fact]
    public async Task Get_with_or_and_a_column_filter_combines_them_with_and()
    {
        await anon.AssertItemIdsAsync("or=(id.eq.1,id.eq.3)&id=gt.1", 3);
    }

    [Fact]
    public async Task Get_with_two_or_trees_applies_both()
    {
        await anon.AssertItemIdsAsync("or=(id.eq.1,id.eq.2)&or=(id.eq.2,id.eq.3)", 2);
    }

    [Fact]
    public async Task Get_with_or_ignores_spaces_around_items()
    {
        await anon.AssertItemIdsAsync("or=(%20id.eq.1%20,%20%20id.eq.3%20)", 1, 3);
    }

    [Fact]
    public async Task Get_with_or_reads_double_quoted_values_with_reserved_characters()
    {
        await anon.AssertItemIdsAsync("or=(name.eq.%22Date,%20%5C%22dried%5C%22%22,id.eq.5)", 4, 5);
    }

    [Fact]
    public async Task Get_with_or_keeps_an_array_literal_whole()
    {
        await anon.AssertItemIdsAsync("or=(tags.cs.{red,small},id.eq.2)", 2, 3);
    }

    [Fact]
    public async Task Get_with_or_accepts_is_null()
    {
        await anon.AssertItemIdsAsync("or=(price.is.null,id.eq.1)", 1, 4);
    }

    [Fact]
    public async Task Get_with_or_accepts_in_lists()
    {
        await anon.AssertItemIdsAsync("or=(id.in.(1,2),name.eq.elderberry)", 1, 2, 5);
    }

    [Fact]
    public async Task Get_with_or_accepts_full_text_search_with_a_configuration()
    {
        await anon.AssertItemIdsAsync("or=(search.fts(english).fox,name.eq.banana)", 1, 2);
    }

    [Fact]
    public async Task Get_with_or_accepts_json_paths()
    {
        await anon.AssertItemIdsAsync("or=(id.eq.1,data->>color.eq.purple)", 1, 5);
    }

    [Fact]
    public async Task Get_with_or_accepts_quantified_operators()
    {
        await anon.AssertItemIdsAsync("or=(name.like(any).{a*,b*},id.eq.5)", 1, 2, 5);
    }

    [Fact]
    public async Task Get_with_ten_levels_of_nesting_evaluates_them()
    {
        // The outer or, eight nested ors and the innermost and.
        var tree = string.Concat(Enumerable.Repeat("or(id.eq.9,", 8)) + "and(id.gt.1,id.lt.3)" + new string(')', 8);

        await anon.AssertItemIdsAsync($"or=({tree})", 2);
    }

    [Fact]
    public async Task Get_with_empty_or_returns_400_PGRST100()
    {
        using var response = await anon.ReadAsync("/items?or=()");

        await RpcHttp.AssertErrorAsync(response, 400, "PGRST100");
    }

    [Fact]
    public async Task Get_with_unclosed_or_returns_400_PGRST100()
    {
        using var response = await anon.ReadAsync("/items?or=(id.eq.1,id.eq.2");

        await RpcHttp.AssertErrorAsync(response, 400, "PGRST100");
    }

    [Fact]
    public async Task Get_with_or_item_without_operator_returns_400_PGRST100()
    {
        using var response = await anon.ReadAsync("/items?or=(id.1,id.eq.2)");

        await RpcHttp.AssertErrorAsync(response, 400, "PGRST100");
    }

    [Fact]
    public async Task Get_with_unknown_column_in_or_returns_400_42703()
    {
        using var response = await anon.ReadAsync("/items?or=(id.eq.1,nope.eq.2)");

        var error = await RpcHttp.AssertErrorAsync(response, 400, "42703");
        Assert.Equal("column items.nope does not exist", error.Message);
    }
}
