namespace Gateway.Auth;

/// <summary>
/// Finds the token in an <c>Authorization</c> header, as PostgREST does: only the <c>Bearer</c> scheme
/// (any case) carries one; any other scheme, e.g. <c>Basic</c>, means no token at all.
/// </summary>
internal static class BearerToken
{
    private const string Scheme = "Bearer";

    /// <summary>The request's <c>Authorization</c> header as every reader of the token takes it: the first value, or null.</summary>
    public static string? HeaderOf(HttpRequest request)
    {
        var authorization = request.Headers.Authorization;
        return authorization.Count == 0 ? null : authorization[0];
    }

    /// <summary>Whether the request carries a bearer token (maybe empty) in its <c>Authorization</c> header.</summary>
    public static bool IsIn(HttpRequest request) => TryFind(HeaderOf(request), out _);

    /// <summary>True when the header uses the Bearer scheme; <paramref name="token"/> is then what follows, maybe empty.</summary>
    public static bool TryFind(string? authorization, out ReadOnlySpan<char> token)
    {
        token = default;
        if (authorization is null)
        {
            return false;
        }

        var value = authorization.AsSpan().Trim();
        if (!value.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        var rest = value[Scheme.Length..];
        if (rest.Length > 0 && !char.IsWhiteSpace(rest[0]))
        {
            return false;
        }

        token = rest.Trim();
        return true;
    }
}
