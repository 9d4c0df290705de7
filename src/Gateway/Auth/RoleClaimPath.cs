using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text.Json;

namespace Gateway.Auth;

/// <summary>
/// Where the role sits in a token's claims (<c>Gateway:Jwt:RoleClaim</c>), parsed once at start-up. Accepts a claim
/// name (<c>role</c>), a dotted path (<c>app.role</c>), PostgREST's old <c>.app.role</c>, and the JSONPath subset that
/// names one value: <c>$.app.role</c>, <c>$['https://example.com/role']</c>, <c>$.realm_access.roles[0]</c>.
/// Filters and wildcards are not supported; a role must be one value.
/// </summary>
internal sealed class RoleClaimPath
{
    private readonly Segment[] _segments;

    private RoleClaimPath(Segment[] segments) => _segments = segments;

    public static bool TryParse(
        string? text,
        [NotNullWhen(true)] out RoleClaimPath? path,
        [NotNullWhen(false)] out string? problem)
    {
        path = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            problem = "it is empty.";
            return false;
        }

        // One grammar for all three spellings: "a.b" and ".a.b" are "$.a.b" without the root.
        var jsonPath = text[0] switch
        {
            '$' => text,
            '.' => "$" + text,
            _ => "$." + text,
        };

        var segments = new List<Segment>();
        var position = 1;
        while (position < jsonPath.Length)
        {
            if (!TryParseSegment(jsonPath, ref position, out var segment, out problem))
            {
                return false;
            }

            segments.Add(segment);
        }

        if (segments.Count == 0)
        {
            problem = "it names the whole token, not one claim.";
            return false;
        }

        path = new RoleClaimPath([.. segments]);
        problem = null;
        return true;
    }

    /// <summary>The value at this path, or false when any step is missing or of the wrong kind.</summary>
    public bool TryFind(JsonElement claims, out JsonElement value)
    {
        value = claims;
        foreach (var segment in _segments)
        {
            if (segment.Name is { } name)
            {
                if (value.ValueKind != JsonValueKind.Object || !value.TryGetProperty(name, out value))
                {
                    return false;
                }
            }
            else if (value.ValueKind != JsonValueKind.Array || segment.Index >= value.GetArrayLength())
            {
                return false;
            }
            else
            {
                value = value[segment.Index];
            }
        }

        return true;
    }

    private static bool TryParseSegment(string path, ref int position, out Segment segment, [NotNullWhen(false)] out string? problem)
    {
        segment = default;
        problem = null;
        if (path[position] == '.')
        {
            var start = position + 1;
            var end = start;
            while (end < path.Length && path[end] is not ('.' or '['))
            {
                end++;
            }

            if (end == start)
            {
                problem = $"an empty name at position {start}.";
                return false;
            }

            segment = new Segment(path[start..end], 0);
            position = end;
            return true;
        }

        if (path[position] != '[')
        {
            problem = $"expected '.' or '[' at position {position}.";
            return false;
        }

        if (position + 1 < path.Length && path[position + 1] is '\'' or '"')
        {
            var quote = path[position + 1];
            var endQuote = path.IndexOf(quote, position + 2);
            if (endQuote < 0 || endQuote + 1 >= path.Length || path[endQuote + 1] != ']')
            {
                problem = $"the quoted name at position {position} is not closed by {quote}].";
                return false;
            }

            segment = new Segment(path[(position + 2)..endQuote], 0);
            position = endQuote + 2;
            return true;
        }

        var close = path.IndexOf(']', position);
        if (close < 0)
        {
            problem = $"the '[' at position {position} is not closed.";
            return false;
        }

        var inside = path[(position + 1)..close];
        position = close + 1;
        if (int.TryParse(inside, NumberStyles.None, CultureInfo.InvariantCulture, out var index))
        {
            segment = new Segment(null, index);
            return true;
        }

        problem = $"'[{inside}]' is neither a quoted name nor an array index.";
        return false;
    }

    private readonly record struct Segment(string? Name, int Index);
}
