using Npgsql;

namespace Gateway.Replicas;

/// <summary>
/// Where a transaction runs when the connection string names several hosts (Npgsql multi-host): read-only
/// transactions (GET, HEAD, calls of stable and immutable functions) on a standby when one is up, falling back to
/// the primary; all others on the primary. With one host both are the data source itself. Npgsql refuses
/// <c>Target Session Attributes</c> in a multi-host data source's connection string; this is where it is chosen.
/// </summary>
internal sealed class SessionTargets
{
    public SessionTargets(NpgsqlDataSource dataSource)
    {
        if (dataSource is NpgsqlMultiHostDataSource hosts)
        {
            Reads = hosts.WithTargetSession(ReadTarget);
            Writes = hosts.WithTargetSession(WriteTarget);
            IsMultiHost = true;
        }
        else
        {
            Reads = Writes = dataSource;
        }

        Prepares = Execution.PreparedStatements.Enabled(dataSource);
    }

    public const TargetSessionAttributes ReadTarget = TargetSessionAttributes.PreferStandby;

    public const TargetSessionAttributes WriteTarget = TargetSessionAttributes.Primary;

    public bool IsMultiHost { get; }

    /// <summary>Whether statements are prepared on these connections (see <see cref="Execution.PreparedStatements"/>).</summary>
    public bool Prepares { get; }

    public NpgsqlDataSource Reads { get; }

    public NpgsqlDataSource Writes { get; }

    public NpgsqlDataSource For(bool readOnly) => readOnly ? Reads : Writes;
}
