using Npgsql;

namespace Gateway.Execution;

/// <summary>
/// What a request's functions can leave on their pooled session, undone at the start of every transaction the gateway
/// runs on a pooled connection, in the same batch, when <c>Gateway:SessionReset</c> is on (the catalog loader's
/// transactions always): session settings (<c>set_config(..., false)</c>, <c>SET SESSION</c>),
/// cursors held open, <c>LISTEN</c>s, temporary tables, sequence values (<c>lastval()</c>) and session advisory locks
/// (those locks are released by every transaction, the option on or off; a session's role need not be undone: see the
/// remarks). It replaces Npgsql's reset on giving a connection back (the pool runs with
/// <c>No Reset On Close=true</c> unless the connection string says otherwise): the same statements, but prepared and
/// sent with the request's own, they cost PostgreSQL about 7 µs (about 1.3 µs a statement), where Npgsql's, one
/// simple query of seven statements, cost it 100–170 µs (pgbench on this machine, server CPU per transaction). Under
/// HTTP load they still cost 4-5% of a one-row read's throughput, hence the option, off by default.
/// </summary>
/// <remarks>
/// Every request sets its role, claims and request settings for its own transaction anyway, so those could never leak;
/// this is for everything else. Inside the transaction each statement takes effect at its commit, and a transaction
/// rolled back leaves the session as it found it, to be reset by the next one. The role is left alone (<c>RESET ALL</c>
/// does not touch it, and there is no <c>RESET ROLE</c>, which cost PostgreSQL another 2 µs): a role a function set
/// for the session is never the one anything runs as, because every transaction the gateway runs sets its own first
/// (a request its caller's, the catalog loader <c>none</c>), and PostgreSQL checks <c>SET ROLE</c> against the
/// session's login, not against the role in force. Session authorization only a superuser can change, and the
/// gateway never logs in as one.
/// </remarks>
internal static class SessionReset
{
    private static readonly string[] Statements =
    [
        "reset all",
        "close all",
        "unlisten *",
        "discard temp",
        "discard sequences",
    ];

    /// <summary>
    /// The part of the reset every transaction runs, with <c>Gateway:SessionReset</c> on or off: a term of the select
    /// list of the batch's first query (its settings), which costs nothing measurable, where a session lock left held
    /// would block other sessions. Advisory locks are released by a function, and a statement of its own would be one
    /// more result for the reader to pass over.
    /// </summary>
    public const string UnlockAll = "pg_advisory_unlock_all()";

    /// <summary>The reset's statements, first in <paramref name="batch"/>; none returns a result set.</summary>
    public static void AddTo(NpgsqlBatch batch)
    {
        foreach (var statement in Statements)
        {
            batch.BatchCommands.Add(new NpgsqlBatchCommand(statement));
        }
    }
}
