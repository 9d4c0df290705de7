using Gateway.Catalog;
using Gateway.Errors;
using Gateway.Requests;

namespace Gateway.Planning;

/// <summary>
/// The 404s for names the catalog does not know, worded as PostgREST words them, with its "Perhaps you meant" hints
/// (<see cref="FuzzyNames"/>): the closest table or function name (at least 75% similar), or for a known function
/// the closest argument list (at least 33%).
/// </summary>
internal static class Hints
{
    /// <summary>
    /// 404 PGRST202. <paramref name="keys"/> are the argument names given; <paramref name="posted"/> the body's media
    /// type on POST, null on GET/HEAD. A raw body (text, xml, bytea) searched only for a single unnamed parameter,
    /// so the message names no arguments and there is no hint.
    /// </summary>
    public static GatewayError FunctionNotFound(CatalogSnapshot catalog, string name, IReadOnlyCollection<string> keys, BodyMediaType? posted)
    {
        // PostgREST names the keys as a set, sorted. A body may carry thousands of them: the error names at most 20,
        // each cut to an identifier's length.
        const int Shown = 20;
        var sorted = keys.Distinct().Order(StringComparer.Ordinal).ToList();
        var list = string.Join(", ", sorted.Take(Shown).Select(k => ClientText.Shorten(k, 63)).Concat(sorted.Count > Shown ? ["…"] : []));
        var function = $"{catalog.Schema}.{name}";
        var withParameters = sorted.Count switch
        {
            0 => " without parameters",
            1 => $" with parameter {list}",
            _ => $" with parameters {list}",
        };
        var searched = posted switch
        {
            BodyMediaType.TextPlain => " with a single unnamed text parameter",
            BodyMediaType.TextXml => " with a single unnamed xml parameter",
            BodyMediaType.OctetStream => " with a single unnamed bytea parameter",
            BodyMediaType.Json => withParameters + " or with a single unnamed json/jsonb parameter",
            _ => withParameters,
        };
        var raw = posted?.IsRaw() == true;
        var called = raw ? "" : sorted.Count == 0 ? " without parameters" : $"({list})";
        return new GatewayError(404, "PGRST202",
            $"Could not find the function {function}{called} in the schema cache",
            $"Searched for the function {function}{searched}, but no matches were found in the schema cache.",
            raw ? null : FunctionHint(catalog, name, sorted));
    }

    // A function of that name: its argument list closest to the given one; otherwise the closest function name.
    private static string? FunctionHint(CatalogSnapshot catalog, string name, IReadOnlyList<string> keys)
    {
        var prefix = $"Perhaps you meant to call the function {catalog.Schema}.";
        var overloads = catalog.FindCallable(name);
        if (overloads.Count > 0)
        {
            return FuzzyNames.Closest(overloads.Select(o => ArgumentList(o.Inputs.Select(p => p.Name))), ArgumentList(keys), 0.33) is { } arguments
                ? prefix + name + arguments
                : null;
        }

        var callable = catalog.Routines.Where(r => r.Value.Any(o => o.IsCallable)).Select(r => r.Key);
        return FuzzyNames.Closest(callable, name, 0.75) is { } near ? prefix + near : null;
    }

    private static string ArgumentList(IEnumerable<string> names) => "(" + string.Join(", ", names.Order(StringComparer.Ordinal)) + ")";

    /// <summary>404 PGRST205, with the closest table name as hint.</summary>
    public static GatewayError RelationNotFound(CatalogSnapshot catalog, string name) =>
        new(404, "PGRST205", $"Could not find the table '{catalog.Schema}.{name}' in the schema cache", null,
            FuzzyNames.Closest(catalog.Relations.Keys, name, 0.75) is { } s ? $"Perhaps you meant the table '{catalog.Schema}.{s}'" : null);

    /// <summary>How similar a relationship's name must be to be suggested for a missing one.</summary>
    public const double NearScore = 0.5;

    /// <summary>The known name most similar to <paramref name="wanted"/>, when at least <paramref name="minimum"/> similar.</summary>
    public static string? Closest(IEnumerable<string> names, string wanted, double minimum) => names
        .Select(n => (Name: n, Score: Similarity(n, wanted)))
        .Where(x => x.Score >= minimum)
        .OrderByDescending(x => x.Score)
        .Select(x => x.Name)
        .FirstOrDefault();

    // Names past 200 characters are not worth a hint (and must not cost a client-chosen amount of memory or time).
    private static double Similarity(string a, string b) => a.Length > 200 || b.Length > 200 ? 0 : FuzzyNames.Similarity(a, b);
}
