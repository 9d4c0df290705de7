using System.Buffers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Gateway.Errors;
using Microsoft.AspNetCore.WebUtilities;

namespace Gateway.Requests;

/// <summary>A request body as the planner takes it.</summary>
internal abstract record Payload;

/// <summary>A body read as JSON, whatever media type it came as.</summary>
internal sealed record JsonPayload(JsonElement Value) : Payload;

/// <summary>
/// The bytes of a call's <c>text/plain</c>, <c>text/xml</c> or <c>application/octet-stream</c> body, unread: a function
/// with a single unnamed parameter of the matching type receives them whole.
/// </summary>
internal sealed record RawPayload(byte[] Bytes) : Payload;

/// <summary>
/// A request body as JSON, whatever it came as: <c>application/json</c> (an object or an array of objects),
/// <c>text/csv</c> (a header row, <c>NULL</c> for null, an empty field for <c>''</c>) or
/// <c>application/x-www-form-urlencoded</c> (one object of strings). Invalid input is 400 PGRST102. A call's
/// <c>text/plain</c>, <c>text/xml</c> and <c>application/octet-stream</c> bodies stay bytes.
/// </summary>
internal static class RequestBody
{
    /// <summary><c>{}</c>: the arguments of a call sent without a body.</summary>
    public static JsonElement EmptyObject { get; } = JsonSerializer.SerializeToElement(new JsonObject());

    /// <summary>
    /// The body of a POST, PATCH or PUT; null for other methods. An RPC POST without a JSON body is a call without arguments.
    /// </summary>
    public static async Task<Result<Payload?>> ReadAsync(HttpRequest http, ApiRequest request, CancellationToken cancellationToken)
    {
        if (http.Method is not ("POST" or "PATCH" or "PUT"))
        {
            return Result<Payload?>.Ok(null);
        }

        var bytes = await ReadBytesAsync(http, cancellationToken);
        var isCall = request.Action == RequestAction.Call;
        if (isCall && request.ContentType.IsRaw())
        {
            return new RawPayload(bytes);
        }

        var json = Utf8Json(bytes, request.ContentType);
        var text = json is null ? Text(bytes) : null;
        if (isCall && (json is { } blank ? IsBlank(blank.Span) : string.IsNullOrWhiteSpace(text)))
        {
            return new JsonPayload(EmptyObject);
        }

        var read = json is { } utf8 ? ParseJson(utf8) : Parse(request.ContentType, text!);
        return read.IsOk ? Result<Payload?>.Ok(new JsonPayload(read.Value)) : read.Error;
    }

    public static Result<JsonElement> Parse(BodyMediaType contentType, string text) => contentType switch
    {
        BodyMediaType.Csv => ParseCsv(text),
        BodyMediaType.FormUrlEncoded => ParseForm(text),
        _ => ParseJson(text),
    };

    // White space alone is invalid either way: ASCII by ParseJson's own check, any other as a token JSON does not have.
    private static Result<JsonElement> ParseJson(string text) => ParseJson(Encoding.UTF8.GetBytes(text));

    private static Result<JsonElement> ParseJson(ReadOnlyMemory<byte> utf8)
    {
        if (IsBlank(utf8.Span))
        {
            return InvalidJson();
        }

        try
        {
            using var document = JsonDocument.Parse(utf8);
            return document.RootElement.Clone();
        }
        catch (JsonException)
        {
            return InvalidJson();
        }
    }

    /// <summary>
    /// The whole body, consumed as it arrives: a reader that only examines what came would stall once Kestrel's request
    /// buffer (1 MB) is full. A body that arrived at once (most do) is copied once; a longer one goes into an array of
    /// its <c>Content-Length</c> (at most <c>Gateway:MaxRequestBodySize</c>, checked before this runs).
    /// </summary>
    private static async Task<byte[]> ReadBytesAsync(HttpRequest http, CancellationToken cancellationToken)
    {
        var body = http.BodyReader;
        MemoryStream? whole = null;
        while (true)
        {
            var read = await body.ReadAsync(cancellationToken);
            if (read.IsCanceled)
            {
                throw new OperationCanceledException(cancellationToken);
            }

            var buffer = read.Buffer;
            if (read.IsCompleted && whole is null)
            {
                var bytes = buffer.ToArray();
                body.AdvanceTo(buffer.End);
                return bytes;
            }

            whole ??= new MemoryStream(http.ContentLength is { } length ? (int)Math.Min(length, Array.MaxLength) : 0);
            foreach (var segment in buffer)
            {
                whole.Write(segment.Span);
            }

            body.AdvanceTo(buffer.End);
            if (read.IsCompleted)
            {
                return whole.Length == whole.Capacity ? whole.GetBuffer() : whole.ToArray();
            }
        }
    }

    /// <summary>
    /// The body as UTF-8 JSON to parse as it is, without a UTF-8 byte order mark; or null when it must be read as text
    /// first: a CSV or form body, a byte order mark of UTF-16 or UTF-32, or bytes that are not UTF-8 (decoded with
    /// replacement characters, as a text reader does).
    /// </summary>
    private static ReadOnlyMemory<byte>? Utf8Json(byte[] bytes, BodyMediaType contentType)
    {
        if (contentType is BodyMediaType.Csv or BodyMediaType.FormUrlEncoded)
        {
            return null;
        }

        ReadOnlyMemory<byte> json = bytes.AsSpan().StartsWith(Utf8Bom) ? bytes.AsMemory(Utf8Bom.Length) : bytes;
        if (IsOtherBom(json.Span) || !System.Text.Unicode.Utf8.IsValid(json.Span))
        {
            return null;
        }

        return json;
    }

    private static ReadOnlySpan<byte> Utf8Bom => [0xEF, 0xBB, 0xBF];

    // UTF-16 (FE FF, FF FE) and UTF-32 (00 00 FE FF; FF FE 00 00 starts as UTF-16's) marks, which a text reader honours.
    private static bool IsOtherBom(ReadOnlySpan<byte> bytes) =>
        bytes is [0xFE, 0xFF, ..] or [0xFF, 0xFE, ..] or [0x00, 0x00, 0xFE, 0xFF, ..];

    private static string Text(byte[] bytes)
    {
        using var reader = new StreamReader(new MemoryStream(bytes), Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        return reader.ReadToEnd();
    }

    // Nothing but ASCII white space: a call without arguments may send that. (A body of other Unicode spaces is no JSON: 400.)
    private static bool IsBlank(ReadOnlySpan<byte> utf8) => utf8.IndexOfAnyExcept(" \t\n\v\f\r"u8) < 0;

    private static Result<JsonElement> ParseForm(string text)
    {
        var fields = QueryHelpers.ParseQuery(text);
        var json = new JsonObject();
        foreach (var (key, values) in fields)
        {
            json[key] = values.ToString();
        }

        return JsonSerializer.SerializeToElement(json);
    }

    private static Result<JsonElement> ParseCsv(string text)
    {
        var rows = CsvRows(text).ToList();
        if (rows.Count == 0)
        {
            return new GatewayError(400, "PGRST102", "Empty or invalid CSV", "The CSV body needs a header row.");
        }

        var header = rows[0];
        var array = new JsonArray();
        foreach (var row in rows.Skip(1))
        {
            if (row.Count != header.Count)
            {
                return new GatewayError(400, "PGRST102", "All lines must have same number of fields",
                    $"The header has {header.Count} fields, a line has {row.Count}.");
            }

            var item = new JsonObject();
            for (var i = 0; i < header.Count; i++)
            {
                item[header[i].Value] = row[i] is { Quoted: false, Value: "NULL" } ? null : JsonValue.Create(row[i].Value);
            }

            array.Add(item);
        }

        return JsonSerializer.SerializeToElement(array);
    }

    // RFC 4180: fields separated by commas, optionally double-quoted with "" for a quote; CRLF or LF lines.
    private static IEnumerable<List<(string Value, bool Quoted)>> CsvRows(string text)
    {
        var row = new List<(string, bool)>();
        var field = new StringBuilder();
        var quoted = false;
        var inQuotes = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (inQuotes)
            {
                if (c == '"' && i + 1 < text.Length && text[i + 1] == '"')
                {
                    field.Append('"');
                    i++;
                }
                else if (c == '"')
                {
                    inQuotes = false;
                }
                else
                {
                    field.Append(c);
                }

                continue;
            }

            switch (c)
            {
                case '"':
                    inQuotes = true;
                    quoted = true;
                    break;
                case ',':
                    row.Add((field.ToString(), quoted));
                    field.Clear();
                    quoted = false;
                    break;
                case '\r':
                    break;
                case '\n':
                    row.Add((field.ToString(), quoted));
                    field.Clear();
                    quoted = false;
                    yield return row;
                    row = [];
                    break;
                default:
                    field.Append(c);
                    break;
            }
        }

        if (field.Length > 0 || quoted || row.Count > 0)
        {
            row.Add((field.ToString(), quoted));
            yield return row;
        }
    }

    private static GatewayError InvalidJson() => new(400, "PGRST102", "Empty or invalid json");
}
