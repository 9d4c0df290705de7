using System.Globalization;
using Gateway.Catalog;
using Gateway.Planning;
using NpgsqlTypes;

namespace Gateway.Sql;

/// <summary>
/// Writes the nodes of a read tree. A node is one SELECT over its source; each embed is a lateral join on a subquery
/// of the child node, correlated with the parent's row by the relationship: a to-one child is one row
/// (<c>row_to_json</c>), a to-many child is aggregated with <c>json_agg</c> (PostgREST builds the same shape), a spread
/// lifts the child's columns into the parent's row. Aliases (<c>_src</c> at the root, <c>_cN</c>, <c>_jN</c>, <c>_eN</c>
/// below) are unique in the statement.
/// </summary>
internal sealed class ReadSql(SqlText sql)
{
    private int aliases;

    /// <summary>Names the node's embeds' joins for a node whose source is <paramref name="alias"/>.</summary>
    public SqlScope Scope(ReadNode node, string alias)
    {
        var embeds = new Dictionary<Embed, string>(ReferenceEqualityComparer.Instance);
        foreach (var embed in node.Children)
        {
            embeds[embed] = "_e" + (++aliases).ToString(CultureInfo.InvariantCulture);
        }

        return new SqlScope(alias, embeds);
    }

    /// <summary>The node's terms, then a column (or, for a spread, columns) per embed; whether it wrote any.</summary>
    public bool Columns(ReadNode node, SqlScope scope)
    {
        var any = Conditions.AppendSelect(sql, node.Select, scope);
        foreach (var embed in node.Children)
        {
            foreach (var (expression, name, _) in EmbedColumns(node, embed, scope.Embeds[embed]))
            {
                sql.Append(any ? ", " : "").Append(expression).Append(" as ").Identifier(name);
                any = true;
            }
        }

        return any;
    }

    /// <summary>The lateral joins of the node's embeds; with <paramref name="filteringOnly"/>, only those that can remove rows.</summary>
    public void Joins(ReadNode node, SqlScope scope, bool filteringOnly = false)
    {
        foreach (var embed in node.Children)
        {
            if (filteringOnly && !Filters(node, embed))
            {
                continue;
            }

            var alias = scope.Embeds[embed];
            sql.Append(embed.Join == Requests.EmbedJoin.Inner ? " inner join lateral (" : " left join lateral (");
            if (embed.ToOne)
            {
                Child(embed, scope.Alias, OrderOnly(node, embed));
                sql.Append(") as ").Append(alias).Append(" on true");
                continue;
            }

            sql.Append("select ");
            if (embed.Spread)
            {
                // A to-many spread: each of the child's columns becomes an array of its values.
                foreach (var name in OutputNames(embed.Node))
                {
                    sql.Append("coalesce(json_agg(").Append(alias).Append(".").Identifier(name).Append("), '[]')::jsonb as ").Identifier(name).Append(", ");
                }

                sql.Append("pg_catalog.count(*) as _rows from (");
                Child(embed, scope.Alias);
                sql.Append(") as ").Append(alias).Append(") as ").Append(alias)
                    .Append(embed.Join == Requests.EmbedJoin.Inner ? " on " + alias + "._rows > 0" : " on true");
                continue;
            }

            sql.Append("json_agg(").Append(alias).Append(")::jsonb as ").Append(alias).Append(" from (");
            Child(embed, scope.Alias);
            sql.Append(") as ").Append(alias).Append(") as ").Append(alias)
                .Append(embed.Join == Requests.EmbedJoin.Inner ? " on " + alias + "." + alias + " is not null" : " on true");
        }
    }

    public void Append(string keywords) => sql.Append(keywords);

    public void Where(ReadNode node, SqlScope scope) => Conditions.AppendWhere(sql, node.Where, scope);

    /// <summary>GROUP BY every term that does not aggregate, when some term does.</summary>
    public void GroupBy(ReadNode node, SqlScope scope)
    {
        if (!node.Aggregates)
        {
            return;
        }

        var first = true;
        foreach (var term in node.Select.OfType<ColumnTerm>().Where(term => term.Aggregate is null))
        {
            sql.Append(first ? " group by " : ", ");
            Conditions.AppendExpression(sql, term, scope);
            first = false;
        }

        foreach (var embed in node.Children)
        {
            foreach (var (expression, _, aggregated) in EmbedColumns(node, embed, scope.Embeds[embed]))
            {
                if (!aggregated)
                {
                    sql.Append(first ? " group by " : ", ").Append(expression);
                    first = false;
                }
            }
        }
    }

    public void OrderAndPage(ReadNode node, SqlScope scope)
    {
        Conditions.AppendOrder(sql, node.Order, scope);
        if (node.Limit is { } limit)
        {
            sql.Append(" limit ").Append(limit.ToString(CultureInfo.InvariantCulture));
        }

        if (node.Offset > 0)
        {
            sql.Append(" offset ").Append(node.Offset.ToString(CultureInfo.InvariantCulture));
        }
    }

    /// <summary>A source as a FROM item: a relation, a function call, the written rows, or a computed relationship's call.</summary>
    public void Source(RowSource source, string? parentAlias = null)
    {
        switch (source)
        {
            case RelationSource relation:
                Relation(relation.Relation);
                break;
            case CallSource call:
                ReadQuery.AppendCallSource(sql, call);
                break;
            case WrittenRows:
                sql.Append("_w");
                break;
            case ComputedSource computed:
                // The parent's row, as the relation's type: a written row or a call's row is a record of the same columns.
                sql.Identifier(computed.Function.Schema).Append(".").Identifier(computed.Function.Name).Append("(").Append(parentAlias!).Append("::");
                Relation(computed.Parent);
                sql.Append(")");
                break;
        }
    }

    /// <summary>
    /// The names a node's rows have, in order, as a spread lifts them: its terms (a star as every column), then its
    /// embeds (a spread's own names in its place).
    /// </summary>
    public static IEnumerable<string> OutputNames(ReadNode node)
    {
        foreach (var term in node.Select)
        {
            switch (term)
            {
                case AllColumns:
                    foreach (var column in ColumnsOf(node.Source))
                    {
                        yield return column.Name;
                    }

                    break;
                case ColumnTerm column:
                    yield return column.OutputName;
                    break;
                case CountTerm count:
                    yield return count.OutputName;
                    break;
                case RowMarkerTerm marker:
                    yield return marker.OutputName;
                    break;
            }
        }

        foreach (var embed in node.Children.Where(e => !IsEmpty(e)))
        {
            if (embed.Spread)
            {
                foreach (var name in OutputNames(embed.Node))
                {
                    yield return name;
                }
            }
            else
            {
                yield return embed.OutputName;
            }
        }
    }

    // The child's SELECT, correlated with the parent's row by the relationship; orderOnly are columns the parent's
    // order reads that the child does not select, selected under their own names.
    private void Child(Embed embed, string parentAlias, IReadOnlyList<Column>? orderOnly = null)
    {
        var node = embed.Node;
        var index = (++aliases).ToString(CultureInfo.InvariantCulture);
        var alias = "_c" + index;
        var scope = Scope(node, alias);
        sql.Append("select ");
        var any = Columns(node, scope);
        foreach (var column in orderOnly ?? [])
        {
            sql.Append(any ? ", " : "");
            Conditions.AppendField(sql, new ColumnPath(column, []), scope);
            sql.Append(" as ").Identifier(column.Name);
            any = true;
        }
        sql.Append(" from ");
        Source(node.Source, parentAlias);
        sql.Append(" as ").Append(alias);
        var correlation = new List<(string Child, string Parent)>();
        switch (embed.Relationship)
        {
            case KeyRelationship key:
                for (var i = 0; i < key.Columns.Count; i++)
                {
                    correlation.Add((key.ForeignColumns[i], key.Columns[i]));
                }

                break;
            case JunctionRelationship junction:
                var junctionAlias = "_j" + index;
                sql.Append(" join ");
                // The junction is a relation of the exposed schema, as the relations it joins.
                var target = ((RelationSource)node.Source).Relation;
                sql.Identifier(target.Schema).Append(".").Identifier(junction.Junction);
                sql.Append(" as ").Append(junctionAlias).Append(" on ");
                for (var i = 0; i < junction.ForeignColumns.Count; i++)
                {
                    sql.Append(i == 0 ? "" : " and ").Append(junctionAlias).Append(".").Identifier(junction.ForeignJunctionColumns[i])
                        .Append(" = ").Append(alias).Append(".").Identifier(junction.ForeignColumns[i]);
                }

                Joins(node, scope);
                sql.Append(" where ");
                for (var i = 0; i < junction.Columns.Count; i++)
                {
                    sql.Append(i == 0 ? "" : " and ").Append(junctionAlias).Append(".").Identifier(junction.JunctionColumns[i])
                        .Append(" = ").Append(parentAlias).Append(".").Identifier(junction.Columns[i]);
                }

                Rest(node, scope, whereStarted: true);
                return;
        }

        Joins(node, scope);
        for (var i = 0; i < correlation.Count; i++)
        {
            sql.Append(i == 0 ? " where " : " and ").Append(alias).Append(".").Identifier(correlation[i].Child)
                .Append(" = ").Append(parentAlias).Append(".").Identifier(correlation[i].Parent);
        }

        Rest(node, scope, whereStarted: correlation.Count > 0);
    }

    private void Rest(ReadNode node, SqlScope scope, bool whereStarted)
    {
        if (node.Where.Count > 0)
        {
            sql.Append(whereStarted ? " and " : " where ");
            Conditions.AppendConditions(sql, node.Where, scope);
        }

        GroupBy(node, scope);
        OrderAndPage(node, scope);
    }

    private void Relation(Relation relation) => sql.Identifier(relation.Schema).Append(".").Identifier(relation.Name);

    // An embed that selects nothing all the way down (tasks!inner(), users_tasks(tasks(projects()))) is joined only to
    // filter: it shows nothing in its parent's row (PostgREST's rsEmptyEmbed).
    private static bool IsEmpty(Embed embed) => embed.Node.Select.Count == 0 && embed.Node.Children.All(IsEmpty);

    /// <summary>
    /// The columns of a to-one embed that its parent's order reads (<c>order=clients(id)</c>) but the embed does not
    /// select: its join selects them too, and its JSON leaves them out. PostgREST answers 42703 there; ordering by a
    /// column one does not show is ordinary SQL.
    /// </summary>
    private static IReadOnlyList<Column> OrderOnly(ReadNode parent, Embed embed)
    {
        List<Column>? columns = null;
        foreach (var term in parent.Order)
        {
            if (ReferenceEquals(term.Embed, embed) && columns?.Any(c => c.Name == term.Field.Column.Name) != true
                && !OutputNames(embed.Node).Contains(term.Field.Column.Name, StringComparer.Ordinal))
            {
                (columns ??= []).Add(term.Field.Column);
            }
        }

        return columns ?? [];
    }

    /// <summary>What the parent selects of an embed: one JSON value, or a spread's columns (hoisted aggregates aggregated).</summary>
    private static IEnumerable<(string Expression, string Name, bool Aggregated)> EmbedColumns(ReadNode parent, Embed embed, string alias)
    {
        if (IsEmpty(embed))
        {
            return [];
        }

        if (embed.Spread)
        {
            return OutputNames(embed.Node).Select(name => embed.Hoisted.TryGetValue(name, out var aggregate)
                ? (Conditions.Aggregated(aggregate, alias + "." + Quote(name)), aggregate.OutputName, true)
                : (alias + "." + Quote(name), name, false));
        }

        if (!embed.ToOne)
        {
            return [($"coalesce({alias}.{alias}, '[]')", embed.OutputName, false)];
        }

        var json = $"row_to_json({alias}.*)::jsonb";
        foreach (var column in OrderOnly(parent, embed))
        {
            json += " - " + Literal(column.Name);
        }

        return [(json, embed.OutputName, false)];
    }

    // A join can remove rows when it is inner, or when a presence filter of the parent names it.
    private static bool Filters(ReadNode node, Embed embed) =>
        embed.Join == Requests.EmbedJoin.Inner || node.Where.Any(condition => Names(condition, embed));

    private static bool Names(Condition condition, Embed embed) => condition switch
    {
        EmbedPresence presence => ReferenceEquals(presence.Embed, embed),
        LogicCondition logic => logic.Children.Any(child => Names(child, embed)),
        _ => false,
    };

    private static IReadOnlyList<Column> ColumnsOf(RowSource source) => source switch
    {
        RelationSource relation => relation.Relation.Columns,
        WrittenRows written => written.Relation.Columns,
        ComputedSource computed => computed.Rows.Columns,
        CallSource call => call.Routine.ReturnColumns,
        _ => [],
    };

    private static string Literal(string text) => "'" + text.Replace("'", "''", StringComparison.Ordinal) + "'";

    private static string Quote(string name) => "\"" + name.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
