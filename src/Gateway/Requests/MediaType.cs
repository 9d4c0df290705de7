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
}

/// <summary>A response media type the gateway can produce; <see cref="NullsStripped"/> for <c>;nulls=stripped</c>.</summary>
internal sealed record MediaType(MediaTypeKind Kind, bool NullsStripped)
{
    public static MediaType Json { get; } = new(MediaTypeKind.Json, false);

    public static MediaType Csv { get; } = new(MediaTypeKind.Csv, false);

    public static MediaType OpenApi { get; } = new(MediaTypeKind.OpenApi, false);

    /// <summary>The <c>Content-Type</c> header of a response in this type.</summary>
    public string ContentType => (Kind, NullsStripped) switch
    {
        (MediaTypeKind.Json, false) => "application/json; charset=utf-8",
        (MediaTypeKind.Json, true) => "application/vnd.pgrst.array+json;nulls=stripped; charset=utf-8",
        (MediaTypeKind.SingleObject, false) => "application/vnd.pgrst.object+json; charset=utf-8",
        (MediaTypeKind.SingleObject, true) => "application/vnd.pgrst.object+json;nulls=stripped; charset=utf-8",
        (MediaTypeKind.Csv, _) => "text/csv; charset=utf-8",
        _ => "application/openapi+json; charset=utf-8",
    };

    /// <summary>
    /// Content negotiation (§1.6): the media ranges of <c>Accept</c> ordered by q-value (then by specificity, as
    /// WAI does), q=0 dropped, and the first one the target can produce wins. A missing <c>Accept</c> means
    /// <c>*/*</c>. The root produces OpenAPI only; relations and functions produce JSON, CSV and the
    /// PostgREST vendor types. None acceptable: 406 PGRST107.
    /// </summary>
    public static Result<MediaType> Negotiate(string? accept, TargetKind target)
    {
        if (ParseAccept(accept) is not { } ranges)
        {
            return target == TargetKind.Root ? OpenApi : Json;
        }

        foreach (var range in ranges)
        {
            if (Match(range, target) is { } mediaType)
            {
                return mediaType;
            }
        }

        return RequestErrors.NotAcceptable(accept!.Trim());
    }

    private static MediaType? Match(MediaRange range, TargetKind target)
    {
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
            _ => null,
        };
    }

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
