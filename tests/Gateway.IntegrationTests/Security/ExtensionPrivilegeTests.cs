using Dapper;
using Gateway.IntegrationTests.Infrastructure;

namespace Gateway.IntegrationTests.Security;

public sealed class ExtensionPrivilegeTests(MigratedDatabase database) : IClassFixture<MigratedDatabase>
{
    [Fact]
    public async Task No_extension_function_is_executable_by_public()
    {
        await using var admin = await database.OpenAdminAsync();

        var publicFunctions = await admin.ExecuteScalarAsync<int>("""
            select count(*)
            from pg_proc p join pg_namespace n on n.oid = p.pronamespace
            where n.nspname = 'extensions'
              and (p.proacl is null or exists (select from aclexplode(p.proacl) a where a.grantee = 0 and a.privilege_type = 'EXECUTE'))
            """);

        Assert.Equal(0, publicFunctions);
    }

    [Fact]
    public async Task Role_passwords_are_stored_as_scram_verifiers_set_by_the_migrator()
    {
        await using var admin = await database.OpenAdminAsync();

        var verifiers = (await admin.QueryAsync<string>(
            "select rolpassword from pg_authid where rolname in ('authenticator', 'worker_service_user')")).ToList();

        Assert.Equal(2, verifiers.Count);
        Assert.All(verifiers, v => Assert.StartsWith("SCRAM-SHA-256$4096:", v, StringComparison.Ordinal));
        // And the plaintext still logs in: the verifier was computed from it.
        await using var worker = await database.OpenWorkerAsync();
        Assert.Equal("worker_service_user", await worker.ExecuteScalarAsync<string>("select current_user"));
    }
}
