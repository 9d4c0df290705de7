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
    public static string Canonical(IEnumerable<QueryParameter> parameters)
    {
        var canonical = new StringBuilder();
        foreach (var group in parameters.OrderBy(p => p.Key, StringComparer.Ordinal).GroupBy(p => p.Key, StringComparer.Ordinal))
        {
            if (canonical.Length > 0)
            {
                canonical.Append('&');
            }

            canonical.Append(Uri.EscapeDataString(group.Key)).Append('=')
                .AppendJoin(',', group.Select(p => Uri.EscapeDataString(p.Value ?? "")));
        }

        return canonical.ToString();
    }

    private static string Unescape(string text) =>
        text.AsSpan().IndexOfAny('%', '+') < 0 ? text : WebUtility.UrlDecode(text);
}
