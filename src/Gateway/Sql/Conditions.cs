using System.Globalization;
using Gateway.Planning;
using Gateway.Requests;
using NpgsqlTypes;

namespace Gateway.Sql;

/// <summary>
/// The alias a node's source has in the statement (<c>_src</c> at the root), and the aliases of its embeds' joins,
/// which presence filters and related orders name.
/// </summary>
internal sealed record SqlScope(string Alias, IReadOnlyDictionary<Embed, string> Embeds)
{
    public static SqlScope Root { get; } = new("_src", new Dictionary<Embed, string>());
}

/// <summary>
/// The SQL of resolved select terms, filters, order and columns, over a node's source alias. Columns are catalog
/// names, quoted; filter values and JSON keys are parameters.
/// </summary>
internal static class Conditions
{
    /// <summary>The node's own terms, comma-separated; false when it has none (an embed with empty parentheses).</summary>
    public static bool AppendSelect(SqlText sql, IReadOnlyList<SelectTerm> terms, SqlScope scope)
    {
        for (var i = 0; i < terms.Count; i++)
        {
            sql.Append(i == 0 ? "" : ", ");
            AppendTerm(sql, terms[i], scope);
        }

        return terms.Count > 0;
    }

    /// <summary>The expression of a term without its name, as GROUP BY repeats it.</summary>
    public static void AppendExpression(SqlText sql, ColumnTerm term, SqlScope scope)
    {
        if (term.Cast is { } cast)
        {
            // The parser admits only [A-Za-z0-9_ $] and [] in a type name; PostgreSQL resolves it (42704 if unknown).
            sql.Append("cast(");
            AppendField(sql, term.Field, scope);
            sql.Append(" as ").Append(cast).Append(")");
        }
        else
        {
            AppendField(sql, term.Field, scope);
        }
    }

    private static void AppendTerm(SqlText sql, SelectTerm term, SqlScope scope)
    {
        switch (term)
        {
            case AllColumns:
                sql.Append(scope.Alias).Append(".*");
                return;
            case CountTerm count:
                sql.Append(count.Cast is null ? "pg_catalog.count(*)" : "cast(pg_catalog.count(*) as " + count.Cast + ")");
                sql.Append(" as ").Identifier(count.OutputName);
                return;
            case RowMarkerTerm marker:
                sql.Append("true as ").Identifier(marker.OutputName);
                return;
            case ColumnTerm { Aggregate: { } function } column:
                sql.Append(column.AggregateCast is null ? "" : "cast(").Append(Aggregate(function)).Append("(");
                AppendExpression(sql, column, scope);
                sql.Append(")").Append(column.AggregateCast is { } resultCast ? " as " + resultCast + ")" : "");
                sql.Append(" as ").Identifier(column.OutputName);
                return;
            case ColumnTerm column:
                AppendExpression(sql, column, scope);
                sql.Append(" as ").Identifier(column.OutputName);
                return;
        }
    }

    /// <summary>
    /// <c>sum(column)</c> of a column a join returns (a hoisted aggregate), cast when the term asks
    /// (<c>amount.sum()::int</c>); <paramref name="column"/> binds no parameter.
    /// </summary>
    public static string Aggregated(HoistedAggregate aggregate, string column)
    {
        var call = Aggregate(aggregate.Function) + "(" + column + ")";
        return aggregate.Cast is { } cast ? "cast(" + call + " as " + cast + ")" : call;
    }

    private static string Aggregate(AggregateFunction function) => function switch
    {
        AggregateFunction.Count => "pg_catalog.count",
        AggregateFunction.Sum => "pg_catalog.sum",
        AggregateFunction.Avg => "pg_catalog.avg",
        AggregateFunction.Min => "pg_catalog.min",
        _ => "pg_catalog.max",
    };

    public static void AppendWhere(SqlText sql, IReadOnlyList<Condition> conditions, SqlScope scope)
    {
        if (conditions.Count == 0)
        {
            return;
        }

        sql.Append(" where ");
        AppendConditions(sql, conditions, scope);
    }

    /// <summary>The conditions joined by AND, without the keyword.</summary>
    public static void AppendConditions(SqlText sql, IReadOnlyList<Condition> conditions, SqlScope scope)
    {
        for (var i = 0; i < conditions.Count; i++)
        {
            sql.Append(i == 0 ? "" : " and ");
            AppendCondition(sql, conditions[i], scope);
        }
    }

    public static void AppendOrder(SqlText sql, IReadOnlyList<OrderBy> order, SqlScope scope)
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
            // order=client(name): the to-one embed's column, as its join returns it (selected by name, a computed
            // field's value too, and added to the join when the embed does not select it).
            if (term.Embed is { } embed)
            {
                AppendField(sql, term.Field with { Column = term.Field.Column with { ComputedBy = null } }, scope with { Alias = scope.Embeds[embed] });
            }
            else
            {
                AppendField(sql, term.Field, scope);
            }

            sql.Append(term.Direction == OrderDirection.Descending ? " desc" : " asc");
            if (term.Nulls is { } nulls)
            {
                sql.Append(nulls == OrderNulls.First ? " nulls first" : " nulls last");
            }
        }
    }

    private static void AppendCondition(SqlText sql, Condition condition, SqlScope scope)
    {
        switch (condition)
        {
            case FilterCondition filter:
                AppendFilter(sql, filter, scope);
                break;
            case LogicCondition logic:
                sql.Append(logic.Negated ? "not (" : "(");
                for (var i = 0; i < logic.Children.Count; i++)
                {
                    sql.Append(i == 0 ? "" : logic.Operator == LogicOperator.And ? " and " : " or ");
                    AppendCondition(sql, logic.Children[i], scope);
                }

                sql.Append(")");
                break;
            case EmbedPresence { Embed: { Spread: true, ToOne: false } } spread:
                // A to-many spread's row always exists (arrays, empty ones too): its row count says whether it has rows.
                sql.Append("(").Append(scope.Embeds[spread.Embed]).Append(spread.Present ? "._rows > 0)" : "._rows = 0)");
                break;
            case EmbedPresence presence:
                // A row of nulls is "not distinct from null" too: a to-many embed's empty aggregate and a missing to-one row alike.
                sql.Append("(").Append(scope.Embeds[presence.Embed]).Append(presence.Present ? " is distinct from null)" : " is not distinct from null)");
                break;
        }
    }

    private static void AppendFilter(SqlText sql, FilterCondition filter, SqlScope scope)
    {
        sql.Append(filter.Negated ? "not (" : "(");
        switch (filter.Operation)
        {
            case CompareOperation compare:
                AppendField(sql, filter.Field, scope);
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
                AppendField(sql, filter.Field, scope);
                sql.Append(" = any(").Parameter(SqlText.ArrayLiteral(@in.Values)).Append(")");
                break;
            case IsOperation @is:
                AppendField(sql, filter.Field, scope);
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
                AppendFullText(sql, filter.Field, fts, scope);
                break;
        }

        sql.Append(")");
    }

    private static void AppendFullText(SqlText sql, ColumnPath field, FullTextOperation fts, SqlScope scope)
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

        AppendField(sql, field, scope);
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

    /// <summary>A column (or a computed field's call on the row), then its JSON path with keys bound as text parameters.</summary>
    public static void AppendField(SqlText sql, ColumnPath field, SqlScope scope)
    {
        var json = field.JsonPath.Count > 0 && !field.Column.IsJson;
        sql.Append(json ? "to_jsonb(" : "");
        if (field.Column.ComputedBy is { } function)
        {
            sql.Identifier(function.Schema).Append(".").Identifier(function.Name).Append("(").Append(scope.Alias).Append(")");
        }
        else
        {
            sql.Append(scope.Alias).Append(".").Identifier(field.Column.Name);
        }

        sql.Append(json ? ")" : "");

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
