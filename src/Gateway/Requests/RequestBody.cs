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

        var isCall = request.Action == RequestAction.Call;
        if (isCall && request.ContentType.IsRaw())
        {
            using var bytes = new MemoryStream();
            await http.Body.CopyToAsync(bytes, cancellationToken);
            return new RawPayload(bytes.ToArray());
        }

        using var reader = new StreamReader(http.Body);
        var text = await reader.ReadToEndAsync(cancellationToken);
        var read = isCall && string.IsNullOrWhiteSpace(text) ? EmptyObject : Parse(request.ContentType, text);
        return read.IsOk ? Result<Payload?>.Ok(new JsonPayload(read.Value)) : read.Error;
    }

    public static Result<JsonElement> Parse(BodyMediaType contentType, string text) => contentType switch
    {
        BodyMediaType.Csv => ParseCsv(text),
        BodyMediaType.FormUrlEncoded => ParseForm(text),
        _ => ParseJson(text),
    };

    private static Result<JsonElement> ParseJson(string text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return InvalidJson();
        }

        try
        {
            using var document = JsonDocument.Parse(text);
            return document.RootElement.Clone();
        }
        catch (JsonException)
        {
            return InvalidJson();
        }
    }

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
