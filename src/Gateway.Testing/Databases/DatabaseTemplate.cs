using System.Collections.Concurrent;
using Npgsql;

namespace Gateway.Testing.Databases;

/// <summary>
/// A database migrated once per test process and recipe (the gateway's migrations, then the recipe's folders and
/// fixtures), which test databases are copied from with <c>create database ... template ...</c>: the hundredth test
/// class costs a file copy, not a migration. Templates are dropped when the process exits, or else by the next
/// process (<see cref="ProcessLease"/>).
/// </summary>
internal sealed class DatabaseTemplate
{
    private static readonly ConcurrentDictionary<string, Lazy<Task<DatabaseTemplate>>> Templates = new(StringComparer.Ordinal);

    private readonly string server;
    private readonly DatabaseLevelState databaseLevel;

    private DatabaseTemplate(string server, string name, DatabaseLevelState databaseLevel, DataSnapshot data)
    {
        this.server = server;
        Name = name;
        this.databaseLevel = databaseLevel;
        Data = data;
    }

    public string Name { get; }

    /// <summary>The template's rows, to reset a copy with.</summary>
    public DataSnapshot Data { get; }

    /// <summary>The template for this recipe on this server, built on first use; a failed build fails every later call the same way.</summary>
    public static Task<DatabaseTemplate> GetAsync(string server, TemplateRecipe recipe) =>
        Templates.GetOrAdd(server + "\n" + recipe.Key, _ => new Lazy<Task<DatabaseTemplate>>(() => BuildAsync(server, recipe))).Value;

    /// <summary>Creates the database <paramref name="name"/> as a copy of this template, privileges and settings included.</summary>
    public async Task CopyAsync(string name, CancellationToken cancellationToken)
    {
        await OnMaintenanceAsync(server, async maintenance =>
        {
            await ExecuteAsync(maintenance, $"create database {Quote(name)} template {Quote(Name)}", cancellationToken).ConfigureAwait(false);
            await databaseLevel.ApplyAsync(maintenance, name, cancellationToken).ConfigureAwait(false);
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Drops a database, ending its sessions (the gateway's pool among them).</summary>
    public static async Task DropAsync(string server, string name, CancellationToken cancellationToken)
    {
        await OnMaintenanceAsync(
            server, maintenance => ExecuteAsync(maintenance, $"drop database if exists {Quote(name)} with (force)", cancellationToken), cancellationToken)
            .ConfigureAwait(false);
    }

    public static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    private static async Task<DatabaseTemplate> BuildAsync(string server, TemplateRecipe recipe)
    {
        await ProcessLease.EnsureAsync(server).ConfigureAwait(false);
        var name = $"gwt_template_{ProcessLease.Tag}_{recipe.Key[..10]}";
        var cancellationToken = CancellationToken.None;
        await OnMaintenanceAsync(server, maintenance => ExecuteAsync(maintenance, $"create database {Quote(name)}", cancellationToken), cancellationToken)
            .ConfigureAwait(false);

        AppDomain.CurrentDomain.ProcessExit += (_, _) => DropAtExit(server, name);
        var admin = GatewayTestServer.ForDatabase(server, name);
        await MigrateAsync(admin, null, cancellationToken).ConfigureAwait(false);
        foreach (var folder in recipe.MigrationFolders)
        {
            await MigrateAsync(admin, folder, cancellationToken).ConfigureAwait(false);
        }

        var connection = new NpgsqlConnection(admin);
        await using (connection.ConfigureAwait(false))
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            await ApplyFixturesAsync(connection, recipe.Fixtures, cancellationToken).ConfigureAwait(false);
            var data = await DataSnapshot.TakeAsync(connection, cancellationToken).ConfigureAwait(false);
            var databaseLevel = await DatabaseLevelState.ReadAsync(connection, cancellationToken).ConfigureAwait(false);
            return new DatabaseTemplate(server, name, databaseLevel, data);
        }
    }

    private static async Task ApplyFixturesAsync(NpgsqlConnection connection, IReadOnlyList<FixtureScript> fixtures, CancellationToken cancellationToken)
    {
        foreach (var fixture in fixtures)
        {
            try
            {
                await ExecuteAsync(connection, fixture.Sql, cancellationToken).ConfigureAwait(false);
            }
            catch (PostgresException error)
            {
                throw new InvalidOperationException($"The fixture {fixture.Source} failed: {error.SqlState}: {error.MessageText}", error);
            }
        }
    }

    /// <summary>Applies one folder (null: the gateway's) with the real migrator; a failed file, or one the journal skipped, throws.</summary>
    private static async Task MigrateAsync(string admin, string? folder, CancellationToken cancellationToken)
    {
        var result = await GatewayTestServer.MigrateAsync(admin, folder, cancellationToken: cancellationToken).ConfigureAwait(false);
        var what = folder is null ? "The gateway's migration" : $"The migration in {folder}";
        if (!result.Succeeded)
        {
            throw new InvalidOperationException($"{what} {result.FailedScript} failed: {result.Error}");
        }

        // The template starts empty, so every file must have run; one that did not shares its name with a file the
        // journal already holds (the migrator journals file names), and would be skipped in production too.
        var skipped = folder is null
            ? []
            : TemplateRecipe.MigrationFiles(folder).Select(Path.GetFileName).Except(result.AppliedScripts, StringComparer.Ordinal).ToList();
        if (skipped.Count > 0)
        {
            throw new InvalidOperationException(
                $"{what} {string.Join(", ", skipped)} did not run: the migrator journals scripts by file name, and one of that name had run already. Rename it.");
        }
    }

    /// <summary>Runs <paramref name="work"/> on a connection to the server's maintenance database (the one the admin connection names).</summary>
    private static async Task OnMaintenanceAsync(string server, Func<NpgsqlConnection, Task> work, CancellationToken cancellationToken)
    {
        var maintenance = new NpgsqlConnectionStringBuilder(server).Database ?? "postgres";
        var connection = new NpgsqlConnection(GatewayTestServer.ForDatabase(server, maintenance));
        await using (connection.ConfigureAwait(false))
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            await work(connection).ConfigureAwait(false);
        }
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private static void DropAtExit(string server, string name)
    {
        try
        {
            DropAsync(server, name, CancellationToken.None).GetAwaiter().GetResult();
        }
        catch (NpgsqlException)
        {
            // The server may be gone first (a container or local cluster stopping); then so is the template.
        }
    }
}
