using System.Globalization;
using Gateway.Catalog;
using Gateway.Errors;
using Gateway.Requests;
using NpgsqlTypes;

namespace Gateway.Sql;

/// <summary>
/// Builds the main statement of a read: <c>select ... from source where ... order by ... limit ... offset ...</c>,
/// wrapped so PostgreSQL returns one row with the JSON (or CSV) body, the total count when asked, the page's
/// row count and the response GUCs. Columns are checked against <paramref name="columns"/> (400 42703).
/// </summary>
internal static class ReadQuery
{
    public static Result<SqlText> Build(
        Action<SqlText> source,
        string sourceName,
        IReadOnlyDictionary<string, Column> byName,
        ApiRequest request,
        long? limit,
        long offset,
        bool count,
        BodyShape shape,
        bool evaluateSourceOnce = false)
    {
        var sql = new SqlText();
        GatewayError? error = null;

        // A function must run once even when the total is counted: its filtered rows are materialized in _s
        // and both the page and the count read them. A view is read twice instead, so the page can stop early.
        var materialized = count && evaluateSourceOnce;
        if (materialized)
        {
            sql.Append("with _s as materialized (select _src.* from ");
            source(sql);
            sql.Append(" as _src");
            error ??= AppendWhere(sql, request, byName, sourceName);
            sql.Append("), _t as (select ");
            error ??= AppendSelect(sql, request.Select, byName, sourceName);
            sql.Append(" from _s as _src");
        }
        else
        {
            // The page, once: the outer select reads it for the body and the page count.
            sql.Append("with _t as (select ");
            error ??= AppendSelect(sql, request.Select, byName, sourceName);
            sql.Append(" from ");
            source(sql);
            sql.Append(" as _src");
            error ??= AppendWhere(sql, request, byName, sourceName);
        }

        if (request.Order.Count > 0)
        {
            sql.Append(" order by ");
            for (var i = 0; i < request.Order.Count; i++)
            {
                var term = request.Order[i];
                sql.Append(i == 0 ? "" : ", ");
                error ??= AppendField(sql, term.Field, byName, sourceName);
                sql.Append(term.Direction == OrderDirection.Descending ? " desc" : " asc");
                if (term.Nulls is { } nulls)
                {
                    sql.Append(nulls == OrderNulls.First ? " nulls first" : " nulls last");
                }
            }
        }

        if (limit is { } l)
        {
            sql.Append(" limit ").Append(l.ToString(CultureInfo.InvariantCulture));
        }

        if (offset > 0)
        {
            sql.Append(" offset ").Append(offset.ToString(CultureInfo.InvariantCulture));
        }

        // One row, in the order RequestExecutor reads it: body, total, page count, response GUCs.
        sql.Append(") select (select ");
        AppendBody(sql, shape, request.MediaType);
        sql.Append(" from _t), ");
        if (materialized)
        {
            sql.Append("(select pg_catalog.count(*) from _s)");
        }
        else if (count)
        {
            // The same filters, without the page: the total the Content-Range reports.
            sql.Append("(select pg_catalog.count(*) from ");
            source(sql);
            sql.Append(" as _src");
            error ??= AppendWhere(sql, request, byName, sourceName);
            sql.Append(")");
        }
        else
        {
            sql.Append("null::bigint");
        }

        sql.Append(", (select pg_catalog.count(*) from _t), nullif(current_setting('response.headers', true), ''), nullif(current_setting('response.status', true), '')");
        return error is null ? sql : error;
    }

    /// <summary>
    /// <c>explain (format json)</c> of the filtered source without the page: PostgreSQL's row estimate, for
    /// <c>Prefer: count=planned</c> (and <c>estimated</c>), which must not pay for a full count on big views.
    /// </summary>
    public static Result<SqlText> BuildPlannedCount(Action<SqlText> source, string sourceName, IReadOnlyDictionary<string, Column> byName, ApiRequest request)
    {
        var sql = new SqlText().Append("explain (format json) select 1 from ");
        source(sql);
        sql.Append(" as _src");
        var error = AppendWhere(sql, request, byName, sourceName);
        return error is null ? sql : error;
    }

    internal static void AppendBody(SqlText sql, BodyShape shape, MediaType media)
    {
        if (media.Kind == MediaTypeKind.Csv)
        {
            // A header row from the first row's keys, a newline, then each record's text form without its parentheses.
            sql.Append("coalesce((select string_agg(k, ',') from json_object_keys((select row_to_json(_h) from _t as _h limit 1)) as k), '')"
                + " || chr(10) || coalesce(string_agg(substr(_t::text, 2, length(_t::text) - 2), chr(10)), '')");
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

    internal static GatewayError? AppendSelect(SqlText sql, IReadOnlyList<SelectItem> items, IReadOnlyDictionary<string, Column> columns, string sourceName)
    {
        if (items.Count == 0)
        {
            // An empty select means every column, as in PostgREST.
            sql.Append("_src.*");
            return null;
        }

        for (var i = 0; i < items.Count; i++)
        {
            sql.Append(i == 0 ? "" : ", ");
            switch (items[i])
            {
                case SelectAll:
                    sql.Append("_src.*");
                    break;
                case SelectField field:
                    if (field.Cast is not null)
                    {
                        sql.Append("cast(");
                    }

                    if (AppendField(sql, field.Field, columns, sourceName) is { } error)
                    {
                        return error;
                    }

                    if (field.Cast is { } cast)
                    {
                        // The parser admits only [A-Za-z0-9_ $] and [] in a type name; PostgreSQL resolves it (42704 if unknown).
                        sql.Append(" as ").Append(cast).Append(")");
                    }

                    sql.Append(" as ").Identifier(field.OutputName);
                    break;
            }
        }

        return null;
    }

    internal static GatewayError? AppendWhere(SqlText sql, ApiRequest request, IReadOnlyDictionary<string, Column> columns, string sourceName)
    {
        if (request.Filters.Count == 0 && request.Logic.Count == 0)
        {
            return null;
        }

        sql.Append(" where ");
        var first = true;
        foreach (var filter in request.Filters)
        {
            sql.Append(first ? "" : " and ");
            first = false;
            if (AppendFilter(sql, filter, columns, sourceName) is { } error)
            {
                return error;
            }
        }

        foreach (var logic in request.Logic)
        {
            sql.Append(first ? "" : " and ");
            first = false;
            if (AppendLogic(sql, logic, columns, sourceName) is { } error)
            {
                return error;
            }
        }

        return null;
    }

    private static GatewayError? AppendLogic(SqlText sql, LogicTree tree, IReadOnlyDictionary<string, Column> columns, string sourceName)
    {
        switch (tree)
        {
            case LogicFilter leaf:
                return AppendFilter(sql, leaf.Filter, columns, sourceName);
            case LogicExpression expression:
                sql.Append(expression.Negated ? "not (" : "(");
                for (var i = 0; i < expression.Children.Count; i++)
                {
                    sql.Append(i == 0 ? "" : expression.Operator == LogicOperator.And ? " and " : " or ");
                    if (AppendLogic(sql, expression.Children[i], columns, sourceName) is { } error)
                    {
                        return error;
                    }
                }

                sql.Append(")");
                return null;
            default:
                return null;
        }
    }

    private static GatewayError? AppendFilter(SqlText sql, Filter filter, IReadOnlyDictionary<string, Column> columns, string sourceName)
    {
        sql.Append(filter.Negated ? "not (" : "(");
        GatewayError? error;
        switch (filter.Operation)
        {
            case CompareOperation compare:
                error = AppendField(sql, filter.Field, columns, sourceName);
                sql.Append(" ").Append(Operator(compare.Operator)).Append(" ");
                if (compare.Quantifier == Quantifier.None)
                {
                    sql.Parameter(compare.Value);
                }
                else
                {
                    sql.Append(compare.Quantifier == Quantifier.Any ? "any(" : "all(").Parameter(compare.Value).Append(")");
                }

                break;
            case InOperation @in:
                error = AppendField(sql, filter.Field, columns, sourceName);
                sql.Append(" = any(").Parameter(SqlText.ArrayLiteral(@in.Values)).Append(")");
                break;
            case IsOperation @is:
                error = AppendField(sql, filter.Field, columns, sourceName);
                sql.Append(@is.Value switch
                {
                    IsValue.Null => " is null",
                    IsValue.NotNull => " is not null",
                    IsValue.True => " is true",
                    IsValue.False => " is false",
                    _ => " is unknown",
                });
                break;
            case FullTextOperation fts:
                error = AppendFullText(sql, filter.Field, fts, columns, sourceName);
                break;
            default:
                error = new GatewayError(400, "PGRST100", "Unsupported filter operation");
                break;
        }

        sql.Append(")");
        return error;
    }

    private static GatewayError? AppendFullText(SqlText sql, Field field, FullTextOperation fts, IReadOnlyDictionary<string, Column> columns, string sourceName)
    {
        var isVector = field.JsonPath.Count == 0 && columns.TryGetValue(field.Column, out var column) && column.IsTsVector;
        if (!isVector)
        {
            sql.Append("to_tsvector(");
            if (fts.Configuration is { } cfg)
            {
                sql.TypedParameter(cfg, NpgsqlDbType.Text).Append("::regconfig, ");
            }
        }

        var error = AppendField(sql, field, columns, sourceName);
        sql.Append(isVector ? "" : ")").Append(" @@ ").Append(fts.Operator switch
        {
            FullTextOperator.Plain => "plainto_tsquery(",
            FullTextOperator.Phrase => "phraseto_tsquery(",
            FullTextOperator.WebSearch => "websearch_to_tsquery(",
            _ => "to_tsquery(",
        });
        if (fts.Configuration is { } configuration)
        {
            sql.TypedParameter(configuration, NpgsqlDbType.Text).Append("::regconfig, ");
        }

        sql.TypedParameter(fts.Query, NpgsqlDbType.Text).Append(")");
        return error;
    }

    /// <summary>A column (checked against the catalog), then its JSON path with keys bound as text parameters.</summary>
    private static GatewayError? AppendField(SqlText sql, Field field, IReadOnlyDictionary<string, Column> columns, string sourceName)
    {
        if (!columns.TryGetValue(field.Column, out var column))
        {
            return new GatewayError(400, "42703", $"column {sourceName}.{field.Column} does not exist");
        }

        if (field.JsonPath.Count == 0)
        {
            sql.Append("_src.").Identifier(column.Name);
            return null;
        }

        if (column.IsJson)
        {
            sql.Append("_src.").Identifier(column.Name);
        }
        else
        {
            sql.Append("to_jsonb(_src.").Identifier(column.Name).Append(")");
        }

        foreach (var step in field.JsonPath)
        {
            sql.Append(step.AsText ? "->>" : "->");
            if (step.Key is { } key)
            {
                sql.TypedParameter(key, NpgsqlDbType.Text);
            }
            else
            {
                sql.Append("(").Append(step.Index!.Value.ToString(CultureInfo.InvariantCulture)).Append(")");
            }
        }

        return null;
    }

    private static string Operator(CompareOperator op) => op switch
    {
        CompareOperator.Equal => "=",
        CompareOperator.NotEqual => "<>",
        CompareOperator.GreaterThan => ">",
        CompareOperator.GreaterThanOrEqual => ">=",
        CompareOperator.LessThan => "<",
        CompareOperator.LessThanOrEqual => "<=",
        CompareOperator.Like => "like",
        CompareOperator.ILike => "ilike",
        CompareOperator.Match => "~",
        CompareOperator.IMatch => "~*",
        CompareOperator.IsDistinctFrom => "is distinct from",
        CompareOperator.Contains => "@>",
        CompareOperator.ContainedIn => "<@",
        CompareOperator.Overlaps => "&&",
        CompareOperator.StrictlyLeft => "<<",
        CompareOperator.StrictlyRight => ">>",
        CompareOperator.NotExtendsRight => "&<",
        CompareOperator.NotExtendsLeft => "&>",
        _ => "-|-",
    };
}

/// <summary>How the rows of the main statement become the body.</summary>
internal enum BodyShape
{
    /// <summary>An array of objects (views, SETOF composite functions).</summary>
    Rows,

    /// <summary>One object (a function returning one composite or OUT parameters).</summary>
    Object,

    /// <summary>A bare JSON value (a function returning one scalar).</summary>
    Scalar,

    /// <summary>An array of values (SETOF scalar).</summary>
    ScalarSet,
}
