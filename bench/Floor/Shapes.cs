using System.Text.Json;
using System.Text.Json.Serialization;

namespace Floor;

/// <summary>
/// One bench request shape as bench/capture.py wrote it from the gateway's logged statements: the request it answers
/// (<see cref="Method"/>, <see cref="Path"/>, and <see cref="Query"/>, the raw query string with <c>{id}</c> where the
/// bench varies a number) and the statements the gateway sent for it, which the floor sends unchanged.
/// </summary>
internal sealed record Shape(string Name, string Method, string Path, string Query, IReadOnlyList<ShapeStatement> Statements)
{
    private const string IdMarker = "{id}";

    /// <summary>
    /// Whether <paramref name="query"/> (without its <c>?</c>) is this shape's; <paramref name="id"/> is the number that
    /// stands where the template says <c>{id}</c>, or empty.
    /// </summary>
    public bool Matches(ReadOnlySpan<char> query, out ReadOnlySpan<char> id)
    {
        id = default;
        var marker = Query.IndexOf(IdMarker, StringComparison.Ordinal);
        if (marker < 0)
        {
            return query.SequenceEqual(Query);
        }

        var prefix = Query.AsSpan(0, marker);
        var suffix = Query.AsSpan(marker + IdMarker.Length);
        if (query.Length <= prefix.Length + suffix.Length || !query.StartsWith(prefix) || !query.EndsWith(suffix))
        {
            return false;
        }

        id = query[prefix.Length..^suffix.Length];
        return !id.ContainsAnyExceptInRange('0', '9');
    }

    public static IReadOnlyList<Shape> Load(string path)
    {
        using var file = File.OpenRead(path);
        return JsonSerializer.Deserialize<List<Shape>>(file, Json)
            ?? throw new InvalidDataException($"{path} holds no request shapes.");
    }

    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Converters = { new JsonStringEnumConverter<Source>(JsonNamingPolicy.SnakeCaseLower) },
    };
}

/// <summary>A statement of a shape: its text exactly as the gateway sent it, and where each parameter's value comes from.</summary>
internal sealed record ShapeStatement(string Sql, IReadOnlyList<ShapeParameter> Parameters);

/// <param name="Source">Where the value comes from; <see cref="Source.Value"/>: <paramref name="Value"/> itself.</param>
/// <param name="Value">
/// The value the gateway sent for the captured request: the constant for <see cref="Source.Value"/>, and for
/// <see cref="Source.Role"/> and <see cref="Source.Claims"/> the anonymous caller's, used when a request has no token.
/// </param>
/// <param name="Unknown">
/// Sent as PostgreSQL's <c>unknown</c> type, so the server infers it from the statement, as the gateway sends filter
/// and argument values; otherwise as <c>text</c>.
/// </param>
internal sealed record ShapeParameter(Source Source, string? Value, bool Unknown);

internal enum Source
{
    Value,
    Role,
    Claims,
    Method,
    Path,
    Headers,
    Cookies,
    Id,
    Body,
}
