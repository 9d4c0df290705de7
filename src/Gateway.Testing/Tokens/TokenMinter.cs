using System.Text;
using System.Text.RegularExpressions;
using Gateway.Configuration;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Gateway.Testing.Tokens;

/// <summary>
/// Mints the HS256 token of a <see cref="Caller"/> by the gateway's own configured rules (<see cref="GatewayOptions.JwtOptions"/>),
/// so a test's token is one the gateway accepts unless the test says otherwise.
/// </summary>
internal static partial class TokenMinter
{
    private static readonly TimeSpan Lifetime = TimeSpan.FromHours(1);
    private static readonly string[] TimeClaims = ["exp", "nbf", "iat"];

    public static string Mint(Caller caller, GatewayOptions.JwtOptions jwt, DateTimeOffset now)
    {
        if (string.IsNullOrEmpty(jwt.Secret))
        {
            throw new InvalidOperationException(
                "The gateway under test has no Gateway:Jwt:Secret (it takes keys from JWKS or an authority), so the kit cannot sign its tokens; sign them with your key.");
        }

        var claims = new Dictionary<string, object>(StringComparer.Ordinal) { ["sub"] = caller.Subject! };
        var role = caller.Role ?? jwt.EffectiveAllowedRoles[0];
        if (RolePath(jwt.RoleClaim) is { } path)
        {
            Place(claims, path, role);
        }
        else if (caller.Claims.Count == 0)
        {
            throw new NotSupportedException(
                $"Gateway:Jwt:RoleClaim '{jwt.RoleClaim}' has array indexes or brackets the kit does not fill in; put the role in Caller.Authenticated(claims: ...) yourself.");
        }

        foreach (var (name, value) in jwt.RequiredClaims.Where(claim => !string.IsNullOrEmpty(claim.Value)))
        {
            claims[name] = value;
        }

        if (!string.IsNullOrEmpty(jwt.Audience))
        {
            claims["aud"] = jwt.Audience;
        }

        foreach (var (name, value) in caller.Claims)
        {
            claims[name] = value;
        }

        var givesTimes = TimeClaims.Any(caller.Claims.ContainsKey);
        return new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(new SecurityTokenDescriptor
        {
            Claims = claims,
            // A test that sets one of the time claims decides all three.
            IssuedAt = givesTimes ? null : now.UtcDateTime,
            NotBefore = givesTimes ? null : now.UtcDateTime,
            Expires = givesTimes ? null : (now + Lifetime).UtcDateTime,
            SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(Encoding.UTF8.GetBytes(jwt.Secret)), SecurityAlgorithms.HmacSha256),
        });
    }

    /// <summary>The claim names down to the role for a name, a dotted path or <c>$.a.b</c>; null for brackets and indexes.</summary>
    private static string[]? RolePath(string roleClaim)
    {
        var path = roleClaim.StartsWith("$.", StringComparison.Ordinal) ? roleClaim[2..] : roleClaim.TrimStart('.');
        return DottedNames().IsMatch(path) ? path.Split('.') : null;
    }

    private static void Place(Dictionary<string, object> claims, string[] path, string role)
    {
        var level = claims;
        foreach (var name in path[..^1])
        {
            var next = new Dictionary<string, object>(StringComparer.Ordinal);
            level[name] = next;
            level = next;
        }

        level[path[^1]] = role;
    }

    [GeneratedRegex(@"^[A-Za-z0-9_\-:/]+(\.[A-Za-z0-9_\-:/]+)*$")]
    private static partial Regex DottedNames();
}
