using Gateway.Catalog;
using Gateway.Errors;
using Gateway.Requests;

namespace Gateway.Planning;

/// <summary>
/// Which overload of a function a call means, by PostgREST's rules (<c>findProc</c>), decided before PostgreSQL is
/// asked: among the callable overloads, those whose parameters fit the argument names; only when none does, those with
/// a single unnamed parameter that take the body as it was posted (<c>json</c>/<c>jsonb</c> for JSON, <c>text</c> for
/// <c>text/plain</c>, <c>xml</c> for <c>text/xml</c>, <c>bytea</c> for <c>application/octet-stream</c>). None is 404
/// PGRST202, several are 300 PGRST203.
/// </summary>
internal static class Overloads
{
    /// <param name="keys">The argument names: query-string keys on GET/HEAD, body keys or <c>?columns=</c> on POST.</param>
    /// <param name="posted">The body's media type on POST; null on GET/HEAD.</param>
    public static Result<Routine> Choose(CatalogSnapshot catalog, string name, IReadOnlySet<string> keys, BodyMediaType? posted)
    {
        var callable = catalog.FindCallable(name);
        var named = callable.Where(r => Fits(r, keys, posted)).ToList();
        var candidates = named.Count > 0 ? named : callable.Where(r => TakesBody(r, posted)).ToList();
        return candidates.Count switch
        {
            0 => Hints.FunctionNotFound(catalog, name, keys, posted),
            1 => candidates[0],
            _ => Ambiguous(catalog.Schema, candidates),
        };
    }

    // Every required parameter given and every name a parameter (an unnamed one is called ""). A function without
    // parameters fits no names, and no raw body.
    private static bool Fits(Routine routine, IReadOnlySet<string> keys, BodyMediaType? posted) =>
        routine.Inputs.Count == 0
            ? keys.Count == 0 && posted?.IsRaw() != true
            : routine.Inputs.All(p => p.HasDefault || keys.Contains(p.Name)) && keys.All(k => routine.Inputs.Any(p => p.Name == k));

    private static bool TakesBody(Routine routine, BodyMediaType? posted) =>
        routine.SingleUnnamed is { } parameter && (posted, parameter.Type) switch
        {
            (BodyMediaType.Json, "json" or "jsonb") => true,
            (BodyMediaType.TextPlain, "text") => true,
            (BodyMediaType.TextXml, "xml") => true,
            (BodyMediaType.OctetStream, "bytea") => true,
            _ => false,
        };

    private static GatewayError Ambiguous(string schema, IEnumerable<Routine> candidates) =>
        new(300, "PGRST203",
            "Could not choose the best candidate function between: " + string.Join(", ", candidates
                .Order(PostgrestOrder.Instance)
                .Select(c => $"{schema}.{c.Name}({string.Join(", ", c.Inputs.Select(p => $"{p.Name} => {p.Type}"))})")),
            null, "Try renaming the parameters or the function itself in the database so function overloading can be resolved");

    /// <summary>PostgREST's order of overloads: fewer parameters first, then by comment (none first), then by parameters' names and types.</summary>
    private sealed class PostgrestOrder : IComparer<Routine>
    {
        public static PostgrestOrder Instance { get; } = new();

        public int Compare(Routine? x, Routine? y)
        {
            var (a, b) = (x!.Inputs, y!.Inputs);
            var byCount = a.Count.CompareTo(b.Count);
            if (byCount != 0)
            {
                return byCount;
            }

            var byComment = (x.Comment, y.Comment) switch
            {
                (null, null) => 0,
                (null, _) => -1,
                (_, null) => 1,
                _ => string.CompareOrdinal(x.Comment, y.Comment),
            };
            if (byComment != 0)
            {
                return byComment;
            }

            return a.Zip(b, (p, q) => string.CompareOrdinal(p.Name, q.Name) is var byName and not 0 ? byName : string.CompareOrdinal(p.Type, q.Type))
                .FirstOrDefault(c => c != 0);
        }
    }
}
