using System.Globalization;
using Dapper;
using Gateway.IntegrationTests.Infrastructure;
using static Gateway.IntegrationTests.Api.ReadsHttp;

namespace Gateway.IntegrationTests.Api;

/// <summary>
/// Embedding under the database's rules and against hostile input (contract §1.3.1): row-level security applies to
/// embedded children as to any read (a row the role may not see is absent, not an error), nesting is bounded by the
/// grammar (400 PGRST100), and values in embedded filters are parameters, never SQL.
/// </summary>
public sealed class EmbedSecurityTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    private readonly HttpClient anon = api.Anon();

    [Fact]
    public async Task Get_as_anon_embeds_only_the_children_row_level_security_shows_anon()
    {
        using var response = await anon.ReadAsync("/tasks?select=id,task_comments(body)&id=in.(1,2,3)&order=id&task_comments.order=id");

        await AssertJsonAsync(response, """
            [{"id":1,"task_comments":[{"body":"public note"}]},
             {"id":2,"task_comments":[{"body":"public too"}]},
             {"id":3,"task_comments":[]}]
            """);
    }

    [Fact]
    public async Task Get_as_authenticated_embeds_only_the_children_row_level_security_shows_authenticated()
    {
        var account = await api.CreateAccountAsync($"embed-{Guid.NewGuid():N}@example.com");

        using var response = await api.As(account).ReadAsync("/tasks?select=id,task_comments(body)&id=in.(1,2)&order=id");

        await AssertJsonAsync(response, """[{"id":1,"task_comments":[{"body":"members only"}]},{"id":2,"task_comments":[]}]""");
    }

    [Fact]
    public async Task Get_with_inner_embed_of_children_the_role_cannot_see_drops_the_parent()
    {
        using var response = await anon.ReadAsync("/tasks?select=id,task_comments!inner(id)&task_comments.body=eq.members%20only");

        await AssertJsonAsync(response, "[]");
    }

    [Fact]
    public async Task Get_with_embeds_nested_deeper_than_the_grammar_allows_returns_400_PGRST100()
    {
        var select = string.Concat(Enumerable.Repeat("tasks(", 40)) + "id" + new string(')', 40);

        using var response = await anon.ReadAsync("/projects?select=" + select);

        await RpcHttp.AssertErrorAsync(response, 400, "PGRST100");
    }

    [Theory]
    [InlineData("tasks.name=eq.';%20drop%20table%20demo.tasks;%20--")]
    [InlineData("tasks.name=eq.x'%20or%20'1'='1")]
    [InlineData("tasks.or=(name.eq.x'%20or%20true%20--,id.eq.0)")]
    [InlineData("tasks.name=like.*')%20or%201=1%20--")]
    public async Task Get_with_sql_in_an_embedded_filter_value_matches_nothing_and_changes_nothing(string filter)
    {
        var before = await TaskStateAsync();

        using var response = await anon.ReadAsync("/projects?select=id,tasks(id)&id=eq.1&" + filter);

        await AssertJsonAsync(response, """[{"id":1,"tasks":[]}]""");
        Assert.Equal(before, await TaskStateAsync());
    }

    [Fact]
    public async Task Get_with_sql_in_an_embedded_limit_returns_400()
    {
        using var response = await anon.ReadAsync("/projects?select=id,tasks(id)&tasks.limit=1;drop%20table%20demo.tasks");

        var error = RpcHttp.ParseError(await AssertBodyAsync(response, 400));
        Assert.Equal("PGRST100", error.Code);
        Assert.Equal(8, int.Parse((await TaskStateAsync()).Split(' ')[0], CultureInfo.InvariantCulture));
    }

    // How many tasks there are and a digest of them, read as the superuser.
    private async Task<string> TaskStateAsync()
    {
        await using var admin = await api.OpenAdminAsync();
        return await admin.ExecuteScalarAsync<string>(
            "select count(*) || ' ' || md5(coalesce(string_agg(t::text, ',' order by t.id), '')) from demo.tasks t") ?? "";
    }
}
