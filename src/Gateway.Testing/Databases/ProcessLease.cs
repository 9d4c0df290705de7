using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.RegularExpressions;
using Npgsql;

namespace Gateway.Testing.Databases;

/// <summary>
/// Tells the databases of live test processes from those of ended ones. Every database the kit makes is named with
/// this process's <see cref="Tag"/>, and the process holds a session advisory lock on that tag, on a connection kept
/// open until it ends. A test runner may kill a test process before it drops its databases; the next process to
/// use the server takes the lock of every tag it finds unheld, and drops that tag's databases.
/// </summary>
internal static partial class ProcessLease
{
    // The first key of the two-key advisory locks the kit takes ("gwt"); the second is a process's tag.
    private const int LockClass = 0x677774;

    private static readonly int TagValue = RandomNumberGenerator.GetInt32(int.MaxValue);
    // Holds each lease's connection for the life of the process. Unreferenced, the connection's socket would be closed by
    // its finalizer at the next full collection, ending the session and releasing the lock while this process still
    // uses its databases; the next test process would then drop them from under it.
    private static readonly ConcurrentDictionary<string, Lazy<Task<NpgsqlConnection>>> Leases = new(StringComparer.Ordinal);

    /// <summary>Eight hex digits naming this process in the names of its databases.</summary>
    public static string Tag { get; } = TagValue.ToString("x8", CultureInfo.InvariantCulture);

    /// <summary>Takes this process's lease on the server, once, and drops the databases of processes that ended without doing so.</summary>
    public static Task EnsureAsync(string server)
    {
        // One lease per server, however its connection strings are spelled: a second session would wait for the first's lock.
        var address = new NpgsqlConnectionStringBuilder(server);
        return Leases.GetOrAdd($"{address.Host}:{address.Port}", _ => new Lazy<Task<NpgsqlConnection>>(() => TakeAsync(server))).Value;
    }

    private static async Task<NpgsqlConnection> TakeAsync(string server)
    {
        // Never closed, and held in Leases: the lock lives as long as this session, and the session as long as the process.
        var lease = new NpgsqlConnection(GatewayTestServer.ForDatabase(server, GatewayTestServer.LockDatabase));
        await lease.OpenAsync().ConfigureAwait(false);
        using (var take = new NpgsqlCommand($"select pg_advisory_lock({LockClass}, {TagValue})", lease))
        {
            await take.ExecuteNonQueryAsync().ConfigureAwait(false);
        }

        var leftovers = new List<string>();
        using (var list = new NpgsqlCommand("select datname from pg_database where datname like 'gwt\\_%'", lease))
        using (var reader = await list.ExecuteReaderAsync().ConfigureAwait(false))
        {
            while (await reader.ReadAsync().ConfigureAwait(false))
            {
                leftovers.Add(reader.GetString(0));
            }
        }

        foreach (var group in leftovers.GroupBy(TagOf).Where(group => group.Key is not null && group.Key != TagValue))
        {
            await DropIfEndedAsync(lease, server, group.Key!.Value, group).ConfigureAwait(false);
        }

        return lease;
    }

    private static async Task DropIfEndedAsync(NpgsqlConnection lease, string server, int tag, IEnumerable<string> databases)
    {
        using (var probe = new NpgsqlCommand($"select pg_try_advisory_lock({LockClass}, {tag})", lease))
        {
            if (!(bool)(await probe.ExecuteScalarAsync().ConfigureAwait(false))!)
            {
                return;
            }
        }

        foreach (var database in databases)
        {
            await DatabaseTemplate.DropAsync(server, database, CancellationToken.None).ConfigureAwait(false);
        }

        using var release = new NpgsqlCommand($"select pg_advisory_unlock({LockClass}, {tag})", lease);
        await release.ExecuteNonQueryAsync().ConfigureAwait(false);
    }

    private static int? TagOf(string database)
    {
        var match = KitDatabaseName().Match(database);
        return match.Success ? int.Parse(match.Groups[1].Value, NumberStyles.HexNumber, CultureInfo.InvariantCulture) : null;
    }

    // gwt_<tag>_<random> for a test database, gwt_template_<tag>_<recipe> for a template.
    [GeneratedRegex("^gwt_(?:template_)?([0-9a-f]{8})_")]
    private static partial Regex KitDatabaseName();
}
