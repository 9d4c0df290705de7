using System.Text.Json;
using Gateway.Execution;
using Npgsql;

namespace Gateway.Catalog;

/// <summary>
/// Reads the exposed schema from <c>pg_catalog</c> in one query, as the <c>authenticator</c> login (the
/// catalog is readable by every role; the app schemas' contents are not read).
/// </summary>
internal sealed partial class CatalogLoader(Replicas.SessionTargets targets)
{
    // One round trip, JSON out: relations with columns, routines with parameters and result shape,
    // and the user-settable ALTER ROLE ... SET settings of every role the authenticator may switch to,
    // and which of those roles may read, write or call each object (the OpenAPI document follows them),
    // and the facts relationships are made of: base-table keys and which exposed columns show their columns
    // (RelationshipFinder joins them up, so it can be unit-tested on JSON).
    private const string Query = """
        with recursive exposed as (
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
          select c.oid, c.relname, c.relkind, format_type(c.reltype, null) as type, d.description as comment,
                 -- 8 insert, 4 update, 16 delete: pg_relation_is_updatable's event bits (asked once: it is not cheap on views)
                 pg_relation_is_updatable(c.oid, true) as events
          from pg_class c
          join exposed n on n.oid = c.relnamespace
          left join pg_description d on d.objoid = c.oid and d.classoid = 'pg_class'::regclass and d.objsubid = 0
          where c.relkind in ('v', 'r', 'm', 'f', 'p')
        ),
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
        -- Not materialized, so a lookup by attrelid stays an index scan instead of a scan of every column.
        columns as not materialized (
          select a.attrelid, a.attnum, a.attname, format_type(a.atttypid, a.atttypmod) as type,
                 t.typcategory, not a.attnotnull as nullable, a.atthasdef as has_default, a.attidentity as identity,
                 d.description as comment
          from pg_attribute a
          join pg_type t on t.oid = a.atttypid
          left join pg_description d on d.objoid = a.attrelid and d.classoid = 'pg_class'::regclass and d.objsubid = a.attnum
          where a.attnum > 0 and not a.attisdropped
        ),
        -- Each relation's columns as JSON in one pass (a subquery per relation over a CTE would rescan it each time).
        relation_columns as (
          select r.oid,
                 json_agg(json_build_object(
                   'name', c.attname, 'type', c.type, 'category', c.typcategory, 'nullable', c.nullable,
                   'has_default', c.has_default or i.identity is not null, 'comment', c.comment,
                   -- 'a' generated always, 'd' by default: the column's, or for a view its base table column's.
                   'identity', i.identity,
                   -- The column's default (a view's own, else its base table's column of the same name), for
                   -- Prefer: missing=default; an identity column's "by default" is its sequence's next value, as
                   -- PostgREST takes it (the caller needs USAGE on the sequence, as in PostgREST: only PostgreSQL's
                   -- own DEFAULT skips that check; one "always" gets it only by leaving the column out).
                   -- Owner-written SQL from the catalog, never client text.
                   'default', coalesce(pg_get_expr(d.adbin, d.adrelid), pg_get_expr(bd.adbin, bd.adrelid),
                     case when i.identity = 'd' then format('pg_catalog.nextval(%s::pg_catalog.oid::pg_catalog.regclass)', i.sequence) end)
                 ) order by c.attnum) as columns
          from relations r
          join bases b on b.oid = r.oid
          join columns c on c.attrelid = r.oid
          left join pg_attrdef d on d.adrelid = c.attrelid and d.adnum = c.attnum
          left join pg_attribute ba on ba.attrelid = b.base and b.base <> r.oid and ba.attname = c.attname
          left join pg_attrdef bd on bd.adrelid = ba.attrelid and bd.adnum = ba.attnum
          cross join lateral (
            select coalesce(nullif(c.identity, ''), nullif(ba.attidentity, ''))::text as identity,
                   -- the identity's sequence, by oid: a name would need USAGE on the table's private schema
                   (select q.objid
                    from pg_depend q
                    where q.classid = 'pg_class'::regclass and q.refclassid = 'pg_class'::regclass and q.deptype = 'i'
                      and q.refobjid = case when c.identity <> '' then c.attrelid else ba.attrelid end
                      and q.refobjsubid = case when c.identity <> '' then c.attnum else ba.attnum end) as sequence
          ) i
          group by r.oid
        ),
        -- Domains over row types, each with the row type under it (however many domains deep).
        domain_rows as (
          select t.oid, t.typbasetype as base from pg_type t where t.typtype = 'd'
          union
          select d.oid, b.typbasetype from domain_rows d join pg_type b on b.oid = d.base and b.typtype = 'd'
        ),
        -- A function returning a domain over a row type returns that row type (PostgREST reads it through its base
        -- type too), so its rows can be selected and embed like the relation's.
        routines as (
          select p.oid, p.proname, p.provolatile, p.proretset, p.prorows, p.prorettype, p.pronargdefaults,
                 format_type(rt.oid, null) as return_type, rt.typtype as return_type_kind, rt.typcategory as return_category, rt.typrelid,
                 coalesce(p.proallargtypes, p.proargtypes::oid[]) as arg_types,
                 coalesce(p.proargmodes, array_fill('i'::"char", array[p.pronargs::int])) as arg_modes,
                 coalesce(p.proargnames, array_fill(''::text, array[coalesce(array_length(p.proallargtypes, 1), p.pronargs::int)])) as arg_names,
                 p.proconfig, obj_description(p.oid, 'pg_proc') as comment
          from pg_proc p
          join exposed n on n.oid = p.pronamespace
          left join domain_rows dr on dr.oid = p.prorettype and exists (select from pg_type b where b.oid = dr.base and b.typtype = 'c')
          join pg_type rt on rt.oid = coalesce(dr.base, p.prorettype)
          where p.prokind = 'f'
        ),
        -- Relationships: what the exposed relations' columns show of base-table keys (RelationshipFinder joins them up).
        -- PostgreSQL keeps a view as a query tree whose top-level target list names, for each plain column, the relation
        -- and column it comes from (resorigtbl, resorigcol); for a view of a view that is the view below, so the walk
        -- repeats down to a table. pg_depend only says which columns a view reads, not which output column shows which,
        -- so it cannot follow a renamed column. First every view under the exposed views, however deep.
        view_tree as (
          select r.oid from relations r where r.relkind in ('v', 'm')
          union
          select d.refobjid
          from view_tree v
          join pg_rewrite rw on rw.ev_class = v.oid
          join pg_depend d on d.classid = 'pg_rewrite'::regclass and d.objid = rw.oid and d.refclassid = 'pg_class'::regclass
          join pg_class c on c.oid = d.refobjid and c.relkind in ('v', 'm')
        ),
        -- The query tree's text cut at each target entry's ' :resno ', with escaped characters dropped first so a bracket
        -- in a name does not count. The brackets before a piece say how deep its entry sits; the top-level entries sit
        -- at depth 4, those of subqueries deeper:
        --   ({QUERY ... :targetList ({TARGETENTRY :expr {VAR ...} :resno 1 :resname id ... :resorigtbl 16394 :resorigcol 1 ...} ...) ...})
        -- (Plain string functions: a regular expression over every bracket took seconds for a thousand views.)
        view_pieces as (
          select rw.ev_class as view, p.ord, p.piece,
                 sum(octet_length(replace(p.piece, ')', '')) + octet_length(replace(p.piece, '}', ''))
                     - octet_length(replace(p.piece, '(', '')) - octet_length(replace(p.piece, '{', '')))
                   over (partition by rw.ev_class order by p.ord rows between unbounded preceding and 1 preceding) as depth
          from view_tree v
          join pg_rewrite rw on rw.ev_class = v.oid and rw.rulename = '_RETURN'
          cross join lateral (select rw.ev_action::text as tree) t
          cross join lateral string_to_table(
            case when strpos(t.tree, '\') = 0 then t.tree
                 else replace(replace(replace(replace(replace(t.tree, '\\', ''), '\(', ''), '\)', ''), '\{', ''), '\}', '') end,
            ' :resno ') with ordinality as p(piece, ord)
        ),
        -- Each view column that is a plain column of the relation it reads (resorigtbl 0: an expression, no source).
        view_columns as (
          select c.view, c.attnum, c.source, c.source_attnum
          from (
            select p.view, split_part(p.piece, ' ', 1)::int2 as attnum,
                   split_part(split_part(p.piece, ' :resorigtbl ', 2), ' ', 1)::oid as source,
                   split_part(split_part(p.piece, ' :resorigcol ', 2), ' ', 1)::int2 as source_attnum
            from view_pieces p
            where p.ord > 1 and p.depth = 4
          ) c
          where c.source <> 0
        ),
        -- Each exposed relation's columns down to the columns they come from (an exposed table's are its own).
        column_sources(relation, attnum, source, source_attnum) as (
          select * from (
            select r.oid, a.attnum, r.oid, a.attnum
            from relations r join pg_attribute a on a.attrelid = r.oid and a.attnum > 0 and not a.attisdropped
            where r.relkind in ('r', 'p')
            union all
            select c.view, c.attnum, c.source, c.source_attnum
            from view_columns c join pg_class r on r.oid = c.view
            where r.relnamespace = (select oid from exposed)
          ) direct
          union all
          select s.relation, s.attnum, c.source, c.source_attnum
          from column_sources s join view_columns c on c.view = s.source and c.attnum = s.source_attnum
        ) cycle source, source_attnum set is_cycle using path,
        -- Base-table columns in a primary key or at either end of a foreign key: all relationships need.
        key_columns as (
          select k.conrelid as tbl, unnest(k.conkey) as attnum from pg_constraint k where k.contype in ('p', 'f')
          union
          select k.confrelid, unnest(k.confkey) from pg_constraint k where k.contype = 'f'
        ),
        shown_keys as (
          select r.relname as relation, a.attname as column, s.source as tbl, s.source_attnum
          from column_sources s
          join pg_class t on t.oid = s.source and t.relkind in ('r', 'p')
          join key_columns k on k.tbl = s.source and k.attnum = s.source_attnum
          join pg_class r on r.oid = s.relation
          join pg_attribute a on a.attrelid = s.relation and a.attnum = s.attnum
        ),
        -- Foreign keys from a table some exposed relation shows (those to a table none shows are left for the finder,
        -- a second semi-join costs more than they do), and the keys of junctions outside the exposed schema to tables
        -- one shows, even when none shows the junction. A partition's copies of its parent's keys are left out, as
        -- PostgREST does.
        junction_keys as (
          select k.oid
          from pg_constraint k
          join pg_class t on t.oid = k.conrelid and t.relnamespace <> (select oid from exposed)
          join pg_constraint p on p.conrelid = k.conrelid and p.contype = 'p' and p.conkey @> k.conkey
          where k.contype = 'f' and k.conparentid = 0
        ),
        foreign_keys as (
          select k.oid, k.conname, k.conrelid, k.confrelid, k.conkey, k.confkey, k.oid in (select oid from junction_keys) as of_private_junction
          from pg_constraint k
          where k.contype = 'f' and k.conparentid = 0
            and (k.conrelid in (select tbl from shown_keys)
                 or (k.oid in (select oid from junction_keys) and k.confrelid in (select tbl from shown_keys)))
        )
        select json_build_object(
          'schema_comment', (select obj_description(oid, 'pg_namespace') from exposed),
          -- PostGIS, when installed: its schema (for st_asgeojson) and its spatial types as format_type names them.
          'postgis', (
            select json_build_object('schema', n.nspname, 'types', (
                     select json_agg(format_type(t.oid, null) order by t.typname)
                     from pg_type t where t.typnamespace = e.extnamespace and t.typname in ('geometry', 'geography')))
            from pg_extension e join pg_namespace n on n.oid = e.extnamespace
            where e.extname = 'postgis'),
          'relations', coalesce((
            select json_agg(json_build_object(
              'name', r.relname, 'kind', r.relkind, 'type', r.type, 'comment', r.comment,
              'insertable', (r.events & 8) = 8, 'updatable', (r.events & 4) = 4, 'deletable', (r.events & 16) = 16,
              'grants', coalesce((
                select json_object_agg(g.rolname, json_build_object(
                  'select', has_table_privilege(g.oid, r.oid, 'SELECT'), 'insert', has_table_privilege(g.oid, r.oid, 'INSERT'),
                  'update', has_table_privilege(g.oid, r.oid, 'UPDATE'), 'delete', has_table_privilege(g.oid, r.oid, 'DELETE')))
                from callers g), '{}'),
              'columns', coalesce(rc.columns, '[]')))
            from relations r
            left join relation_columns rc on rc.oid = r.oid), '[]'),
          'routines', coalesce((
            select json_agg(json_build_object(
              'name', p.proname, 'volatility', p.provolatile, 'returns_set', p.proretset, 'rows', p.prorows,
              'return_type', p.return_type, 'return_type_kind', p.return_type_kind, 'return_category', p.return_category,
              'comment', p.comment,
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
          -- Tables are named as regclass prints them with only pg_catalog on the search path: schema-qualified.
          'foreign_keys', coalesce((
            select json_agg(json_build_object(
              'constraint', k.conname, 'table', k.conrelid::regclass::text, 'foreign_table', k.confrelid::regclass::text,
              'columns', (select json_agg(a.attname order by u.ord)
                          from unnest(k.conkey) with ordinality as u(attnum, ord)
                          join pg_attribute a on a.attrelid = k.conrelid and a.attnum = u.attnum),
              'foreign_columns', (select json_agg(a.attname order by u.ord)
                                  from unnest(k.confkey) with ordinality as u(attnum, ord)
                                  join pg_attribute a on a.attrelid = k.confrelid and a.attnum = u.attnum),
              -- the referencing columns are exactly a primary key or unique constraint's (PostgREST's rule)
              'one_to_one', exists (
                select from pg_constraint u
                where u.conrelid = k.conrelid and u.contype in ('p', 'u') and u.conkey @> k.conkey and u.conkey <@ k.conkey),
              'of_private_junction', k.of_private_junction)
              order by k.conrelid, k.conname)
            from foreign_keys k), '[]'),
          'primary_keys', coalesce((
            select json_agg(json_build_object(
              'table', k.conrelid::regclass::text,
              'columns', (select json_agg(a.attname order by u.ord)
                          from unnest(k.conkey) with ordinality as u(attnum, ord)
                          join pg_attribute a on a.attrelid = k.conrelid and a.attnum = u.attnum))
              order by k.conrelid)
            from pg_constraint k
            where k.contype = 'p' and k.conrelid in (select tbl from shown_keys)), '[]'),
          'column_sources', coalesce((
            select json_agg(json_build_object(
              'relation', s.relation, 'column', s.column, 'table', s.tbl::regclass::text, 'table_column', a.attname)
              order by s.relation, s.column, s.tbl, s.source_attnum)
            from shown_keys s join pg_attribute a on a.attrelid = s.tbl and a.attnum = s.source_attnum), '[]'),
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
        // the exposed schema on their path. Without JIT: the catalogs' row estimates make the query look costly
        // enough to compile, which took longer than running it.
        await using var connection = await targets.Writes.OpenConnectionAsync(cancellationToken);
        await using var batch = new NpgsqlBatch(connection);
        // As authenticator itself, with none of what a request's function may have left on the session.
        SessionReset.AddTo(batch);
        batch.BatchCommands.Add(new NpgsqlBatchCommand(
            $"select {SessionReset.UnlockAll}, set_config('role', 'none', true), set_config('search_path', 'pg_catalog', true), set_config('jit', 'off', true)"));
        batch.BatchCommands.Add(new NpgsqlBatchCommand(Query) { Parameters = { new NpgsqlParameter { Value = schema } } });
        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        await reader.NextResultAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return Parse(schema, reader.GetString(0));
    }
}
