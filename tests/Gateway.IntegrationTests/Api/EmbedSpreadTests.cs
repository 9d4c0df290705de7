using Gateway.IntegrationTests.Infrastructure;
using static Gateway.IntegrationTests.Api.ReadsHttp;

namespace Gateway.IntegrationTests.Api;

/// <summary>
/// Spreads (contract §1.3.1, PostgREST's SpreadQueriesSpec): <c>...rel(cols)</c> lifts a to-one child's columns into
/// the parent's object (null when there is no child), and a to-many child's columns as arrays of their values.
/// </summary>
public sealed class EmbedSpreadTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    private readonly HttpClient anon = api.Anon();

    [Fact]
    public async Task Get_with_to_one_spread_lifts_the_child_columns_into_the_parent()
    {
        using var response = await anon.ReadAsync("/projects?select=id,...clients(client_name:name)&order=id");

        await AssertJsonAsync(response, """
            [{"id":1,"client_name":"Microsoft"},{"id":2,"client_name":"Microsoft"},{"id":3,"client_name":"Apple"},
             {"id":4,"client_name":"Apple"},{"id":5,"client_name":null}]
            """);
    }

    /// <summary>PostgREST selects a node's own columns first and its embeds' after (QueryBuilder.hs <c>readPlanToQuery</c>).</summary>
    [Fact]
    public async Task Get_with_to_one_spread_puts_the_lifted_columns_after_the_parent_columns()
    {
        using var response = await anon.ReadAsync("/projects?select=...clients(client:name),project:name&id=eq.3");

        Assert.Equal("""[{"project":"IOS","client":"Apple"}]""", await AssertBodyAsync(response, 200));
    }

    [Fact]
    public async Task Get_with_nested_to_one_spreads_lifts_the_grandparent_columns_too()
    {
        using var response = await anon.ReadAsync("/tasks?select=id,...projects(project:name,...clients(client:name))&id=in.(1,5)&order=id");

        await AssertJsonAsync(response, """
            [{"id":1,"project":"Windows 7","client":"Microsoft"},
             {"id":5,"project":"IOS","client":"Apple"}]
            """);
    }

    [Fact]
    public async Task Get_with_one_to_many_spread_returns_each_column_as_an_array_of_values()
    {
        using var response = await anon.ReadAsync("/projects?select=id,...tasks(name)&id=in.(1,4,5)&order=id&tasks.order=id");

        await AssertJsonAsync(response, """
            [{"id":1,"name":["Design w7","Code w7"]},
             {"id":4,"name":["Design OSX","Code OSX"]},
             {"id":5,"name":[]}]
            """);
    }

    [Fact]
    public async Task Get_with_one_to_many_spread_of_two_columns_returns_two_arrays()
    {
        using var response = await anon.ReadAsync("/clients?select=name,...projects(project_ids:id,projects:name)&id=eq.2&projects.order=id");

        await AssertJsonAsync(response, """[{"name":"Apple","project_ids":[3,4],"projects":["IOS","OSX"]}]""");
    }

    [Fact]
    public async Task Get_with_many_to_many_spread_returns_arrays_through_the_junction()
    {
        using var response = await anon.ReadAsync("/users?select=name,...tasks(task_ids:id)&order=id&tasks.order=id");

        await AssertJsonAsync(response, """
            [{"name":"Angela Martin","task_ids":[1,2,3,4]},{"name":"Michael Scott","task_ids":[5,6,7]},{"name":"Dwight Schrute","task_ids":[1,5]}]
            """);
    }
}
