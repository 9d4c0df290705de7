namespace Gateway.Auth;

/// <summary>
/// Who a request runs as, decided before any SQL: the database <paramref name="Role"/> to switch to and the claims
/// to expose as <c>request.jwt.claims</c> (<paramref name="ClaimsJson"/>, the token's payload with <c>role</c> set
/// to <paramref name="Role"/>; <c>{"role":"anon"}</c> without a token).
/// </summary>
/// <param name="IsAnonymous">
/// The request runs as the anon role (no token, or a token without the role claim). PostgREST answers
/// <c>42501</c> with 401 for such requests and 403 for the others.
/// </param>
internal sealed record AuthContext(string Role, string ClaimsJson, bool IsAnonymous);
