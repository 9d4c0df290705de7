using Gateway.Catalog;

namespace Gateway.Tests.Catalog;

/// <summary>
/// A relationship as one line, <c>table(columns) kind constraint foreign_table(columns)</c>, so an expectation reads
/// like the schema (records compare their column lists by reference). Linked into the integration tests too.
/// </summary>
internal static class RelationshipText
{
    public static List<string> Describe(CatalogSnapshot catalog, string table) =>
        catalog.RelationshipsOf(table).Select(Describe).ToList();

    public static string Describe(Relationship relationship) => relationship switch
    {
        KeyRelationship k => $"{k.Table}({Join(k.Columns)}) {Name(k.Cardinality)} {k.Constraint} {k.ForeignTable}({Join(k.ForeignColumns)})",
        JunctionRelationship j => $"{j.Table}({Join(j.Columns)}) many-to-many {j.Junction}({Join(j.JunctionColumns)}) "
            + $"{j.Constraint}|{j.ForeignConstraint} {j.Junction}({Join(j.ForeignJunctionColumns)}) {j.ForeignTable}({Join(j.ForeignColumns)})",
        ComputedRelationship c => $"{c.Table} computed {c.Function.Name}() {(c.ToOne ? "to-one" : "to-many")} {c.ForeignTable}",
        _ => throw new ArgumentOutOfRangeException(nameof(relationship)),
    };

    private static string Join(IEnumerable<string> columns) => string.Join(", ", columns);

    private static string Name(Cardinality cardinality) => cardinality switch
    {
        Cardinality.ManyToOne => "many-to-one",
        Cardinality.OneToMany => "one-to-many",
        Cardinality.OneToOne => "one-to-one",
        _ => "many-to-many",
    };
}
