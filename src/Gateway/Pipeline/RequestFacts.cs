using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Primitives;

namespace Gateway.Pipeline;

/// <summary>
/// What the pipeline reads from the HTTP request for the parser and for PostgreSQL's <c>request.*</c> settings,
/// read in place: the parser looks headers up in Kestrel's own (case-insensitive) collection instead of a copy, and
/// the two JSON settings are written straight to UTF-8 without an intermediate dictionary.
/// </summary>
internal static class RequestFacts
{
    private const string EmptyObject = "{}";

    /// <summary>The request's headers as the parser takes them, without copying them.</summary>
    public static IReadOnlyDictionary<string, string> Headers(HttpRequest http) => new HeaderView(http.Headers);

    /// <summary><c>request.headers</c>: every header but the cookies, names lower-cased (PostgREST's GUC).</summary>
    public static string HeadersJson(HttpRequest http) => Write(http.Headers, static (writer, headers) =>
    {
        Span<char> lower = stackalloc char[128];
        foreach (var (name, value) in headers)
        {
            if (name.Equals("cookie", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            if (name.Length <= lower.Length)
            {
                var written = name.AsSpan().ToLowerInvariant(lower);
                writer.WritePropertyName(lower[..written]);
            }
            else
            {
                writer.WritePropertyName(name.ToLowerInvariant());
            }

            writer.WriteStringValue(value.ToString());
        }
    });

    /// <summary><c>request.cookies</c>: each cookie by name (ASP.NET Core's parse: a name is there once).</summary>
    public static string CookiesJson(HttpRequest http) => !http.Headers.ContainsKey("Cookie")
        ? EmptyObject
        : Write(http.Cookies, static (writer, cookies) =>
        {
            foreach (var (name, value) in cookies)
            {
                writer.WriteString(name, value);
            }
        });

    // One buffer and writer per thread, reset for each use (nothing awaits while they are in use); a buffer grown past
    // KeptCapacity by an unusual request is dropped rather than kept.
    private const int KeptCapacity = 64 * 1024;

    [ThreadStatic]
    private static ArrayBufferWriter<byte>? buffer;

    [ThreadStatic]
    private static Utf8JsonWriter? writer;

    private static string Write<T>(T source, Action<Utf8JsonWriter, T> properties)
    {
        var output = buffer ??= new ArrayBufferWriter<byte>(4096);
        output.ResetWrittenCount();
        var json = writer ??= new Utf8JsonWriter(output);
        json.Reset(output);
        json.WriteStartObject();
        properties(json, source);
        json.WriteEndObject();
        json.Flush();
        var text = Encoding.UTF8.GetString(output.WrittenSpan);
        if (output.Capacity > KeptCapacity)
        {
            buffer = null;
            writer = null;
        }

        return text;
    }

    private sealed class HeaderView(IHeaderDictionary headers) : IReadOnlyDictionary<string, string>
    {
        public string this[string key] => TryGetValue(key, out var value) ? value : throw new KeyNotFoundException(key);

        public IEnumerable<string> Keys => headers.Keys;

        public IEnumerable<string> Values => headers.Values.Select(v => v.ToString());

        public int Count => headers.Count;

        public bool ContainsKey(string key) => headers.ContainsKey(key);

        public bool TryGetValue(string key, [MaybeNullWhen(false)] out string value)
        {
            if (headers.TryGetValue(key, out StringValues values))
            {
                value = values.ToString();
                return true;
            }

            value = null;
            return false;
        }

        public IEnumerator<KeyValuePair<string, string>> GetEnumerator() =>
            headers.Select(h => KeyValuePair.Create(h.Key, h.Value.ToString())).GetEnumerator();

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
    }
}
