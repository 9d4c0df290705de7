using System.Text;
using Gateway.Catalog;
using Gateway.Configuration;
using Gateway.Errors;
using Gateway.Planning;
using Gateway.Sql;
using Microsoft.Extensions.Options;
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

/// <summary>What the main statement produced: counts, the response GUCs, and the body built by PostgreSQL.</summary>
internal sealed record StatementResult(long? TotalCount, long PageCount, string? ResponseHeaders, string? ResponseStatus)
{
    /// <summary>The body, or null when the statement built none (<c>return=minimal</c>).</summary>
    public ResponseBody? Body { get; init; }
}

/// <summary>
/// A statement that ran: its result, and why the result rules refused it (then it was rolled back), or null. Disposing
/// it releases the body (and, for a streamed body, the reader and connection it still holds).
/// </summary>
internal sealed record Executed(StatementResult Result, GatewayError? Refusal) : IAsyncDisposable
{
    public ValueTask DisposeAsync() => Result.Body?.DisposeAsync() ?? ValueTask.CompletedTask;
}

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
internal sealed class RequestExecutor(Replicas.SessionTargets targets, DatabaseAvailability availability, IOptions<GatewayOptions> options)
{
    private readonly bool resetsSession = options.Value.SessionReset;

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

        // RunAsync owns the connection from here: it gives it back to the pool, or hands it to a streamed body.
        try
        {
            var executed = await RunAsync(connection, targets.Prepares, resetsSession, context, statement, rules, cancellationToken);
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

    private static async Task<Executed> RunAsync(
        NpgsqlConnection connection,
        bool prepares,
        bool resetsSession,
        TransactionContext context,
        Statement statement,
        ResultRules rules,
        CancellationToken cancellationToken)
    {
        var decides = !context.ReadOnly && rules.DecidesCommit;
        // Only a read-only statement's body may reach the client before the transaction ends: a write's commit can
        // still fail (a deferred constraint), and then its answer must be the error, not the rows.
        var mayStream = context.ReadOnly && !statement.Explains;
        NpgsqlTransaction? transaction = null;
        NpgsqlBatch? batch = null;
        NpgsqlDataReader? reader = null;
        ResponseBody? body = null;
        var failedInDatabase = false;
        try
        {
            transaction = decides ? await connection.BeginTransactionAsync(cancellationToken) : null;
            batch = new NpgsqlBatch(connection, transaction);
            if (resetsSession)
            {
                SessionReset.AddTo(batch);
            }

            batch.BatchCommands.Add(SettingsCommand(context));
            if (statement.PlannedCount is { } planned)
            {
                batch.BatchCommands.Add(Command(planned));
            }

            batch.BatchCommands.Add(Command(statement.Main));

            // Sequential: the body, last in the row, is read as a stream rather than held as a string.
            reader = await batch.ExecuteReaderAsync(System.Data.CommandBehavior.SequentialAccess, cancellationToken);
            long? estimate = null;
            if (statement.PlannedCount is not null)
            {
                await reader.NextResultAsync(cancellationToken);
                await reader.ReadAsync(cancellationToken);
                estimate = PlanRows(reader.GetString(0));
            }

            await reader.NextResultAsync(cancellationToken);
            StatementResult result;
            if (statement.Explains)
            {
                var plan = Encoding.UTF8.GetBytes(await PlanTextAsync(reader, cancellationToken));
                result = new StatementResult(null, 0, null, null)
                {
                    Body = await ResponseBody.ReadAsync(new MemoryStream(plan), plan.Length, cancellationToken),
                };
            }
            else
            {
                await reader.ReadAsync(cancellationToken);
                // In the order the main statement returns them: what the headers need first, the body last.
                result = new StatementResult(
                    await reader.IsDBNullAsync(0, cancellationToken) ? estimate : reader.GetInt64(0),
                    reader.GetInt64(1),
                    await reader.IsDBNullAsync(2, cancellationToken) ? null : reader.GetString(2),
                    await reader.IsDBNullAsync(3, cancellationToken) ? null : reader.GetString(3));
                if (!await reader.IsDBNullAsync(4, cancellationToken))
                {
                    var column = await reader.GetStreamAsync(4, cancellationToken);
                    // A refused result (a singular response of many rows) answers an error, never this body.
                    if (mayStream && column.Length > ResponseBody.BufferedLimit && rules.Refusal(result.PageCount) is null)
                    {
                        body = ResponseBody.Stream(column, column.Length, reader, batch, connection);
                        return new Executed(result with { Body = body }, null);
                    }

                    body = await ResponseBody.ReadAsync(column, (int)column.Length, cancellationToken);
                    result = result with { Body = body };
                }
            }

            await reader.DisposeAsync();
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

            body = null;
            return new Executed(result, refusal);
        }
        catch (Exception error)
        {
            failedInDatabase = error is PostgresException || error.InnerException is PostgresException;
            if (body is not null)
            {
                await body.DisposeAsync();
            }

            throw;
        }
        finally
        {
            if (body is null || !body.Streamed)
            {
                // A streamed body owns these now; otherwise they end here, the connection back in the pool.
                await DisposeAsync(reader);
                await DisposeAsync(batch);
                await DisposeAsync(transaction);
                if (failedInDatabase && prepares)
                {
                    PreparedStatements.ForgetAfterFailure(connection);
                }

                await connection.DisposeAsync();
            }
        }
    }

    private static ValueTask DisposeAsync(IAsyncDisposable? disposable) => disposable?.DisposeAsync() ?? ValueTask.CompletedTask;

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
        // Names are in the statement's text (fixed, or the role's settings from the catalog); values are always
        // parameters, in the order SettingsSql names them.
        var command = new NpgsqlBatchCommand(SettingsSql.For(context.Settings, context.TimeZone is not null, context.ReadOnly));
        var parameters = command.Parameters;
        void Value(string value) => parameters.Add(new NpgsqlParameter<string> { TypedValue = value });

        Value(context.SearchPath);
        foreach (var setting in context.Settings)
        {
            Value(setting.Value);
        }

        Value(context.Role);
        Value(context.ClaimsJson);
        Value(context.Method);
        Value(context.Path);
        Value(context.HeadersJson);
        Value(context.CookiesJson);
        if (context.TimeZone is { } zone)
        {
            // Prefer: timezone=...; PostgreSQL refuses an unknown zone with 22023 (400).
            Value(zone);
        }

        return command;
    }
}

/// <summary>
/// The text of the settings statement, <c>select pg_advisory_unlock_all(), set_config('search_path', $1, true), ...</c>
/// (the first term ends the <see cref="SessionReset"/> before it): the names written as literals, the values as
/// parameters. Made once per role's settings (a list of the catalog snapshot's, so the texts go with it) and per
/// combination of the optional time zone and read-only mode, so a request shape sends the same string every time
/// (and it is prepared once per connection).
/// </summary>
internal static class SettingsSql
{
    // The request's own settings after the role's, in the order RequestExecutor adds their values.
    private static readonly string[] RequestSettings =
        ["role", "request.jwt.claims", "request.method", "request.path", "request.headers", "request.cookies"];

    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<IReadOnlyList<RoleSetting>, string?[]> Texts = new();

    public static string For(IReadOnlyList<RoleSetting> roleSettings, bool timeZone, bool readOnly)
    {
        var texts = Texts.GetValue(roleSettings, static _ => new string?[4]);
        var slot = (timeZone ? 1 : 0) + (readOnly ? 2 : 0);
        return texts[slot] ??= Build(roleSettings, timeZone, readOnly);
    }

    private static string Build(IReadOnlyList<RoleSetting> roleSettings, bool timeZone, bool readOnly)
    {
        var sql = new StringBuilder("select ").Append(SessionReset.UnlockAll);
        var number = 0;
        void Set(string name) => sql.Append(", set_config(").Append(Literal(name)).Append(", $").Append(++number).Append(", true)");

        Set("search_path");
        foreach (var setting in roleSettings)
        {
            Set(setting.Name);
        }

        foreach (var name in RequestSettings)
        {
            Set(name);
        }

        if (timeZone)
        {
            Set("timezone");
        }

        if (readOnly)
        {
            sql.Append(", set_config('transaction_read_only', 'on', true)");
        }

        return sql.ToString();
    }

    // A setting's name as a string literal: PostgreSQL's own names, or a custom one ("app.x") from the catalog.
    private static string Literal(string name) => "'" + name.Replace("'", "''", StringComparison.Ordinal) + "'";
}
