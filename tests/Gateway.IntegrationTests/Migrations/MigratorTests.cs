using System.Diagnostics;
using Dapper;
using Gateway.IntegrationTests.Infrastructure;
using Gateway.Migrator;

namespace Gateway.IntegrationTests.Migrations;

public sealed class MigratorTests(MigratedDatabase database) : IClassFixture<MigratedDatabase>
{
    private static readonly string MigrationsPath = Path.Combine(AppContext.BaseDirectory, "migrations");

    [Fact]
    public async Task Every_migration_file_is_journaled_once()
    {
        var files = Directory.GetFiles(MigrationsPath, "*.sql").Select(file => Path.GetFileName(file)!).Order(StringComparer.Ordinal).ToList();
        await using var admin = await database.OpenAdminAsync();

        var journaled = (await admin.QueryAsync<string>("select scriptname from public.schemaversions order by scriptname")).ToList();

        Assert.NotEmpty(files);
        Assert.Equal(files, journaled);
    }

    [Fact]
    public async Task A_second_run_applies_nothing_and_changes_nothing()
    {
        await using var admin = await database.OpenAdminAsync();
        var before = await SchemaFingerprint(admin);

        var result = await MigratedDatabase.MigrateAsync(database.AdminConnectionString);

        Assert.True(result.Succeeded, result.Error);
        Assert.Empty(result.AppliedScripts);
        Assert.Equal(before, await SchemaFingerprint(admin));
    }

    [Fact]
    public async Task A_second_database_on_the_same_server_migrates_although_the_roles_exist()
    {
        var name = "gw_test_second_" + Guid.NewGuid().ToString("N")[..8];
        await CreateDatabase(name);
        try
        {
            var result = await MigratedDatabase.MigrateAsync(PostgresServer.ForDatabase(database.ServerAdminConnectionString, name));

            Assert.True(result.Succeeded, result.Error);
            await using var worker = await MigratedDatabase.OpenAsync(
                PostgresServer.ForLogin(database.ServerAdminConnectionString, name, "worker_service_user", TestSecrets.WorkerPassword));
            Assert.Equal("worker_service_user", await worker.ExecuteScalarAsync<string>("select current_user"));
        }
        finally
        {
            await MigratedDatabase.DropDatabaseAsync(database.ServerAdminConnectionString, name);
        }
    }

    [Fact]
    public async Task A_failing_migration_is_rolled_back_whole_and_named_with_the_database_message()
    {
        var name = "gw_test_broken_" + Guid.NewGuid().ToString("N")[..8];
        var folder = CopyMigrationsWith("9999_broken.sql",
            "set local role gateway_owner;\ncreate table api.half_written(id int);\ninsert into api.half_written values (1);\nselect 1 / 0;\nreset role;\n");
        await CreateDatabase(name);
        try
        {
            var connection = PostgresServer.ForDatabase(database.ServerAdminConnectionString, name);

            var result = await MigratedDatabase.MigrateAsync(connection, folder);

            Assert.False(result.Succeeded);
            Assert.Equal("9999_broken.sql", result.FailedScript);
            Assert.Contains("division by zero", result.Error);
            Assert.DoesNotContain("9999_broken.sql", result.AppliedScripts);
            await using var admin = await MigratedDatabase.OpenAsync(connection);
            Assert.Null(await admin.ExecuteScalarAsync<string>("select to_regclass('api.half_written')::text"));
            Assert.Equal(0, await admin.ExecuteScalarAsync<int>("select count(*) from public.schemaversions where scriptname = '9999_broken.sql'"));
            Assert.Equal(Directory.GetFiles(MigrationsPath, "*.sql").Length, await admin.ExecuteScalarAsync<int>("select count(*) from public.schemaversions"));
        }
        finally
        {
            await MigratedDatabase.DropDatabaseAsync(database.ServerAdminConnectionString, name);
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task The_command_line_exits_non_zero_naming_the_failed_file()
    {
        var name = "gw_test_cli_" + Guid.NewGuid().ToString("N")[..8];
        var folder = CopyMigrationsWith("9999_broken.sql", "select * from no_such_table;\n");
        await CreateDatabase(name);
        try
        {
            // The real migrations go first, through the serialized path, since they touch cluster-wide roles.
            var connection = PostgresServer.ForDatabase(database.ServerAdminConnectionString, name);
            Assert.True((await MigratedDatabase.MigrateAsync(connection)).Succeeded);

            var (exitCode, output) = await RunMigrator(new Dictionary<string, string?>
            {
                ["ConnectionStrings__Admin"] = connection,
                ["Migrator__AuthenticatorPassword"] = TestSecrets.AuthenticatorPassword,
                ["Migrator__WorkerPassword"] = TestSecrets.WorkerPassword,
                ["Migrator__JwtSecret"] = TestSecrets.JwtSecret,
                ["Migrator__MigrationsPath"] = folder,
            });

            Assert.Equal(1, exitCode);
            Assert.Contains("9999_broken.sql", output);
            Assert.Contains("no_such_table", output);
            Assert.DoesNotContain(TestSecrets.JwtSecret, output);
            Assert.DoesNotContain(TestSecrets.AuthenticatorPassword, output);
        }
        finally
        {
            await MigratedDatabase.DropDatabaseAsync(database.ServerAdminConnectionString, name);
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task The_command_line_refuses_to_start_naming_each_missing_secret()
    {
        var (exitCode, output) = await RunMigrator(new Dictionary<string, string?>
        {
            ["ConnectionStrings__Admin"] = database.AdminConnectionString,
            ["Migrator__AuthenticatorPassword"] = null,
            ["Migrator__WorkerPassword"] = null,
            ["Migrator__JwtSecret"] = null,
        });

        Assert.Equal(2, exitCode);
        Assert.Contains("Migrator__AuthenticatorPassword", output);
        Assert.Contains("Migrator__WorkerPassword", output);
        Assert.Contains("Migrator__JwtSecret", output);
    }

    private async Task CreateDatabase(string name)
    {
        await using var server = await MigratedDatabase.OpenAsync(PostgresServer.ForDatabase(database.ServerAdminConnectionString, "postgres"));
        await server.ExecuteAsync($"create database \"{name}\"");
    }

    private static string CopyMigrationsWith(string fileName, string contents)
    {
        var folder = Directory.CreateTempSubdirectory("gateway-migrations-").FullName;
        foreach (var file in Directory.GetFiles(MigrationsPath, "*.sql"))
        {
            File.Copy(file, Path.Combine(folder, Path.GetFileName(file)));
        }

        File.WriteAllText(Path.Combine(folder, fileName), contents);
        return folder;
    }

    /// <summary>A digest of every object definition and privilege in the application's schemas.</summary>
    private static Task<string> SchemaFingerprint(Npgsql.NpgsqlConnection admin) => admin.ExecuteScalarAsync<string>("""
        select md5(string_agg(line, E'\n' order by line))
        from (
          select format('%s %s %s %s', n.nspname, c.relname, c.relkind, c.relacl) as line
          from pg_class c join pg_namespace n on n.oid = c.relnamespace
          where n.nspname in ('api', 'internal', 'queues', 'comms', 'accounts', 'auth', 'demo')
          union all
          select format('%s %s %s', p.oid::regprocedure, p.proacl, md5(p.prosrc))
          from pg_proc p join pg_namespace n on n.oid = p.pronamespace
          where n.nspname in ('api', 'internal', 'queues', 'comms', 'accounts', 'auth', 'demo')
          union all
          select format('%s %s', r.rolname, r.rolcanlogin) from pg_roles r
          where r.rolname in ('anon', 'authenticated', 'authenticator', 'worker_service_user', 'gateway_owner')
          union all
          select format('%s=%s', key, value) from internal.config
        ) lines
        """)!;

    private static async Task<(int ExitCode, string Output)> RunMigrator(IDictionary<string, string?> environment)
    {
        var start = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "Gateway.Migrator.dll")])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        foreach (var (key, value) in environment)
        {
            if (value is null)
            {
                start.Environment.Remove(key);
            }
            else
            {
                start.Environment[key] = value;
            }
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(2));
        return (process.ExitCode, await stdout + await stderr);
    }
}
