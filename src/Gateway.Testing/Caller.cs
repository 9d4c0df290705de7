namespace Gateway.Testing;

/// <summary>
/// Who a test client calls the api as: <see cref="Anonymous"/> (no token: the gateway's anon role) or
/// <see cref="Authenticated"/> (a real HS256 token, signed with the configured secret, carrying what the gateway's
/// configuration requires: the role where <c>Gateway:Jwt:RoleClaim</c> says, <c>Gateway:Jwt:RequiredClaims</c>,
/// <c>aud</c> when <c>Gateway:Jwt:Audience</c> is set, and <c>iat</c>, <c>nbf</c>, <c>exp</c> one hour ahead).
/// </summary>
public sealed class Caller
{
    private Caller(string? subject, string? role, IReadOnlyDictionary<string, object> claims)
    {
        Subject = subject;
        Role = role;
        Claims = claims;
    }

    /// <summary>No token: the request runs as the gateway's anon role.</summary>
    public static Caller Anonymous { get; } = new(null, null, new Dictionary<string, object>());

    /// <summary>The token's <c>sub</c>; null for <see cref="Anonymous"/>.</summary>
    public string? Subject { get; }

    /// <summary>The role the token names; null means the first role the gateway allows (<c>authenticated</c> by default).</summary>
    public string? Role { get; }

    /// <summary>Claims added to the token, or replacing those the kit would put (a past <c>exp</c>, another <c>aud</c>).</summary>
    public IReadOnlyDictionary<string, object> Claims { get; }

    /// <summary>Whether requests carry no token.</summary>
    public bool IsAnonymous => Subject is null;

    /// <summary>A signed-in caller: a token with <c>sub</c> = <paramref name="sub"/>, the role, and <paramref name="claims"/>.</summary>
    /// <param name="sub">The subject, as your SQL reads it: <c>current_setting('request.jwt.claims', true)::json->>'sub'</c>.</param>
    /// <param name="claims">More claims (values: strings, numbers, booleans, arrays, dictionaries), or replacements for the kit's.</param>
    /// <param name="role">The role to name; by default the first the gateway allows.</param>
    public static Caller Authenticated(string sub, IReadOnlyDictionary<string, object>? claims = null, string? role = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(sub);
        return new Caller(sub, role, claims ?? new Dictionary<string, object>());
    }

    /// <inheritdoc />
    public override string ToString() => IsAnonymous ? "anonymous" : $"sub {Subject}";
}
