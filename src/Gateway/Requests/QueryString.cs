using System.Net;
using System.Text;
using Gateway.Errors;

namespace Gateway.Requests;

/// <summary>One decoded <c>key=value</c> of the query string; <see cref="Value"/> is null for a bare <c>key</c>.</summary>
internal sealed record QueryParameter(string Key, string? Value);

/// <summary>Splitting and decoding the raw query string, as PostgREST's <c>parseQueryReplacePlus True</c> does.</summary>
internal static class QueryString
{
    /// <summary>
    /// Splits on <c>&amp;</c> (not on <c>;</c>, which browsers and <c>URLSearchParams</c> never use as a separator),
    /// decodes <c>+</c> as a space and <c>%XX</c> as UTF-8 (invalid bytes become U+FFFD, a malformed escape stays
    /// literal), and keeps repeated keys in order. NUL cannot reach PostgreSQL text, so it is refused here.
    /// </summary>
    public static Result<IReadOnlyList<QueryParameter>> Decode(string? rawQueryString)
    {
        var parameters = new List<QueryParameter>();
        var raw = rawQueryString is ['?', .. var rest] ? rest : rawQueryString ?? "";
        foreach (var pair in raw.Split('&'))
        {
            if (pair.Length == 0)
            {
                continue;
            }

            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            var key = Unescape(equals < 0 ? pair : pair[..equals]);
            var value = equals < 0 ? null : Unescape(pair[(equals + 1)..]);
            if (key.Contains('\0', StringComparison.Ordinal) || (value?.Contains('\0', StringComparison.Ordinal) ?? false))
            {
                return RequestErrors.ParseFailure("query string", key, 1, "NUL characters (%00) are not allowed in the query string");
            }

            parameters.Add(new QueryParameter(key, value));
        }

        return parameters;
    }

    /// <summary>
    /// The query string as <c>Content-Location</c> shows it: keys sorted, every key and value percent-encoded, and
    /// the values of a repeated key joined by commas (<c>a=1&amp;b=x,y</c>), as PostgREST's <c>urlEncodeVars</c> does.
    /// </summary>
    public static string Canonical(IReadOnlyList<QueryParameter> parameters)
    {
        if (parameters.Count == 0)
        {
            return "";
        }

        // Sorted by key, stably (a repeated key's values keep their order): the usual handful by insertion, without
        // allocating more than the array; a long query string by OrderBy, so it cannot cost quadratic time.
        var order = parameters.Count <= 16
            ? SortedByInsertion(parameters)
            : [.. parameters.OrderBy(parameter => parameter.Key, StringComparer.Ordinal)];
        var canonical = new StringBuilder();
        string? key = null;
        foreach (var parameter in order)
        {
            if (string.Equals(key, parameter.Key, StringComparison.Ordinal))
            {
                canonical.Append(',');
            }
            else
            {
                key = parameter.Key;
                canonical.Append(canonical.Length > 0 ? "&" : "").Append(Uri.EscapeDataString(key)).Append('=');
            }

            canonical.Append(Uri.EscapeDataString(parameter.Value ?? ""));
        }

        return canonical.ToString();
    }

    private static QueryParameter[] SortedByInsertion(IReadOnlyList<QueryParameter> parameters)
    {
        var order = new QueryParameter[parameters.Count];
        for (var i = 0; i < order.Length; i++)
        {
            var parameter = parameters[i];
            var at = i;
            for (; at > 0 && string.CompareOrdinal(order[at - 1].Key, parameter.Key) > 0; at--)
            {
                order[at] = order[at - 1];
            }

            order[at] = parameter;
        }

        return order;
    }

    private static string Unescape(string text) =>
        text.AsSpan().IndexOfAny('%', '+') < 0 ? text : WebUtility.UrlDecode(text);
}
