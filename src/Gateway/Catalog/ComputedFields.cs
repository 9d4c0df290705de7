namespace Gateway.Catalog;

/// <summary>
/// PostgREST's computed fields: a function of the exposed schema whose only argument is an exposed relation's row
/// type and that returns one value which is not another relation's row (that would be a computed relationship) is a
/// virtual column of that relation, named after the function. A stored column of the same name wins.
/// </summary>
internal static class ComputedFields
{
    public static Dictionary<string, Relation> Attach(
        Dictionary<string, Relation> relations, IReadOnlyDictionary<string, string> relationsByRowType, IEnumerable<Routine> functions)
    {
        var fields = functions
            .Where(f => !f.ReturnsSet && !f.ReturnsVoid && f.Inputs is [_] && !relationsByRowType.ContainsKey(f.ReturnType))
            .Select(f => (Relation: relationsByRowType.GetValueOrDefault(f.Inputs[0].Type), Function: f))
            .Where(f => f.Relation is not null && relations.ContainsKey(f.Relation) && relations[f.Relation].FindColumn(f.Function.Name) is null)
            .GroupBy(f => f.Relation!, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.OrderBy(f => f.Function.Name, StringComparer.Ordinal).Select(f => Field(f.Function)).ToList(), StringComparer.Ordinal);
        if (fields.Count == 0)
        {
            return relations;
        }

        return relations.ToDictionary(
            r => r.Key,
            r => fields.TryGetValue(r.Key, out var computed) ? r.Value with { ComputedFields = computed } : r.Value,
            StringComparer.Ordinal);
    }

    private static Column Field(Routine function) =>
        new(function.Name, function.ReturnType, function.ReturnCategory, Nullable: true, HasDefault: false, function.Comment)
        {
            ComputedBy = function,
        };
}
