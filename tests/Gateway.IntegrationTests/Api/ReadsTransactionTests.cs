using Dapper;
using Gateway.IntegrationTests.Infrastructure;
using static Gateway.IntegrationTests.Api.ReadsHttp;

namespace Gateway.IntegrationTests.Api;

/// <summary>
/// The transaction a read runs in, seen from inside through the fixture views <c>api.read_probe</c> (transaction mode
/// and role) and <c>api.write_probe</c> (a read that would write): GET and HEAD run READ ONLY as the token's role.
/// </summary>
public sealed class ReadsTransactionTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    [Fact]
    public async Task Get_runs_in_a_read_only_transaction()
    {
        using var response = await api.Anon().ReadAsync("/read_probe?select=read_only");

        Assert.Equal("""[{"read_only":"on"}]""", await AssertBodyAsync(response, 200));
    }

    [Fact]
    public async Task Get_of_a_view_that_writes_returns_405_25006_and_writes_nothing()
    {
        using var response = await api.Anon().ReadAsync("/write_probe");

        var error = await RpcHttp.AssertErrorAsync(response, 405, "25006");
        Assert.Equal("cannot execute nextval() in a read-only transaction", error.Message);
        Assert.False(await AnyTicketIssuedAsync());
    }

    [Fact]
    public async Task Head_of_a_view_that_writes_returns_405()
    {
        using var response = await api.Anon().ReadAsync(HttpMethod.Head, "/write_probe");

        Assert.Equal(405, (int)response.StatusCode);
        Assert.False(await AnyTicketIssuedAsync());
    }

    [Fact]
    public async Task Get_without_a_token_runs_as_anon()
    {
        using var response = await api.Anon().ReadAsync("/read_probe?select=role");

        Assert.Equal("""[{"role":"anon"}]""", await AssertBodyAsync(response, 200));
    }

    [Fact]
    public async Task Get_with_a_token_runs_as_its_role()
    {
        var accountId = await api.CreateAccountAsync("probe-reader@example.com");

        using var response = await api.As(accountId).ReadAsync("/read_probe?select=role");

        Assert.Equal("""[{"role":"authenticated"}]""", await AssertBodyAsync(response, 200));
    }

    /// <summary>Whether demo.fixture_ticket has ever handed out a value.</summary>
    private async Task<bool> AnyTicketIssuedAsync()
    {
        await using var admin = await api.OpenAdminAsync();
        return await admin.ExecuteScalarAsync<bool>("select is_called from demo.fixture_ticket");
    }
}
