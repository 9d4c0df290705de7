using DbUp;
using DbUp.Engine;
using DbUp.Engine.Output;
using DbUp.Postgresql;
using Npgsql;

namespace Gateway.Migrator;

/// <summary>The outcome of one run: the scripts applied, or the script that failed and why.</summary>
public sealed record MigrationResult(bool Succeeded, IReadOnlyList<string> AppliedScripts, string? FailedScript, string? Error);

/// <summary>
/// Applies <c>db/migrations</c> in order with DbUp, each file in its own transaction, journaled in
/// <c>public.schemaversions</c>, so a second run applies nothing and a failing file leaves no trace.
/// Secrets never become SQL text: every connection gets them as session settings
/// (<c>migrator.authenticator_password</c>, <c>migrator.worker_password</c>, <c>migrator.jwt_secret</c>)
/// through bound parameters, and the scripts read them with <c>current_setting</c>. Role passwords travel as
/// SCRAM-SHA-256 verifiers, so the server never sees them in plain text.
/// </summary>
public static class MigrationRunner
{
    public const string JournalSchema = "public";
    public const string JournalTable = "schemaversions";

    public static MigrationResult Run(MigratorOptions options, TextWriter log)
    {
        var problems = options.Validate();
        if (problems.Count > 0)
        {
            throw new InvalidOperationException("The migrator is misconfigured:" + Environment.NewLine + string.Join(Environment.NewLine, problems));
        }

        using var dataSource = CreateDataSource(options);
        var engine = DeployChanges.To
            .PostgresqlDatabase(new PostgresqlConnectionManager(dataSource))
            .WithScriptsFromFileSystem(options.MigrationsPath, path => Path.GetExtension(path) == ".sql")
            .JournalToPostgresqlTable(JournalSchema, JournalTable)
            .WithTransactionPerScript()
            .WithVariablesDisabled()
            .LogTo(new TextWriterLog(log))
            .Build();

        var result = engine.PerformUpgrade();
        var applied = result.Scripts.Select(s => s.Name).ToList();
        if (result.Successful)
        {
            return new MigrationResult(true, applied, null, null);
        }

        var failed = result.ErrorScript?.Name;
        // The script that failed is reported separately; it was rolled back, so it is not "applied".
        applied.Remove(failed ?? string.Empty);
        return new MigrationResult(false, applied, failed, Describe(result.Error));
    }

    private static NpgsqlDataSource CreateDataSource(MigratorOptions options)
    {
        var builder = new NpgsqlDataSourceBuilder(options.AdminConnectionString)
        {
            Name = "migrator",
        };
        builder.UsePhysicalConnectionInitializer(
            connection => SetSecrets(connection, options).GetAwaiter().GetResult(),
            connection => SetSecrets(connection, options));
        return builder.Build();
    }

    private static async Task SetSecrets(NpgsqlConnection connection, MigratorOptions options)
    {
        await using var command = new NpgsqlCommand(
            "select set_config('migrator.authenticator_password', $1, false), " +
            "set_config('migrator.worker_password', $2, false), " +
            "set_config('migrator.jwt_secret', $3, false)",
            connection);
        command.Parameters.Add(new NpgsqlParameter { Value = ScramVerifier.For(options.AuthenticatorPassword!) });
        command.Parameters.Add(new NpgsqlParameter { Value = ScramVerifier.For(options.WorkerPassword!) });
        command.Parameters.Add(new NpgsqlParameter { Value = options.JwtSecret });
        await command.ExecuteNonQueryAsync();
    }

    private static string Describe(Exception? error) => error switch
    {
        null => "unknown error",
        // Not pg.Where: its statement text could quote a value a migration built from a secret.
        PostgresException pg => $"{pg.SqlState}: {pg.MessageText}"
            + (pg.Detail is { Length: > 0 } detail ? $" (detail: {detail})" : string.Empty),
        _ => error.Message,
    };

    /// <summary>Sends DbUp's progress to a writer; DbUp logs script names, never their parameters.</summary>
    private sealed class TextWriterLog(TextWriter writer) : IUpgradeLog
    {
        public void LogTrace(string format, params object[] args) { }

        public void LogDebug(string format, params object[] args) { }

        public void LogInformation(string format, params object[] args) => writer.WriteLine(string.Format(System.Globalization.CultureInfo.InvariantCulture, format, args));

        public void LogWarning(string format, params object[] args) => writer.WriteLine("warning: " + string.Format(System.Globalization.CultureInfo.InvariantCulture, format, args));

        public void LogError(string format, params object[] args) => writer.WriteLine("error: " + string.Format(System.Globalization.CultureInfo.InvariantCulture, format, args));

        public void LogError(Exception ex, string format, params object[] args) => LogError(format, args);
    }
}
