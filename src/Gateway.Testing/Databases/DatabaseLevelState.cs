using Npgsql;

namespace Gateway.Testing.Databases;

/// <summary>
/// What <c>create database ... template ...</c> does not copy, because PostgreSQL keeps it outside the database: its
/// privileges (the gateway's migrations revoke <c>create</c> and <c>temporary</c> from PUBLIC and grant
/// <c>connect</c> to its logins) and its <c>alter database|role ... set</c> settings (PostgREST-style apps keep
/// settings there). Read from the template once, applied to every copy.
/// </summary>
internal sealed class DatabaseLevelState
{
    private const string PrivilegesSql = """
        select a.privilege_type,
               case when a.grantee = 0 then 'public' else quote_ident(r.rolname) end,
               a.is_grantable
          from pg_database d
          cross join lateral aclexplode(d.datacl) a
          left join pg_roles r on r.oid = a.grantee
         where d.datname = current_database()
        """;

    private const string SettingsSql = """
        select r.rolname, unnest(s.setconfig)
          from pg_db_role_setting s
          left join pg_roles r on r.oid = s.setrole
         where s.setdatabase = (select oid from pg_database where datname = current_database())
        """;

    private readonly IReadOnlyList<(string Privilege, string Grantee, bool Grantable)> privileges;
    private readonly IReadOnlyList<(string? Role, string Name, string Value)> settings;

    private DatabaseLevelState(
        IReadOnlyList<(string Privilege, string Grantee, bool Grantable)> privileges, IReadOnlyList<(string? Role, string Name, string Value)> settings)
    {
        this.privileges = privileges;
        this.settings = settings;
    }

    /// <summary>Reads the state of the database <paramref name="template"/> is connected to.</summary>
    public static async Task<DatabaseLevelState> ReadAsync(NpgsqlConnection template, CancellationToken cancellationToken)
    {
        var privileges = new List<(string, string, bool)>();
        using (var command = new NpgsqlCommand(PrivilegesSql, template))
        using (var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                privileges.Add((reader.GetString(0), reader.GetString(1), reader.GetBoolean(2)));
            }
        }

        var settings = new List<(string?, string, string)>();
        using (var command = new NpgsqlCommand(SettingsSql, template))
        using (var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                var setting = reader.GetString(1).Split('=', 2);
                settings.Add((reader.IsDBNull(0) ? null : reader.GetString(0), setting[0], setting[1]));
            }
        }

        return new DatabaseLevelState(privileges, settings);
    }

    /// <summary>Gives the database <paramref name="copy"/> the template's privileges and settings, on a maintenance connection.</summary>
    public async Task ApplyAsync(NpgsqlConnection maintenance, string copy, CancellationToken cancellationToken)
    {
        var database = DatabaseTemplate.Quote(copy);
        // No ACL means the defaults, which the copy has already; an ACL replaces them, PUBLIC's included.
        var statements = new List<string>();
        if (privileges.Count > 0)
        {
            statements.Add($"revoke all on database {database} from public");
        }

        statements.AddRange(privileges.Select(p => $"grant {p.Privilege} on database {database} to {p.Grantee}{(p.Grantable ? " with grant option" : "")}"));
        foreach (var statement in statements)
        {
            using var command = new NpgsqlCommand(statement, maintenance);
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        foreach (var (role, name, value) in settings)
        {
            // The stored value is the setting's own text form (a list for search_path): set_config parses it as the
            // setting does, and "from current" stores what it parsed, so no quoting rule has to be guessed here.
            var quotedName = string.Join('.', name.Split('.').Select(DatabaseTemplate.Quote));
            var target = role is null ? $"database {database}" : $"role {DatabaseTemplate.Quote(role)} in database {database}";
            using (var set = new NpgsqlCommand("select set_config($1, $2, false)", maintenance))
            {
                set.Parameters.Add(new NpgsqlParameter { Value = name });
                set.Parameters.Add(new NpgsqlParameter { Value = value });
                await set.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            using var store = new NpgsqlCommand($"alter {target} set {quotedName} from current", maintenance);
            await store.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }
}
