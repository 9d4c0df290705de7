using Gateway.IntegrationTests.Infrastructure;
using static Gateway.IntegrationTests.Api.ReadsHttp;

namespace Gateway.IntegrationTests.Api;

/// <summary>
/// Parameters addressed to embeds and joins that filter the parent (contract §1.3.1; PostgREST's QuerySpec,
/// EmbedInnerJoinSpec and RelatedQueriesSpec): <c>rel.col=</c>, <c>rel.or=</c>, <c>rel.order=</c>, <c>rel.limit=</c> and
/// <c>rel.offset=</c> shape each parent's children; <c>!inner</c> and <c>rel=not.is.null</c> keep only parents with
/// matching children; <c>order=rel(col)</c> orders parents by a to-one child.
/// </summary>
public sealed class EmbedFilterTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    private readonly HttpClient anon = api.Anon();

    [Fact]
    public async Task Get_with_embedded_filter_filters_the_children_but_keeps_every_parent()
    {
        using var response = await anon.ReadAsync("/projects?select=id,tracked_tasks(id)&order=id&tracked_tasks.done=eq.false&tracked_tasks.order=id");

        await AssertJsonAsync(response, """
            [{"id":1,"tracked_tasks":[{"id":2}]},{"id":2,"tracked_tasks":[{"id":4}]},{"id":3,"tracked_tasks":[{"id":5}]},
             {"id":4,"tracked_tasks":[{"id":7},{"id":8}]},{"id":5,"tracked_tasks":[]}]
            """);
    }

    [Fact]
    public async Task Get_with_inner_embed_keeps_only_parents_with_matching_children()
    {
        using var response = await anon.ReadAsync("/projects?select=id,tracked_tasks!inner(id)&order=id&tracked_tasks.done=eq.true");

        await AssertJsonAsync(response, """
            [{"id":1,"tracked_tasks":[{"id":1}]},{"id":2,"tracked_tasks":[{"id":3}]},{"id":3,"tracked_tasks":[{"id":6}]}]
            """);
    }

    [Fact]
    public async Task Get_with_left_embed_keeps_parents_without_matching_children()
    {
        using var response = await anon.ReadAsync("/projects?select=id,tracked_tasks!left(id)&order=id&tracked_tasks.done=eq.true");

        await AssertJsonAsync(response, """
            [{"id":1,"tracked_tasks":[{"id":1}]},{"id":2,"tracked_tasks":[{"id":3}]},{"id":3,"tracked_tasks":[{"id":6}]},
             {"id":4,"tracked_tasks":[]},{"id":5,"tracked_tasks":[]}]
            """);
    }

    [Fact]
    public async Task Get_with_inner_many_to_one_embed_filters_parents_by_the_parent_row()
    {
        using var response = await anon.ReadAsync("/projects?select=id,clients!inner(name)&clients.name=eq.Apple&order=id");

        await AssertJsonAsync(response, """[{"id":3,"clients":{"name":"Apple"}},{"id":4,"clients":{"name":"Apple"}}]""");
    }

    [Fact]
    public async Task Get_with_inner_embed_and_exact_count_counts_only_the_remaining_parents()
    {
        using var response = await anon.ReadAsync(
            "/projects?select=id,tracked_tasks!inner(id)&tracked_tasks.done=eq.true&order=id&limit=2", ("Prefer", "count=exact"));

        AssertJsonEqual("""[{"id":1,"tracked_tasks":[{"id":1}]},{"id":2,"tracked_tasks":[{"id":3}]}]""", await AssertBodyAsync(response, 206));
        Assert.Equal("0-1/3", RpcHttp.Header(response, "Content-Range"));
    }

    [Fact]
    public async Task Get_with_embedded_or_filters_the_children_by_either_condition()
    {
        using var response = await anon.ReadAsync("/projects?select=id,tasks(id)&id=lt.3&order=id&tasks.or=(id.eq.1,id.eq.4)&tasks.order=id");

        await AssertJsonAsync(response, """[{"id":1,"tasks":[{"id":1}]},{"id":2,"tasks":[{"id":4}]}]""");
    }

    [Fact]
    public async Task Get_with_embedded_order_orders_each_parents_children()
    {
        using var response = await anon.ReadAsync("/projects?select=id,tasks(id)&id=lt.3&order=id&tasks.order=id.desc");

        await AssertJsonAsync(response, """[{"id":1,"tasks":[{"id":2},{"id":1}]},{"id":2,"tasks":[{"id":4},{"id":3}]}]""");
    }

    [Fact]
    public async Task Get_with_embedded_limit_limits_each_parents_children()
    {
        using var response = await anon.ReadAsync("/projects?select=id,tasks(id)&id=lt.3&order=id&tasks.order=id&tasks.limit=1");

        await AssertJsonAsync(response, """[{"id":1,"tasks":[{"id":1}]},{"id":2,"tasks":[{"id":3}]}]""");
    }

    [Fact]
    public async Task Get_with_embedded_offset_skips_each_parents_first_children()
    {
        using var response = await anon.ReadAsync("/projects?select=id,tasks(id)&id=lt.3&order=id&tasks.order=id&tasks.offset=1");

        await AssertJsonAsync(response, """[{"id":1,"tasks":[{"id":2}]},{"id":2,"tasks":[{"id":4}]}]""");
    }

    [Fact]
    public async Task Get_with_filter_on_a_nested_embed_filters_the_grandchildren()
    {
        using var response = await anon.ReadAsync(
            "/clients?select=id,projects(id,tracked_tasks(id))&id=eq.1&projects.order=id&projects.tracked_tasks.done=eq.true");

        await AssertJsonAsync(response, """[{"id":1,"projects":[{"id":1,"tracked_tasks":[{"id":1}]},{"id":2,"tracked_tasks":[{"id":3}]}]}]""");
    }

    [Fact]
    public async Task Get_with_order_by_a_to_one_embed_column_orders_the_parents()
    {
        using var response = await anon.ReadAsync("/projects?select=id,clients(name)&client_id=not.is.null&order=clients(name).desc,id.desc");

        await AssertJsonAsync(response, """
            [{"id":2,"clients":{"name":"Microsoft"}},{"id":1,"clients":{"name":"Microsoft"}},
             {"id":4,"clients":{"name":"Apple"}},{"id":3,"clients":{"name":"Apple"}}]
            """);
    }

    [Fact]
    public async Task Get_with_order_by_a_to_one_embed_column_it_does_not_select_orders_without_showing_it()
    {
        // PostgREST answers 42703 here (its join holds only the selected columns); ours selects the column too.
        using var response = await anon.ReadAsync("/projects?select=id,clients(name)&client_id=not.is.null&order=clients(id).desc,id");

        await AssertJsonAsync(response, """
            [{"id":3,"clients":{"name":"Apple"}},{"id":4,"clients":{"name":"Apple"}},
             {"id":1,"clients":{"name":"Microsoft"}},{"id":2,"clients":{"name":"Microsoft"}}]
            """);
    }

    [Fact]
    public async Task Get_with_order_by_a_spread_embed_column_it_does_not_select_orders_without_lifting_it()
    {
        using var response = await anon.ReadAsync("/projects?select=id,...clients(name)&client_id=not.is.null&order=clients(id).desc,id");

        await AssertJsonAsync(response, """
            [{"id":3,"name":"Apple"},{"id":4,"name":"Apple"},{"id":1,"name":"Microsoft"},{"id":2,"name":"Microsoft"}]
            """);
    }

    [Fact]
    public async Task Get_with_order_by_a_to_many_embed_returns_400_PGRST118()
    {
        using var response = await anon.ReadAsync("/clients?select=id,projects(id)&order=projects(id)");

        AssertJsonEqual("""
            {"code":"PGRST118",
             "details":"'clients' and 'projects' do not form a many-to-one or one-to-one relationship",
             "hint":null,
             "message":"A related order on 'projects' is not possible"}
            """, await AssertBodyAsync(response, 400));
    }

    [Fact]
    public async Task Get_with_not_is_null_on_an_embed_keeps_parents_with_matching_children()
    {
        using var response = await anon.ReadAsync("/projects?select=id,tracked_tasks(id)&tracked_tasks=not.is.null&tracked_tasks.done=eq.true&order=id");

        await AssertJsonAsync(response, """
            [{"id":1,"tracked_tasks":[{"id":1}]},{"id":2,"tracked_tasks":[{"id":3}]},{"id":3,"tracked_tasks":[{"id":6}]}]
            """);
    }

    [Fact]
    public async Task Get_with_is_null_on_an_embed_keeps_parents_without_matching_children()
    {
        using var response = await anon.ReadAsync("/projects?select=id,tracked_tasks(id)&tracked_tasks=is.null&tracked_tasks.done=eq.true&order=id");

        await AssertJsonAsync(response, """[{"id":4,"tracked_tasks":[]},{"id":5,"tracked_tasks":[]}]""");
    }

    [Fact]
    public async Task Get_with_is_null_on_a_to_one_embed_keeps_parents_without_it()
    {
        using var response = await anon.ReadAsync("/projects?select=id,clients(name)&clients=is.null");

        await AssertJsonAsync(response, """[{"id":5,"clients":null}]""");
    }

    [Fact]
    public async Task Get_with_filter_on_a_resource_that_is_not_embedded_returns_400_PGRST108()
    {
        using var response = await anon.ReadAsync("/projects?select=id&tasks.name=eq.Code%20w7");

        AssertJsonEqual("""
            {"code":"PGRST108",
             "details":null,
             "hint":"Verify that 'tasks' is included in the 'select' query parameter.",
             "message":"'tasks' is not an embedded resource in this request"}
            """, await AssertBodyAsync(response, 400));
    }

    [Fact]
    public async Task Get_with_filter_on_a_nested_resource_that_is_not_embedded_returns_400_PGRST108()
    {
        using var response = await anon.ReadAsync("/clients?select=id,projects(id,tasks(id))&projects.tasks2.name=eq.Code%20w7");

        var error = await RpcHttp.AssertErrorAsync(response, 400, "PGRST108");
        Assert.Equal("'tasks2' is not an embedded resource in this request", error.Message);
    }
}
