using System.Globalization;
using Dapper;
using Gateway.IntegrationTests.Infrastructure;

namespace Gateway.IntegrationTests.Auth;

public sealed class LoginTests(MigratedDatabase database) : IClassFixture<MigratedDatabase>
{
    [Fact]
    public async Task Login_with_email_and_password_returns_valid_tokens_for_that_account()
    {
        var email = AuthApi.NewEmail();
        await AuthApi.SignUpAsync(database, email);

        var pair = await AuthApi.LoginAsync(database, email);

        var sub = (await AuthApi.AccountIdOfAsync(database, email)).ToString(CultureInfo.InvariantCulture);
        Assert.True((await Jwt.ValidateAsync(pair.AccessToken, database.JwtSecret)).IsValid);
        Assert.Equal(sub, Jwt.PayloadOf(pair.AccessToken).GetProperty("sub").GetString());
        Assert.Equal(sub, Jwt.PayloadOf(pair.RefreshToken).GetProperty("sub").GetString());
    }

    [Fact]
    public async Task Login_with_the_email_in_another_case_and_whitespace_finds_the_account()
    {
        await AuthApi.SignUpAsync(database, " Demo.User@Example.COM ");

        var pair = await AuthApi.LoginAsync(database, "demo.user@example.com");

        var accountId = await AuthApi.AccountIdOfAsync(database, "demo.user@example.com");
        Assert.Equal(accountId.ToString(CultureInfo.InvariantCulture), Jwt.PayloadOf(pair.AccessToken).GetProperty("sub").GetString());
    }

    [Fact]
    public async Task Login_with_the_phone_number_of_an_account_created_with_one_works_in_any_format()
    {
        var phoneNumber = AuthApi.NewPhoneNumber();
        await AuthApi.SignUpAsync(database, email: null, phoneNumber);

        var compact = await AuthApi.LoginAsync(database, phoneNumber);
        var formatted = await AuthApi.LoginAsync(database, $" {phoneNumber[..2]} {phoneNumber[2..5]}-{phoneNumber[5..8]}-{phoneNumber[8..]} ");

        Assert.True((await Jwt.ValidateAsync(compact.AccessToken, database.JwtSecret)).IsValid);
        Assert.Equal(
            Jwt.PayloadOf(compact.AccessToken).GetProperty("sub").GetString(),
            Jwt.PayloadOf(formatted.AccessToken).GetProperty("sub").GetString());
    }

    [Fact]
    public async Task Login_with_a_wrong_password_is_refused_with_bad_password()
    {
        var email = AuthApi.NewEmail();
        await AuthApi.SignUpAsync(database, email);
        await using var anon = await RequestSession.AnonAsync(database);

        var error = await anon.RefusedAsync(AuthApi.LoginSql, new { identifier = email, password = AuthApi.Password + "!" });

        AuthApi.AssertRefused(error, "P0001", "Login Failed", "bad_password");
    }

    [Theory]
    [InlineData("")]
    [InlineData(null)]
    public async Task Login_with_an_empty_or_null_password_to_an_account_with_one_is_refused_with_bad_password(string? password)
    {
        var email = AuthApi.NewEmail();
        await AuthApi.SignUpAsync(database, email);
        await using var anon = await RequestSession.AnonAsync(database);

        var error = await anon.RefusedAsync(AuthApi.LoginSql, new { identifier = email, password });

        AuthApi.AssertRefused(error, "P0001", "Login Failed", "bad_password");
    }

    [Fact]
    public async Task Login_with_an_email_of_no_account_is_refused_with_account_not_found()
    {
        await using var anon = await RequestSession.AnonAsync(database);

        var error = await anon.RefusedAsync(AuthApi.LoginSql, new { identifier = AuthApi.NewEmail(), password = AuthApi.Password });

        AuthApi.AssertRefused(error, "P0001", "Login Failed", "account_not_found");
    }

    [Fact]
    public async Task Login_with_a_phone_number_of_no_account_is_refused_with_account_not_found()
    {
        await using var anon = await RequestSession.AnonAsync(database);

        var error = await anon.RefusedAsync(AuthApi.LoginSql, new { identifier = "+19999999999", password = AuthApi.Password });

        AuthApi.AssertRefused(error, "P0001", "Login Failed", "account_not_found");
    }

    // The seed compared crypt(password, NULL) <> NULL, which is NULL, so a passwordless account took any password.
    [Theory]
    [InlineData("any password at all")]
    [InlineData("")]
    [InlineData(null)]
    public async Task Login_to_a_passwordless_account_is_refused_with_bad_password_whatever_the_password(string? password)
    {
        var email = AuthApi.NewEmail();
        await using (var admin = await database.OpenAdminAsync())
        {
            var failure = await admin.ExecuteScalarAsync<string?>(
                "select validation_failure_message from accounts.create_account(@email, null, null)", new { email });
            Assert.Null(failure);
            Assert.Null(await admin.ExecuteScalarAsync<string?>("select hashed_password from accounts.account where email = @email", new { email }));
        }

        await using var anon = await RequestSession.AnonAsync(database);

        var error = await anon.RefusedAsync(AuthApi.LoginSql, new { identifier = email, password });

        AuthApi.AssertRefused(error, "P0001", "Login Failed", "bad_password");
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData(" \t\n")]
    public async Task Login_without_an_identifier_is_refused_with_missing_identifier(string? identifier)
    {
        await using var anon = await RequestSession.AnonAsync(database);

        var error = await anon.RefusedAsync(AuthApi.LoginSql, new { identifier, password = AuthApi.Password });

        AuthApi.AssertRefused(error, "P0001", "Login Failed", "missing_identifier");
    }

    [Theory]
    [InlineData("not-an-email")]
    [InlineData("@example.com")]
    [InlineData("some@one@example.com")]
    [InlineData("12345")]
    [InlineData("+0123456789")]
    public async Task Login_with_an_identifier_that_is_neither_an_email_nor_a_phone_number_is_refused_with_invalid_identifier(string identifier)
    {
        await using var anon = await RequestSession.AnonAsync(database);

        var error = await anon.RefusedAsync(AuthApi.LoginSql, new { identifier, password = AuthApi.Password });

        AuthApi.AssertRefused(error, "P0001", "Login Failed", "invalid_identifier");
    }

    [Fact]
    public async Task Each_login_appends_an_account_login_row_and_signup_appends_none()
    {
        var email = AuthApi.NewEmail();
        await AuthApi.SignUpAsync(database, email);
        var accountId = await AuthApi.AccountIdOfAsync(database, email);
        var afterSignup = await LoginCountAsync(accountId);

        await AuthApi.LoginAsync(database, email);
        var afterFirstLogin = await LoginCountAsync(accountId);
        await AuthApi.LoginAsync(database, email);
        var afterSecondLogin = await LoginCountAsync(accountId);

        Assert.Equal((0, 1, 2), (afterSignup, afterFirstLogin, afterSecondLogin));
    }

    [Fact]
    public async Task A_refused_login_appends_no_account_login_row()
    {
        var email = AuthApi.NewEmail();
        await AuthApi.SignUpAsync(database, email);
        await using (var anon = await RequestSession.AnonAsync(database))
        {
            await anon.RefusedAsync(AuthApi.LoginSql, new { identifier = email, password = "wrong password" });
            await anon.CommitAsync();
        }

        Assert.Equal(0, await LoginCountAsync(await AuthApi.AccountIdOfAsync(database, email)));
    }

    private async Task<int> LoginCountAsync(long accountId)
    {
        await using var admin = await database.OpenAdminAsync();
        return await admin.ExecuteScalarAsync<int>(
            "select count(*) from accounts.account_login where account_id = @accountId and logged_in_at is not null", new { accountId });
    }
}
