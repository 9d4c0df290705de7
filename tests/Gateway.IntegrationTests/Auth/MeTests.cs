using System.Text.Json;
using Dapper;
using Gateway.IntegrationTests.Infrastructure;

namespace Gateway.IntegrationTests.Auth;

public sealed class MeTests(MigratedDatabase database) : IClassFixture<MigratedDatabase>
{
    private const string MeSql = "select api.me()::text";

    [Fact]
    public async Task Me_as_authenticated_returns_the_account_named_by_sub()
    {
        var email = AuthApi.NewEmail();
        var phoneNumber = AuthApi.NewPhoneNumber();
        await AuthApi.SignUpAsync(database, email, phoneNumber);
        var accountId = await AuthApi.AccountIdOfAsync(database, email);
        await using var session = await RequestSession.AuthenticatedAsync(database, accountId);

        using var me = JsonDocument.Parse((await session.ScalarAsync<string>(MeSql))!);

        Assert.Equal(accountId, me.RootElement.GetProperty("account_id").GetInt64());
        Assert.Equal(email, me.RootElement.GetProperty("email").GetString());
        Assert.Equal(phoneNumber, me.RootElement.GetProperty("phone_number").GetString());
        Assert.True(me.RootElement.GetProperty("created_at").TryGetDateTimeOffset(out _));
    }

    [Fact]
    public async Task Me_with_the_claims_of_a_real_access_token_returns_its_account_and_never_the_password_hash()
    {
        var email = AuthApi.NewEmail();
        var pair = await AuthApi.SignUpAsync(database, email);
        // What the gateway does with a validated bearer token: its role claim becomes the role, its claims the GUC.
        await using var session = await RequestSession.BeginAsync(database, "authenticated", Jwt.PayloadOf(pair.AccessToken));

        var me = (await session.ScalarAsync<string>(MeSql))!;

        using var document = JsonDocument.Parse(me);
        Assert.Equal(email, document.RootElement.GetProperty("email").GetString());
        Assert.DoesNotContain("password", me, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Me_as_anon_is_refused_by_the_grant_with_42501()
    {
        await using var anon = await RequestSession.AnonAsync(database);

        var error = await anon.RefusedAsync(MeSql);

        Assert.Equal("42501", error.SqlState);
        Assert.Equal("permission denied for function me", error.MessageText);
    }

    // The seed grants EXECUTE on every api function to anon; the grant is a second wall, not the only one.
    [Fact]
    public async Task Me_as_anon_is_refused_with_42501_not_signed_in_even_when_granted_to_anon_as_the_seed_does()
    {
        await using var admin = await database.OpenAdminAsync();
        await using var transaction = await admin.BeginTransactionAsync();
        await admin.ExecuteAsync("grant execute on function api.me() to anon", transaction: transaction);
        await admin.ExecuteAsync("select set_config('role', 'anon', true), set_config('request.jwt.claims', '', true)", transaction: transaction);

        var error = await Assert.ThrowsAsync<Npgsql.PostgresException>(() => admin.ExecuteAsync(MeSql, transaction: transaction));

        AuthApi.AssertRefused(error, "42501", "You must be signed in", "not_signed_in");
    }

    [Fact]
    public async Task Me_as_authenticated_without_a_sub_claim_is_refused_with_42501_not_signed_in()
    {
        await using var session = await RequestSession.BeginAsync(database, "authenticated", new { role = "authenticated" });

        var error = await session.RefusedAsync(MeSql);

        AuthApi.AssertRefused(error, "42501", "You must be signed in", "not_signed_in");
    }

    [Fact]
    public async Task Me_with_the_sub_of_no_account_is_refused_with_42501_not_signed_in()
    {
        await using var session = await RequestSession.AuthenticatedAsync(database, accountId: 999_999_999_999);

        var error = await session.RefusedAsync(MeSql);

        AuthApi.AssertRefused(error, "42501", "You must be signed in", "not_signed_in");
    }
}
