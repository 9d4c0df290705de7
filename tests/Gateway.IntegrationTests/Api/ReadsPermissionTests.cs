using System.Globalization;
using System.Text.Json.Nodes;
using Gateway.IntegrationTests.Infrastructure;
using static Gateway.IntegrationTests.Api.ReadsHttp;

namespace Gateway.IntegrationTests.Api;

/// <summary>
/// Reads under the database's own privileges: the gateway checks nothing itself, so a view anon may not read is a
/// 401 <c>42501</c> with a bearer challenge, and <c>api.todos</c> read with two real tokens shows each account only its
/// own rows (row-level security on demo.todo).
/// </summary>
public sealed class ReadsPermissionTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    [Fact]
    public async Task Get_view_not_granted_to_anon_returns_401_42501_with_a_bearer_challenge()
    {
        using var response = await api.Anon().ReadAsync("/hello_secure");

        var error = await RpcHttp.AssertErrorAsync(response, 401, "42501");
        Assert.Equal("permission denied for view hello_secure", error.Message);
        Assert.Equal("Bearer", RpcHttp.Header(response, "WWW-Authenticate"));
    }

    [Fact]
    public async Task Get_view_granted_to_authenticated_returns_its_rows_with_a_token()
    {
        var accountId = await api.CreateAccountAsync("secure-reader@example.com");

        using var response = await api.As(accountId).ReadAsync("/hello_secure");

        Assert.Equal("""[{"message":"Hello, Authenticated!"}]""", await AssertBodyAsync(response, 200));
    }

    [Fact]
    public async Task Get_todos_as_anon_returns_401_42501()
    {
        using var response = await api.Anon().ReadAsync("/todos");

        await RpcHttp.AssertErrorAsync(response, 401, "42501");
        Assert.Equal("Bearer", RpcHttp.Header(response, "WWW-Authenticate"));
    }

    [Fact]
    public async Task Get_todos_returns_only_the_callers_own_rows()
    {
        var alice = await api.CreateAccountAsync("alice-reads@example.com");
        var bob = await api.CreateAccountAsync("bob-reads@example.com");
        var aliceTodo = await AddTodoAsync(alice, "alice's todo");
        var bobTodo = await AddTodoAsync(bob, "bob's todo");

        using var asAlice = await api.As(alice).ReadAsync("/todos?select=todo_id,title");
        using var asBob = await api.As(bob).ReadAsync("/todos?select=todo_id,title");

        AssertJsonEqual($$"""[{"todo_id":{{aliceTodo}},"title":"alice's todo"}]""", await AssertBodyAsync(asAlice, 200));
        AssertJsonEqual($$"""[{"todo_id":{{bobTodo}},"title":"bob's todo"}]""", await AssertBodyAsync(asBob, 200));
    }

    [Fact]
    public async Task Get_todos_filtered_on_another_accounts_id_returns_nothing()
    {
        var carol = await api.CreateAccountAsync("carol-reads@example.com");
        var dave = await api.CreateAccountAsync("dave-reads@example.com");
        var daveTodo = await AddTodoAsync(dave, "dave's secret");

        using var response = await api.As(carol).ReadAsync(
            $"/todos?todo_id=eq.{daveTodo.ToString(CultureInfo.InvariantCulture)}", ("Prefer", "count=exact"));

        Assert.Equal("[]", await AssertBodyAsync(response, 200));
        Assert.Equal("*/0", RpcHttp.Header(response, "Content-Range"));
    }

    [Fact]
    public async Task Get_todos_counts_only_the_callers_own_rows()
    {
        var erin = await api.CreateAccountAsync("erin-reads@example.com");
        var frank = await api.CreateAccountAsync("frank-reads@example.com");
        await AddTodoAsync(erin, "one");
        await AddTodoAsync(erin, "two");
        await AddTodoAsync(frank, "three");

        using var response = await api.As(erin).ReadAsync("/todos?select=title&order=title", ("Prefer", "count=exact"));

        var titles = JsonNode.Parse(await AssertBodyAsync(response, 200))!.AsArray().Select(row => row!["title"]!.GetValue<string>());
        Assert.Equal(["one", "two"], titles);
        Assert.Equal("0-1/2", RpcHttp.Header(response, "Content-Range"));
    }

    /// <summary>Inserts and commits a todo as <paramref name="accountId"/>, the way the gateway's own session would.</summary>
    private async Task<long> AddTodoAsync(long accountId, string title)
    {
        await using var session = await RequestSession.AuthenticatedAsync(api, accountId);
        var todoId = await session.ScalarAsync<long>("insert into api.todos (title) values (@title) returning todo_id", new { title });
        await session.CommitAsync();
        return todoId;
    }
}
