using System.Globalization;
using Gateway.Planning;
using Gateway.Requests;
using NpgsqlTypes;

namespace Gateway.Sql;

/// <summary>
/// The SQL of resolved select terms, filters, order and columns, over the source aliased <c>_src</c>. Columns are
/// catalog names, quoted; filter values and JSON keys are parameters.
/// </summary>
internal static class Conditions
{
    public static void AppendSelect(SqlText sql, IReadOnlyList<SelectTerm> terms)
    {
        if (terms.Count == 0)
        {
            // An empty select means every column, as in PostgREST.
            sql.Append("_src.*");
            return;
        }

        for (var i = 0; i < terms.Count; i++)
        {
            sql.Append(i == 0 ? "" : ", ");
            switch (terms[i])
            {
                case AllColumns:
                    sql.Append("_src.*");
                    break;
                case ColumnTerm term:
                    if (term.Cast is { } cast)
                    {
                        // The parser admits only [A-Za-z0-9_ $] and [] in a type name; PostgreSQL resolves it (42704 if unknown).
                        sql.Append("cast(");
                        AppendField(sql, term.Field);
                        sql.Append(" as ").Append(cast).Append(")");
                    }
                    else
                    {
                        AppendField(sql, term.Field);
                    }

                    sql.Append(" as ").Identifier(term.OutputName);
                    break;
            }
        }
    }

    public static void AppendWhere(SqlText sql, IReadOnlyList<Condition> conditions)
    {
        if (conditions.Count == 0)
        {
            return;
        }

        sql.Append(" where ");
        for (var i = 0; i < conditions.Count; i++)
        {
            sql.Append(i == 0 ? "" : " and ");
            AppendCondition(sql, conditions[i]);
        }
    }

    public static void AppendOrder(SqlText sql, IReadOnlyList<OrderBy> order)
    {
        if (order.Count == 0)
        {
            return;
        }

        sql.Append(" order by ");
        for (var i = 0; i < order.Count; i++)
        {
            var term = order[i];
            sql.Append(i == 0 ? "" : ", ");
            AppendField(sql, term.Field);
            sql.Append(term.Direction == OrderDirection.Descending ? " desc" : " asc");
            if (term.Nulls is { } nulls)
            {
                sql.Append(nulls == OrderNulls.First ? " nulls first" : " nulls last");
            }
        }
    }

    private static void AppendCondition(SqlText sql, Condition condition)
    {
        switch (condition)
        {
            case FilterCondition filter:
                AppendFilter(sql, filter);
                break;
            case LogicCondition logic:
                sql.Append(logic.Negated ? "not (" : "(");
                for (var i = 0; i < logic.Children.Count; i++)
                {
                    sql.Append(i == 0 ? "" : logic.Operator == LogicOperator.And ? " and " : " or ");
                    AppendCondition(sql, logic.Children[i]);
                }

                sql.Append(")");
                break;
        }
    }

    private static void AppendFilter(SqlText sql, FilterCondition filter)
    {
        sql.Append(filter.Negated ? "not (" : "(");
        switch (filter.Operation)
        {
            case CompareOperation compare:
                AppendField(sql, filter.Field);
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
                AppendField(sql, filter.Field);
                sql.Append(" = any(").Parameter(SqlText.ArrayLiteral(@in.Values)).Append(")");
                break;
            case IsOperation @is:
                AppendField(sql, filter.Field);
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
                AppendFullText(sql, filter.Field, fts);
                break;
        }

        sql.Append(")");
    }

    private static void AppendFullText(SqlText sql, ColumnPath field, FullTextOperation fts)
    {
        var isVector = field.JsonPath.Count == 0 && field.Column.IsTsVector;
        if (!isVector)
        {
            sql.Append("to_tsvector(");
            if (fts.Configuration is { } cfg)
            {
                sql.TypedParameter(cfg, NpgsqlDbType.Text).Append("::regconfig, ");
            }
        }

        AppendField(sql, field);
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
    }

    /// <summary>A column, then its JSON path with keys bound as text parameters.</summary>
    private static void AppendField(SqlText sql, ColumnPath field)
    {
        if (field.JsonPath.Count == 0 || field.Column.IsJson)
        {
            sql.Append("_src.").Identifier(field.Column.Name);
        }
        else
        {
            sql.Append("to_jsonb(_src.").Identifier(field.Column.Name).Append(")");
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
