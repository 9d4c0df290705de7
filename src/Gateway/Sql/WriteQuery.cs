using System.Text.Json;
using Gateway.Catalog;
using Gateway.Errors;
using Gateway.Requests;
using NpgsqlTypes;

namespace Gateway.Sql;

/// <summary>
/// Builds the main statement of a write through a view: one INSERT (a JSON array is one bulk insert),
/// UPDATE or DELETE, its affected rows in a CTE <c>_w</c>, shaped by <c>select</c> into <c>_t</c>, and the same
/// one-row result as reads (body, total, affected count, response GUCs). The body is one json parameter
/// unpacked by PostgreSQL (<c>json_populate_recordset</c> against the view's row type), so every value is
/// converted by PostgreSQL and none becomes SQL text.
/// </summary>
internal static class WriteQuery
{
    public static Result<SqlText> Insert(
        Relation relation,
        ApiRequest request,
        JsonElement rows,
        IReadOnlyList<string> columns,
        IReadOnlyList<string>? conflictColumns,
        ResolutionPreference? resolution,
        bool representation)
    {
        var sql = new SqlText().Append("with _w as (insert into ");
        Target(sql, relation).Append(" as _src");
        if (columns.Count == 0)
        {
            // {}: one row of defaults.
            sql.Append(" default values returning _src.*)");
            return Finish(sql, relation, request, representation);
        }

        sql.Append(" (");
        List(sql, columns, null);
        sql.Append(") select ");
        if (request.Preferences.Missing == MissingPreference.Default)
        {
            // Prefer: missing=default: a key absent from an object takes the column's default, evaluated per row.
            for (var i = 0; i < columns.Count; i++)
            {
                sql.Append(i == 0 ? "" : ", ");
                var column = relation.FindColumn(columns[i])!;
                if (column.DefaultExpression is { } expression)
                {
                    sql.Append("case when _j ? ").TypedParameter(column.Name, NpgsqlDbType.Text).Append(" then _b.").Identifier(column.Name)
                        .Append(" else (").Append(expression).Append(")::").Append(column.Type).Append(" end");
                }
                else
                {
                    sql.Append("_b.").Identifier(column.Name);
                }
            }

            sql.Append(" from jsonb_array_elements(").TypedParameter(rows.GetRawText(), NpgsqlDbType.Text).Append("::jsonb) as _j")
                .Append(" cross join lateral jsonb_populate_record(null::");
            Target(sql, relation).Append(", _j) as _b");
        }
        else
        {
            List(sql, columns, "_b");
            sql.Append(" from json_populate_recordset(null::");
            Target(sql, relation).Append(", ").TypedParameter(rows.GetRawText(), NpgsqlDbType.Text).Append("::json) as _b");
        }
        if (resolution == ResolutionPreference.IgnoreDuplicates && conflictColumns is not { Count: > 0 })
        {
            sql.Append(" on conflict do nothing");
        }
        else if (resolution is { } resolve && conflictColumns is { Count: > 0 })
        {
            sql.Append(" on conflict (");
            List(sql, conflictColumns, null);
            if (resolve == ResolutionPreference.IgnoreDuplicates || columns.All(conflictColumns.Contains))
            {
                sql.Append(") do nothing");
            }
            else
            {
                sql.Append(") do update set ");
                var first = true;
                foreach (var column in columns.Where(c => !conflictColumns.Contains(c)))
                {
                    sql.Append(first ? "" : ", ").Identifier(column).Append(" = excluded.").Identifier(column);
                    first = false;
                }
            }
        }

        sql.Append(" returning _src.*)");
        if (resolution is not null && conflictColumns is { Count: > 0 })
        {
            // Which rows of the body already existed (the CTE sees the snapshot before the insert): an upsert
            // that only updated answers 200, one that inserted anything 201.
            return Finish(sql, relation, request, representation, existed: target =>
            {
                target.Append("(select pg_catalog.count(*) from ");
                Target(target, relation).Append(" as _e join json_populate_recordset(null::");
                Target(target, relation).Append(", ").TypedParameter(rows.GetRawText(), NpgsqlDbType.Text).Append("::json) as _b on ");
                for (var i = 0; i < conflictColumns.Count; i++)
                {
                    target.Append(i == 0 ? "" : " and ").Append("_e.").Identifier(conflictColumns[i]).Append(" = _b.").Identifier(conflictColumns[i]);
                }

                target.Append(")");
            });
        }

        return Finish(sql, relation, request, representation);
    }

    public static Result<SqlText> Update(Relation relation, ApiRequest request, JsonElement row, IReadOnlyList<string> columns, bool representation)
    {
        var sql = new SqlText().Append("with _w as (update ");
        Target(sql, relation).Append(" as _src set ");
        for (var i = 0; i < columns.Count; i++)
        {
            sql.Append(i == 0 ? "" : ", ").Identifier(columns[i]).Append(" = _b.").Identifier(columns[i]);
        }

        sql.Append(" from json_populate_record(null::");
        Target(sql, relation).Append(", ").TypedParameter(row.GetRawText(), NpgsqlDbType.Text).Append("::json) as _b");
        if (Where(sql, relation, request) is { } error)
        {
            return error;
        }

        sql.Append(" returning _src.*)");
        return Finish(sql, relation, request, representation);
    }

    /// <summary>A write that touches no row (a PATCH of <c>{}</c>): a read of nothing, needing no write privilege.</summary>
    public static Result<SqlText> Nothing(Relation relation, ApiRequest request, bool representation)
    {
        var sql = new SqlText().Append("with _w as (select _src.* from ");
        Target(sql, relation).Append(" as _src where false)");
        return Finish(sql, relation, request, representation);
    }

    public static Result<SqlText> Delete(Relation relation, ApiRequest request, bool representation)
    {
        var sql = new SqlText().Append("with _w as (delete from ");
        Target(sql, relation).Append(" as _src");
        if (Where(sql, relation, request) is { } error)
        {
            return error;
        }

        sql.Append(" returning _src.*)");
        return Finish(sql, relation, request, representation);
    }

    private static GatewayError? Where(SqlText sql, Relation relation, ApiRequest request) =>
        ReadQuery.AppendWhere(sql, request, relation.ColumnsByName, relation.Name);

    // The affected rows, shaped by ?select= (only for return=representation), then the one result row.
    private static Result<SqlText> Finish(SqlText sql, Relation relation, ApiRequest request, bool representation, Action<SqlText>? existed = null)
    {
        sql.Append(", _t as (select ");
        var error = ReadQuery.AppendSelect(sql, request.Select, relation.ColumnsByName, relation.Name);
        sql.Append(" from _w as _src) select ");
        if (representation)
        {
            sql.Append("(select ");
            ReadQuery.AppendBody(sql, BodyShape.Rows, request.MediaType);
            sql.Append(" from _t)");
        }
        else
        {
            sql.Append("null::text");
        }

        // Second column: for an upsert, how many rows existed before; otherwise the affected count.
        sql.Append(", ");
        if (existed is null)
        {
            sql.Append("(select pg_catalog.count(*) from _w)");
        }
        else
        {
            existed(sql);
        }

        sql.Append(", (select pg_catalog.count(*) from _w), ")
            .Append("nullif(current_setting('response.headers', true), ''), nullif(current_setting('response.status', true), '')");
        return error is null ? sql : error;
    }

    private static SqlText Target(SqlText sql, Relation relation) =>
        sql.Identifier(relation.Schema).Append(".").Identifier(relation.Name);

    private static void List(SqlText sql, IReadOnlyList<string> columns, string? qualifier)
    {
        for (var i = 0; i < columns.Count; i++)
        {
            sql.Append(i == 0 ? "" : ", ");
            if (qualifier is not null)
            {
                sql.Append(qualifier).Append(".");
            }

            sql.Identifier(columns[i]);
        }
    }
}
