using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using Dapper;
using Gateway.IntegrationTests.Infrastructure;
using Npgsql;

namespace Gateway.IntegrationTests.Auth;

/// <summary>The <c>{access_token, refresh_token}</c> object that api.signup, api.login and api.refresh_tokens return.</summary>
public sealed record TokenPair(string AccessToken, string RefreshToken)
{
    /// <summary>Reads the jsonb result, refusing anything but exactly the two string members.</summary>
    public static TokenPair Parse(string? json)
    {
        Assert.NotNull(json);
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        Assert.Equal(["access_token", "refresh_token"], root.EnumerateObject().Select(member => member.Name).Order(StringComparer.Ordinal));
        return new TokenPair(
            root.GetProperty("access_token").GetString()!,
            root.GetProperty("refresh_token").GetString()!);
    }
}

/// <summary>
/// Calls the auth api the way a frontend does through the gateway: each call is one request, that is one
/// transaction of the <c>authenticator</c> login acting as <c>anon</c>, committed when it succeeds.
/// </summary>
internal static class AuthApi
{
    public const string SignupSql = "select api.signup(password => @password, email => @email, phone_number => @phoneNumber)::text";
    public const string LoginSql = "select api.login(identifier => @identifier, password => @password)::text";
    public const string RefreshSql = "select api.refresh_tokens(refresh_token => @refreshToken)::text";

    public const string Password = "correct horse battery staple";

    /// <summary>An address no other test uses, so tests sharing a class database never collide.</summary>
    public static string NewEmail() => $"user-{Guid.NewGuid():N}@example.com";

    /// <summary>A valid E.164 number no other test is likely to use.</summary>
    public static string NewPhoneNumber() =>
        "+1555" + RandomNumberGenerator.GetInt32(10_000_000).ToString("D7", CultureInfo.InvariantCulture);

    public static Task<TokenPair> SignUpAsync(MigratedDatabase database, string? email, string? phoneNumber = null, string password = Password) =>
        CallAsync(database, SignupSql, new { password, email, phoneNumber });

    public static Task<TokenPair> LoginAsync(MigratedDatabase database, string identifier, string password = Password) =>
        CallAsync(database, LoginSql, new { identifier, password });

    public static Task<TokenPair> RefreshAsync(MigratedDatabase database, string refreshToken) =>
        CallAsync(database, RefreshSql, new { refreshToken });

    /// <summary>The id of the account with this (normalized) email, read as the superuser.</summary>
    public static async Task<long> AccountIdOfAsync(MigratedDatabase database, string email)
    {
        await using var admin = await database.OpenAdminAsync();
        return await admin.QuerySingleAsync<long>(
            "select account_id from accounts.account where email = accounts.normalize_email(@email)", new { email });
    }

    /// <summary>Asserts a refusal by its SQLSTATE, message and hint: the hint is the stable code clients key off.</summary>
    public static void AssertRefused(PostgresException error, string sqlState, string message, string hint)
    {
        Assert.Equal(sqlState, error.SqlState);
        Assert.Equal(message, error.MessageText);
        Assert.Equal(hint, error.Hint);
    }

    private static async Task<TokenPair> CallAsync(MigratedDatabase database, string sql, object parameters)
    {
        await using var anon = await RequestSession.AnonAsync(database);
        var pair = TokenPair.Parse(await anon.ScalarAsync<string>(sql, parameters));
        await anon.CommitAsync();
        return pair;
    }
}
