using System.Globalization;
using Gateway.Planning;
using Gateway.Requests;
using NpgsqlTypes;

namespace Gateway.Sql;

/// <summary>
/// The main statement of a read or a call: <c>select ... from source where ... order by ... limit ... offset ...</c>,
/// wrapped so PostgreSQL returns one row with the total count when asked, the page's row count, the response GUCs
/// and the JSON (or CSV) body.
/// </summary>
internal static class ReadQuery
{
    /// <param name="evaluateSourceOnce">
    /// A function must run once even when the total is counted: its filtered rows are materialized in <c>_s</c> and
    /// both the page and the count read them. A view is read twice instead, so the page can stop early.
    /// </param>
    public static SqlText Build(ReadNode node, CountMode count, BodyShape shape, MediaType media, bool evaluateSourceOnce)
    {
        var sql = new SqlText();
        var read = new ReadSql(sql);
        var counted = count == CountMode.Exact;
        var materialized = counted && evaluateSourceOnce;
        if (materialized)
        {
            var filtering = read.Scope(node, "_src");
            sql.Append("with _s as materialized (select _src.* from ");
            read.Source(node.Source);
            sql.Append(" as _src");
            read.Joins(node, filtering, filteringOnly: true);
            Conditions.AppendWhere(sql, node.Where, filtering);
            sql.Append("), _t as (select ");
            var scope = read.Scope(node, "_src");
            read.Columns(node, scope);
            sql.Append(" from _s as _src");
            read.Joins(node, scope);
            read.GroupBy(node, scope);
            read.OrderAndPage(node, scope);
        }
        else
        {
            // The page, once: the outer select reads it for the body and the page count.
            var scope = read.Scope(node, "_src");
            sql.Append("with _t as (select ");
            read.Columns(node, scope);
            sql.Append(" from ");
            read.Source(node.Source);
            sql.Append(" as _src");
            read.Joins(node, scope);
            Conditions.AppendWhere(sql, node.Where, scope);
            read.GroupBy(node, scope);
            read.OrderAndPage(node, scope);
        }

        // One row, in the order RequestExecutor reads it: total, page count, response GUCs, then the body, last so it
        // can be streamed once the headers are known. One pass over the page aggregates both the body and its count.
        sql.Append(") select ");
        if (materialized)
        {
            sql.Append("(select pg_catalog.count(*) from _s)");
        }
        else if (counted)
        {
            // The same filters, without the page: the total the Content-Range reports.
            sql.Append("(select pg_catalog.count(*) from ");
            AppendFiltered(read, node);
            sql.Append(")");
        }
        else
        {
            sql.Append("null::bigint");
        }

        sql.Append(", pg_catalog.count(*), ").Append(ResponseSettings).Append(", ");
        AppendBody(sql, shape, media);
        sql.Append(" from _t");
        return sql;
    }

    /// <summary>The node's source as <c>_src</c>, with the joins and filters that decide which rows it has.</summary>
    private static void AppendFiltered(ReadSql read, ReadNode node)
    {
        var scope = read.Scope(node, "_src");
        read.Source(node.Source);
        read.Append(" as _src");
        read.Joins(node, scope, filteringOnly: true);
        read.Where(node, scope);
    }

    /// <summary>
    /// The two response GUCs a function may have set, read after the rows in every main statement. A read of a view
    /// reads them too: a view can call a function that sets them.
    /// </summary>
    public const string ResponseSettings = "nullif(current_setting('response.headers', true), ''), nullif(current_setting('response.status', true), '')";

    /// <summary>
    /// <c>explain (format json)</c> of the filtered source without the page: PostgreSQL's row estimate, for
    /// <c>Prefer: count=planned</c>, which must not pay for a full count on big views.
    /// </summary>
    public static SqlText BuildPlannedCount(ReadNode node)
    {
        var sql = new SqlText().Append("explain (format json) select 1 from ");
        AppendFiltered(new ReadSql(sql), node);
        return sql;
    }

    public static void AppendBody(SqlText sql, BodyShape shape, MediaType media)
    {
        if (media.Kind == MediaTypeKind.Csv)
        {
            // A header row from the first row's keys, a newline, then each record's text form without its parentheses.
            sql.Append("coalesce((select string_agg(k, ',') from json_object_keys((select row_to_json(_h) from _t as _h limit 1)) as k), '')"
                + " || chr(10) || coalesce(string_agg(substr(_t::text, 2, length(_t::text) - 2), chr(10)), '')");
            return;
        }

        if (media.Kind == MediaTypeKind.GeoJson)
        {
            // A FeatureCollection, as PostgREST builds it: PostGIS turns each row into a Feature (its first spatial
            // column the geometry, the others its properties); a row without one is PostGIS's 22023.
            sql.Append("json_build_object('type', 'FeatureCollection', 'features', coalesce(json_agg(")
                .Identifier(media.GeoJsonSchema!).Append(".st_asgeojson(_t)::json), '[]'))::text");
            return;
        }

        // json_agg over the rows themselves, as PostgREST does: its element separator is part of the body
        // clients (and Content-Length) see.
        var rows = media.NullsStripped ? "json_strip_nulls(json_agg(_t))" : "json_agg(_t)";
        switch (shape)
        {
            case BodyShape.Rows when media.Kind == MediaTypeKind.SingleObject:
            case BodyShape.Object:
                sql.Append($"coalesce(({rows} -> 0)::text, 'null')");
                break;
            case BodyShape.Scalar:
                sql.Append("coalesce((json_agg(_t.pgrst_scalar) -> 0)::text, 'null')");
                break;
            case BodyShape.ScalarSet:
                sql.Append("coalesce(json_agg(_t.pgrst_scalar)::text, '[]')");
                break;
            default:
                sql.Append($"coalesce({rows}::text, '[]')");
                break;
        }
    }

    // A composite result is the call itself (after the body's record, when the arguments come from it); a scalar
    // one is wrapped so it has a column, pgrst_scalar.
    public static void AppendCallSource(SqlText sql, CallSource call)
    {
        var body = call.Arguments as BodyArguments;
        if (call.Routine.ReturnsComposite)
        {
            if (body is not null)
            {
                AppendBodyRecord(sql, body);
                sql.Append(" cross join lateral ");
            }

            AppendCall(sql, call);
            return;
        }

        sql.Append("(select ");
        AppendCall(sql, call);
        sql.Append(" as pgrst_scalar");
        if (body is not null)
        {
            sql.Append(" from ");
            AppendBodyRecord(sql, body);
        }

        sql.Append(")");
    }

    // Arguments are always parameters: the body (whole, for one unnamed parameter), or each query-string value cast
    // to the parameter's declared type (a catalog name).
    private static void AppendCall(SqlText sql, CallSource call)
    {
        var routine = call.Routine;
        sql.Identifier(routine.Schema).Append(".").Identifier(routine.Name).Append("(");
        switch (call.Arguments)
        {
            case PositionalArgument { Parameter.Type: "bytea" } bytes:
                sql.TypedParameter(bytes.Value, NpgsqlDbType.Bytea);
                break;
            case PositionalArgument positional:
                // Text decoded by PostgreSQL, so invalid UTF-8 is its error, as when PostgREST sends the body as text.
                sql.Append("convert_from(").TypedParameter(positional.Value, NpgsqlDbType.Bytea).Append(", 'UTF8')::").Append(positional.Parameter.Type);
                break;
            case BodyArguments body:
                for (var i = 0; i < body.Parameters.Count; i++)
                {
                    var parameter = body.Parameters[i];
                    sql.Append(i == 0 ? "" : ", ").Append(parameter.IsVariadic ? "variadic " : "").Identifier(parameter.Name)
                        .Append(" := _b.").Identifier(parameter.Name);
                }

                break;
            case QueryArguments query:
                for (var i = 0; i < query.Values.Count; i++)
                {
                    var (parameter, argument) = query.Values[i];
                    var value = parameter.IsVariadic ? SqlText.ArrayLiteral(argument.Values) : argument.Value;
                    sql.Append(i == 0 ? "" : ", ").Append(parameter.IsVariadic ? "variadic " : "").Identifier(parameter.Name)
                        .Append(" := cast(").Parameter(value).Append(" as ").Append(parameter.Type).Append(")");
                }

                break;
        }

        sql.Append(")");
    }

    private static void AppendBodyRecord(SqlText sql, BodyArguments body)
    {
        sql.Append("json_to_record(").TypedParameter(body.Body.GetRawText(), NpgsqlDbType.Text).Append("::json) as _b(");
        for (var i = 0; i < body.Parameters.Count; i++)
        {
            sql.Append(i == 0 ? "" : ", ").Identifier(body.Parameters[i].Name).Append(" ").Append(body.Parameters[i].Type);
        }

        sql.Append(")");
    }
}
