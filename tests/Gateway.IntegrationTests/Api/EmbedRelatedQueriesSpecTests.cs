using Gateway.IntegrationTests.Infrastructure;
using static Gateway.IntegrationTests.Api.ReadsHttp;

namespace Gateway.IntegrationTests.Api;

/// <summary>
/// PostgREST's RelatedQueriesSpec, ported with its expected bodies over the views of private tables in
/// <c>Api/embedding-fixture.sql</c>: a parent ordered by a to-one embed's column (<c>order=rel(col)</c>, also through a
/// JSON path, a computed relationship and inside an embed), 400 PGRST118 for a to-many one and PGRST108 for one not
/// embedded; parents filtered by whether an embed has rows (<c>rel=is.null</c>, <c>rel=not.is.null</c>, also in
/// <c>or=(...)</c>, nested and with counts), which tests the embedded row as a whole, and leaves columns named like
/// an embed to ordinary filters. Left out: a filter on <c>user1</c> beside the legacy target <c>user1(*)</c> towards
/// PostgREST's table profiles, whose name the fixture's profiles view already has; <c>client:client_id(name)</c>, a
/// legacy target towards the clients view; and <c>count=planned</c> and <c>count=estimated</c>, whose totals are the
/// planner's estimate of PostgREST's own count query (its EXISTS subqueries, its tables' statistics), and estimated
/// is exact in the gateway (PostgREST, without db-max-rows, answers the larger of the exact and planned counts).
/// </summary>
public sealed class EmbedRelatedQueriesSpecTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    private const string ProjectsWithClients = """
        [{"name":"Windows 7","clients":{"name":"Microsoft"}},{"name":"Windows 10","clients":{"name":"Microsoft"}},
         {"name":"IOS","clients":{"name":"Apple"}},{"name":"OSX","clients":{"name":"Apple"}}]
        """;

    private const string ClientsWithInfoOrContact =
        "/client?select=*,clientinfo(),contact()&clientinfo.other=ilike.*main*&contact.name=ilike.*tabby*&or=(clientinfo.not.is.null,contact.not.is.null)";

    private readonly HttpClient anon = api.Anon();

    // Related orders.

    [Fact]
    public async Task A_many_to_one_embed_orders_its_parents()
    {
        await anon.AssertReadAsync("/projects?select=id,clients(name)&order=clients(name).nullsfirst", """
            [{"id":5,"clients":null},{"id":3,"clients":{"name":"Apple"}},{"id":4,"clients":{"name":"Apple"}},
             {"id":1,"clients":{"name":"Microsoft"}},{"id":2,"clients":{"name":"Microsoft"}}]
            """);
        await anon.AssertReadAsync("/projects?select=id,client:clients(name)&order=client(name).asc", """
            [{"id":3,"client":{"name":"Apple"}},{"id":4,"client":{"name":"Apple"}},{"id":1,"client":{"name":"Microsoft"}},
             {"id":2,"client":{"name":"Microsoft"}},{"id":5,"client":null}]
            """);
        await anon.AssertReadAsync("/videogames?select=id,computed_designers(id)&order=computed_designers(id).desc", """
            [{"id":3,"computed_designers":{"id":2}},{"id":4,"computed_designers":{"id":2}},
             {"id":1,"computed_designers":{"id":1}},{"id":2,"computed_designers":{"id":1}}]
            """);
    }

    [Fact]
    public async Task A_one_to_one_embed_orders_its_parents_through_a_json_path()
    {
        await anon.AssertReadAsync("/trash?select=id,trash_details(id,jsonb_col)&order=trash_details(jsonb_col->key).asc", """
            [{"id":2,"trash_details":{"id":2,"jsonb_col":{"key":6}}},{"id":3,"trash_details":{"id":3,"jsonb_col":{"key":8}}},
             {"id":1,"trash_details":{"id":1,"jsonb_col":{"key":10}}}]
            """);
        await anon.AssertReadAsync("/trash?select=id,trash_details(id,jsonb_col)&order=trash_details(jsonb_col->key).desc", """
            [{"id":1,"trash_details":{"id":1,"jsonb_col":{"key":10}}},{"id":3,"trash_details":{"id":3,"jsonb_col":{"key":8}}},
             {"id":2,"trash_details":{"id":2,"jsonb_col":{"key":6}}}]
            """);
    }

    [Fact]
    public async Task An_embed_orders_its_rows_by_their_own_embed()
    {
        await anon.AssertReadAsync("/users?select=name,tasks(id,name,projects(id,name))&tasks.order=projects(id).desc&limit=1", """
            [{"name":"Angela Martin","tasks":[
              {"id":3,"name":"Design w10","projects":{"id":2,"name":"Windows 10"}},{"id":4,"name":"Code w10","projects":{"id":2,"name":"Windows 10"}},
              {"id":1,"name":"Design w7","projects":{"id":1,"name":"Windows 7"}},{"id":2,"name":"Code w7","projects":{"id":1,"name":"Windows 7"}}]}]
            """);
        await anon.AssertReadAsync("/users?select=name,tasks(id,name,projects(id,name))&tasks.order=projects(id).desc,name&limit=1", """
            [{"name":"Angela Martin","tasks":[
              {"id":4,"name":"Code w10","projects":{"id":2,"name":"Windows 10"}},{"id":3,"name":"Design w10","projects":{"id":2,"name":"Windows 10"}},
              {"id":2,"name":"Code w7","projects":{"id":1,"name":"Windows 7"}},{"id":1,"name":"Design w7","projects":{"id":1,"name":"Windows 7"}}]}]
            """);
        await anon.AssertReadAsync("/users?select=name,tasks(id,name,projects(id,name))&tasks.order=projects(id).asc&limit=1", """
            [{"name":"Angela Martin","tasks":[
              {"id":1,"name":"Design w7","projects":{"id":1,"name":"Windows 7"}},{"id":2,"name":"Code w7","projects":{"id":1,"name":"Windows 7"}},
              {"id":3,"name":"Design w10","projects":{"id":2,"name":"Windows 10"}},{"id":4,"name":"Code w10","projects":{"id":2,"name":"Windows 10"}}]}]
            """);
    }

    [Theory]
    [InlineData("/clients?select=*,projects(*)&order=projects(id)", "clients", "projects")]
    [InlineData("/clients?select=*,pros:projects(*)&order=pros(id)", "clients", "pros")]
    [InlineData("/designers?select=id,computed_videogames(id)&order=computed_videogames(id).desc", "designers", "computed_videogames")]
    public Task A_to_many_embed_cannot_order_its_parents_400_PGRST118(string path, string parent, string embed) =>
        anon.AssertExactAnswerAsync(path, 400, $$"""
            {"code":"PGRST118","details":"'{{parent}}' and '{{embed}}' do not form a many-to-one or one-to-one relationship",
             "hint":null,"message":"A related order on '{{embed}}' is not possible"}
            """);

    [Fact]
    public Task An_order_by_a_resource_not_embedded_is_400_PGRST108() =>
        anon.AssertExactAnswerAsync("/projects?select=id,clients(name)&order=clientsx(name).nullsfirst", 400, """
            {"code":"PGRST108","details":null,"hint":"Verify that 'clientsx' is included in the 'select' query parameter.",
             "message":"'clientsx' is not an embedded resource in this request"}
            """);

    // Filters on whether an embed has rows.

    [Fact]
    public async Task A_many_to_one_embed_filters_parents_by_whether_it_has_a_row()
    {
        await anon.AssertReadAsync("/projects?select=name,clients()&clients=not.is.null", """
            [{"name":"Windows 7"},{"name":"Windows 10"},{"name":"IOS"},{"name":"OSX"}]
            """);
        await anon.AssertReadAsync("/projects?select=name,clients()&clients=is.null", """[{"name":"Orphan"}]""");
        await anon.AssertReadAsync("/projects?select=name,computed_clients()&computed_clients=is.null", """[{"name":"Orphan"}]""");
    }

    [Fact]
    public async Task A_one_to_many_embed_filters_parents_by_whether_it_has_rows()
    {
        await anon.AssertReadAsync("/entities?select=name,child_entities()&child_entities=not.is.null", """
            [{"name":"entity 1"},{"name":"entity 2"}]
            """);
        await anon.AssertReadAsync("/entities?select=name,child_entities()&child_entities=is.null", """
            [{"name":"entity 3"},{"name":null}]
            """);
        await anon.AssertReadAsync("/entities?select=name,childs:child_entities()&childs=is.null", """
            [{"name":"entity 3"},{"name":null}]
            """);
    }

    [Fact]
    public async Task A_many_to_many_embed_filters_parents_by_whether_it_has_rows_after_its_own_filters()
    {
        await anon.AssertReadAsync("/users?select=name,tasks()&tasks.id=eq.1&tasks=not.is.null", """
            [{"name":"Angela Martin"},{"name":"Dwight Schrute"}]
            """);
        await anon.AssertReadAsync("/users?select=name,tasks()&tasks.id=eq.1&tasks=is.null", """[{"name":"Michael Scott"}]""");
    }

    [Fact]
    public Task A_nested_embed_filters_its_parent_embed_rows() =>
        anon.AssertReadAsync(
            "/entities?select=name,child_entities(name,grandchild_entities())&child_entities.grandchild_entities=not.is.null&child_entities=not.is.null",
            """
            [{"name":"entity 1","child_entities":[{"name":"child entity 1"},{"name":"child entity 2"}]}]
            """);

    [Fact]
    public Task An_or_combines_whether_two_embeds_have_rows() =>
        anon.AssertReadAsync(ClientsWithInfoOrContact, """[{"id":1,"name":"Walmart"},{"id":2,"name":"Target"}]""");

    [Fact]
    public Task A_column_filter_is_not_taken_for_the_embed_by_that_column() =>
        anon.AssertReadAsync("/tournaments?select=*,status(*)&status=eq.3", "[]");

    [Fact]
    public async Task Not_is_null_tests_the_embedded_row_as_a_whole_not_each_column()
    {
        await anon.AssertReadAsync("/table_b?select=name,table_a(name)&table_a=not.is.null", """
            [{"name":"Test 1","table_a":{"name":"Not null 1"}},{"name":"Test 2","table_a":{"name":null}}]
            """);
        await anon.AssertReadAsync("/table_b?select=name,table_a()&table_a=is.null", """[{"name":"Test 3"}]""");
    }

    [Fact]
    public async Task An_exact_count_counts_the_parents_an_embed_filter_keeps()
    {
        await anon.AssertCountedReadAsync("/projects?select=name,clients(name)&clients=not.is.null", "0-3/4", ProjectsWithClients);
        await anon.AssertCountedReadAsync("/projects?select=name,clients()&clients=is.null", "0-0/1", """[{"name":"Orphan"}]""");
        await anon.AssertCountedReadAsync(ClientsWithInfoOrContact, "0-1/2", """[{"id":1,"name":"Walmart"},{"id":2,"name":"Target"}]""");
    }
}
