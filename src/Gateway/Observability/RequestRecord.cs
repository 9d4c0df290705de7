using Gateway.Endpoints;

namespace Gateway.Observability;

/// <summary>
/// What the request log and the metrics say about one request, gathered as it goes: its route kind and target
/// (from the path, before any stage runs) and the error code it was answered with (set where errors are written).
/// Kept as a request feature.
/// </summary>
internal sealed class RequestRecord
{
    public const string Relation = "relation";
    public const string Rpc = "rpc";
    public const string Root = "root";
    public const string Health = "health";
    public const string Metrics = "metrics";
    public const string Other = "other";

    /// <summary>PostgreSQL cuts names at 63 bytes; a longer target is no name of ours, and the log keeps it short.</summary>
    private const int MaxTargetLength = 63;

    public required string Kind { get; init; }

    /// <summary>The view or function named by the path (or the route of a non-api endpoint); null for the root.</summary>
    public string? Target { get; init; }

    /// <summary>The code of the error response, when the request was answered with one.</summary>
    public string? ErrorCode { get; set; }

    public static RequestRecord? Of(HttpContext context) => context.Features.Get<RequestRecord>();

    /// <summary>
    /// Classifies a request by the endpoint routing chose: the api's catch-all by its path (<c>/</c>, <c>/rpc/f</c>,
    /// <c>/view</c>), the others by their route (health checks, metrics, anything else mapped).
    /// </summary>
    public static RequestRecord For(HttpContext context, string metricsPath)
    {
        var endpoint = context.GetEndpoint();
        var path = context.Request.Path.Value ?? "/";
        if (endpoint is RouteEndpoint { RoutePattern: var pattern } && !ApiEndpoint.Is(endpoint))
        {
            var route = pattern.RawText ?? path;
            var kind = route.StartsWith("/health", StringComparison.Ordinal) ? Health
                : string.Equals(route, metricsPath, StringComparison.OrdinalIgnoreCase) ? Metrics
                : Other;
            return new RequestRecord { Kind = kind, Target = Shorten(route) };
        }

        // The path is already percent-decoded, as the parser sees it. Its first two non-empty segments, read in place.
        ReadOnlySpan<char> first = default, second = default;
        var rest = path.AsSpan();
        foreach (var range in rest.Split('/'))
        {
            var segment = rest[range];
            if (segment.IsEmpty)
            {
                continue;
            }

            if (first.IsEmpty)
            {
                first = segment;
                continue;
            }

            second = segment;
            break;
        }

        return first switch
        {
            [] => new RequestRecord { Kind = Root },
            "rpc" when !second.IsEmpty => new RequestRecord { Kind = Rpc, Target = Shorten(second) },
            _ => new RequestRecord { Kind = Relation, Target = Shorten(first) },
        };
    }

    /// <summary>At most 63 characters, and nothing that could break a log line.</summary>
    private static string Shorten(ReadOnlySpan<char> name)
    {
        var visible = string.Create(Math.Min(name.Length, MaxTargetLength), name, static (span, source) =>
        {
            for (var i = 0; i < span.Length; i++)
            {
                span[i] = char.IsControl(source[i]) ? '?' : source[i];
            }
        });
        return name.Length > MaxTargetLength ? visible + "..." : visible;
    }
}
