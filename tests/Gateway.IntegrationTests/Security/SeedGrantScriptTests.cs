using Dapper;
using Gateway.IntegrationTests.Infrastructure;

namespace Gateway.IntegrationTests.Security;

/// <summary>
/// The seed's grant script (shared/seed/security-and-grants.md) must apply verbatim to a database migrated by this
/// repository. It grants EXECUTE on every api function to anon, so functions meant for signed-in users must refuse
/// anon themselves. Its own database: the script changes grants. Every test applies it first (it is idempotent).
/// The document lives outside the repository (beside the checkout, as in our CI): where it is absent, as in a plain
/// clone, the tests skip and say so.
/// </summary>
public sealed class SeedGrantScriptTests(MigratedDatabase database) : IClassFixture<MigratedDatabase>
{
    private static readonly Lazy<string?> Script = new(ReadSeedScript);

    private const string SeedMissing =
        "the seed document ../shared/seed/security-and-grants.md is not beside this checkout (it is outside the repository)";

    [SkippableFact]
    public async Task The_seed_grant_script_applies_verbatim_as_superuser()
    {
        Skip.If(Script.Value is null, SeedMissing);
        await using var admin = await database.OpenAdminAsync();

        await admin.ExecuteAsync(Script.Value!);

        // What the script's last line grants, which the migrations do not: proof that it ran to the end.
        Assert.True(await admin.ExecuteScalarAsync<bool>("select has_function_privilege('anon', 'api.me()', 'execute')"));
    }

    [SkippableFact]
    public async Task After_the_seed_script_me_still_refuses_anon()
    {
        Skip.If(Script.Value is null, SeedMissing);
        await ApplyScriptAsync();
        await using var anon = await RequestSession.AnonAsync(database);

        var error = await anon.RefusedAsync("select api.me()");

        SecurityAssert.InsufficientPrivilege(error);
        Assert.Equal("You must be signed in", error.MessageText);
        Assert.Equal("not_signed_in", error.Hint);
    }

    [SkippableFact]
    public async Task After_the_seed_script_hello_world_email_still_refuses_anon()
    {
        Skip.If(Script.Value is null, SeedMissing);
        await ApplyScriptAsync();
        await using var anon = await RequestSession.AnonAsync(database);

        var error = await anon.RefusedAsync("select api.hello_world_email('someone@example.com')");

        SecurityAssert.InsufficientPrivilege(error);
        Assert.Equal("You must be signed in to send an email", error.MessageText);
        Assert.Equal("not_signed_in", error.Hint);
    }

    [SkippableFact]
    public async Task After_the_seed_script_anon_still_cannot_read_hello_secure()
    {
        Skip.If(Script.Value is null, SeedMissing);
        await ApplyScriptAsync();
        await using var anon = await RequestSession.AnonAsync(database);

        var error = await anon.RefusedAsync("select * from api.hello_secure");

        SecurityAssert.InsufficientPrivilege(error);
        Assert.Contains("hello_secure", error.MessageText, StringComparison.Ordinal);
    }

    private async Task ApplyScriptAsync()
    {
        await using var admin = await database.OpenAdminAsync();
        await admin.ExecuteAsync(Script.Value!);
    }

    /// <summary>
    /// The ```sql block of the seed document, which lives in the <c>shared</c> folder beside the repository's
    /// checkout (the folder holding Gateway.sln); null when it is not there.
    /// </summary>
    private static string? ReadSeedScript()
    {
        var repository = new DirectoryInfo(AppContext.BaseDirectory);
        while (repository is not null && !File.Exists(Path.Combine(repository.FullName, "Gateway.sln")))
        {
            repository = repository.Parent;
        }

        if (repository is null)
        {
            throw new InvalidOperationException($"No folder above {AppContext.BaseDirectory} holds Gateway.sln.");
        }

        var document = Path.GetFullPath(Path.Combine(repository.FullName, "..", "shared", "seed", "security-and-grants.md"));
        if (!File.Exists(document))
        {
            return null;
        }

        var text = File.ReadAllText(document).ReplaceLineEndings("\n");
        const string Fence = "```sql\n";
        var start = text.IndexOf(Fence, StringComparison.Ordinal);
        var end = start < 0 ? -1 : text.IndexOf("```", start + Fence.Length, StringComparison.Ordinal);
        if (end < 0)
        {
            throw new InvalidOperationException($"{document} has no ```sql block.");
        }

        return text[(start + Fence.Length)..end];
    }
}
