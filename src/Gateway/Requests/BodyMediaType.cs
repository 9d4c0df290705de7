namespace Gateway.Requests;

/// <summary>
/// The media type of a request body, from <c>Content-Type</c>. Absent means JSON, as in PostgREST; so does any type
/// the gateway does not know, whose body is read as JSON.
/// </summary>
internal enum BodyMediaType
{
    Json,

    Csv,

    FormUrlEncoded,

    /// <summary><c>text/plain</c>: a call passes the body whole to a single unnamed <c>text</c> parameter.</summary>
    TextPlain,

    /// <summary><c>text/xml</c>: a call passes the body whole to a single unnamed <c>xml</c> parameter.</summary>
    TextXml,

    /// <summary><c>application/octet-stream</c>: a call passes the body whole to a single unnamed <c>bytea</c> parameter.</summary>
    OctetStream,
}

internal static class BodyMediaTypes
{
    /// <summary>The type a <c>Content-Type</c> header names; its parameters (<c>charset=</c>) do not matter.</summary>
    public static BodyMediaType Parse(string? contentType) =>
        (contentType ?? "").Split(';')[0].Trim().ToLowerInvariant() switch
        {
            "text/csv" => BodyMediaType.Csv,
            "application/x-www-form-urlencoded" => BodyMediaType.FormUrlEncoded,
            "text/plain" => BodyMediaType.TextPlain,
            "text/xml" => BodyMediaType.TextXml,
            "application/octet-stream" => BodyMediaType.OctetStream,
            _ => BodyMediaType.Json,
        };

    /// <summary>Whether a call's body of this type is not parsed but passed as it came, to one unnamed parameter.</summary>
    public static bool IsRaw(this BodyMediaType type) => type is BodyMediaType.TextPlain or BodyMediaType.TextXml or BodyMediaType.OctetStream;
}
