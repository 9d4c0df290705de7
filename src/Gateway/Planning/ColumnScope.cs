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
    public static ColumnScope Of(Relation relation) => new(relation.Name, relation.ColumnsByName);

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
                case SelectField field:
                    var path = Resolve(field.Field);
                    if (!path.IsOk)
                    {
                        return path.Error;
                    }

                    terms.Add(new ColumnTerm(path.Value, field.Cast, field.OutputName));
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
            var path = Resolve(term.Field);
            if (!path.IsOk)
            {
                return path.Error;
            }

            order.Add(new OrderBy(path.Value, term.Direction, term.Nulls));
        }

        return Result<IReadOnlyList<OrderBy>>.Ok(order);
    }

    private Result<Condition> Condition(Filter filter)
    {
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
