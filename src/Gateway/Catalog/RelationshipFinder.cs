namespace Gateway.Catalog;

/// <summary>
/// Turns what the catalog query found (base-table keys, which exposed columns show which base columns, functions from
/// one relation's rows to another's) into the snapshot's relationships, by PostgREST's rules (SchemaCache.hs): a
/// foreign key is carried to every pair of exposed relations that show all its columns at both ends, a junction whose
/// keys to both ends lie in its primary key gives many-to-many, and a computed relationship replaces the key
/// relationships to a relation of its name. Structural only: who may read what is PostgreSQL's business at query time.
/// </summary>
internal static class RelationshipFinder
{
    /// <param name="sources">Which exposed columns show which base-table key columns.</param>
    /// <param name="foreignKeys">The base tables' foreign keys.</param>
    /// <param name="keys">Each exposed relation's primary key, from <see cref="PrimaryKeys"/>.</param>
    /// <param name="relationsByRowType">Exposed relations by their row type's name.</param>
    /// <param name="functions">Functions that may be computed relationships, and whether each returns one row.</param>
    public static Dictionary<string, IReadOnlyList<Relationship>> Find(
        IReadOnlyList<ColumnSource> sources,
        IReadOnlyList<TableForeignKey> foreignKeys,
        IReadOnlyDictionary<string, IReadOnlyList<string>> keys,
        IReadOnlyDictionary<string, string> relationsByRowType,
        IEnumerable<(Routine Function, bool OneRow)> functions)
    {
        var showings = Showings(sources);
        var found = new List<Relationship>();
        foreach (var key in foreignKeys)
        {
            foreach (var (table, columns) in ShownWhole(showings, key.Table, key.Columns))
            {
                foreach (var (foreignTable, foreignColumns) in ShownWhole(showings, key.ForeignTable, key.ForeignColumns))
                {
                    found.Add(new KeyRelationship(
                        table, foreignTable, key.OneToOne ? Cardinality.OneToOne : Cardinality.ManyToOne, key.Constraint, columns, foreignColumns));
                    found.Add(new KeyRelationship(
                        foreignTable, table, key.OneToOne ? Cardinality.OneToOne : Cardinality.OneToMany, key.Constraint, foreignColumns, columns));
                }
            }
        }

        found.AddRange(Junctions(found, keys));

        var computed = Computed(relationsByRowType, functions).ToList();
        // A function named like a relation replaces the key relationships to it (PostgREST lets it override them).
        var replaced = computed.Select(c => (c.Table, c.Function.Name)).ToHashSet();
        found.RemoveAll(r => replaced.Contains((r.Table, r.ForeignTable)));
        found.AddRange(computed);

        var relationships = found
            .GroupBy(r => r.Table, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => (IReadOnlyList<Relationship>)g.Order(PostgrestOrder.Instance).ToList(), StringComparer.Ordinal);

        // PostgREST drops a many-to-many through a junction outside the exposed schema but keeps an entry, emptied, for
        // a relation whose only relationships ran through one: such a relation counts as known when the hint of a
        // missing relationship (PGRST200) is worded, which suggests another embed for it, never another parent.
        foreach (var relation in PrivatelyJoined(showings, foreignKeys))
        {
            relationships.TryAdd(relation, []);
        }

        return relationships;
    }

    // Every way an exposed relation shows all of a table's given columns: one list of its names per combination
    // when it shows a column more than once (PostgREST makes a relationship for each).
    private static IEnumerable<(string Relation, IReadOnlyList<string> Columns)> ShownWhole(
        Dictionary<string, List<Showing>> showings, string table, IReadOnlyList<string> columns)
    {
        foreach (var showing in showings.GetValueOrDefault(table) ?? [])
        {
            if (!columns.All(showing.Names.ContainsKey))
            {
                continue;
            }

            List<IReadOnlyList<string>> combinations = [[]];
            foreach (var column in columns)
            {
                var names = showing.Names[column];
                combinations = names.Count == 1
                    ? combinations.ConvertAll(prefix => (IReadOnlyList<string>)[.. prefix, names[0]])
                    : combinations.SelectMany(prefix => names.Select(name => (IReadOnlyList<string>)[.. prefix, name])).ToList();
            }

            foreach (var combination in combinations)
            {
                yield return (showing.Relation, combination);
            }
        }
    }

    /// <summary>
    /// Each exposed relation's primary key, as PostgREST infers it (SchemaCache.hs, addViewPrimaryKeys): a table's own;
    /// for a view, its first column showing each column of every base table's primary key it shows all of — through
    /// views of views, renamed or not, several tables' keys for a view that joins them. A view that shows only part
    /// of a key has none from that table.
    /// </summary>
    /// <param name="sources">Which exposed columns show which base-table key columns.</param>
    /// <param name="primaryKeys">The base tables' primary key columns, in key order, by schema-qualified name.</param>
    public static Dictionary<string, IReadOnlyList<string>> PrimaryKeys(
        IReadOnlyList<ColumnSource> sources, IReadOnlyDictionary<string, IReadOnlyList<string>> primaryKeys)
    {
        var showings = Showings(sources);
        var keys = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var (table, key) in primaryKeys.OrderBy(k => k.Key, StringComparer.Ordinal))
        {
            foreach (var showing in showings.GetValueOrDefault(table) ?? [])
            {
                if (key.All(showing.Names.ContainsKey))
                {
                    if (!keys.TryGetValue(showing.Relation, out var names))
                    {
                        keys[showing.Relation] = names = [];
                    }

                    names.AddRange(key.Select(column => showing.Names[column][0]).Where(name => !names.Contains(name)));
                }
            }
        }

        return keys.ToDictionary(k => k.Key, k => (IReadOnlyList<string>)k.Value, StringComparer.Ordinal);
    }

    private static Dictionary<string, List<Showing>> Showings(IReadOnlyList<ColumnSource> sources) => sources
        .GroupBy(s => s.Table, StringComparer.Ordinal)
        .ToDictionary(
            table => table.Key,
            table => table.GroupBy(s => s.Relation, StringComparer.Ordinal).Select(Showing.Of).ToList(),
            StringComparer.Ordinal);

    // A junction has many-to-one keys to both ends (a self many-to-many has two to the same relation), with all their
    // columns in its primary key; each ordered pair of such keys is one way through it.
    private static IEnumerable<JunctionRelationship> Junctions(List<Relationship> found, IReadOnlyDictionary<string, IReadOnlyList<string>> keyColumns)
    {
        var toOne = found.OfType<KeyRelationship>().Where(k => k.Kind == Cardinality.ManyToOne).GroupBy(k => k.Table, StringComparer.Ordinal);
        foreach (var junction in toOne)
        {
            if (!keyColumns.TryGetValue(junction.Key, out var key))
            {
                continue;
            }

            var ends = junction.Where(k => k.Columns.All(key.Contains)).ToList();
            foreach (var from in ends)
            {
                foreach (var to in ends.Where(to => to.Constraint != from.Constraint))
                {
                    yield return new JunctionRelationship(
                        from.ForeignTable, to.ForeignTable, junction.Key,
                        from.Constraint, from.ForeignColumns, from.Columns,
                        to.Constraint, to.Columns, to.ForeignColumns);
                }
            }
        }
    }

    // The exposed relations at one end of a many-to-many through a junction outside the exposed schema.
    private static IEnumerable<string> PrivatelyJoined(Dictionary<string, List<Showing>> showings, IReadOnlyList<TableForeignKey> foreignKeys)
    {
        foreach (var junction in foreignKeys.Where(k => k.OfPrivateJunction).GroupBy(k => k.Table, StringComparer.Ordinal))
        {
            foreach (var from in junction)
            {
                if (junction.Any(to => to.Constraint != from.Constraint && ShownWhole(showings, to.ForeignTable, to.ForeignColumns).Any()))
                {
                    foreach (var (relation, _) in ShownWhole(showings, from.ForeignTable, from.ForeignColumns))
                    {
                        yield return relation;
                    }
                }
            }
        }
    }

    // A function taking exactly one argument of an exposed relation's row type and returning rows of one.
    private static IEnumerable<ComputedRelationship> Computed(
        IReadOnlyDictionary<string, string> relationsByRowType, IEnumerable<(Routine Function, bool OneRow)> functions)
    {
        foreach (var (function, oneRow) in functions)
        {
            if (function.Inputs is [var argument]
                && relationsByRowType.TryGetValue(argument.Type, out var table)
                && relationsByRowType.TryGetValue(function.ReturnType, out var foreignTable))
            {
                yield return new ComputedRelationship(table, foreignTable, function, oneRow);
            }
        }
    }

    /// <summary>One exposed relation's names for a base table's columns (a column may be shown under several).</summary>
    private sealed record Showing(string Relation, Dictionary<string, List<string>> Names)
    {
        public static Showing Of(IGrouping<string, ColumnSource> relation) => new(
            relation.Key,
            relation.GroupBy(s => s.TableColumn, StringComparer.Ordinal)
                .ToDictionary(c => c.Key, c => c.Select(s => s.Column).ToList(), StringComparer.Ordinal));
    }

    /// <summary>
    /// PostgREST's order of one relation's relationships (its derived <c>Ord</c>), which is the order candidates are
    /// listed in a PGRST201 answer: key relationships before computed ones; then by foreign table; one-to-many,
    /// many-to-one, one-to-one, many-to-many; then constraint (or junction) and columns.
    /// </summary>
    private sealed class PostgrestOrder : IComparer<Relationship>
    {
        public static readonly PostgrestOrder Instance = new();

        public int Compare(Relationship? x, Relationship? y)
        {
            if (x is ComputedRelationship || y is ComputedRelationship)
            {
                return (x, y) switch
                {
                    (ComputedRelationship a, ComputedRelationship b) => Then(
                        string.CompareOrdinal(a.Function.Name, b.Function.Name),
                        Then(string.CompareOrdinal(a.ForeignTable, b.ForeignTable), a.ReturnsOne.CompareTo(b.ReturnsOne))),
                    (ComputedRelationship, _) => 1,
                    _ => -1,
                };
            }

            var order = Then(string.CompareOrdinal(x!.ForeignTable, y!.ForeignTable), Rank(x.Cardinality).CompareTo(Rank(y.Cardinality)));
            return order != 0 ? order : (x, y) switch
            {
                (KeyRelationship k, KeyRelationship l) => Then(
                    string.CompareOrdinal(k.Constraint, l.Constraint),
                    Pairs(k.Columns, k.ForeignColumns, l.Columns, l.ForeignColumns)),
                (JunctionRelationship j, JunctionRelationship k) => Then(
                    string.CompareOrdinal(j.Junction, k.Junction),
                    Then(
                        string.CompareOrdinal(j.Constraint, k.Constraint),
                        Then(
                            string.CompareOrdinal(j.ForeignConstraint, k.ForeignConstraint),
                            Then(
                                Pairs(j.Columns, j.JunctionColumns, k.Columns, k.JunctionColumns),
                                Pairs(j.ForeignColumns, j.ForeignJunctionColumns, k.ForeignColumns, k.ForeignJunctionColumns))))),
                _ => 0,
            };
        }

        private static int Rank(Cardinality cardinality) => cardinality switch
        {
            Cardinality.OneToMany => 0,
            Cardinality.ManyToOne => 1,
            Cardinality.OneToOne => 2,
            _ => 3,
        };

        private static int Then(int first, int second) => first != 0 ? first : second;

        // Lists of column pairs compare element by element, a prefix first (Haskell's list order).
        private static int Pairs(IReadOnlyList<string> a1, IReadOnlyList<string> a2, IReadOnlyList<string> b1, IReadOnlyList<string> b2)
        {
            for (var i = 0; i < Math.Min(a1.Count, b1.Count); i++)
            {
                var c = Then(string.CompareOrdinal(a1[i], b1[i]), string.CompareOrdinal(a2[i], b2[i]));
                if (c != 0)
                {
                    return c;
                }
            }

            return a1.Count.CompareTo(b1.Count);
        }
    }
}

/// <summary>An exposed relation's <see cref="Column"/> that shows <see cref="TableColumn"/> of the base table <see cref="Table"/> (schema-qualified).</summary>
internal sealed record ColumnSource(string Relation, string Column, string Table, string TableColumn);

/// <summary>
/// A base table's foreign key, in any schema; one-to-one when its columns are exactly a primary key or unique
/// constraint's; of a private junction when its table lies outside the exposed schema and its columns inside the
/// table's primary key.
/// </summary>
internal sealed record TableForeignKey(
    string Constraint,
    string Table,
    IReadOnlyList<string> Columns,
    string ForeignTable,
    IReadOnlyList<string> ForeignColumns,
    bool OneToOne,
    bool OfPrivateJunction = false);
