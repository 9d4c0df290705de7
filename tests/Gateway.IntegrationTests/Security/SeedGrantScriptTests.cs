using Dapper;
using Gateway.IntegrationTests.Infrastructure;

namespace Gateway.IntegrationTests.Security;

/// <summary>
/// The seed's grant script must apply verbatim to a database migrated by this repository. It grants EXECUTE on every
/// api function to anon, so functions meant for signed-in users must refuse anon themselves. Its own database: the
/// script changes grants. Every test applies it first (it is idempotent). <c>seed-grants.sql</c> is the ```sql block
/// of the seed document (security-and-grants.md, kept outside the repository) copied byte for byte, so a plain clone
/// runs these tests too.
/// </summary>
public sealed class SeedGrantScriptTests(MigratedDatabase database) : IClassFixture<MigratedDatabase>
{
    private static readonly Lazy<string> Script = new(() => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Security", "seed-grants.sql")));

    [Fact]
    public async Task The_seed_grant_script_applies_verbatim_as_superuser()
    {
        await using var admin = await database.OpenAdminAsync();

        await admin.ExecuteAsync(Script.Value);

        // What the script's last line grants, which the migrations do not: proof that it ran to the end.
        Assert.True(await admin.ExecuteScalarAsync<bool>("select has_function_privilege('anon', 'api.me()', 'execute')"));
    }

    [Fact]
    public async Task After_the_seed_script_me_still_refuses_anon()
    {
        await ApplyScriptAsync();
        await using var anon = await RequestSession.AnonAsync(database);

        var error = await anon.RefusedAsync("select api.me()");

        SecurityAssert.InsufficientPrivilege(error);
        Assert.Equal("You must be signed in", error.MessageText);
        Assert.Equal("not_signed_in", error.Hint);
    }

    [Fact]
    public async Task After_the_seed_script_hello_world_email_still_refuses_anon()
    {
        await ApplyScriptAsync();
        await using var anon = await RequestSession.AnonAsync(database);

        var error = await anon.RefusedAsync("select api.hello_world_email('someone@example.com')");

        SecurityAssert.InsufficientPrivilege(error);
        Assert.Equal("You must be signed in to send an email", error.MessageText);
        Assert.Equal("not_signed_in", error.Hint);
    }

    [Fact]
    public async Task After_the_seed_script_anon_still_cannot_read_hello_secure()
    {
        await ApplyScriptAsync();
        await using var anon = await RequestSession.AnonAsync(database);

        var error = await anon.RefusedAsync("select * from api.hello_secure");

        SecurityAssert.InsufficientPrivilege(error);
        Assert.Contains("hello_secure", error.MessageText, StringComparison.Ordinal);
    }

    private async Task ApplyScriptAsync()
    {
        await using var admin = await database.OpenAdminAsync();
        await admin.ExecuteAsync(Script.Value);
    }
}
