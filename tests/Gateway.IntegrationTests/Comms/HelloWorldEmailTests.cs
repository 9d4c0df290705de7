using Gateway.IntegrationTests.Infrastructure;

namespace Gateway.IntegrationTests.Comms;

/// <summary>The refusals of api.hello_world_email: each is a whole request that commits and must leave nothing behind.</summary>
public sealed class HelloWorldEmailTests(MigratedDatabase database) : IClassFixture<MigratedDatabase>
{
    [Fact]
    public async Task Anon_is_refused_42501_and_nothing_is_created()
    {
        await using var admin = await database.OpenAdminAsync();
        var before = await HelloWorldEmail.CountAsync(admin);
        await using var anon = await RequestSession.AnonAsync(database);

        var error = await anon.RefusedAsync(HelloWorldEmail.CallSql, new { toAddress = "to@example.com" });
        await anon.CommitAsync();

        Assert.Equal("42501", error.SqlState);
        Assert.Equal(before, await HelloWorldEmail.CountAsync(admin));
    }

    [Fact]
    public async Task Authenticated_without_an_account_in_the_token_is_refused_42501_not_signed_in()
    {
        await using var admin = await database.OpenAdminAsync();
        var before = await HelloWorldEmail.CountAsync(admin);
        await using var session = await RequestSession.BeginAsync(database, "authenticated", claims: null);

        var error = await session.RefusedAsync(HelloWorldEmail.CallSql, new { toAddress = "to@example.com" });
        await session.CommitAsync();

        Assert.Equal("42501", error.SqlState);
        Assert.Equal("not_signed_in", error.Hint);
        Assert.Equal(before, await HelloWorldEmail.CountAsync(admin));
    }

    [Theory]
    [InlineData("", "missing_to_address")]
    [InlineData("   ", "missing_to_address")]
    [InlineData("not-an-address", "invalid_to_address")]
    [InlineData("a@b.example, c@d.example", "invalid_to_address")]
    [InlineData("Someone <to@example.com>", "invalid_to_address")]
    [InlineData("to@example", "invalid_to_address")]
    public async Task A_bad_to_address_raises_P0001_Email_Failed_with_a_hint_and_nothing_is_created(string toAddress, string hint)
    {
        await using var admin = await database.OpenAdminAsync();
        var before = await HelloWorldEmail.CountAsync(admin);
        await using var session = await RequestSession.AuthenticatedAsync(database, await HelloWorldEmail.CreateAccountAsync(database));

        var error = await session.RefusedAsync(HelloWorldEmail.CallSql, new { toAddress });
        await session.CommitAsync();

        Assert.Equal("P0001", error.SqlState);
        Assert.Equal("Email Failed", error.MessageText);
        Assert.Equal(hint, error.Hint);
        Assert.Equal(before, await HelloWorldEmail.CountAsync(admin));
    }

    [Fact]
    public async Task A_null_to_address_raises_P0001_missing_to_address()
    {
        await using var session = await RequestSession.AuthenticatedAsync(database, await HelloWorldEmail.CreateAccountAsync(database));

        var error = await session.RefusedAsync("select api.hello_world_email(to_address => null)");

        Assert.Equal("P0001", error.SqlState);
        Assert.Equal("missing_to_address", error.Hint);
    }
}
