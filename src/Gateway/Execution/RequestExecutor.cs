using System.Text;
using Gateway.Catalog;
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
    string? TimeZone = null);

/// <summary>
/// The statement that does the request's work; it returns one row shaped as <see cref="StatementResult"/>.
/// <paramref name="PlannedCount"/>, when given, is an <c>explain (format json)</c> whose row estimate is the total.
/// </summary>
internal sealed record MainStatement(string Sql, IReadOnlyList<NpgsqlParameter> Parameters, (string Sql, IReadOnlyList<NpgsqlParameter> Parameters)? PlannedCount = null);

/// <summary>What the main statement produced: the JSON body built by PostgreSQL, counts, and the response GUCs.</summary>
internal sealed record StatementResult(string? Body, long? TotalCount, long PageCount, string? ResponseHeaders, string? ResponseStatus);

/// <summary>
/// Runs one request's transaction on the pooled <c>authenticator</c> data source. The settings statement
/// (<c>set_config(..., true)</c> of role, claims, request GUCs, the role's own settings and read-only mode) and
/// the main statement go in one <see cref="NpgsqlBatch"/>: one network round trip, one implicit transaction,
/// so every setting is transaction-local and nothing leaks to the next user of the pooled connection.
/// When <paramref name="commit"/> needs to look at the result first (a singular response on a write), the
/// batch runs in an explicit transaction that is committed or rolled back afterwards.
/// </summary>
// With several hosts in the connection string, read-only transactions prefer a standby (see SessionTargets).
internal sealed class RequestExecutor(Replicas.SessionTargets targets)
{
    public async Task<StatementResult> ExecuteAsync(
        TransactionContext context,
        MainStatement statement,
        Func<StatementResult, bool>? commit,
        CancellationToken cancellationToken)
    {
        await using var connection = await targets.For(context.ReadOnly).OpenConnectionAsync(cancellationToken);
        await using var transaction = commit is null ? null : await connection.BeginTransactionAsync(cancellationToken);
        await using var batch = new NpgsqlBatch(connection, transaction);
        batch.BatchCommands.Add(SettingsCommand(context));
        if (statement.PlannedCount is { } planned)
        {
            batch.BatchCommands.Add(Command(planned.Sql, planned.Parameters));
        }

        batch.BatchCommands.Add(Command(statement.Sql, statement.Parameters));

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
            await reader.ReadAsync(cancellationToken);
            result = new StatementResult(
                reader.IsDBNull(0) ? null : reader.GetString(0),
                reader.IsDBNull(1) ? estimate : reader.GetInt64(1),
                reader.GetInt64(2),
                reader.IsDBNull(3) ? null : reader.GetString(3),
                reader.IsDBNull(4) ? null : reader.GetString(4));
        }

        if (transaction is not null)
        {
            if (commit!(result))
            {
                await transaction.CommitAsync(cancellationToken);
            }
            else
            {
                await transaction.RollbackAsync(cancellationToken);
            }
        }

        return result;
    }

    private static NpgsqlBatchCommand Command(string sql, IReadOnlyList<NpgsqlParameter> parameters)
    {
        var command = new NpgsqlBatchCommand(sql);
        foreach (var parameter in parameters)
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
