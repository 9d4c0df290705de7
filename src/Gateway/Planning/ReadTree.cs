using Gateway.Catalog;
using Gateway.Errors;
using Gateway.Requests;

namespace Gateway.Planning;

/// <summary>The parameters addressed to one node of a read: the root's from the request, an embed's by its path.</summary>
internal sealed record NodeQuery(IReadOnlyList<Filter> Filters, IReadOnlyList<LogicExpression> Logic, IReadOnlyList<OrderTerm> Order, long? Limit, long Offset)
{
    public static NodeQuery Of(ApiRequest request, long? limit, long offset) => new(request.Filters, request.Logic, request.Order, limit, offset);

    public static NodeQuery Of(EmbedQuery embedded, long? maxRows) =>
        new(embedded.Filters, embedded.Logic, embedded.Order, Cap(embedded.Limit, maxRows), embedded.Offset);

    public static NodeQuery Empty(long? maxRows) => new([], [], [], maxRows, 0);

    // Gateway:MaxRows caps every node of a read, embedded ones too (PostgREST's db-max-rows).
    private static long? Cap(long? limit, long? maxRows) => (limit, maxRows) switch
    {
        ({ } l, { } m) => Math.Min(l, m),
        (null, { } m) => m,
        _ => limit,
    };
}

/// <summary>
/// Plans the tree of a read: a node per relation, with its select, filters, order and page resolved against the
/// catalog, and a child per embedded resource, found among the catalog's relationships (400 PGRST200 when there is
/// none, 300 PGRST201 when several match and no hint picks one). Filters on an embed's presence (<c>tasks=not.is.null</c>)
/// and orders by a to-one embed's column (<c>order=client(name)</c>) are resolved here too.
/// </summary>
internal sealed class ReadTree(CatalogSnapshot catalog, ApiRequest request, PlanSettings settings)
{
    private int hoistedNames;

    private EmbedPaths embedded = new([], null);

    /// <summary>After <see cref="Root"/>: the <c>Warning</c> header the answer carries, when a parameter named an aliased embed by its relation.</summary>
    public string? Warning => embedded.Warning;

    /// <param name="relation">The relation whose relationships embeds follow; null when the rows are not a relation's.</param>
    /// <param name="whereFirst">Resolve the filters before the select (a counted call filters before it selects), so the first unknown name wins as the statement reads.</param>
    /// <param name="select">The select to plan, when not the request's (a headers-only insert selects its key).</param>
    public Result<ReadNode> Root(
        RowSource source, ColumnScope scope, Relation? relation, NodeQuery query, bool whereFirst = false, IReadOnlyList<SelectItem>? select = null)
    {
        var paths = EmbedPaths.Resolve(request.Select, request.Embedded);
        if (!paths.IsOk)
        {
            return paths.Error;
        }

        embedded = paths.Value;
        return Node(source, scope, relation, select ?? request.Select, query, [], whereFirst);
    }

    private Result<ReadNode> Node(
        RowSource source, ColumnScope scope, Relation? relation, IReadOnlyList<SelectItem> select, NodeQuery query, IReadOnlyList<string> path, bool whereFirst)
    {
        var children = new List<Embed>();
        foreach (var item in select)
        {
            if (item is not SelectEmbed embed)
            {
                continue;
            }

            var child = PlanEmbed(scope, relation, embed, [.. path, embed.OutputName]);
            if (!child.IsOk)
            {
                return child.Error;
            }

            children.Add(child.Value);
        }

        scope = scope with { Embeds = children };
        var plain = select.Where(item => item is not SelectEmbed).ToList();
        Result<IReadOnlyList<SelectTerm>> terms = default;
        if (!whereFirst)
        {
            terms = Terms(scope, plain, children.Count > 0, root: path.Count == 0);
            if (!terms.IsOk)
            {
                return terms.Error;
            }
        }

        var where = scope.Where(query.Filters, query.Logic);
        if (!where.IsOk)
        {
            return where.Error;
        }

        if (whereFirst)
        {
            terms = Terms(scope, plain, children.Count > 0, root: path.Count == 0);
            if (!terms.IsOk)
            {
                return terms.Error;
            }
        }

        var order = scope.Order(query.Order);
        if (!order.IsOk)
        {
            return order.Error;
        }

        return new ReadNode(source, terms.Value!, where.Value, order.Value, query.Limit, query.Offset) { Children = children };
    }

    private Result<IReadOnlyList<SelectTerm>> Terms(ColumnScope scope, IReadOnlyList<SelectItem> plain, bool hasEmbeds, bool root)
    {
        // An empty select means every column at the root (PostgREST); an embed's empty parentheses mean none, and
        // select=tasks(*) alone gives rows of only their embeds.
        if (plain.Count == 0)
        {
            return Result<IReadOnlyList<SelectTerm>>.Ok(root && !hasEmbeds ? [AllColumns.Instance] : []);
        }

        var terms = scope.Select(plain);
        if (!terms.IsOk)
        {
            return terms;
        }

        var aggregates = terms.Value.Any(SelectTerm.IsAggregate);
        if (aggregates && !settings.AggregatesEnabled)
        {
            return PlanErrors.AggregatesNotAllowed;
        }

        // Grouping names every column: a star next to an aggregate is expanded (PostgREST's expandStars).
        return aggregates && terms.Value.Any(term => term is AllColumns)
            ? Result<IReadOnlyList<SelectTerm>>.Ok(terms.Value.SelectMany(term => term is AllColumns ? scope.AllColumnTerms() : [term]).ToList())
            : terms;
    }

    private Result<Embed> PlanEmbed(ColumnScope parentScope, Relation? parent, SelectEmbed embed, IReadOnlyList<string> path)
    {
        var relationship = Relationships.Find(catalog, parent?.Name ?? parentScope.SourceName, embed);
        if (!relationship.IsOk)
        {
            return relationship.Error;
        }

        var found = relationship.Value;
        var child = catalog.FindRelation(found.ForeignTable)!;
        RowSource source = found is ComputedRelationship computed ? new ComputedSource(computed.Function, parent!, child) : new RelationSource(child);
        var query = embedded.For(path) is { } parameters ? NodeQuery.Of(parameters, settings.MaxRows) : NodeQuery.Empty(settings.MaxRows);
        var node = Node(source, ColumnScope.Of(child), child, embed.Select, query, path, whereFirst: false);
        if (!node.IsOk)
        {
            return node.Error;
        }

        // A to-many spread is already an array per column: PostgREST has no meaning for an aggregate in it.
        if (embed.Spread && !found.ToOne && node.Value.Aggregates)
        {
            return PlanErrors.ToManySpreadAggregates;
        }

        return embed.Spread && found.ToOne
            ? Hoist(new Embed(found, embed.OutputName, embed.Join, embed.Spread, node.Value))
            : new Embed(found, embed.OutputName, embed.Join, embed.Spread, node.Value);
    }

    // A to-one spread's aggregates aggregate the rows of the nearest ancestor that is no to-one spread: the spread
    // selects a plain column (a row marker for count()) under a name of its own, and hands the aggregate up, with those
    // of the to-one spreads inside it, whose columns it passes on unaggregated.
    private Embed Hoist(Embed spread)
    {
        var hoisted = new Dictionary<string, HoistedAggregate>(StringComparer.Ordinal);
        var select = spread.Node.Select.Select(term =>
        {
            switch (term)
            {
                case ColumnTerm { Aggregate: { } function } aggregate:
                    var column = new ColumnTerm(aggregate.Field, aggregate.Cast, HoistedName());
                    hoisted[column.OutputName] = new HoistedAggregate(function, aggregate.AggregateCast, aggregate.OutputName);
                    return column;
                case CountTerm { Legacy: false } count:
                    var marker = new RowMarkerTerm(HoistedName());
                    hoisted[marker.OutputName] = new HoistedAggregate(AggregateFunction.Count, count.Cast, count.OutputName);
                    return marker;
                default:
                    return term;
            }
        }).ToList();
        var children = spread.Node.Children.Select(child =>
        {
            if (child.Hoisted.Count == 0)
            {
                return child;
            }

            foreach (var (name, aggregate) in child.Hoisted)
            {
                hoisted[name] = aggregate;
            }

            return child with { Hoisted = new Dictionary<string, HoistedAggregate>() };
        }).ToList();
        return hoisted.Count == 0 ? spread : spread with { Node = spread.Node with { Select = select, Children = children }, Hoisted = hoisted };
    }

    // Unique in the request, so aggregates handed up from several spreads never share a name.
    private string HoistedName() => "_h" + (++hoistedNames).ToString(System.Globalization.CultureInfo.InvariantCulture);
}
