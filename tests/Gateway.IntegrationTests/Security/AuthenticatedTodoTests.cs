using System.Buffers.Text;
using System.Globalization;
using System.Text.Json;
using Dapper;
using Gateway.IntegrationTests.Infrastructure;

namespace Gateway.IntegrationTests.Security;

/// <summary>
/// api.todos through the eyes of two signed-in accounts: row-level security on demo.todo keeps each to its own rows,
/// whatever the WHERE clause names. Each test signs up two fresh accounts (as anon, through api.signup) and gives
/// each one todo, inserted and committed as that account.
/// </summary>
public sealed class AuthenticatedTodoTests(MigratedDatabase database) : IClassFixture<MigratedDatabase>, IAsyncLifetime
{
    private Account alice = null!;
    private Account bob = null!;

    public async Task InitializeAsync()
    {
        alice = await CreateAccountWithTodoAsync("alice");
        bob = await CreateAccountWithTodoAsync("bob");
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Each_account_sees_only_its_own_todos()
    {
        await using var asAlice = await RequestSession.AuthenticatedAsync(database, alice.AccountId);
        await using var asBob = await RequestSession.AuthenticatedAsync(database, bob.AccountId);

        var aliceSees = await asAlice.QueryAsync<long>("select todo_id from api.todos");
        var bobSees = await asBob.QueryAsync<long>("select todo_id from api.todos");

        Assert.Equal([alice.TodoId], aliceSees);
        Assert.Equal([bob.TodoId], bobSees);
    }

    [Fact]
    public async Task Updating_another_accounts_todo_affects_no_rows()
    {
        await using (var asAlice = await RequestSession.AuthenticatedAsync(database, alice.AccountId))
        {
            var updated = await asAlice.ExecuteAsync(
                "update api.todos set title = 'taken over', done = true where todo_id = @todoId", new { todoId = bob.TodoId });
            await asAlice.CommitAsync();

            Assert.Equal(0, updated);
        }

        await using var asBob = await RequestSession.AuthenticatedAsync(database, bob.AccountId);
        Assert.Equal(bob.Title, await asBob.ScalarAsync<string>("select title from api.todos where todo_id = @todoId", new { todoId = bob.TodoId }));
    }

    [Fact]
    public async Task Deleting_another_accounts_todo_affects_no_rows()
    {
        await using (var asAlice = await RequestSession.AuthenticatedAsync(database, alice.AccountId))
        {
            var deleted = await asAlice.ExecuteAsync("delete from api.todos where todo_id = @todoId", new { todoId = bob.TodoId });
            await asAlice.CommitAsync();

            Assert.Equal(0, deleted);
        }

        await using var asBob = await RequestSession.AuthenticatedAsync(database, bob.AccountId);
        Assert.Equal(1, await asBob.ScalarAsync<long>("select count(*) from api.todos where todo_id = @todoId", new { todoId = bob.TodoId }));
    }

    [Fact]
    public async Task An_account_updates_and_deletes_its_own_todo()
    {
        await using var asAlice = await RequestSession.AuthenticatedAsync(database, alice.AccountId);

        var updated = await asAlice.ExecuteAsync("update api.todos set done = true where todo_id = @todoId", new { todoId = alice.TodoId });
        var deleted = await asAlice.ExecuteAsync("delete from api.todos where todo_id = @todoId", new { todoId = alice.TodoId });

        Assert.Equal(1, updated);
        Assert.Equal(1, deleted);
    }

    [Theory]
    // The view has no account_id column: the owner comes from the token, through demo.todo's default and policy.
    [InlineData("insert into api.todos (title, account_id) values ('planted', @otherAccountId)", "42703")]
    // And the table behind it is out of reach.
    [InlineData("insert into demo.todo (title, account_id) values ('planted', @otherAccountId)", "42501")]
    public async Task A_todo_cannot_be_inserted_for_another_account(string statement, string sqlState)
    {
        await using var asAlice = await RequestSession.AuthenticatedAsync(database, alice.AccountId);

        var error = await asAlice.RefusedAsync(statement, new { otherAccountId = bob.AccountId });

        Assert.Equal(sqlState, error.SqlState);
    }

    [Fact]
    public async Task A_todo_inserted_by_an_account_belongs_to_that_account()
    {
        var title = $"second {Guid.NewGuid():N}";
        await using (var asAlice = await RequestSession.AuthenticatedAsync(database, alice.AccountId))
        {
            await asAlice.ExecuteAsync("insert into api.todos (title) values (@title)", new { title });
            await asAlice.CommitAsync();
        }

        await using var admin = await database.OpenAdminAsync();
        var owners = await admin.QueryAsync<long>("select account_id from demo.todo where title = @title", new { title });
        Assert.Equal([alice.AccountId], owners);
    }

    [Fact]
    public async Task Authenticated_without_a_sub_claim_sees_no_todos()
    {
        await using var noSub = await RequestSession.BeginAsync(database, "authenticated", new { role = "authenticated" });

        Assert.Equal(0, await noSub.ScalarAsync<long>("select count(*) from api.todos"));
    }

    [Fact]
    public async Task Authenticated_without_a_sub_claim_cannot_add_a_todo()
    {
        await using var noSub = await RequestSession.BeginAsync(database, "authenticated", new { role = "authenticated" });

        var error = await noSub.RefusedAsync("insert into api.todos (title) values ('orphan')");

        SecurityAssert.InsufficientPrivilege(error);
        Assert.Contains("row-level security", error.MessageText, StringComparison.Ordinal);
    }

    private async Task<Account> CreateAccountWithTodoAsync(string name)
    {
        long accountId;
        await using (var anon = await RequestSession.AnonAsync(database))
        {
            var tokens = await anon.ScalarAsync<string>(
                "select api.signup('correct horse battery', @email)::text", new { email = $"{name}-{Guid.NewGuid():N}@example.com" });
            await anon.CommitAsync();
            accountId = SubOf(JsonSerializer.Deserialize<JsonElement>(tokens!).GetProperty("access_token").GetString()!);
        }

        var title = $"{name}'s todo";
        await using var asOwner = await RequestSession.AuthenticatedAsync(database, accountId);
        var todoId = await asOwner.ScalarAsync<long>("insert into api.todos (title) values (@title) returning todo_id", new { title });
        await asOwner.CommitAsync();
        return new Account(accountId, todoId, title);
    }

    /// <summary>The account id in a token's <c>sub</c> claim (the signature was made by the database itself).</summary>
    private static long SubOf(string token)
    {
        var payload = Base64Url.DecodeFromChars(token.Split('.')[1]);
        var sub = JsonSerializer.Deserialize<JsonElement>(payload).GetProperty("sub").GetString()!;
        return long.Parse(sub, CultureInfo.InvariantCulture);
    }

    private sealed record Account(long AccountId, long TodoId, string Title);
}
