using System.Text.Json.Nodes;
using Gateway.Catalog;
using Gateway.Errors;
using Gateway.Requests;

namespace Gateway.Planning;

/// <summary>
/// Which relationship an embed means, by PostgREST's rules (its <c>findRel</c>): the embed names the foreign relation
/// (or, for tables, a foreign key or its column; for a computed relationship, the function), and a hint narrows it
/// by the key's name, one of its columns or the junction. None: 400 PGRST200; several: 300 PGRST201.
/// </summary>
internal static class Relationships
{
    public static Result<Relationship> Find(CatalogSnapshot catalog, string parent, SelectEmbed embed)
    {
        var candidates = catalog.RelationshipsOf(parent).Where(r => Matches(catalog, r, embed.Relation, embed.Hint)).ToList();
        return candidates.Count switch
        {
            1 => candidates[0],
            0 => NotFound(catalog, parent, embed),
            _ => Ambiguous(parent, embed.Relation, candidates),
        };
    }

    private static bool Matches(CatalogSnapshot catalog, Relationship relationship, string target, string? hint)
    {
        if (relationship is ComputedRelationship computed)
        {
            return target == computed.Function.Name;
        }

        var byName = target == relationship.ForeignTable;
        if (relationship.IsSelf && relationship is KeyRelationship self)
        {
            // One key, two relationships: the table's name means its children (one-to-many), the key's column its
            // parent (many-to-one); a hint names the referenced column of the children wanted.
            return hint is null
                ? (byName && self.Kind == Cardinality.OneToMany) || (SingleColumn(self) == target && self.Kind == Cardinality.ManyToOne)
                : byName && self.Kind == Cardinality.OneToMany && SingleForeignColumn(self) == hint;
        }

        if (hint is null)
        {
            // The older forms (the key's name or its column instead of the relation) only reach tables, as in PostgREST.
            var toTable = catalog.FindRelation(relationship.ForeignTable) is { Kind: not 'v' and not 'm' };
            return byName
                || (toTable && relationship is KeyRelationship key && (key.Constraint == target || SingleColumn(key) == target));
        }

        return byName && relationship switch
        {
            KeyRelationship key => key.Constraint == hint || SingleColumn(key) == hint || SingleForeignColumn(key) == hint,
            JunctionRelationship junction => junction.Junction == hint,
            _ => false,
        };
    }

    private static string? SingleColumn(KeyRelationship key) => key.Columns is [var column] ? column : null;

    private static string? SingleForeignColumn(KeyRelationship key) => key.ForeignColumns is [var column] ? column : null;

    private static GatewayError NotFound(CatalogSnapshot catalog, string parent, SelectEmbed embed)
    {
        var using_ = embed.Hint is { } hint ? $"' using the hint '{ClientText.Shorten(hint, 63)}" : "";
        var child = ClientText.Shorten(embed.Relation, 63);
        return new GatewayError(400, "PGRST200",
            $"Could not find a relationship between '{parent}' and '{child}' in the schema cache",
            $"Searched for a foreign key relationship between '{parent}' and '{child}{using_}' in the schema '{catalog.Schema}', but no matches were found.",
            NotFoundHint(catalog, parent, embed.Relation));
    }

    // The closest foreign relation of the parent; or, when the parent is not among the relations with relationships
    // (as PostgREST's cache has them, see RelationshipFinder.Find), the closest of those.
    private static string? NotFoundHint(CatalogSnapshot catalog, string parent, string child)
    {
        if (catalog.Relationships.TryGetValue(parent, out var known))
        {
            return Hints.Closest(known.Select(r => r.ForeignTable).Distinct().Where(name => name != child), child, Hints.NearScore) is { } near
                ? $"Perhaps you meant '{near}' instead of '{ClientText.Shorten(child, 63)}'."
                : null;
        }

        return Hints.Closest(catalog.Relationships.Keys, parent, Hints.NearScore) is { } nearParent
            ? $"Perhaps you meant '{nearParent}' instead of '{parent}'."
            : null;
    }

    private static GatewayError Ambiguous(string parent, string child, IReadOnlyList<Relationship> candidates)
    {
        var details = new JsonArray();
        foreach (var candidate in candidates)
        {
            details.Add(Describe(candidate));
        }

        var choices = string.Join(", ", candidates.Select(c => $"'{c.ForeignTable}!{HintFor(c)}'"));
        return new GatewayError(300, "PGRST201",
            $"Could not embed because more than one relationship was found for '{parent}' and '{ClientText.Shorten(child, 63)}'",
            Hint: $"Try changing '{ClientText.Shorten(child, 63)}' to one of the following: {choices}. Find the desired relationship in the 'details' key.")
        {
            DetailsJson = details,
        };
    }

    private static string HintFor(Relationship relationship) => relationship switch
    {
        KeyRelationship key => key.Constraint,
        JunctionRelationship junction => junction.Junction,
        _ => "",
    };

    // PostgREST's compressedRel, keys in its (alphabetical) order.
    private static JsonObject Describe(Relationship relationship)
    {
        static string List(IReadOnlyList<string> columns) => "(" + string.Join(", ", columns) + ")";
        var description = relationship switch
        {
            JunctionRelationship j => $"{j.Junction} using {j.Constraint}{List(j.JunctionColumns)} and {j.ForeignConstraint}{List(j.ForeignJunctionColumns)}",
            KeyRelationship k => $"{k.Constraint} using {k.Table}{List(k.Columns)} and {k.ForeignTable}{List(k.ForeignColumns)}",
            _ => "",
        };
        return new JsonObject
        {
            ["cardinality"] = relationship.CardinalityName,
            ["embedding"] = $"{relationship.Table} with {relationship.ForeignTable}",
            ["relationship"] = description,
        };
    }
}
