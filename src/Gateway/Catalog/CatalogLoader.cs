using System.Text.Json;
using Npgsql;

namespace Gateway.Catalog;

/// <summary>
/// Reads the exposed schema from <c>pg_catalog</c> in one query, as the <c>authenticator</c> login (the
/// catalog is readable by every role; the app schemas' contents are not read).
/// </summary>
internal sealed class CatalogLoader(Replicas.SessionTargets targets)
{
    // One round trip, JSON out: relations with columns, routines with parameters and result shape,
    // and the user-settable ALTER ROLE ... SET settings of every role the authenticator may switch to,
    // and which of those roles may read, write or call each object (the OpenAPI document follows them).
    private const string Query = """
        with exposed as (
          select oid, nspname from pg_namespace where nspname = $1
        ),
        -- The roles requests may run as (those the authenticator may switch to) that may use the schema at all.
        callers as (
          select r.oid, r.rolname
          from pg_roles r cross join exposed n
          where pg_has_role(current_user, r.oid, 'member') and r.rolname <> current_user
            and has_schema_privilege(r.oid, n.oid, 'USAGE')
        ),
        relations as (
          select c.oid, c.relname, c.relkind,
                 obj_description(c.oid, 'pg_class') as comment,
                 -- 8 insert, 4 update, 16 delete: pg_relation_is_updatable's event bits
                 (pg_relation_is_updatable(c.oid, true) & 8) = 8 as insertable,
                 (pg_relation_is_updatable(c.oid, true) & 4) = 4 as updatable,
                 (pg_relation_is_updatable(c.oid, true) & 16) = 16 as deletable
          from pg_class c join exposed n on n.oid = c.relnamespace
          where c.relkind in ('v', 'r', 'm', 'f', 'p')
        ),
        -- A table's primary key; a view's is its single base table's, when the view shows every key column
        -- under the same name (PostgREST infers it from column dependencies the same way).
        -- The table a relation writes to: itself, or a view's single base table.
        bases as (
          select r.oid, case when r.relkind in ('r', 'p') then r.oid else (
                   select min(d.refobjid)
                   from pg_rewrite rw
                   join pg_depend d on d.classid = 'pg_rewrite'::regclass and d.objid = rw.oid
                     and d.refclassid = 'pg_class'::regclass and d.refobjid <> r.oid
                   where rw.ev_class = r.oid
                   having count(distinct d.refobjid) = 1) end as base
          from relations r
        ),
        keys as (
          select b.oid,
                 (select array_agg(a.attname::text order by k.ord)
                  from pg_index i
                  cross join lateral unnest(i.indkey) with ordinality as k(attnum, ord)
                  join pg_attribute a on a.attrelid = i.indrelid and a.attnum = k.attnum
                  where i.indisprimary and i.indrelid = b.base) as columns
          from bases b
        ),
        columns as (
          select a.attrelid, a.attnum, a.attname, format_type(a.atttypid, a.atttypmod) as type,
                 t.typcategory, not a.attnotnull as nullable, a.atthasdef as has_default,
                 col_description(a.attrelid, a.attnum) as comment
          from pg_attribute a join pg_type t on t.oid = a.atttypid
          where a.attnum > 0 and not a.attisdropped
        ),
        routines as (
          select p.oid, p.proname, p.provolatile, p.proretset, p.prorettype, p.pronargdefaults,
                 format_type(p.prorettype, null) as return_type, rt.typtype as return_type_kind, rt.typrelid,
                 coalesce(p.proallargtypes, p.proargtypes::oid[]) as arg_types,
                 coalesce(p.proargmodes, array_fill('i'::"char", array[p.pronargs::int])) as arg_modes,
                 coalesce(p.proargnames, array_fill(''::text, array[coalesce(array_length(p.proallargtypes, 1), p.pronargs::int)])) as arg_names,
                 p.proconfig, obj_description(p.oid, 'pg_proc') as comment
          from pg_proc p join exposed n on n.oid = p.pronamespace join pg_type rt on rt.oid = p.prorettype
          where p.prokind = 'f'
        )
        select json_build_object(
          'schema_comment', (select obj_description(oid, 'pg_namespace') from exposed),
          'relations', coalesce((
            select json_agg(json_build_object(
              'name', r.relname, 'kind', r.relkind, 'comment', r.comment,
              'insertable', r.insertable, 'updatable', r.updatable, 'deletable', r.deletable,
              'grants', coalesce((
                select json_object_agg(g.rolname, json_build_object(
                  'select', has_table_privilege(g.oid, r.oid, 'SELECT'), 'insert', has_table_privilege(g.oid, r.oid, 'INSERT'),
                  'update', has_table_privilege(g.oid, r.oid, 'UPDATE'), 'delete', has_table_privilege(g.oid, r.oid, 'DELETE')))
                from callers g), '{}'),
              'primary_key', coalesce((
                select case when k.columns <@ (select array_agg(c.attname::text) from columns c where c.attrelid = r.oid)
                            then to_json(k.columns) end
                from keys k where k.oid = r.oid), '[]'),
              'columns', coalesce((
                select json_agg(json_build_object(
                  'name', c.attname, 'type', c.type, 'category', c.typcategory, 'nullable', c.nullable,
                  'has_default', c.has_default, 'comment', c.comment,
                  -- The column's default (a view's own, else its base table's column of the same name), for
                  -- Prefer: missing=default. Owner-written SQL from the catalog, never client text.
                  'default', coalesce(
                    (select pg_get_expr(d.adbin, d.adrelid) from pg_attrdef d where d.adrelid = c.attrelid and d.adnum = c.attnum),
                    (select pg_get_expr(d.adbin, d.adrelid)
                     from bases b join pg_attribute ba on ba.attrelid = b.base and ba.attname = c.attname
                     join pg_attrdef d on d.adrelid = ba.attrelid and d.adnum = ba.attnum
                     where b.oid = r.oid and b.base <> r.oid))) order by c.attnum)
                from columns c where c.attrelid = r.oid), '[]')))
            from relations r), '[]'),
          'routines', coalesce((
            select json_agg(json_build_object(
              'name', p.proname, 'volatility', p.provolatile, 'returns_set', p.proretset,
              'return_type', p.return_type, 'return_type_kind', p.return_type_kind, 'comment', p.comment,
              'settings', coalesce(p.proconfig, '{}'),
              'executable_by', coalesce((
                select json_agg(g.rolname order by g.rolname)
                from callers g where has_function_privilege(g.oid, p.oid, 'EXECUTE')), '[]'),
              'return_columns', coalesce(
                case when p.typrelid <> 0 then (
                  select json_agg(json_build_object(
                    'name', c.attname, 'type', c.type, 'category', c.typcategory, 'nullable', c.nullable,
                    'has_default', false, 'comment', c.comment) order by c.attnum)
                  from columns c where c.attrelid = p.typrelid)
                else (
                  select json_agg(json_build_object(
                    'name', a.name, 'type', format_type(a.type, null), 'category', t.typcategory,
                    'nullable', true, 'has_default', false, 'comment', null) order by a.ord)
                  from unnest(p.arg_types, p.arg_modes, p.arg_names) with ordinality as a(type, mode, name, ord)
                  join pg_type t on t.oid = a.type
                  where a.mode in ('o', 'b', 't'))
                end, '[]'),
              'parameters', coalesce((
                select json_agg(json_build_object(
                  'name', a.name, 'type', format_type(a.type, null), 'mode', a.mode,
                  'has_default', a.mode in ('i', 'b', 'v') and a.input_ord > a.input_count - p.pronargdefaults
                ) order by a.ord)
                from (
                  select x.*,
                         count(*) filter (where x.mode in ('i', 'b', 'v')) over (order by x.ord) as input_ord,
                         count(*) filter (where x.mode in ('i', 'b', 'v')) over () as input_count
                  from unnest(p.arg_types, p.arg_modes, p.arg_names) with ordinality as x(type, mode, name, ord)
                ) a), '[]')))
            from routines p), '[]'),
          'role_settings', coalesce((
            select json_agg(json_build_object('role', s.rolname, 'name', s.name, 'value', s.value) order by s.rolname, s.name)
            from (
              select distinct on (r.rolname, split_part(cfg, '=', 1))
                     r.rolname, split_part(cfg, '=', 1) as name, substr(cfg, strpos(cfg, '=') + 1) as value
              from pg_db_role_setting d
              join pg_roles r on r.oid = d.setrole
              cross join lateral unnest(d.setconfig) as cfg
              join pg_settings ps on ps.name = split_part(cfg, '=', 1) and ps.context = 'user'
              where d.setdatabase in (0, (select oid from pg_database where datname = current_database()))
                and pg_has_role(current_user, r.oid, 'member')
                and r.rolname <> current_user
              -- a database-specific setting wins over one for all databases
              order by r.rolname, split_part(cfg, '=', 1), d.setdatabase desc
            ) s), '[]')
        )::text
        """;

    public async Task<CatalogSnapshot> LoadAsync(string schema, CancellationToken cancellationToken)
    {
        // On the primary (a standby may be listed first), and with only pg_catalog on the search path, so
        // format_type and pg_get_expr qualify every other name: the text is pasted into requests that run with
        // the exposed schema on their path.
        await using var connection = await targets.Writes.OpenConnectionAsync(cancellationToken);
        await using var batch = new NpgsqlBatch(connection)
        {
            BatchCommands =
            {
                new NpgsqlBatchCommand("select set_config('search_path', 'pg_catalog', true)"),
                new NpgsqlBatchCommand(Query) { Parameters = { new NpgsqlParameter { Value = schema } } },
            },
        };
        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        await reader.NextResultAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return Parse(schema, reader.GetString(0));
    }

    internal static CatalogSnapshot Parse(string schema, string json)
    {
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;

        var relations = root.GetProperty("relations").EnumerateArray()
            .Select(r => new Relation(
                schema,
                r.GetProperty("name").GetString()!,
                r.GetProperty("kind").GetString()![0],
                ParseColumns(r.GetProperty("columns")),
                r.GetProperty("comment").GetString(),
                r.GetProperty("insertable").GetBoolean(),
                r.GetProperty("updatable").GetBoolean(),
                r.GetProperty("deletable").GetBoolean())
            {
                PrimaryKey = r.TryGetProperty("primary_key", out var key) ? key.EnumerateArray().Select(k => k.GetString()!).ToList() : [],
                Grants = r.TryGetProperty("grants", out var grants) ? ParseGrants(grants) : new Dictionary<string, TablePrivileges>(),
            })
            .ToDictionary(r => r.Name, StringComparer.Ordinal);

        var routines = root.GetProperty("routines").EnumerateArray()
            .Select(p => new Routine(
                schema,
                p.GetProperty("name").GetString()!,
                p.GetProperty("parameters").EnumerateArray().Select(a => new RoutineParameter(
                    a.GetProperty("name").GetString() ?? "",
                    a.GetProperty("type").GetString()!,
                    a.GetProperty("mode").GetString()![0],
                    a.GetProperty("has_default").GetBoolean())).ToList(),
                p.GetProperty("return_type").GetString()!,
                p.GetProperty("return_type_kind").GetString()![0],
                p.GetProperty("returns_set").GetBoolean(),
                ParseColumns(p.GetProperty("return_columns")),
                ReturnsComposite(p),
                p.GetProperty("volatility").GetString() switch
                {
                    "i" => Volatility.Immutable,
                    "s" => Volatility.Stable,
                    _ => Volatility.Volatile,
                },
                p.GetProperty("settings").EnumerateArray().Select(s => ParseSetting(s.GetString()!)).ToList(),
                p.GetProperty("comment").GetString())
            {
                ExecutableBy = p.TryGetProperty("executable_by", out var callers)
                    ? callers.EnumerateArray().Select(g => g.GetString()!).ToHashSet(StringComparer.Ordinal)
                    : new HashSet<string>(StringComparer.Ordinal),
            })
            .GroupBy(p => p.Name, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => (IReadOnlyList<Routine>)g.ToList(), StringComparer.Ordinal);

        var roleSettings = root.GetProperty("role_settings").EnumerateArray()
            .GroupBy(s => s.GetProperty("role").GetString()!, StringComparer.Ordinal)
            .ToDictionary(
                g => g.Key,
                g => (IReadOnlyList<RoleSetting>)g.Select(s => new RoleSetting(s.GetProperty("name").GetString()!, s.GetProperty("value").GetString()!)).ToList(),
                StringComparer.Ordinal);

        return new CatalogSnapshot(schema, relations, routines, roleSettings, DateTimeOffset.UtcNow)
        {
            Comment = root.TryGetProperty("schema_comment", out var comment) ? comment.GetString() : null,
        };
    }

    // A composite type, a table/view row type, or several OUT parameters make an object result;
    // one OUT parameter of a scalar type is still a scalar (PostgreSQL returns it as the function's type).
    private static bool ReturnsComposite(JsonElement routine) =>
        routine.GetProperty("return_type_kind").GetString() == "c"
        || (routine.GetProperty("return_type").GetString() == "record" && routine.GetProperty("return_columns").GetArrayLength() > 0);

    private static Dictionary<string, TablePrivileges> ParseGrants(JsonElement grants) => grants.EnumerateObject()
        .ToDictionary(
            g => g.Name,
            g => (g.Value.GetProperty("select").GetBoolean() ? TablePrivileges.Select : TablePrivileges.None)
                | (g.Value.GetProperty("insert").GetBoolean() ? TablePrivileges.Insert : TablePrivileges.None)
                | (g.Value.GetProperty("update").GetBoolean() ? TablePrivileges.Update : TablePrivileges.None)
                | (g.Value.GetProperty("delete").GetBoolean() ? TablePrivileges.Delete : TablePrivileges.None),
            StringComparer.Ordinal);

    private static List<Column> ParseColumns(JsonElement columns) => columns.EnumerateArray()
        .Select(c => new Column(
            c.GetProperty("name").GetString()!,
            c.GetProperty("type").GetString()!,
            c.GetProperty("category").GetString()![0],
            c.GetProperty("nullable").GetBoolean(),
            c.GetProperty("has_default").GetBoolean(),
            c.GetProperty("comment").GetString())
        {
            DefaultExpression = c.TryGetProperty("default", out var expression) ? expression.GetString() : null,
        })
        .ToList();

    private static RoleSetting ParseSetting(string assignment)
    {
        var equals = assignment.IndexOf('=', StringComparison.Ordinal);
        return new RoleSetting(assignment[..equals], assignment[(equals + 1)..]);
    }
}
