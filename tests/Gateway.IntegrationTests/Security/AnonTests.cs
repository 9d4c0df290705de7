using System.Text.Json;
using Gateway.IntegrationTests.Infrastructure;

namespace Gateway.IntegrationTests.Security;

/// <summary>
/// Requests without a token: anon may greet, sign up, log in and refresh tokens, and nothing meant for signed-in users.
/// </summary>
public sealed class AnonTests(MigratedDatabase database) : IClassFixture<MigratedDatabase>
{
    private const string Password = "correct horse battery";

    [Fact]
    public async Task Anon_cannot_read_hello_secure()
    {
        await using var anon = await RequestSession.AnonAsync(database);

        var error = await anon.RefusedAsync("select * from api.hello_secure");

        SecurityAssert.InsufficientPrivilege(error);
    }

    [Fact]
    public async Task Anon_cannot_read_todos()
    {
        await using var anon = await RequestSession.AnonAsync(database);

        var error = await anon.RefusedAsync("select * from api.todos");

        SecurityAssert.InsufficientPrivilege(error);
    }

    [Fact]
    public async Task Anon_cannot_call_me()
    {
        await using var anon = await RequestSession.AnonAsync(database);

        var error = await anon.RefusedAsync("select api.me()");

        SecurityAssert.InsufficientPrivilege(error);
    }

    [Fact]
    public async Task Anon_cannot_call_hello_world_email()
    {
        await using var anon = await RequestSession.AnonAsync(database);

        var error = await anon.RefusedAsync("select api.hello_world_email('someone@example.com')");

        SecurityAssert.InsufficientPrivilege(error);
    }

    [Fact]
    public async Task Anon_can_read_hello_world()
    {
        await using var anon = await RequestSession.AnonAsync(database);

        var messages = await anon.QueryAsync<string>("select message from api.hello_world");

        Assert.Equal(["Hello, World!"], messages);
    }

    [Fact]
    public async Task Anon_can_sign_up()
    {
        await using var anon = await RequestSession.AnonAsync(database);

        var tokens = await SignUpAsync(anon, UniqueEmail());

        Assert.False(string.IsNullOrEmpty(tokens.GetProperty("access_token").GetString()));
        Assert.False(string.IsNullOrEmpty(tokens.GetProperty("refresh_token").GetString()));
    }

    [Fact]
    public async Task Anon_can_log_in()
    {
        await using var anon = await RequestSession.AnonAsync(database);
        var email = UniqueEmail();
        await SignUpAsync(anon, email);

        var tokens = Json(await anon.ScalarAsync<string>(
            "select api.login(@email, @password)::text", new { email, password = Password }));

        Assert.False(string.IsNullOrEmpty(tokens.GetProperty("access_token").GetString()));
    }

    [Fact]
    public async Task Anon_can_refresh_tokens()
    {
        await using var anon = await RequestSession.AnonAsync(database);
        var signedUp = await SignUpAsync(anon, UniqueEmail());

        var tokens = Json(await anon.ScalarAsync<string>(
            "select api.refresh_tokens(@token)::text", new { token = signedUp.GetProperty("refresh_token").GetString() }));

        Assert.False(string.IsNullOrEmpty(tokens.GetProperty("access_token").GetString()));
    }

    private static async Task<JsonElement> SignUpAsync(RequestSession anon, string email) =>
        Json(await anon.ScalarAsync<string>("select api.signup(@password, @email)::text", new { password = Password, email }));

    private static JsonElement Json(string? text) => JsonSerializer.Deserialize<JsonElement>(text ?? "null");

    private static string UniqueEmail() => $"anon-{Guid.NewGuid():N}@example.com";
}
