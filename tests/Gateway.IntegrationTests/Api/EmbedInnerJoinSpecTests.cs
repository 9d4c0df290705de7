using Gateway.IntegrationTests.Infrastructure;
using static Gateway.IntegrationTests.Api.ReadsHttp;

namespace Gateway.IntegrationTests.Api;

/// <summary>
/// PostgREST's EmbedInnerJoinSpec, ported with its expected bodies over the views of private tables in
/// <c>Api/embedding-fixture.sql</c>: <c>!inner</c> drops the parents without (matching) related rows, for every
/// cardinality, nested, on function results and beside other embeds, and an exact count (HEAD with
/// <c>Prefer: count=exact</c>) counts only the parents that remain.
/// </summary>
public sealed class EmbedInnerJoinSpecTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    private readonly HttpClient anon = api.Anon();

    [Fact]
    public async Task Many_to_one_inner_drops_rows_without_parent_where_left_keeps_them()
    {
        await anon.AssertAnswerAsync("/projects?select=id,clients!inner(id)", 200, """
            [{"id":1,"clients":{"id":1}},{"id":2,"clients":{"id":1}},{"id":3,"clients":{"id":2}},{"id":4,"clients":{"id":2}}]
            """);
        await anon.AssertAnswerAsync("/projects?select=id,clients!left(id)", 200, """
            [{"id":1,"clients":{"id":1}},{"id":2,"clients":{"id":1}},{"id":3,"clients":{"id":2}},{"id":4,"clients":{"id":2}},
             {"id":5,"clients":null}]
            """);
        await anon.AssertExactCountAsync("/projects?select=id,clients!inner(id)", "0-3/4");
    }

    [Fact]
    public async Task Many_to_one_inner_drops_rows_whose_parent_is_filtered_out()
    {
        await anon.AssertAnswerAsync("/projects?select=id,clients!inner(id)&clients.id=eq.1", 200, """
            [{"id":1,"clients":{"id":1}},{"id":2,"clients":{"id":1}}]
            """);
        await anon.AssertAnswerAsync("/projects?select=id,clients!inner(id)&clients.id=eq.2", 200, """
            [{"id":3,"clients":{"id":2}},{"id":4,"clients":{"id":2}}]
            """);
        await anon.AssertAnswerAsync("/projects?select=id,clients!inner(id)&clients.id=eq.0", 200, "[]");
        await anon.AssertExactCountAsync("/projects?select=id,clients!inner(id)&clients.id=eq.1", "0-1/2");
    }

    [Fact]
    public async Task Many_to_one_inner_two_levels_down_drops_rows_whose_grandparent_is_filtered_out()
    {
        await anon.AssertAnswerAsync("/tasks?select=id,projects!inner(id,clients!inner(id))&projects.clients.id=eq.1", 200, """
            [{"id":1,"projects":{"id":1,"clients":{"id":1}}},{"id":2,"projects":{"id":1,"clients":{"id":1}}},
             {"id":3,"projects":{"id":2,"clients":{"id":1}}},{"id":4,"projects":{"id":2,"clients":{"id":1}}}]
            """);
        await anon.AssertAnswerAsync("/tasks?select=id,projects!inner(id,clients!inner(id))&projects.clients.id=eq.2", 200, """
            [{"id":5,"projects":{"id":3,"clients":{"id":2}}},{"id":6,"projects":{"id":3,"clients":{"id":2}}},
             {"id":7,"projects":{"id":4,"clients":{"id":2}}},{"id":8,"projects":{"id":4,"clients":{"id":2}}}]
            """);
        await anon.AssertExactCountAsync("/tasks?select=id,projects!inner(id,clients!inner(id))&projects.clients.id=eq.1", "0-3/4");
    }

    [Fact]
    public async Task Many_to_one_inner_below_a_left_embed_only_empties_that_embed()
    {
        await anon.AssertAnswerAsync("/tasks?select=id,projects(id,clients!inner(id))&projects.clients.id=eq.2&order=id", 200, """
            [{"id":1,"projects":null},{"id":2,"projects":null},{"id":3,"projects":null},{"id":4,"projects":null},
             {"id":5,"projects":{"id":3,"clients":{"id":2}}},{"id":6,"projects":{"id":3,"clients":{"id":2}}},
             {"id":7,"projects":{"id":4,"clients":{"id":2}}},{"id":8,"projects":{"id":4,"clients":{"id":2}}}]
            """);
        await anon.AssertExactCountAsync("/tasks?select=id,projects(id,clients!inner(id))&projects.clients.id=eq.2", "0-7/8");
    }

    [Fact]
    public async Task Many_to_one_inner_works_on_views()
    {
        await anon.AssertAnswerAsync("/books?select=title,authors!inner(name)&authors.name=eq.George%20Orwell", 200, """
            [{"title":"1984","authors":{"name":"George Orwell"}}]
            """);
        await anon.AssertExactCountAsync("/books?select=title,authors!inner(name)&authors.name=eq.George%20Orwell", "0-0/1");
    }

    [Fact]
    public async Task One_to_many_inner_drops_rows_without_children_where_left_keeps_them()
    {
        await anon.AssertAnswerAsync("/entities?select=id,child_entities!inner(id)", 200, """
            [{"id":1,"child_entities":[{"id":1},{"id":2},{"id":4},{"id":5}]},{"id":2,"child_entities":[{"id":3},{"id":6}]}]
            """);
        await anon.AssertAnswerAsync("/entities?select=id,child_entities!left(id)", 200, """
            [{"id":1,"child_entities":[{"id":1},{"id":2},{"id":4},{"id":5}]},{"id":2,"child_entities":[{"id":3},{"id":6}]},
             {"id":3,"child_entities":[]},{"id":4,"child_entities":[]}]
            """);
        await anon.AssertExactCountAsync("/entities?select=id,child_entities!inner(id)", "0-1/2");
    }

    [Fact]
    public async Task One_to_many_inner_drops_rows_whose_children_are_filtered_out()
    {
        await anon.AssertAnswerAsync("/entities?select=id,child_entities!inner(id)&child_entities.id=eq.1", 200, """[{"id":1,"child_entities":[{"id":1}]}]""");
        await anon.AssertAnswerAsync("/entities?select=id,child_entities!inner(id)&child_entities.id=eq.3", 200, """[{"id":2,"child_entities":[{"id":3}]}]""");
        await anon.AssertAnswerAsync("/entities?select=id,child_entities!inner(id)&child_entities.id=eq.0", 200, "[]");
        await anon.AssertExactCountAsync("/entities?select=id,child_entities!inner(id)&child_entities.id=eq.1", "0-0/1");
    }

    [Fact]
    public async Task One_to_many_inner_two_levels_down_drops_rows_whose_grandchildren_are_filtered_out()
    {
        await anon.AssertAnswerAsync(
            "/entities?select=id,child_entities!inner(id,grandchild_entities!inner(id))&child_entities.grandchild_entities.id=in.(1,5)", 200, """
            [{"id":1,"child_entities":[{"id":1,"grandchild_entities":[{"id":1}]},{"id":2,"grandchild_entities":[{"id":5}]}]}]
            """);
        await anon.AssertAnswerAsync(
            "/entities?select=id,child_entities!inner(id,grandchild_entities!inner(id))&child_entities.grandchild_entities.id=eq.2", 200, """
            [{"id":1,"child_entities":[{"id":1,"grandchild_entities":[{"id":2}]}]}]
            """);
        await anon.AssertExactCountAsync(
            "/entities?select=id,child_entities!inner(id,grandchild_entities!inner(id))&child_entities.grandchild_entities.id=in.(1,5)", "0-0/1");
    }

    [Fact]
    public async Task One_to_many_inner_below_a_left_embed_only_empties_that_embed()
    {
        await anon.AssertAnswerAsync(
            "/entities?select=id,child_entities!inner(id,grandchild_entities(id))&child_entities.grandchild_entities.id=eq.2", 200, """
            [{"id":1,"child_entities":[{"id":1,"grandchild_entities":[{"id":2}]},{"id":2,"grandchild_entities":[]},
                                       {"id":4,"grandchild_entities":[]},{"id":5,"grandchild_entities":[]}]},
             {"id":2,"child_entities":[{"id":3,"grandchild_entities":[]},{"id":6,"grandchild_entities":[]}]}]
            """);
        await anon.AssertExactCountAsync(
            "/entities?select=id,child_entities!inner(id,grandchild_entities(id))&child_entities.grandchild_entities.id=eq.2", "0-1/2");
    }

    [Fact]
    public async Task One_to_many_inner_works_on_views()
    {
        await anon.AssertAnswerAsync("/authors?select=*,books!inner(*)&books.title=eq.1984", 200, """
            [{"id":1,"name":"George Orwell","books":[{"id":1,"title":"1984","publication_year":1949,"author_id":1,"first_publisher_id":1}]}]
            """);
        await anon.AssertExactCountAsync("/authors?select=*,books!inner(*)&books.title=eq.1984", "0-0/1");
    }

    [Fact]
    public async Task Many_to_many_inner_drops_rows_without_related_rows_where_left_keeps_them()
    {
        await anon.AssertAnswerAsync("/products?select=id,suppliers!inner(id)", 200, """
            [{"id":1,"suppliers":[{"id":1},{"id":2}]},{"id":2,"suppliers":[{"id":1},{"id":3}]}]
            """);
        await anon.AssertAnswerAsync("/products?select=id,suppliers!left(id)", 200, """
            [{"id":1,"suppliers":[{"id":1},{"id":2}]},{"id":2,"suppliers":[{"id":1},{"id":3}]},{"id":3,"suppliers":[]}]
            """);
        await anon.AssertExactCountAsync("/products?select=id,suppliers!inner(id)", "0-1/2");
    }

    [Fact]
    public async Task Many_to_many_inner_drops_rows_whose_related_rows_are_filtered_out()
    {
        await anon.AssertAnswerAsync("/products?select=id,suppliers!inner(id)&suppliers.id=eq.2", 200, """[{"id":1,"suppliers":[{"id":2}]}]""");
        await anon.AssertAnswerAsync("/products?select=id,suppliers!inner(id)&suppliers.id=eq.3", 200, """[{"id":2,"suppliers":[{"id":3}]}]""");
        await anon.AssertAnswerAsync("/products?select=id,suppliers!inner(id)&suppliers.id=eq.0", 200, "[]");
        await anon.AssertExactCountAsync("/products?select=id,suppliers!inner(id)&suppliers.id=eq.2", "0-0/1");
    }

    [Fact]
    public async Task Many_to_many_inner_two_levels_down_drops_rows_whose_far_rows_are_filtered_out()
    {
        await anon.AssertAnswerAsync("/products?select=id,suppliers!inner(id,trade_unions!inner(id))&suppliers.trade_unions.id=eq.3", 200, """
            [{"id":1,"suppliers":[{"id":2,"trade_unions":[{"id":3}]}]}]
            """);
        await anon.AssertAnswerAsync("/products?select=id,suppliers!inner(id,trade_unions!inner(id))&suppliers.trade_unions.id=eq.4", 200, """
            [{"id":1,"suppliers":[{"id":2,"trade_unions":[{"id":4}]}]}]
            """);
        await anon.AssertExactCountAsync("/products?select=id,suppliers!inner(id,trade_unions!inner(id))&suppliers.trade_unions.id=eq.3", "0-0/1");
    }

    [Fact]
    public async Task Many_to_many_inner_below_a_left_embed_only_empties_that_embed()
    {
        await anon.AssertAnswerAsync("/products?select=id,suppliers!inner(id,trade_unions(id))&suppliers.trade_unions.id=eq.3", 200, """
            [{"id":1,"suppliers":[{"id":1,"trade_unions":[]},{"id":2,"trade_unions":[{"id":3}]}]},
             {"id":2,"suppliers":[{"id":1,"trade_unions":[]},{"id":3,"trade_unions":[]}]}]
            """);
        await anon.AssertExactCountAsync("/products?select=id,suppliers!inner(id,trade_unions(id))&suppliers.trade_unions.id=eq.3", "0-1/2");
    }

    [Fact]
    public async Task Many_to_many_inner_works_on_views()
    {
        await anon.AssertAnswerAsync("/actors?select=*,films!inner(*)&films.title=eq.douze%20commandements", 200, """
            [{"id":1,"name":"john","films":[{"id":12,"title":"douze commandements"}]}]
            """);
        await anon.AssertAnswerAsync("/films?select=*,actors!inner(*)&actors.name=eq.john", 200, """
            [{"id":12,"title":"douze commandements","actors":[{"id":1,"name":"john"}]}]
            """);
        await anon.AssertExactCountAsync("/actors?select=*,films!inner(*)&films.title=eq.douze%20commandements", "0-0/1");
    }

    [Fact]
    public async Task Inner_many_to_one_and_many_to_many_combine()
    {
        await anon.AssertAnswerAsync("/projects?select=name,clients!inner(name),users!inner(name)", 200, """
            [{"name":"Windows 7","clients":{"name":"Microsoft"},"users":[{"name":"Angela Martin"},{"name":"Dwight Schrute"}]},
             {"name":"Windows 10","clients":{"name":"Microsoft"},"users":[{"name":"Angela Martin"}]},
             {"name":"IOS","clients":{"name":"Apple"},"users":[{"name":"Michael Scott"},{"name":"Dwight Schrute"}]},
             {"name":"OSX","clients":{"name":"Apple"},"users":[{"name":"Michael Scott"}]}]
            """);
        await anon.AssertExactCountAsync("/projects?select=name,clients!inner(name),users!inner(name)", "0-3/4");
    }

    [Fact]
    public async Task Inner_works_on_the_rows_of_a_function()
    {
        await anon.AssertAnswerAsync("/rpc/getallprojects?select=id,clients!inner(id)&clients.id=eq.1", 200, """
            [{"id":1,"clients":{"id":1}},{"id":2,"clients":{"id":1}}]
            """);
        await anon.AssertExactCountAsync("/rpc/getallprojects?select=id,clients!inner(id)&clients.id=eq.1", "0-1/2");
    }

    [Fact]
    public async Task Inner_works_with_hints()
    {
        await anon.AssertAnswerAsync("/projects?select=id,clients!client!inner(id)&clients.id=eq.2", 200, """
            [{"id":3,"clients":{"id":2}},{"id":4,"clients":{"id":2}}]
            """);
        await anon.AssertExactCountAsync("/projects?select=id,clients!client!inner(id)&clients.id=eq.2", "0-1/2");
    }

    [Fact]
    public async Task Inner_works_on_several_one_to_many_relationships()
    {
        await anon.AssertAnswerAsync("/client?select=id,name,contact!inner(name),clientinfo!inner(other)", 200, """
            [{"id":1,"name":"Walmart","contact":[{"name":"Wally Walton"},{"name":"Wilma Wellers"}],"clientinfo":[{"other":"123 Main St"}]},
             {"id":2,"name":"Target","contact":[{"name":"Tabby Targo"}],"clientinfo":[{"other":"456 South 3rd St"}]},
             {"id":3,"name":"Big Lots","contact":[{"name":"Bobby Bots"},{"name":"Bonnie Bits"},{"name":"Billy Boats"}],
              "clientinfo":[{"other":"789 Palm Tree Ln"}]}]
            """);
        await anon.AssertAnswerAsync("/client?select=id,name,contact!inner(name),clientinfo!inner(other)&contact.name=eq.Wally%20Walton", 200, """
            [{"id":1,"name":"Walmart","contact":[{"name":"Wally Walton"}],"clientinfo":[{"other":"123 Main St"}]}]
            """);
        await anon.AssertAnswerAsync("/client?select=id,name,contact!inner(name),clientinfo!inner(other)&clientinfo.other=eq.456%20South%203rd%20St", 200, """
            [{"id":2,"name":"Target","clientinfo":[{"other":"456 South 3rd St"}],"contact":[{"name":"Tabby Targo"}]}]
            """);
        await anon.AssertExactCountAsync("/client?select=id,name,contact!inner(name),clientinfo!inner(other)", "0-2/3");
    }

    [Fact]
    public async Task Inner_works_beside_another_embed_in_either_order()
    {
        await anon.AssertAnswerAsync("/books?select=id,authors(name),publishers!inner(name)&id=gte.7", 200, """
            [{"id":7,"authors":{"name":"Harper Lee"},"publishers":{"name":"J. B. Lippincott & Co."}},
             {"id":8,"authors":{"name":"Kurt Vonnegut"},"publishers":{"name":"Delacorte"}},
             {"id":9,"authors":{"name":"Ken Kesey"},"publishers":{"name":"Viking Press & Signet Books"}}]
            """);
        await anon.AssertExactCountAsync("/books?select=id,authors(name),publishers!inner(name)&id=gte.7", "0-2/3");
        await anon.AssertExactCountAsync("/books?select=id,publishers!inner(name),authors(name)&id=gte.7", "0-2/3");
    }
}
