using System.Text;
using Gateway.Catalog;
using Gateway.Errors;
using Gateway.Planning;
using Gateway.Sql;
using Npgsql;

namespace Gateway.Execution;

/// <summary>Who is asking and how the transaction must be set up, as the gateway's request stages decided it.</summary>
internal sealed record TransactionContext(
    string Role,
    string ClaimsJson,
    string Method,
    string Path,
    string HeadersJson,
    string CookiesJson,
    string SearchPath,
    IReadOnlyList<RoleSetting> Settings,
    bool ReadOnly,
    string? TimeZone = null)
{
    /// <summary>The caller has no token: a missing privilege is then 401 rather than 403.</summary>
    public bool IsAnonymous { get; init; }
}

/// <summary>What the main statement produced: the JSON body built by PostgreSQL, counts, and the response GUCs.</summary>
internal sealed record StatementResult(string? Body, long? TotalCount, long PageCount, string? ResponseHeaders, string? ResponseStatus);

/// <summary>A statement that ran: its result, and why the result rules refused it (then it was rolled back), or null.</summary>
internal sealed record Executed(StatementResult Result, GatewayError? Refusal);

/// <summary>
/// The execution stage: runs one request's transaction on the pooled <c>authenticator</c> data source, and maps
/// what the database refused to the client's error; it never builds SQL, and writes nothing to the response. The settings statement
/// (<c>set_config(..., true)</c> of role, claims, request GUCs, the role's own settings and read-only mode) and
/// the main statement go in one <see cref="NpgsqlBatch"/>: one network round trip, one implicit transaction,
/// so every setting is transaction-local and nothing leaks to the next user of the pooled connection.
/// When the result rules must see the result before the transaction ends (a singular response on a write,
/// max-affected, tx=rollback), the batch runs in an explicit transaction that is committed or rolled back afterwards.
/// </summary>
// With several hosts in the connection string, read-only transactions prefer a standby (see SessionTargets).
// A database that cannot serve (down, restarting, saturated) is DatabaseAvailability's to answer: 503, logged once.
internal sealed class RequestExecutor(Replicas.SessionTargets targets, DatabaseAvailability availability)
{
    public async Task<Result<Executed>> ExecuteAsync(
        TransactionContext context,
        Statement statement,
        ResultRules rules,
        CancellationToken cancellationToken)
    {
        NpgsqlConnection connection;
        try
        {
            connection = await targets.For(context.ReadOnly).OpenConnectionAsync(cancellationToken);
        }
        catch (NpgsqlException error) when (error.InnerException is not OperationCanceledException)
        {
            return availability.Failed(error, opening: true);
        }

        await using (connection)
        {
            try
            {
                var executed = await RunAsync(connection, context, statement, rules, cancellationToken);
                availability.Answered();
                return executed;
            }
            catch (PostgresException error) when (!PostgresErrors.MeansUnavailable(error.SqlState))
            {
                availability.Answered();
                return PostgresErrors.Map(error, authenticated: !context.IsAnonymous);
            }
            catch (NpgsqlException error) when (error.InnerException is not OperationCanceledException)
            {
                // The connection broke, or the server went away (57P01 on a fast shutdown).
                return availability.Failed(error, opening: false);
            }
        }
    }

    private static async Task<Executed> RunAsync(
        NpgsqlConnection connection, TransactionContext context, Statement statement, ResultRules rules, CancellationToken cancellationToken)
    {
        var decides = !context.ReadOnly && rules.DecidesCommit;
        await using var transaction = decides ? await connection.BeginTransactionAsync(cancellationToken) : null;
        await using var batch = new NpgsqlBatch(connection, transaction);
        batch.BatchCommands.Add(SettingsCommand(context));
        if (statement.PlannedCount is { } planned)
        {
            batch.BatchCommands.Add(Command(planned));
        }

        batch.BatchCommands.Add(Command(statement.Main));

        StatementResult result;
        await using (var reader = await batch.ExecuteReaderAsync(cancellationToken))
        {
            long? estimate = null;
            if (statement.PlannedCount is not null)
            {
                await reader.NextResultAsync(cancellationToken);
                await reader.ReadAsync(cancellationToken);
                estimate = PlanRows(reader.GetString(0));
            }

            await reader.NextResultAsync(cancellationToken);
            if (statement.Explains)
            {
                result = new StatementResult(await PlanTextAsync(reader, cancellationToken), null, 0, null, null);
            }
            else
            {
                await reader.ReadAsync(cancellationToken);
                result = new StatementResult(
                    reader.IsDBNull(0) ? null : reader.GetString(0),
                    reader.IsDBNull(1) ? estimate : reader.GetInt64(1),
                    reader.GetInt64(2),
                    reader.IsDBNull(3) ? null : reader.GetString(3),
                    reader.IsDBNull(4) ? null : reader.GetString(4));
            }
        }

        var refusal = rules.Refusal(result.PageCount);
        if (transaction is not null)
        {
            if (refusal is null && !rules.AlwaysRollBack)
            {
                await transaction.CommitAsync(cancellationToken);
            }
            else
            {
                await transaction.RollbackAsync(cancellationToken);
            }
        }

        return new Executed(result, refusal);
    }

    // EXPLAIN's rows: one JSON document, or the text plan a line per row.
    private static async Task<string> PlanTextAsync(NpgsqlDataReader reader, CancellationToken cancellationToken)
    {
        var lines = new List<string>();
        while (await reader.ReadAsync(cancellationToken))
        {
            lines.Add(reader.GetString(0));
        }

        return string.Join('\n', lines);
    }

    private static NpgsqlBatchCommand Command(SqlText sql)
    {
        var command = new NpgsqlBatchCommand(sql.ToString());
        foreach (var parameter in sql.Parameters)
        {
            command.Parameters.Add(parameter);
        }

        return command;
    }

    private static long PlanRows(string explainJson)
    {
        using var plan = System.Text.Json.JsonDocument.Parse(explainJson);
        return (long)plan.RootElement[0].GetProperty("Plan").GetProperty("Plan Rows").GetDouble();
    }

    private static NpgsqlBatchCommand SettingsCommand(TransactionContext context)
    {
        // Names are fixed or come from the catalog (pg_settings names); values are always parameters.
        var sql = new StringBuilder("select ");
        var command = new NpgsqlBatchCommand();
        void Set(string name, string value)
        {
            if (command.Parameters.Count > 0)
            {
                sql.Append(", ");
            }

            command.Parameters.Add(new NpgsqlParameter { Value = name });
            command.Parameters.Add(new NpgsqlParameter { Value = value });
            sql.Append("set_config($").Append(command.Parameters.Count - 1).Append(", $").Append(command.Parameters.Count).Append(", true)");
        }

        Set("search_path", context.SearchPath);
        foreach (var setting in context.Settings)
        {
            Set(setting.Name, setting.Value);
        }

        Set("role", context.Role);
        Set("request.jwt.claims", context.ClaimsJson);
        Set("request.method", context.Method);
        Set("request.path", context.Path);
        Set("request.headers", context.HeadersJson);
        Set("request.cookies", context.CookiesJson);
        if (context.TimeZone is { } zone)
        {
            // Prefer: timezone=...; PostgreSQL refuses an unknown zone with 22023 (400).
            Set("timezone", zone);
        }

        if (context.ReadOnly)
        {
            Set("transaction_read_only", "on");
        }

        command.CommandText = sql.ToString();
        return command;
    }
}
