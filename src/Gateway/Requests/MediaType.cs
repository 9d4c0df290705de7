using System.Globalization;
using Gateway.Errors;

namespace Gateway.Requests;

internal enum MediaTypeKind
{
    /// <summary><c>application/json</c>: an array of rows (or a function's value).</summary>
    Json,

    /// <summary><c>text/csv</c>.</summary>
    Csv,

    /// <summary><c>application/vnd.pgrst.object+json</c>: exactly one row, as an object.</summary>
    SingleObject,

    /// <summary><c>application/openapi+json</c>: the root's description.</summary>
    OpenApi,

    /// <summary><c>application/geo+json</c>: a FeatureCollection of rows with a PostGIS geometry or geography column.</summary>
    GeoJson,
}

/// <summary>
/// <c>application/vnd.pgrst.plan[+json|+text]</c>: the execution plan of the statement that would answer in the
/// media type it is <c>for</c>, with EXPLAIN's <see cref="Options"/> (<c>analyze</c>, <c>verbose</c>, <c>settings</c>,
/// <c>buffers</c>, <c>wal</c>, in that order).
/// </summary>
internal sealed record PlanMedia(bool Json, IReadOnlyList<string> Options)
{
    /// <summary>The EXPLAIN options PostgREST knows, in the order it writes them.</summary>
    public static IReadOnlyList<string> Known { get; } = ["analyze", "verbose", "settings", "buffers", "wal"];
}

/// <summary>
/// A response media type the gateway can produce; <see cref="NullsStripped"/> for <c>;nulls=stripped</c>. With
/// <see cref="Plan"/> set it is a plan <c>for</c> this type: the same statement, explained instead of run.
/// </summary>
internal sealed record MediaType(MediaTypeKind Kind, bool NullsStripped)
{
    /// <summary>Set when the client asked for the statement's execution plan instead of its result.</summary>
    public PlanMedia? Plan { get; init; }

    /// <summary>For <see cref="MediaTypeKind.GeoJson"/>: the schema of PostGIS's <c>st_asgeojson</c>, set by the planner.</summary>
    public string? GeoJsonSchema { get; init; }

    public static MediaType Json { get; } = new(MediaTypeKind.Json, false);

    public static MediaType Csv { get; } = new(MediaTypeKind.Csv, false);

    public static MediaType OpenApi { get; } = new(MediaTypeKind.OpenApi, false);

    /// <summary>The <c>Content-Type</c> header of a response in this type.</summary>
    public string ContentType => Plan is { } plan
        ? $"application/vnd.pgrst.plan+{(plan.Json ? "json" : "text")}; for=\"{Mime}\""
            + (plan.Options.Count > 0 ? "; options=" + string.Join('|', plan.Options) : "") + "; charset=utf-8"
        : Mime + "; charset=utf-8";

    // The type without its charset, as PostgREST names it (also inside a plan's for="...").
    private string Mime => (Kind, NullsStripped) switch
    {
        (MediaTypeKind.Json, false) => "application/json",
        (MediaTypeKind.Json, true) => "application/vnd.pgrst.array+json;nulls=stripped",
        (MediaTypeKind.SingleObject, false) => "application/vnd.pgrst.object+json",
        (MediaTypeKind.SingleObject, true) => "application/vnd.pgrst.object+json;nulls=stripped",
        (MediaTypeKind.Csv, _) => "text/csv",
        (MediaTypeKind.GeoJson, _) => "application/geo+json",
        _ => "application/openapi+json",
    };

    /// <summary>
    /// Content negotiation (§1.6): the media ranges of <c>Accept</c> ordered by q-value (then by specificity, as
    /// WAI does), q=0 dropped, and the first one the target can produce wins. A missing <c>Accept</c> means
    /// <c>*/*</c>. The root produces OpenAPI only; relations and functions produce JSON, CSV and the
    /// PostgREST vendor types. None acceptable: 406 PGRST107.
    /// </summary>
    /// <param name="accept">The <c>Accept</c> header, or null.</param>
    /// <param name="target">What the request addresses.</param>
    /// <param name="available">
    /// Whether a type the request stage can parse may be produced for this request (the planner knows: plans only
    /// when enabled, GeoJSON only for spatial rows); one that may not is passed over like any unknown type. Null
    /// admits every type.
    /// </param>
    public static Result<MediaType> Negotiate(string? accept, TargetKind target, Func<MediaType, bool>? available = null)
    {
        if (ParseAccept(accept) is not { } ranges)
        {
            return target == TargetKind.Root ? OpenApi : Json;
        }

        foreach (var range in ranges)
        {
            if (Match(range, target) is { } mediaType && (available is null || available(mediaType)))
            {
                return mediaType;
            }
        }

        return RequestErrors.NotAcceptable(accept!.Trim());
    }

    private static MediaType? Match(MediaRange range, TargetKind target)
    {
        if (range.Type is "application/vnd.pgrst.plan" or "application/vnd.pgrst.plan+text" or "application/vnd.pgrst.plan+json")
        {
            return target != TargetKind.Root ? PlanFor(range, target) : null;
        }

        var nullsStripped = range.Parameters.Contains("nulls=stripped", StringComparer.OrdinalIgnoreCase);
        if (target == TargetKind.Root)
        {
            return range.Type is "application/openapi+json" or "application/json" or "*/*" or "application/*" ? OpenApi : null;
        }

        return range.Type switch
        {
            "application/json" or "*/*" or "application/*" => Json,
            "application/vnd.pgrst.array+json" or "application/vnd.pgrst.array" => nullsStripped ? new(MediaTypeKind.Json, true) : Json,
            "application/vnd.pgrst.object+json" or "application/vnd.pgrst.object" => new(MediaTypeKind.SingleObject, nullsStripped),
            "text/csv" => Csv,
            "application/geo+json" => new(MediaTypeKind.GeoJson, false),
            _ => null,
        };
    }

    // A plan for the type named by for="..." (application/json when absent); none when that type cannot be produced.
    private static MediaType? PlanFor(MediaRange range, TargetKind target)
    {
        var forType = Parameter(range, "for")?.Trim('"') ?? "application/json";
        var forParts = forType.Split(';');
        var forRange = new MediaRange(forParts[0].ToLowerInvariant(), [.. forParts.Skip(1)], 1, 0);
        if (forRange.Type.Contains('*', StringComparison.Ordinal) || forRange.Type.StartsWith("application/vnd.pgrst.plan", StringComparison.Ordinal)
            || Match(forRange, target) is not { } inner)
        {
            return null;
        }

        var options = (Parameter(range, "options") ?? "").ToLowerInvariant().Split('|');
        return inner with { Plan = new PlanMedia(range.Type.EndsWith("+json", StringComparison.Ordinal), [.. PlanMedia.Known.Where(options.Contains)]) };
    }

    private static string? Parameter(MediaRange range, string name) => range.Parameters
        .Where(p => p.StartsWith(name + "=", StringComparison.OrdinalIgnoreCase))
        .Select(p => p[(name.Length + 1)..])
        .FirstOrDefault();

    /// <summary>The acceptable ranges, best first; null when the header names no type at all (absent or blank).</summary>
    private static List<MediaRange>? ParseAccept(string? accept)
    {
        if (string.IsNullOrWhiteSpace(accept))
        {
            return null;
        }

        var ranges = new List<MediaRange>();
        var named = false;
        foreach (var entry in accept.Split(','))
        {
            var parts = entry.Replace(" ", "", StringComparison.Ordinal).Replace("\t", "", StringComparison.Ordinal).Split(';');
            if (parts[0].Length == 0)
            {
                continue;
            }

            named = true;
            var quality = 1.0;
            var parameters = new List<string>();
            foreach (var parameter in parts.Skip(1))
            {
                if (parameter.StartsWith("q=", StringComparison.OrdinalIgnoreCase))
                {
                    quality = double.TryParse(parameter.AsSpan(2), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var q) ? q : 1.0;
                }
                else if (parameter.Length > 0)
                {
                    parameters.Add(parameter);
                }
            }

            if (quality > 0)
            {
                var type = parts[0].ToLowerInvariant();
                var specificity = parameters.Count - type.Count(ch => ch == '*');
                ranges.Add(new MediaRange(type, parameters, quality, specificity));
            }
        }

        if (!named)
        {
            return null;
        }

        // OrderBy is stable, so equally ranked types keep the client's order.
        return [.. ranges.OrderByDescending(r => r.Quality).ThenByDescending(r => r.Specificity)];
    }

    private sealed record MediaRange(string Type, List<string> Parameters, double Quality, int Specificity);
}
