using Gateway.Catalog;
using Gateway.Errors;

namespace Gateway.Planning;

/// <summary>
/// The 404s for names the catalog does not know, with PostgREST's "Perhaps you meant" hints: the closest name
/// (at least 75% similar), or for a known function the closest argument list.
/// </summary>
internal static class Hints
{
    public static GatewayError FunctionNotFound(CatalogSnapshot catalog, string name, IReadOnlyList<string> given, bool jsonBody)
    {
        // A body may carry thousands of keys: the error names at most 20 of them, each cut to an identifier's length.
        const int Shown = 20;
        given = given.Take(Shown).Select(g => ClientText.Shorten(g, 63)).Concat(given.Count > Shown ? ["…"] : []).ToList();
        var schema = catalog.Schema;
        var list = string.Join(", ", given);
        var searched = given.Count switch
        {
            0 => "without parameters",
            1 => $"with parameter {list}",
            _ => $"with parameters {list}",
        };
        var orWholeBody = jsonBody ? " or with a single unnamed json/jsonb parameter" : "";
        // A function of that name: suggest its closest argument list; otherwise the closest function name.
        var sameName = catalog.FindRoutines(name);
        string? hint = sameName.Count > 0
            ? $"Perhaps you meant to call the function {schema}.{name}({ClosestArguments(sameName, given)})"
            : Suggest(catalog.Routines.Keys, name) is { } near ? $"Perhaps you meant to call the function {schema}.{near}" : null;
        return new GatewayError(404, "PGRST202",
            given.Count == 0
                ? $"Could not find the function {schema}.{name} without parameters in the schema cache"
                : $"Could not find the function {schema}.{name}({list}) in the schema cache",
            $"Searched for the function {schema}.{name} {searched}{orWholeBody}, but no matches were found in the schema cache.",
            hint);
    }

    private static string ClosestArguments(IReadOnlyList<Routine> overloads, IReadOnlyList<string> given)
    {
        var wanted = string.Join(", ", given.Order(StringComparer.Ordinal));
        return overloads
            .Select(r => string.Join(", ", r.Inputs.Select(p => p.Name).Order(StringComparer.Ordinal)))
            .OrderByDescending(candidate => Similarity(candidate, wanted))
            .First();
    }

    public static GatewayError RelationNotFound(CatalogSnapshot catalog, string name) =>
        new(404, "PGRST205", $"Could not find the table '{catalog.Schema}.{name}' in the schema cache", null,
            Suggest(catalog.Relations.Keys, name) is { } s ? $"Perhaps you meant the table '{catalog.Schema}.{s}'" : null);

    /// <summary>How similar a relationship's name must be to be suggested for a missing one.</summary>
    public const double NearScore = 0.5;

    /// <summary>The closest known name when it is at least 75% similar (PostgREST's fuzzy hint).</summary>
    private static string? Suggest(IEnumerable<string> names, string wanted) => Closest(names, wanted, 0.75);

    /// <summary>The known name most similar to <paramref name="wanted"/>, when at least <paramref name="minimum"/> similar.</summary>
    public static string? Closest(IEnumerable<string> names, string wanted, double minimum) => names
        .Select(n => (Name: n, Score: Similarity(n, wanted)))
        .Where(x => x.Score >= minimum)
        .OrderByDescending(x => x.Score)
        .Select(x => x.Name)
        .FirstOrDefault();

    // Levenshtein similarity on two rows of the table; names past 200 characters are not worth a hint (and must
    // not cost a client-chosen amount of memory or time).
    private static double Similarity(string a, string b)
    {
        if (a.Length > 200 || b.Length > 200)
        {
            return 0;
        }

        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                current[j] = Math.Min(Math.Min(previous[j] + 1, current[j - 1] + 1), previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            }

            (previous, current) = (current, previous);
        }

        var longest = Math.Max(a.Length, b.Length);
        return longest == 0 ? 1 : 1 - (double)previous[b.Length] / longest;
    }
}
