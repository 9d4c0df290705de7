using Gateway.Catalog;
using Gateway.Planning;
using NpgsqlTypes;

namespace Gateway.Sql;

/// <summary>
/// The main statement of a write through a view: one INSERT (a JSON array is one bulk insert), UPDATE or DELETE,
/// its affected rows in a CTE <c>_w</c>, shaped by <c>select</c> into <c>_t</c>, and the same one-row result as reads
/// (body, total, affected count, response GUCs). The body is one json parameter unpacked by PostgreSQL
/// (<c>json_populate_recordset</c> against the view's row type), so every value is converted by PostgreSQL and
/// none becomes SQL text.
/// </summary>
internal static class WriteQuery
{
    public static SqlText Build(MutatePlan plan)
    {
        var sql = new SqlText();
        var relation = plan.Relation;
        Action<SqlText>? existed = null;
        switch (plan.Mutation)
        {
            case Insert insert:
                existed = AppendInsert(sql, relation, insert);
                break;
            case Update update:
                sql.Append("with _w as (update ");
                Target(sql, relation).Append(" as _src set ");
                for (var i = 0; i < update.Columns.Count; i++)
                {
                    sql.Append(i == 0 ? "" : ", ").Identifier(update.Columns[i]).Append(" = _b.").Identifier(update.Columns[i]);
                }

                sql.Append(" from json_populate_record(null::");
                Target(sql, relation).Append(", ").TypedParameter(update.Row.GetRawText(), NpgsqlDbType.Text).Append("::json) as _b");
                Conditions.AppendWhere(sql, update.Where, SqlScope.Root);
                sql.Append(" returning _src.*)");
                break;
            case Delete delete:
                sql.Append("with _w as (delete from ");
                Target(sql, relation).Append(" as _src");
                Conditions.AppendWhere(sql, delete.Where, SqlScope.Root);
                sql.Append(" returning _src.*)");
                break;
            default:
                // A write that touches no row: a read of nothing, needing no write privilege.
                sql.Append("with _w as (select _src.* from ");
                Target(sql, relation).Append(" as _src where false)");
                break;
        }

        // The affected rows, shaped by ?select= and its embeds (only for return=representation), then the one result row.
        var read = new ReadSql(sql);
        var scope = read.Scope(plan.Returning, "_src");
        sql.Append(", _t as (select ");
        read.Columns(plan.Returning, scope);
        sql.Append(" from _w as _src");
        read.Joins(plan.Returning, scope);
        read.Where(plan.Returning, scope);
        read.GroupBy(plan.Returning, scope);
        read.OrderAndPage(plan.Returning, scope);
        // The one result row, as a read's (body last): for an upsert, how many rows existed before, otherwise the
        // affected count; the affected count; the response GUCs; the body, only for return=representation.
        sql.Append(") select ");
        if (existed is null)
        {
            sql.Append("(select pg_catalog.count(*) from _w)");
        }
        else
        {
            existed(sql);
        }

        sql.Append(", (select pg_catalog.count(*) from _w), ").Append(ReadQuery.ResponseSettings).Append(", ");
        if (plan.Answer.Representation)
        {
            sql.Append("(select ");
            ReadQuery.AppendBody(sql, BodyShape.Rows, plan.Answer.Media);
            sql.Append(" from _t)");
        }
        else
        {
            sql.Append("null::text");
        }

        return sql;
    }

    /// <summary>Writes the INSERT; for an upsert, returns what writes the count of the body's rows that already existed.</summary>
    private static Action<SqlText>? AppendInsert(SqlText sql, Relation relation, Insert insert)
    {
        var columns = insert.Columns;
        sql.Append("with _w as (insert into ");
        Target(sql, relation).Append(" as _src");
        if (columns.Count == 0)
        {
            // {}: one row of defaults.
            sql.Append(" default values returning _src.*)");
            return null;
        }

        sql.Append(" (");
        List(sql, columns, null);
        sql.Append(") select ");
        var rows = insert.Rows.GetRawText();
        if (insert.MissingAsDefault)
        {
            // Prefer: missing=default: a key absent from an object takes the column's default, evaluated per row.
            for (var i = 0; i < columns.Count; i++)
            {
                sql.Append(i == 0 ? "" : ", ");
                var column = columns[i];
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

            sql.Append(" from jsonb_array_elements(").TypedParameter(rows, NpgsqlDbType.Text).Append("::jsonb) as _j")
                .Append(" cross join lateral jsonb_populate_record(null::");
            Target(sql, relation).Append(", _j) as _b");
        }
        else
        {
            List(sql, columns, "_b");
            sql.Append(" from json_populate_recordset(null::");
            Target(sql, relation).Append(", ").TypedParameter(rows, NpgsqlDbType.Text).Append("::json) as _b");
        }

        var conflict = insert.ConflictColumns;
        if (insert.Resolution == Requests.ResolutionPreference.IgnoreDuplicates && conflict is not { Count: > 0 })
        {
            sql.Append(" on conflict do nothing");
        }
        else if (insert.Resolution is { } resolve && conflict is { Count: > 0 })
        {
            sql.Append(" on conflict (");
            for (var i = 0; i < conflict.Count; i++)
            {
                sql.Append(i == 0 ? "" : ", ").Identifier(conflict[i]);
            }

            if (resolve == Requests.ResolutionPreference.IgnoreDuplicates || columns.Count == 0)
            {
                sql.Append(") do nothing");
            }
            else
            {
                // Every body column, the conflict columns too (PostgREST's rule): a body of only the key still
                // updates its row, so return=representation returns it.
                sql.Append(") do update set ");
                for (var i = 0; i < columns.Count; i++)
                {
                    sql.Append(i == 0 ? "" : ", ").Identifier(columns[i].Name).Append(" = excluded.").Identifier(columns[i].Name);
                }
            }
        }

        sql.Append(" returning _src.*)");
        if (!insert.CountsExisting)
        {
            return null;
        }

        // Which rows of the body already existed (the CTE sees the snapshot before the insert): an upsert that only
        // updated answers 200, one that inserted anything 201.
        return target =>
        {
            target.Append("(select pg_catalog.count(*) from ");
            Target(target, relation).Append(" as _e join json_populate_recordset(null::");
            Target(target, relation).Append(", ").TypedParameter(rows, NpgsqlDbType.Text).Append("::json) as _b on ");
            for (var i = 0; i < conflict!.Count; i++)
            {
                target.Append(i == 0 ? "" : " and ").Append("_e.").Identifier(conflict[i]).Append(" = _b.").Identifier(conflict[i]);
            }

            target.Append(")");
        };
    }

    private static SqlText Target(SqlText sql, Relation relation) =>
        sql.Identifier(relation.Schema).Append(".").Identifier(relation.Name);

    private static void List(SqlText sql, IReadOnlyList<Column> columns, string? qualifier)
    {
        for (var i = 0; i < columns.Count; i++)
        {
            sql.Append(i == 0 ? "" : ", ");
            if (qualifier is not null)
            {
                sql.Append(qualifier).Append(".");
            }

            sql.Identifier(columns[i].Name);
        }
    }
}
