using System.Text.Json.Nodes;
using Gateway.IntegrationTests.Infrastructure;
using static Gateway.IntegrationTests.Api.ReadsHttp;

namespace Gateway.IntegrationTests.Api;

/// <summary>
/// Resource embedding through views (contract §1.3.1), one kind of relationship per test, against
/// <c>Api/embedding-fixture.sql</c>: a to-one embed is an object (or null), a to-many embed an array (or <c>[]</c>), as in
/// PostgREST's QuerySpec and EmbedDisambiguationSpec.
/// </summary>
public sealed class EmbedRelationshipTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    private readonly HttpClient anon = api.Anon();

    [Fact]
    public async Task Get_with_many_to_one_embed_returns_the_parent_as_an_object_or_null()
    {
        using var response = await anon.ReadAsync("/projects?select=id,name,clients(name)&order=id");

        await AssertJsonAsync(response, """
            [{"id":1,"name":"Windows 7","clients":{"name":"Microsoft"}},
             {"id":2,"name":"Windows 10","clients":{"name":"Microsoft"}},
             {"id":3,"name":"IOS","clients":{"name":"Apple"}},
             {"id":4,"name":"OSX","clients":{"name":"Apple"}},
             {"id":5,"name":"Orphan","clients":null}]
            """);
    }

    [Fact]
    public async Task Get_with_aliased_embed_returns_it_under_the_alias()
    {
        using var response = await anon.ReadAsync("/projects?select=id,client:clients(name)&id=eq.3");

        await AssertJsonAsync(response, """[{"id":3,"client":{"name":"Apple"}}]""");
    }

    [Fact]
    public async Task Get_with_one_to_many_embed_returns_the_children_as_an_array_or_empty_array()
    {
        using var response = await anon.ReadAsync("/projects?select=id,tasks(id,name)&id=in.(1,4,5)&order=id&tasks.order=id");

        await AssertJsonAsync(response, """
            [{"id":1,"tasks":[{"id":1,"name":"Design w7"},{"id":2,"name":"Code w7"}]},
             {"id":4,"tasks":[{"id":7,"name":"Design OSX"},{"id":8,"name":"Code OSX"}]},
             {"id":5,"tasks":[]}]
            """);
    }

    [Fact]
    public async Task Get_with_many_to_many_embed_goes_through_the_junction()
    {
        using var response = await anon.ReadAsync("/users?select=name,tasks(id)&order=id&tasks.order=id");

        await AssertJsonAsync(response, """
            [{"name":"Angela Martin","tasks":[{"id":1},{"id":2},{"id":3},{"id":4}]},
             {"name":"Michael Scott","tasks":[{"id":5},{"id":6},{"id":7}]},
             {"name":"Dwight Schrute","tasks":[{"id":1},{"id":5}]}]
            """);
    }

    [Fact]
    public async Task Get_with_many_to_many_embed_works_from_the_other_side()
    {
        using var response = await anon.ReadAsync("/tasks?select=id,users(name)&id=in.(1,8)&order=id&users.order=id");

        await AssertJsonAsync(response, """
            [{"id":1,"users":[{"name":"Angela Martin"},{"name":"Dwight Schrute"}]},
             {"id":8,"users":[]}]
            """);
    }

    [Fact]
    public async Task Get_with_one_to_one_embed_returns_an_object_from_the_referenced_side()
    {
        using var response = await anon.ReadAsync("/users?select=name,profiles(bio)&order=id");

        await AssertJsonAsync(response, """
            [{"name":"Angela Martin","profiles":{"bio":"Head of accounting"}},
             {"name":"Michael Scott","profiles":{"bio":"Regional manager"}},
             {"name":"Dwight Schrute","profiles":null}]
            """);
    }

    [Fact]
    public async Task Get_with_one_to_one_embed_returns_an_object_from_the_referencing_side()
    {
        using var response = await anon.ReadAsync("/profiles?select=bio,users(name)&order=id");

        await AssertJsonAsync(response, """
            [{"bio":"Head of accounting","users":{"name":"Angela Martin"}},
             {"bio":"Regional manager","users":{"name":"Michael Scott"}}]
            """);
    }

    [Fact]
    public async Task Get_with_self_reference_by_column_embeds_the_parent()
    {
        using var response = await anon.ReadAsync("/employees?select=name,manager:manager_id(name)&order=id");

        await AssertJsonAsync(response, """
            [{"name":"Jan Levinson","manager":null},
             {"name":"Michael Scott","manager":{"name":"Jan Levinson"}},
             {"name":"Dwight Schrute","manager":{"name":"Michael Scott"}},
             {"name":"Jim Halpert","manager":{"name":"Michael Scott"}}]
            """);
    }

    [Fact]
    public async Task Get_with_self_reference_by_table_name_embeds_the_children()
    {
        using var response = await anon.ReadAsync("/employees?select=name,reports:employees(name)&order=id&reports.order=id");

        await AssertJsonAsync(response, """
            [{"name":"Jan Levinson","reports":[{"name":"Michael Scott"}]},
             {"name":"Michael Scott","reports":[{"name":"Dwight Schrute"},{"name":"Jim Halpert"}]},
             {"name":"Dwight Schrute","reports":[]},
             {"name":"Jim Halpert","reports":[]}]
            """);
    }

    [Fact]
    public async Task Get_with_embeds_nested_three_levels_deep_returns_every_level()
    {
        using var response = await anon.ReadAsync(
            "/clients?select=name,projects(name,tasks(name,users(name)))&id=eq.2"
            + "&projects.order=id&projects.tasks.order=id&projects.tasks.users.order=id");

        await AssertJsonAsync(response, """
            [{"name":"Apple","projects":[
              {"name":"IOS","tasks":[
                {"name":"Design IOS","users":[{"name":"Michael Scott"},{"name":"Dwight Schrute"}]},
                {"name":"Code IOS","users":[{"name":"Michael Scott"}]}]},
              {"name":"OSX","tasks":[
                {"name":"Design OSX","users":[{"name":"Michael Scott"}]},
                {"name":"Code OSX","users":[]}]}]}]
            """);
    }

    [Fact]
    public async Task Get_with_star_inside_an_embed_returns_every_column_of_the_child()
    {
        using var response = await anon.ReadAsync("/projects?select=*,clients(*)&id=eq.1");

        await AssertJsonAsync(response, """[{"id":1,"name":"Windows 7","client_id":1,"clients":{"id":1,"name":"Microsoft"}}]""");
    }

    /// <summary>PostgREST casts each embedded object to jsonb, so its keys come out in jsonb's order (shorter keys first).</summary>
    [Fact]
    public async Task Get_with_to_one_embed_returns_its_keys_in_jsonb_order()
    {
        using var response = await anon.ReadAsync("/projects?select=id,clients(name,id)&id=eq.1");

        var client = JsonNode.Parse(await AssertBodyAsync(response, 200))!.AsArray().Single()!["clients"]!.AsObject();
        Assert.Equal(["id", "name"], client.Select(property => property.Key));
    }

    [Fact]
    public async Task Get_with_casts_and_json_paths_inside_an_embed_applies_them_to_the_child()
    {
        using var response = await anon.ReadAsync("/projects?select=id,tracked_tasks(id::text,w:meta->size->>w,meta->>tag)&id=eq.1&tracked_tasks.order=id");

        await AssertJsonAsync(response, """[{"id":1,"tracked_tasks":[{"id":"1","w":"1","tag":"ui"},{"id":"2","w":"2","tag":"dev"}]}]""");
    }

    [Fact]
    public async Task Get_with_the_same_relation_embedded_twice_under_two_aliases_filters_each_by_its_alias()
    {
        using var response = await anon.ReadAsync(
            "/projects?select=id,finished:tracked_tasks(id),pending:tracked_tasks(id)&id=eq.1&finished.done=is.true&pending.done=is.false");

        await AssertJsonAsync(response, """[{"id":1,"finished":[{"id":1}],"pending":[{"id":2}]}]""");
    }

    [Fact]
    public async Task Get_with_computed_to_many_relationship_returns_the_function_rows()
    {
        using var response = await anon.ReadAsync("/projects?select=id,open_tasks(id)&id=lt.4&order=id&open_tasks.order=id");

        await AssertJsonAsync(response, """
            [{"id":1,"open_tasks":[{"id":2}]},
             {"id":2,"open_tasks":[{"id":4}]},
             {"id":3,"open_tasks":[{"id":5}]}]
            """);
    }

    [Fact]
    public async Task Get_with_computed_to_one_relationship_returns_an_object_or_null()
    {
        using var response = await anon.ReadAsync("/projects?select=name,top_invoice(amount)&id=in.(1,3,5)&order=id");

        await AssertJsonAsync(response, """
            [{"name":"Windows 7","top_invoice":{"amount":200.25}},
             {"name":"IOS","top_invoice":{"amount":75.30}},
             {"name":"Orphan","top_invoice":null}]
            """);
    }

    [Fact]
    public async Task Rpc_returning_rows_of_a_view_embeds_its_relationships()
    {
        using var response = await anon.ReadAsync("/rpc/projects_of?client=1&select=id,clients(name)&order=id");

        await AssertJsonAsync(response, """
            [{"id":1,"clients":{"name":"Microsoft"}},
             {"id":2,"clients":{"name":"Microsoft"}}]
            """);
    }
}
