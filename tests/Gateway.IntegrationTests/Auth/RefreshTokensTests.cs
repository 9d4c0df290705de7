using System.Globalization;
using Dapper;
using Gateway.IntegrationTests.Infrastructure;

namespace Gateway.IntegrationTests.Auth;

public sealed class RefreshTokensTests(MigratedDatabase database) : IClassFixture<MigratedDatabase>
{
    [Fact]
    public async Task Signup_then_login_then_refresh_each_return_a_pair_and_the_refreshed_pair_is_valid_for_the_same_account()
    {
        var email = AuthApi.NewEmail();

        var signedUp = await AuthApi.SignUpAsync(database, email);
        var loggedIn = await AuthApi.LoginAsync(database, email);
        var refreshed = await AuthApi.RefreshAsync(database, loggedIn.RefreshToken);

        var sub = Jwt.PayloadOf(signedUp.AccessToken).GetProperty("sub").GetString();
        foreach (var (token, use) in new[] { (refreshed.AccessToken, "access"), (refreshed.RefreshToken, "refresh") })
        {
            var result = await Jwt.ValidateAsync(token, database.JwtSecret);
            Assert.True(result.IsValid, result.Exception?.Message);
            Assert.Equal(sub, Jwt.PayloadOf(token).GetProperty("sub").GetString());
            Assert.Equal(use, Jwt.PayloadOf(token).GetProperty("token_use").GetString());
        }
    }

    [Fact]
    public async Task A_refreshed_refresh_token_can_itself_be_refreshed()
    {
        var first = await AuthApi.SignUpAsync(database, AuthApi.NewEmail());
        var second = await AuthApi.RefreshAsync(database, first.RefreshToken);

        var third = await AuthApi.RefreshAsync(database, second.RefreshToken);

        Assert.Equal(
            Jwt.PayloadOf(first.AccessToken).GetProperty("sub").GetString(),
            Jwt.PayloadOf(third.AccessToken).GetProperty("sub").GetString());
    }

    // Whether the pair is new must not depend on the clock: one transaction sees one now(), so this is a
    // refresh in the same second as the login every time, not only when no second boundary falls between them.
    [Fact]
    public async Task A_refresh_returns_new_tokens_even_in_the_same_second_as_the_login()
    {
        var email = AuthApi.NewEmail();
        await AuthApi.SignUpAsync(database, email);
        await using var anon = await RequestSession.AnonAsync(database);

        var loggedIn = TokenPair.Parse(await anon.ScalarAsync<string>(AuthApi.LoginSql, new { identifier = email, password = AuthApi.Password }));
        var refreshed = TokenPair.Parse(await anon.ScalarAsync<string>(AuthApi.RefreshSql, new { refreshToken = loggedIn.RefreshToken }));

        Assert.NotEqual(loggedIn.AccessToken, refreshed.AccessToken);
        Assert.NotEqual(loggedIn.RefreshToken, refreshed.RefreshToken);
    }

    [Fact]
    public async Task An_access_token_is_refused_with_wrong_token_use()
    {
        var pair = await AuthApi.SignUpAsync(database, AuthApi.NewEmail());
        await using var anon = await RequestSession.AnonAsync(database);

        var error = await anon.RefusedAsync(AuthApi.RefreshSql, new { refreshToken = pair.AccessToken });

        AuthApi.AssertRefused(error, "P0001", "Refresh Failed", "wrong_token_use");
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("  ")]
    public async Task A_missing_refresh_token_is_refused_with_missing_refresh_token(string? refreshToken)
    {
        await using var anon = await RequestSession.AnonAsync(database);

        var error = await anon.RefusedAsync(AuthApi.RefreshSql, new { refreshToken });

        AuthApi.AssertRefused(error, "P0001", "Refresh Failed", "missing_refresh_token");
    }

    [Theory]
    [InlineData("not a token")]
    [InlineData("a.b.c")]
    [InlineData("eyJhbGciOiJIUzI1NiJ9.bm90IGpzb24.c2lnbmF0dXJl")]
    [InlineData("x.y.z.w")]
    public async Task Garbage_is_refused_with_token_invalid(string refreshToken)
    {
        await using var anon = await RequestSession.AnonAsync(database);

        var error = await anon.RefusedAsync(AuthApi.RefreshSql, new { refreshToken });

        AuthApi.AssertRefused(error, "P0001", "Refresh Failed", "token_invalid");
    }

    [Fact]
    public async Task A_refresh_token_whose_sub_was_changed_to_another_account_is_refused_with_token_invalid()
    {
        var victim = AuthApi.NewEmail();
        await AuthApi.SignUpAsync(database, victim);
        var attacker = await AuthApi.SignUpAsync(database, AuthApi.NewEmail());
        var victimId = await AuthApi.AccountIdOfAsync(database, victim);
        var tampered = Jwt.WithEditedPayload(attacker.RefreshToken, claims => claims["sub"] = victimId.ToString(CultureInfo.InvariantCulture));
        await using var anon = await RequestSession.AnonAsync(database);

        var error = await anon.RefusedAsync(AuthApi.RefreshSql, new { refreshToken = tampered });

        AuthApi.AssertRefused(error, "P0001", "Refresh Failed", "token_invalid");
    }

    [Fact]
    public async Task A_refresh_token_whose_expiry_was_pushed_back_is_refused_with_token_invalid()
    {
        var pair = await AuthApi.SignUpAsync(database, AuthApi.NewEmail());
        var tampered = Jwt.WithEditedPayload(pair.RefreshToken, claims => claims["exp"] = claims["exp"]!.GetValue<long>() + 365 * 86400);
        await using var anon = await RequestSession.AnonAsync(database);

        var error = await anon.RefusedAsync(AuthApi.RefreshSql, new { refreshToken = tampered });

        AuthApi.AssertRefused(error, "P0001", "Refresh Failed", "token_invalid");
    }

    [Fact]
    public async Task A_refresh_token_minted_elsewhere_with_the_configured_secret_is_accepted()
    {
        var email = AuthApi.NewEmail();
        await AuthApi.SignUpAsync(database, email);
        var token = Jwt.Mint(database.JwtSecret, Jwt.RefreshClaims(await AuthApi.AccountIdOfAsync(database, email), TimeSpan.FromHours(1)));

        var refreshed = await AuthApi.RefreshAsync(database, token);

        Assert.True((await Jwt.ValidateAsync(refreshed.AccessToken, database.JwtSecret)).IsValid);
    }

    [Fact]
    public async Task A_refresh_token_signed_with_another_secret_is_refused_with_token_invalid()
    {
        var email = AuthApi.NewEmail();
        await AuthApi.SignUpAsync(database, email);
        var token = Jwt.Mint(Jwt.OtherSecret(), Jwt.RefreshClaims(await AuthApi.AccountIdOfAsync(database, email), TimeSpan.FromHours(1)));
        await using var anon = await RequestSession.AnonAsync(database);

        var error = await anon.RefusedAsync(AuthApi.RefreshSql, new { refreshToken = token });

        AuthApi.AssertRefused(error, "P0001", "Refresh Failed", "token_invalid");
    }

    [Fact]
    public async Task An_unsigned_alg_none_refresh_token_is_refused_with_token_invalid()
    {
        var email = AuthApi.NewEmail();
        await AuthApi.SignUpAsync(database, email);
        var token = Jwt.Unsigned(Jwt.RefreshClaims(await AuthApi.AccountIdOfAsync(database, email), TimeSpan.FromHours(1)));
        await using var anon = await RequestSession.AnonAsync(database);

        var error = await anon.RefusedAsync(AuthApi.RefreshSql, new { refreshToken = token });

        AuthApi.AssertRefused(error, "P0001", "Refresh Failed", "token_invalid");
    }

    [Fact]
    public async Task An_expired_refresh_token_is_refused_with_token_invalid()
    {
        var email = AuthApi.NewEmail();
        await AuthApi.SignUpAsync(database, email);
        var claims = Jwt.RefreshClaims(await AuthApi.AccountIdOfAsync(database, email), TimeSpan.FromDays(1));
        // Issued two days ago for one day.
        foreach (var claim in new[] { "iat", "nbf", "exp" })
        {
            claims[claim] = (long)claims[claim] - 2 * 86400;
        }

        var token = Jwt.Mint(database.JwtSecret, claims);
        await using var anon = await RequestSession.AnonAsync(database);

        var error = await anon.RefusedAsync(AuthApi.RefreshSql, new { refreshToken = token });

        AuthApi.AssertRefused(error, "P0001", "Refresh Failed", "token_invalid");
    }

    [Fact]
    public async Task The_refresh_token_of_a_deleted_account_is_refused_with_token_invalid()
    {
        var email = AuthApi.NewEmail();
        var pair = await AuthApi.SignUpAsync(database, email);
        await using (var admin = await database.OpenAdminAsync())
        {
            Assert.Equal(1, await admin.ExecuteAsync("delete from accounts.account where email = @email", new { email }));
        }

        await using var anon = await RequestSession.AnonAsync(database);

        var error = await anon.RefusedAsync(AuthApi.RefreshSql, new { refreshToken = pair.RefreshToken });

        AuthApi.AssertRefused(error, "P0001", "Refresh Failed", "token_invalid");
    }
}
