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
        // Most names have one overload, which most calls fit: then no list is made.
        Routine? only = null;
        List<Routine>? candidates = null;
        foreach (var routine in callable)
        {
            if (Fits(routine, keys, posted))
            {
                Add(routine, ref only, ref candidates);
            }
        }

        if (only is null)
        {
            foreach (var routine in callable)
            {
                if (TakesBody(routine, posted))
                {
                    Add(routine, ref only, ref candidates);
                }
            }
        }

        if (only is null)
        {
            return Hints.FunctionNotFound(catalog, name, keys, posted);
        }

        return candidates is null ? only : Ambiguous(catalog.Schema, candidates);
    }

    private static void Add(Routine routine, ref Routine? only, ref List<Routine>? candidates)
    {
        if (only is null)
        {
            only = routine;
        }
        else
        {
            (candidates ??= [only]).Add(routine);
        }
    }

    // Every required parameter given and every name a parameter (an unnamed one is called ""). A function without
    // parameters fits no names, and no raw body.
    private static bool Fits(Routine routine, IReadOnlySet<string> keys, BodyMediaType? posted)
    {
        var inputs = routine.Inputs;
        if (inputs.Count == 0)
        {
            return keys.Count == 0 && posted?.IsRaw() != true;
        }

        var given = 0;
        foreach (var parameter in inputs)
        {
            if (keys.Contains(parameter.Name))
            {
                given++;
            }
            else if (!parameter.HasDefault)
            {
                return false;
            }
        }

        // Input names are distinct (PostgreSQL refuses a repeated one; there is at most one unnamed input in a
        // callable routine), so every key names a parameter exactly when as many parameters as keys were given.
        return given == keys.Count;
    }

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
