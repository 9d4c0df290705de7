using Gateway.IntegrationTests.Infrastructure;
using Microsoft.AspNetCore.Mvc.Testing;
using static Gateway.IntegrationTests.Api.ReadsHttp;

namespace Gateway.IntegrationTests.Api;

/// <summary>
/// Aggregates (contract §1.3.1, PostgREST's AggregateFunctionsSpec), on only with <c>Gateway:AggregatesEnabled=true</c>:
/// the selected columns that do not aggregate group the rows, inside embeds they aggregate per parent, and in a to-one
/// spread they aggregate the parent's rows. Off (the default), any aggregate is 400 PGRST123.
/// </summary>
public sealed class EmbedAggregateTests(ApiFixture api) : IClassFixture<ApiFixture>, IAsyncLifetime
{
    private WebApplicationFactory<Program>? aggregating;

    private HttpClient Aggregating => aggregating!.CreateClient();

    public async Task InitializeAsync() => aggregating = await api.WithSettingsAsync(("Gateway:AggregatesEnabled", "true"));

    public async Task DisposeAsync() => await aggregating!.DisposeAsync();

    [Fact]
    public async Task Get_with_count_counts_every_row()
    {
        using var response = await Aggregating.ReadAsync("/invoices?select=count()");

        Assert.Equal("""[{"count":4}]""", await AssertBodyAsync(response, 200));
    }

    [Fact]
    public async Task Get_with_sum_sums_the_column_under_the_function_name()
    {
        using var response = await Aggregating.ReadAsync("/invoices?select=amount.sum()");

        Assert.Equal("""[{"sum":426.05}]""", await AssertBodyAsync(response, 200));
    }

    [Fact]
    public async Task Get_with_cast_before_sum_sums_the_cast_values()
    {
        using var response = await Aggregating.ReadAsync("/invoices?select=amount::int.sum()");

        Assert.Equal("""[{"sum":426}]""", await AssertBodyAsync(response, 200));
    }

    [Fact]
    public async Task Get_with_aggregate_and_other_columns_groups_by_the_other_columns()
    {
        using var response = await Aggregating.ReadAsync("/invoices?select=project_id,total:amount.sum(),count()&order=project_id");

        await AssertJsonAsync(response, """[{"project_id":1,"total":300.75,"count":2},{"project_id":3,"total":125.30,"count":2}]""");
    }

    [Fact]
    public async Task Get_with_count_inside_an_embed_counts_each_parents_children()
    {
        using var response = await Aggregating.ReadAsync("/projects?select=name,invoices(count())&id=in.(1,3,5)&order=id");

        await AssertJsonAsync(response, """
            [{"name":"Windows 7","invoices":[{"count":2}]},
             {"name":"IOS","invoices":[{"count":2}]},
             {"name":"Orphan","invoices":[{"count":0}]}]
            """);
    }

    [Fact]
    public async Task Get_with_sum_inside_an_embed_is_null_for_a_parent_without_children()
    {
        using var response = await Aggregating.ReadAsync("/projects?select=name,invoices(amount.sum())&id=in.(1,3,5)&order=id");

        await AssertJsonAsync(response, """
            [{"name":"Windows 7","invoices":[{"sum":300.75}]},
             {"name":"IOS","invoices":[{"sum":125.30}]},
             {"name":"Orphan","invoices":[{"sum":null}]}]
            """);
    }

    [Fact]
    public async Task Get_with_aggregate_grouped_by_a_to_one_spread_column()
    {
        using var response = await Aggregating.ReadAsync("/invoices?select=total:amount.sum(),...projects(name)&order=projects(name)");

        await AssertJsonAsync(response, """[{"total":125.30,"name":"IOS"},{"total":300.75,"name":"Windows 7"}]""");
    }

    [Fact]
    public async Task Get_with_aggregate_inside_a_to_one_spread_aggregates_the_parent_rows()
    {
        using var response = await Aggregating.ReadAsync("/invoices?select=status,...projects(projects:id.count())&order=status");

        await AssertJsonAsync(response, """[{"status":"open","projects":1},{"status":"paid","projects":3}]""");
    }

    [Fact]
    public async Task Get_with_only_an_aggregate_inside_a_to_one_spread_returns_one_row()
    {
        using var response = await Aggregating.ReadAsync("/invoices?select=...projects(project_ids:id.sum())");

        await AssertJsonAsync(response, """[{"project_ids":8}]""");
    }

    [Fact]
    public async Task Get_with_aggregate_inside_a_to_many_spread_returns_400_PGRST127()
    {
        using var response = await Aggregating.ReadAsync("/projects?select=name,...invoices(status,amount.sum())");

        AssertJsonEqual("""
            {"code":"PGRST127",
             "details":"Aggregates are not implemented for one-to-many or many-to-many spreads.",
             "hint":null,
             "message":"Feature not implemented"}
            """, await AssertBodyAsync(response, 400));
    }

    [Theory]
    [InlineData("/invoices?select=amount.sum()")]
    [InlineData("/invoices?select=count()")]
    [InlineData("/projects?select=name,invoices(amount.sum())")]
    [InlineData("/invoices?select=...projects(id.count())")]
    public async Task Get_with_aggregate_when_aggregates_are_off_returns_400_PGRST123(string path)
    {
        using var response = await api.Anon().ReadAsync(path);

        AssertJsonEqual("""
            {"code":"PGRST123","details":null,"hint":null,"message":"Use of aggregate functions is not allowed"}
            """, await AssertBodyAsync(response, 400));
    }
}
