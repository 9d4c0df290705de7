using Npgsql;

namespace Gateway.Testing.Tests;

/// <summary>What a <see cref="GatewayTestDatabase"/> is: a copy of a migrated template with what the template had, and clear errors for bad options.</summary>
public sealed class DatabaseTests
{
    [Fact]
    public async Task Two_databases_of_the_same_options_are_separate_copies()
    {
        await using var first = await GatewayTestDatabase.CreateAsync(NotesApi.Options());
        await using var second = await GatewayTestDatabase.CreateAsync(NotesApi.Options());

        await first.ExecuteAsync("insert into notes_private.note (owner, body) values ('erin', 'only in the first')");

        Assert.NotEqual(first.Name, second.Name);
        Assert.Equal(2L, await ScalarAsync<long>(first.AdminConnectionString, "select count(*) from notes_private.note"));
        Assert.Equal(1L, await ScalarAsync<long>(second.AdminConnectionString, "select count(*) from notes_private.note"));
    }

    [Fact]
    public async Task A_copy_keeps_the_database_privileges_the_migrations_set()
    {
        await using var database = await GatewayTestDatabase.CreateAsync();

        // The gateway's migrations revoke create and temporary from PUBLIC and grant connect to its logins; a copy
        // made with "create database ... template" would not have them unless the kit carries them over.
        Assert.False(await ScalarAsync<bool>(database.AdminConnectionString, "select has_database_privilege('anon', current_database(), 'temporary')"));
        Assert.False(await ScalarAsync<bool>(database.AdminConnectionString, "select has_database_privilege('authenticated', current_database(), 'create')"));
        Assert.True(await ScalarAsync<bool>(database.AuthenticatorConnectionString, "select has_database_privilege(current_database(), 'connect')"));
    }

    [Fact]
    public async Task A_copy_keeps_settings_a_fixture_stored_on_the_database()
    {
        var options = new GatewayTestOptions
        {
            FixtureSql = { "do $$ begin execute format('alter database %I set app.greeting = %L', current_database(), 'hello, copy'); end $$" },
        };

        await using var database = await GatewayTestDatabase.CreateAsync(options);

        Assert.Equal("hello, copy", await ScalarAsync<string>(database.AuthenticatorConnectionString, "select current_setting('app.greeting')"));
    }

    [Fact]
    public async Task The_process_keeps_its_lease_on_its_databases_through_a_full_collection()
    {
        await using var database = await GatewayTestDatabase.CreateAsync();

        // Nothing of the test process refers to the lease's connection after it is taken; were it collectable, its
        // socket's finalizer would end the session, and the next test process would drop this one's databases.
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true);

        // Databases are named gwt_<tag>_<random>, the tag held as the advisory lock (0x677774, tag) by a live session.
        var tag = Convert.ToInt64(database.Name.Split('_')[1], 16);
        var held = await ScalarAsync<long>(
            database.AdminConnectionString,
            $"select count(*) from pg_locks where locktype = 'advisory' and classid = {0x677774} and objid = {tag} and objsubid = 2 and granted");
        Assert.Equal(1L, held);
    }

    [Fact]
    public async Task A_missing_migration_folder_is_named_in_the_error()
    {
        var options = new GatewayTestOptions { MigrationFolders = { "db/no-such-migrations" } };

        var error = await Assert.ThrowsAsync<DirectoryNotFoundException>(() => GatewayTestDatabase.CreateAsync(options));

        Assert.Contains("db/no-such-migrations", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_migration_named_like_one_of_the_gateways_is_refused_because_the_journal_would_skip_it()
    {
        var folder = Directory.CreateTempSubdirectory("gateway-testing-migrations.");
        try
        {
            await File.WriteAllTextAsync(Path.Combine(folder.FullName, "0001_roles.sql"), "create table public.never_created (id int);");

            var error = await Assert.ThrowsAsync<InvalidOperationException>(
                () => GatewayTestDatabase.CreateAsync(new GatewayTestOptions { MigrationFolders = { folder.FullName } }));

            Assert.Contains("0001_roles.sql did not run", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task A_failing_fixture_is_named_with_the_databases_message()
    {
        var options = new GatewayTestOptions { FixtureSql = { "select * from no_such_table" } };

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => GatewayTestDatabase.CreateAsync(options));

        Assert.Equal("The fixture FixtureSql[0] failed: 42P01: relation \"no_such_table\" does not exist", error.Message);
    }

    private static async Task<T> ScalarAsync<T>(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return (T)(await command.ExecuteScalarAsync())!;
    }
}
