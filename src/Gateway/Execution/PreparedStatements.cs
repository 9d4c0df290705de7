using Npgsql;

namespace Gateway.Execution;

/// <summary>
/// Npgsql's automatic preparation (on by default, <see cref="DatabaseExtensions.MaxAutoPrepare"/>) and the one case
/// it gets wrong. A statement is prepared on its fifth use; if that use fails after PostgreSQL parsed it but before it
/// described the result — anything raised while binding and planning: a client's bad value folded into the plan
/// (22P02, 22003), a missing privilege (42501) — Npgsql 10.0.3 records the statement as prepared without its row
/// description, and the next use of it on that connection fails with "unexpected backend message DataRow": a 500 for
/// another caller (npgsql/npgsql#6391). Forgetting the connection's prepared statements after a failure in the
/// database keeps that state from ever being used; the statements are prepared again after five more uses.
/// </summary>
internal static class PreparedStatements
{
    /// <summary>
    /// <c>DEALLOCATE ALL</c> on <paramref name="connection"/> and Npgsql's record of it cleared, once the failed
    /// transaction has ended. Npgsql offers this only synchronously: one round trip, on the error path only.
    /// </summary>
    public static void ForgetAfterFailure(NpgsqlConnection connection)
    {
        try
        {
            connection.UnprepareAll();
        }
        catch (Exception error) when (error is NpgsqlException or InvalidOperationException)
        {
            // The connection broke with the failure: Npgsql discards it, and its statements with it.
        }
    }

    /// <summary>Whether the data source prepares statements (its connection string's <c>Max Auto Prepare</c>).</summary>
    public static bool Enabled(NpgsqlDataSource dataSource) =>
        new NpgsqlConnectionStringBuilder(dataSource.ConnectionString).MaxAutoPrepare > 0;
}
