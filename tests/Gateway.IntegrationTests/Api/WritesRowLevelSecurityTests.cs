using System.Text.Json.Nodes;
using Dapper;
using Gateway.IntegrationTests.Infrastructure;
using static Gateway.IntegrationTests.Api.RpcHttp;
using static Gateway.IntegrationTests.Api.WritesHttp;

namespace Gateway.IntegrationTests.Api;

/// <summary>
/// Row-level security through the gateway on the demo <c>todos</c> (db/migrations/0011): whatever filters a signed-in
/// user sends, reads, updates and deletes reach only that user's rows, and an insert is filed under that user's
/// account. Each test signs up two fresh accounts, so the rows each one owns are exactly those the test created.
/// </summary>
public sealed class WritesRowLevelSecurityTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    [Fact]
    public async Task Insert_files_the_row_under_the_callers_account()
    {
        var (alice, _) = await TwoAccountsAsync();

        var todo = await AddTodoAsync(alice.Client, "alice's");

        Assert.Equal(alice.Id, await AccountOfAsync(todo));
    }

    [Fact]
    public async Task A_user_reads_only_their_own_rows()
    {
        var (alice, bob) = await TwoAccountsAsync();
        var mine = await AddTodoAsync(alice.Client, "alice's");
        await AddTodoAsync(bob.Client, "bob's");

        using var response = await alice.Client.GetAsync("/todos?select=todo_id,title");

        await AssertRowsAsync(response, 200, $$"""[{"todo_id": {{mine}}, "title": "alice's"}]""");
    }

    [Fact]
    public async Task A_filter_on_another_users_id_reads_nothing()
    {
        var (alice, bob) = await TwoAccountsAsync();
        var theirs = await AddTodoAsync(bob.Client, "bob's");

        using var response = await alice.Client.GetAsync($"/todos?todo_id=eq.{theirs}");

        await AssertRowsAsync(response, 200, "[]");
    }

    [Fact]
    public async Task A_patch_filtered_on_another_users_id_changes_nothing()
    {
        var (alice, bob) = await TwoAccountsAsync();
        var theirs = await AddTodoAsync(bob.Client, "bob's");

        using var response = await alice.Client.SendJsonAsync(HttpMethod.Patch, $"/todos?todo_id=eq.{theirs}",
            """{"title": "hijacked", "done": true}""", ("Prefer", "return=representation, count=exact"));

        await AssertRowsAsync(response, 200, "[]");
        Assert.Equal("*/0", Header(response, "Content-Range"));
        Assert.Equal("bob's", await TitleOfAsync(theirs));
    }

    [Fact]
    public async Task A_patch_with_an_or_tree_across_both_users_changes_only_the_callers_row()
    {
        var (alice, bob) = await TwoAccountsAsync();
        var mine = await AddTodoAsync(alice.Client, "alice's");
        var theirs = await AddTodoAsync(bob.Client, "bob's");

        using var response = await alice.Client.SendJsonAsync(HttpMethod.Patch, $"/todos?or=(todo_id.eq.{mine},todo_id.eq.{theirs})&select=todo_id,title",
            """{"title": "renamed"}""", ("Prefer", "return=representation"));

        await AssertRowsAsync(response, 200, $$"""[{"todo_id": {{mine}}, "title": "renamed"}]""");
        Assert.Equal("renamed", await TitleOfAsync(mine));
        Assert.Equal("bob's", await TitleOfAsync(theirs));
    }

    [Fact]
    public async Task A_patch_without_filters_changes_only_the_callers_rows()
    {
        var (alice, bob) = await TwoAccountsAsync();
        await AddTodoAsync(alice.Client, "alice's");
        var theirs = await AddTodoAsync(bob.Client, "bob's");

        using var response = await alice.Client.SendJsonAsync(HttpMethod.Patch, "/todos", """{"done": true}""", ("Prefer", "count=exact"));

        await AssertNoBodyAsync(response, 204);
        Assert.Equal("0-0/1", Header(response, "Content-Range"));
        await using var admin = await api.OpenAdminAsync();
        Assert.False(await admin.ExecuteScalarAsync<bool>("select done from demo.todo where todo_id = @theirs", new { theirs }));
    }

    [Fact]
    public async Task A_delete_filtered_on_another_users_id_deletes_nothing()
    {
        var (alice, bob) = await TwoAccountsAsync();
        var theirs = await AddTodoAsync(bob.Client, "bob's");

        using var response = await alice.Client.RemoveAsync($"/todos?todo_id=eq.{theirs}", ("Prefer", "return=representation"));

        await AssertRowsAsync(response, 200, "[]");
        Assert.Equal("bob's", await TitleOfAsync(theirs));
    }

    [Fact]
    public async Task A_delete_with_an_or_tree_across_both_users_deletes_only_the_callers_row()
    {
        var (alice, bob) = await TwoAccountsAsync();
        var mine = await AddTodoAsync(alice.Client, "alice's");
        var theirs = await AddTodoAsync(bob.Client, "bob's");

        using var response = await alice.Client.RemoveAsync($"/todos?or=(todo_id.eq.{mine},todo_id.eq.{theirs})", ("Prefer", "count=exact"));

        await AssertNoBodyAsync(response, 204);
        Assert.Equal("*/1", Header(response, "Content-Range"));
        Assert.Null(await TitleOfAsync(mine));
        Assert.Equal("bob's", await TitleOfAsync(theirs));
    }

    [Fact]
    public async Task A_delete_without_filters_deletes_only_the_callers_rows()
    {
        var (alice, bob) = await TwoAccountsAsync();
        var mine = await AddTodoAsync(alice.Client, "alice's");
        var theirs = await AddTodoAsync(bob.Client, "bob's");

        using var response = await alice.Client.RemoveAsync("/todos");

        await AssertNoBodyAsync(response, 204);
        Assert.Null(await TitleOfAsync(mine));
        Assert.Equal("bob's", await TitleOfAsync(theirs));
    }

    [Fact]
    public async Task Singular_accept_on_another_users_row_returns_406_with_0_rows()
    {
        var (alice, bob) = await TwoAccountsAsync();
        var theirs = await AddTodoAsync(bob.Client, "bob's");

        using var response = await alice.Client.SendJsonAsync(HttpMethod.Patch, $"/todos?todo_id=eq.{theirs}",
            """{"title": "hijacked"}""", ("Prefer", "return=representation"), ("Accept", ObjectType));

        var error = await AssertErrorAsync(response, 406, "PGRST116");
        Assert.Equal("The result contains 0 rows", error.Details);
        Assert.Equal("bob's", await TitleOfAsync(theirs));
    }

    private sealed record User(long Id, HttpClient Client);

    private async Task<(User Alice, User Bob)> TwoAccountsAsync()
    {
        var alice = await api.CreateAccountAsync($"alice-{Guid.NewGuid():N}@example.com");
        var bob = await api.CreateAccountAsync($"bob-{Guid.NewGuid():N}@example.com");
        return (new User(alice, api.As(alice)), new User(bob, api.As(bob)));
    }

    /// <summary>Inserts a todo through the gateway, as postgrest-js's <c>insert(...).select('todo_id')</c> does, and returns its id.</summary>
    private static async Task<long> AddTodoAsync(HttpClient client, string title)
    {
        using var response = await client.SendJsonAsync(HttpMethod.Post, "/todos?select=todo_id",
            new JsonObject { ["title"] = title }.ToJsonString(), ("Prefer", "return=representation"));
        var rows = await AssertJsonAsync(response, 201);
        return rows![0]!["todo_id"]!.GetValue<long>();
    }

    private async Task<string?> TitleOfAsync(long todoId)
    {
        await using var admin = await api.OpenAdminAsync();
        return await admin.ExecuteScalarAsync<string?>("select title from demo.todo where todo_id = @todoId", new { todoId });
    }

    private async Task<long> AccountOfAsync(long todoId)
    {
        await using var admin = await api.OpenAdminAsync();
        return await admin.ExecuteScalarAsync<long>("select account_id from demo.todo where todo_id = @todoId", new { todoId });
    }
}
