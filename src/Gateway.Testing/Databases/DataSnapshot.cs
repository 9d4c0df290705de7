using Npgsql;

namespace Gateway.Testing.Databases;

/// <summary>
/// The rows and sequence values of a template, kept in memory (binary COPY), so a copy of it can be put back to that
/// state without being dropped: its connections, and the gateway's pool on them, stay as they are. Every table of
/// every schema counts, the gateway's and yours, except those of extensions (e.g. PostGIS's <c>spatial_ref_sys</c>),
/// which tests read but do not write.
/// </summary>
internal sealed class DataSnapshot
{
    // A binary COPY of no rows is its 19-byte header and 2-byte trailer.
    private const int EmptyBinaryCopyLength = 21;

    private const string TablesSql = """
        select format('%I.%I', n.nspname, c.relname) as name,
               c.relkind = 'r' as has_rows,
               coalesce((select string_agg(format('%I', a.attname), ', ' order by a.attnum)
                           from pg_attribute a
                          where a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped and a.attgenerated = ''), '') as columns
          from pg_class c
          join pg_namespace n on n.oid = c.relnamespace
         where c.relkind in ('r', 'p')
           and c.relpersistence <> 't'
           and n.nspname not in ('pg_catalog', 'information_schema')
           and n.nspname not like 'pg\_%'
           and not exists (select from pg_depend d
                            where d.classid = 'pg_class'::regclass and d.objid = c.oid and d.deptype = 'e')
         order by 1
        """;

    private const string SequencesSql = """
        select format('select setval(%L, %s, %s);', format('%I.%I', s.schemaname, s.sequencename),
                      coalesce(s.last_value, s.start_value), (s.last_value is not null)::text)
          from pg_sequences s
         where not exists (select from pg_depend d
                            where d.classid = 'pg_class'::regclass
                              and d.objid = format('%I.%I', s.schemaname, s.sequencename)::regclass
                              and d.deptype = 'e')
        """;

    private readonly string resetSql;
    private readonly IReadOnlyList<(string CopyIn, byte[] Rows)> tables;

    private DataSnapshot(string resetSql, IReadOnlyList<(string CopyIn, byte[] Rows)> tables)
    {
        this.resetSql = resetSql;
        this.tables = tables;
    }

    public static async Task<DataSnapshot> TakeAsync(NpgsqlConnection admin, CancellationToken cancellationToken)
    {
        var names = new List<string>();
        var copies = new List<(string Table, string Columns)>();
        using (var command = new NpgsqlCommand(TablesSql, admin))
        using (var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                names.Add(reader.GetString(0));
                if (reader.GetBoolean(1))
                {
                    copies.Add((reader.GetString(0), reader.GetString(2)));
                }
            }
        }

        var tables = new List<(string CopyIn, byte[] Rows)>();
        foreach (var (table, columns) in copies)
        {
            var target = columns.Length == 0 ? table : $"{table} ({columns})";
            using var rows = new MemoryStream();
            var copyOut = await admin.BeginRawBinaryCopyAsync($"copy {target} to stdout (format binary)", cancellationToken).ConfigureAwait(false);
            await using (copyOut.ConfigureAwait(false))
            {
                await copyOut.CopyToAsync(rows, cancellationToken).ConfigureAwait(false);
            }

            if (rows.Length > EmptyBinaryCopyLength)
            {
                tables.Add(($"copy {target} from stdin (format binary)", rows.ToArray()));
            }
        }

        var sequences = new List<string>();
        using (var command = new NpgsqlCommand(SequencesSql, admin))
        using (var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                sequences.Add(reader.GetString(0));
            }
        }

        // Replica mode skips triggers, foreign-key checks among them, while the rows go back in any order.
        var reset = "set local session_replication_role = replica;\n"
            + (names.Count == 0 ? "" : $"truncate table {string.Join(", ", names)};\n")
            + string.Join('\n', sequences);
        return new DataSnapshot(reset, tables);
    }

    /// <summary>Puts the rows and sequences of the template back into a copy of it, in one transaction.</summary>
    public async Task RestoreAsync(NpgsqlConnection admin, CancellationToken cancellationToken)
    {
        var transaction = await admin.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using (transaction.ConfigureAwait(false))
        {
            using (var reset = new NpgsqlCommand(resetSql, admin, transaction))
            {
                await reset.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            foreach (var (copyIn, rows) in tables)
            {
                var copy = await admin.BeginRawBinaryCopyAsync(copyIn, cancellationToken).ConfigureAwait(false);
                await using (copy.ConfigureAwait(false))
                {
                    await copy.WriteAsync(rows, cancellationToken).ConfigureAwait(false);
                }
            }

            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        }
    }
}
