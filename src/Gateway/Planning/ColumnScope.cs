using Gateway.Catalog;
using Gateway.Errors;
using Gateway.Requests;

namespace Gateway.Planning;

/// <summary>
/// The columns a node's select, filters and order may name: a relation's, or a call result's. Every name of the
/// request is checked here, so an unknown one is 400 42703 before any SQL is written.
/// </summary>
internal sealed record ColumnScope(string SourceName, IReadOnlyDictionary<string, Column> Columns)
{
    /// <summary>The node's embeds, which presence filters (<c>tasks=not.is.null</c>) and related orders name.</summary>
    public IReadOnlyList<Embed> Embeds { get; init; } = [];

    /// <summary>The columns in their order, for a relation (a call result's dictionary has no order worth keeping).</summary>
    private IReadOnlyList<Column>? Ordered { get; init; }

    /// <summary>A relation's columns and its computed fields (which <c>*</c> leaves out, as in PostgREST).</summary>
    public static ColumnScope Of(Relation relation) => relation.ComputedFields.Count == 0
        ? new(relation.Name, relation.ColumnsByName) { Ordered = relation.Columns }
        : new(relation.Name, relation.ColumnsByName.Concat(relation.ComputedFields.Select(f => KeyValuePair.Create(f.Name, f))).ToDictionary(StringComparer.Ordinal))
        {
            Ordered = relation.Columns,
        };

    /// <summary><c>*</c> as one term per column, for a select that must name them (grouping).</summary>
    public IEnumerable<SelectTerm> AllColumnTerms() => (Ordered ?? [.. Columns.Values])
        .Select(column => new ColumnTerm(new ColumnPath(column, []), null, column.Name));

    /// <summary>The columns of an embed's relation (or of its function's rows).</summary>
    private static ColumnScope Of(ReadNode node) => node.Source switch
    {
        RelationSource source => Of(source.Relation),
        ComputedSource computed => Of(computed.Rows),
        _ => throw new ArgumentException("An embed reads a relation or a computed relationship.", nameof(node)),
    };

    public Result<ColumnPath> Resolve(Field field) => Columns.TryGetValue(field.Column, out var column)
        ? new ColumnPath(column, field.JsonPath)
        : new GatewayError(400, "42703", $"column {SourceName}.{field.Column} does not exist");

    /// <summary><c>?select=</c>; an empty list selects every column, as <c>*</c> does.</summary>
    public Result<IReadOnlyList<SelectTerm>> Select(IReadOnlyList<SelectItem> items)
    {
        var terms = new List<SelectTerm>(items.Count);
        foreach (var item in items)
        {
            switch (item)
            {
                case SelectAll:
                    terms.Add(AllColumns.Instance);
                    break;
                case SelectField { Field: { Column: "count", JsonPath.Count: 0 }, Aggregate: null } legacy when !Columns.ContainsKey("count"):
                    terms.Add(new CountTerm(legacy.OutputName, legacy.Cast) { Legacy = true });
                    break;
                case SelectField field:
                    var path = Resolve(field.Field);
                    if (!path.IsOk)
                    {
                        return path.Error;
                    }

                    // An aggregate's key is its function's name, as PostgreSQL labels it, unless aliased.
                    var name = field.Aggregate is { } aggregate ? field.Alias ?? aggregate.ToString().ToLowerInvariant() : field.OutputName;
                    terms.Add(new ColumnTerm(path.Value, field.Cast, name) { Aggregate = field.Aggregate, AggregateCast = field.AggregateCast });
                    break;
                case SelectCount count:
                    terms.Add(new CountTerm(count.OutputName, count.Cast));
                    break;
            }
        }

        return Result<IReadOnlyList<SelectTerm>>.Ok(terms);
    }

    /// <summary>The column filters, then each <c>or</c>/<c>and</c> tree; all of them combined with AND.</summary>
    public Result<IReadOnlyList<Condition>> Where(IReadOnlyList<Filter> filters, IReadOnlyList<LogicExpression> logic)
    {
        var conditions = new List<Condition>(filters.Count + logic.Count);
        foreach (var filter in filters)
        {
            var condition = Condition(filter);
            if (!condition.IsOk)
            {
                return condition.Error;
            }

            conditions.Add(condition.Value);
        }

        foreach (var tree in logic)
        {
            var condition = Condition(tree);
            if (!condition.IsOk)
            {
                return condition.Error;
            }

            conditions.Add(condition.Value);
        }

        return Result<IReadOnlyList<Condition>>.Ok(conditions);
    }

    public Result<IReadOnlyList<OrderBy>> Order(IReadOnlyList<OrderTerm> terms)
    {
        var order = new List<OrderBy>(terms.Count);
        foreach (var term in terms)
        {
            var scope = this;
            Embed? embed = null;
            if (term.Embed is { } name)
            {
                // order=client(name): only a to-one embed has one value per row to order by.
                embed = Embeds.FirstOrDefault(e => e.OutputName == name);
                if (embed is null)
                {
                    return PlanErrors.NotEmbedded(name);
                }

                if (!embed.ToOne)
                {
                    return new GatewayError(400, "PGRST118", $"A related order on '{name}' is not possible",
                        $"'{SourceName}' and '{name}' do not form a many-to-one or one-to-one relationship");
                }

                scope = Of(embed.Node);
                if (Aliased(embed.Node, term.Field) is { } aliased)
                {
                    order.Add(new OrderBy(aliased, term.Direction, term.Nulls) { Embed = embed });
                    continue;
                }
            }

            var path = scope.Resolve(term.Field);
            if (!path.IsOk)
            {
                return path.Error;
            }

            order.Add(new OrderBy(path.Value, term.Direction, term.Nulls) { Embed = embed });
        }

        return Result<IReadOnlyList<OrderBy>>.Ok(order);
    }

    // order=supervisors(supervisor) where the embed selects supervisor:id: the embed's rows carry the alias, which
    // the order reads as the column of that name (PostgREST orders by the joined row's column of that name).
    private static ColumnPath? Aliased(ReadNode embedded, Field field) =>
        embedded.Select.OfType<ColumnTerm>().FirstOrDefault(term => term.Aggregate is null && term.OutputName == field.Column
            && term.OutputName != term.Field.Column.Name) is { } aliased
            ? new ColumnPath(aliased.Field.Column with { Name = aliased.OutputName, ComputedBy = null }, field.JsonPath)
            : null;

    private Result<Condition> Condition(Filter filter)
    {
        // tasks=not.is.null: whether the row has related rows, when tasks is embedded (PostgREST's null embed filter).
        if (filter is { Field.JsonPath.Count: 0, Operation: IsOperation { Value: IsValue.Null or IsValue.NotNull } presence }
            && Embeds.FirstOrDefault(e => e.OutputName == filter.Field.Column) is { } embed)
        {
            return new EmbedPresence(embed, (presence.Value == IsValue.NotNull) != filter.Negated);
        }

        var path = Resolve(filter.Field);
        return path.IsOk ? new FilterCondition(path.Value, filter.Negated, filter.Operation) : path.Error;
    }

    private Result<Condition> Condition(LogicTree tree)
    {
        if (tree is LogicFilter leaf)
        {
            return Condition(leaf.Filter);
        }

        var expression = (LogicExpression)tree;
        var children = new List<Condition>(expression.Children.Count);
        foreach (var child in expression.Children)
        {
            var condition = Condition(child);
            if (!condition.IsOk)
            {
                return condition.Error;
            }

            children.Add(condition.Value);
        }

        return new LogicCondition(expression.Negated, expression.Operator, children);
    }
}
