using Gateway.IntegrationTests.Infrastructure;
using static Gateway.IntegrationTests.Api.ReadsHttp;

namespace Gateway.IntegrationTests.Api;

/// <summary>
/// The embedding cases of PostgREST's RpcSpec, ported with their expected bodies over the functions and views of
/// <c>Api/embedding-fixture.sql</c>: a function returning rows of a view (or one row, or rows of a domain over its row
/// type) embeds their related rows by GET and POST, with embedded filters, <c>!inner</c> and exact counts.
/// </summary>
public sealed class EmbedRpcSpecTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    private const string ProjectOne = """[{"id":1,"name":"Windows 7","client":{"id":1},"tasks":[{"id":1},{"id":2}]}]""";

    private readonly HttpClient anon = api.Anon();

    [Fact]
    public async Task Head_counts_the_rows_of_a_function_after_an_inner_embed_filters_them()
    {
        await anon.AssertExactCountAsync("/rpc/getallprojects", "0-4/5");
        await anon.AssertExactCountAsync("/rpc/getallprojects?select=*,clients!inner(*)&clients.id=eq.1", "0-1/2");
    }

    [Theory]
    [InlineData("getproject")]
    [InlineData("getproject_domain")]
    public async Task Call_embeds_the_parent_and_children_of_the_rows_it_returns(string function)
    {
        using (var post = await anon.PostJsonAsync($"/rpc/{function}?select=id,name,client:clients(id),tasks(id)", """{"id":1}"""))
        {
            await AssertJsonAsync(post, ProjectOne);
        }

        using var get = await anon.ReadAsync($"/rpc/{function}?id=1&select=id,name,client:clients(id),tasks(id)");
        await AssertJsonAsync(get, ProjectOne);
    }

    [Fact]
    public async Task Call_cannot_embed_a_relation_that_is_not_exposed()
    {
        using (var post = await anon.PostJsonAsync("/rpc/single_article?select=*,article_stars(*)", """{"id":1}"""))
        {
            await RpcHttp.AssertErrorAsync(post, 400, "PGRST200");
        }

        using var get = await anon.ReadAsync("/rpc/single_article?id=1&select=*,article_stars(*)");
        await RpcHttp.AssertErrorAsync(get, 400, "PGRST200");
    }

    [Fact]
    public async Task Call_returning_one_row_embeds_its_children_through_a_view_with_renamed_columns()
    {
        using (var post = await anon.PostJsonAsync("/rpc/single_article?select=id,articleStars(userId)", """{"id":2}"""))
        {
            await AssertJsonAsync(post, """{"id":2,"articleStars":[{"userId":3}]}""");
        }

        using var get = await anon.ReadAsync("/rpc/single_article?id=2&select=id,articleStars(userId)");
        await AssertJsonAsync(get, """{"id":2,"articleStars":[{"userId":3}]}""");
    }

    [Fact]
    public async Task Call_embeds_many_to_many_rows()
    {
        await anon.AssertAnswerAsync("/rpc/getallusers?select=name,tasks(name)&id=gt.1", 200, """
            [{"name":"Michael Scott","tasks":[{"name":"Design IOS"},{"name":"Code IOS"},{"name":"Design OSX"}]},
             {"name":"Dwight Schrute","tasks":[{"name":"Design w7"},{"name":"Design IOS"}]}]
            """);
        await anon.AssertAnswerAsync("/rpc/get_yards?select=groups(*)", 200, "[]");
    }

    [Fact]
    public async Task Call_embeds_many_to_many_rows_and_their_parent()
    {
        await anon.AssertAnswerAsync("/rpc/getallusers?select=name,tasks(name,project:projects(name))&id=gt.1", 200, """
            [{"name":"Michael Scott","tasks":[{"name":"Design IOS","project":{"name":"IOS"}},{"name":"Code IOS","project":{"name":"IOS"}},
                                              {"name":"Design OSX","project":{"name":"OSX"}}]},
             {"name":"Dwight Schrute","tasks":[{"name":"Design w7","project":{"name":"Windows 7"}},{"name":"Design IOS","project":{"name":"IOS"}}]}]
            """);
    }

    [Fact]
    public async Task Call_embeds_one_to_one_rows()
    {
        await anon.AssertAnswerAsync("/rpc/allcapitals?select=name,country(name)", 200, """
            [{"name":"Kabul","country":{"name":"Afghanistan"}},{"name":"Algiers","country":{"name":"Algeria"}}]
            """);
        await anon.AssertAnswerAsync("/rpc/allcountries?select=name,capital(name)", 200, """
            [{"name":"Afghanistan","capital":{"name":"Kabul"}},{"name":"Algeria","capital":{"name":"Algiers"}}]
            """);
    }

    [Theory]
    [InlineData("{}", """[{"id":2,"name":"Code w7","users":[{"name":"Angela Martin"}]}]""")]
    [InlineData("""{"a":4}""", """[{"id":5,"name":"Design IOS","users":[{"name":"Michael Scott"},{"name":"Dwight Schrute"}]}]""")]
    public async Task Call_of_an_overload_chosen_by_its_arguments_embeds_the_rows_it_returns(string body, string expected)
    {
        using var response = await anon.PostJsonAsync("/rpc/overloaded_default?select=id,name,users(name)", body);

        await AssertJsonAsync(response, expected);
    }

    [Fact]
    public async Task Call_filters_an_embed_on_a_column_it_does_not_select()
    {
        await anon.AssertAnswerAsync("/rpc/getallprojects?select=id,clients(id)&clients.name=not.is.null", 200, """
            [{"id":1,"clients":{"id":1}},{"id":2,"clients":{"id":1}},{"id":3,"clients":{"id":2}},{"id":4,"clients":{"id":2}},
             {"id":5,"clients":null}]
            """);
    }
}
