using System.Globalization;
using Dapper;
using Gateway.IntegrationTests.Infrastructure;

namespace Gateway.IntegrationTests.Auth;

public sealed class SignupTests(MigratedDatabase database) : IClassFixture<MigratedDatabase>
{
    [Fact]
    public async Task Signup_with_an_email_and_a_password_creates_the_account_and_returns_its_tokens()
    {
        var email = AuthApi.NewEmail();

        var pair = await AuthApi.SignUpAsync(database, email);

        var accountId = await AuthApi.AccountIdOfAsync(database, email);
        Assert.Equal(accountId.ToString(CultureInfo.InvariantCulture), Jwt.PayloadOf(pair.AccessToken).GetProperty("sub").GetString());
        Assert.Equal(accountId.ToString(CultureInfo.InvariantCulture), Jwt.PayloadOf(pair.RefreshToken).GetProperty("sub").GetString());
    }

    [Fact]
    public async Task Signup_stores_the_email_without_whitespace_and_in_lower_case()
    {
        var email = AuthApi.NewEmail();

        await AuthApi.SignUpAsync(database, $" \t{email.ToUpperInvariant()}\u00a0");

        await using var admin = await database.OpenAdminAsync();
        Assert.Equal(1, await admin.ExecuteScalarAsync<int>("select count(*) from accounts.account where email = @email", new { email }));
    }

    [Fact]
    public async Task Passwords_are_stored_as_bcrypt_hashes_never_as_the_plaintext()
    {
        var email = AuthApi.NewEmail();
        await AuthApi.SignUpAsync(database, email);

        await using var admin = await database.OpenAdminAsync();
        var hash = await admin.QuerySingleAsync<string>(
            "select hashed_password from accounts.account where email = @email", new { email });

        Assert.Matches(@"^\$2[ab]\$\d\d\$[./A-Za-z0-9]{53}$", hash);
        Assert.DoesNotContain(AuthApi.Password, hash, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Signup_with_an_8_character_password_succeeds()
    {
        var pair = await AuthApi.SignUpAsync(database, AuthApi.NewEmail(), password: "12345678");

        Assert.True((await Jwt.ValidateAsync(pair.AccessToken, database.JwtSecret)).IsValid);
    }

    [Fact]
    public async Task Signup_with_a_7_character_password_is_refused_with_invalid_password()
    {
        await using var anon = await RequestSession.AnonAsync(database);

        var error = await anon.RefusedAsync(AuthApi.SignupSql, new { password = "1234567", email = AuthApi.NewEmail(), phoneNumber = (string?)null });

        AuthApi.AssertRefused(error, "P0001", "Signup Failed", "invalid_password");
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public async Task Signup_without_a_password_is_refused_with_invalid_password(string? password)
    {
        await using var anon = await RequestSession.AnonAsync(database);

        var error = await anon.RefusedAsync(AuthApi.SignupSql, new { password, email = AuthApi.NewEmail(), phoneNumber = (string?)null });

        AuthApi.AssertRefused(error, "P0001", "Signup Failed", "invalid_password");
    }

    [Theory]
    [InlineData("not-an-email")]
    [InlineData("@example.com")]
    [InlineData("someone@")]
    [InlineData("some@one@example.com")]
    public async Task Signup_with_an_invalid_email_is_refused_with_invalid_email(string email)
    {
        await using var anon = await RequestSession.AnonAsync(database);

        var error = await anon.RefusedAsync(AuthApi.SignupSql, new { password = AuthApi.Password, email, phoneNumber = (string?)null });

        AuthApi.AssertRefused(error, "P0001", "Signup Failed", "invalid_email");
    }

    [Theory]
    [InlineData("12345")]
    [InlineData("+0123456789")]
    [InlineData("+1234567890123456")]
    public async Task Signup_with_an_invalid_phone_number_is_refused_with_invalid_phone_number(string phoneNumber)
    {
        await using var anon = await RequestSession.AnonAsync(database);

        var error = await anon.RefusedAsync(AuthApi.SignupSql, new { password = AuthApi.Password, email = (string?)null, phoneNumber });

        AuthApi.AssertRefused(error, "P0001", "Signup Failed", "invalid_phone_number");
    }

    [Theory]
    [InlineData(null, null)]
    [InlineData("", "")]
    [InlineData(" \t ", "-")]
    public async Task Signup_without_an_email_or_a_phone_number_is_refused_with_email_or_phone_number_required(string? email, string? phoneNumber)
    {
        await using var anon = await RequestSession.AnonAsync(database);

        var error = await anon.RefusedAsync(AuthApi.SignupSql, new { password = AuthApi.Password, email, phoneNumber });

        AuthApi.AssertRefused(error, "P0001", "Signup Failed", "email_or_phone_number_required");
    }

    [Theory]
    [InlineData("", false, "")]
    [InlineData("", true, "")]
    [InlineData("  ", false, "\t")]
    [InlineData(" ", true, "\u00a0")]
    public async Task Signup_with_an_email_already_taken_in_any_case_or_whitespace_is_refused_with_account_already_exists(
        string before, bool upperCase, string after)
    {
        var email = AuthApi.NewEmail();
        await AuthApi.SignUpAsync(database, email);
        await using var anon = await RequestSession.AnonAsync(database);

        var error = await anon.RefusedAsync(AuthApi.SignupSql, new
        {
            password = AuthApi.Password,
            email = before + (upperCase ? email.ToUpperInvariant() : email) + after,
            phoneNumber = (string?)null,
        });

        AuthApi.AssertRefused(error, "P0001", "Signup Failed", "account_already_exists");
    }

    [Fact]
    public async Task Signup_with_a_phone_number_already_taken_in_another_format_is_refused_with_account_already_exists()
    {
        var phoneNumber = AuthApi.NewPhoneNumber();
        await AuthApi.SignUpAsync(database, email: null, phoneNumber);
        var formatted = $"{phoneNumber[..2]} ({phoneNumber[2..5]}) {phoneNumber[5..8]}-{phoneNumber[8..]}";
        await using var anon = await RequestSession.AnonAsync(database);

        var error = await anon.RefusedAsync(AuthApi.SignupSql, new { password = AuthApi.Password, email = (string?)null, phoneNumber = formatted });

        AuthApi.AssertRefused(error, "P0001", "Signup Failed", "account_already_exists");
    }

    [Fact]
    public async Task A_refused_signup_creates_no_account()
    {
        var email = AuthApi.NewEmail();
        await using (var anon = await RequestSession.AnonAsync(database))
        {
            await anon.RefusedAsync(AuthApi.SignupSql, new { password = "short", email, phoneNumber = (string?)null });
            await anon.CommitAsync();
        }

        await using var admin = await database.OpenAdminAsync();
        Assert.Equal(0, await admin.ExecuteScalarAsync<int>("select count(*) from accounts.account where email = @email", new { email }));
    }
}
