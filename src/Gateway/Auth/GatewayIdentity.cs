using System.Security.Claims;

namespace Gateway.Auth;

/// <summary>
/// A verified caller as ASP.NET Core sees it in <c>HttpContext.User</c>: the token's claims under their own names
/// (<c>sub</c> is the name, <c>role</c> the role the request runs as), and the <see cref="AuthContext"/> the pipeline runs it with.
/// </summary>
internal sealed class GatewayIdentity : ClaimsIdentity
{
    public GatewayIdentity(AuthContext caller, IEnumerable<Claim> claims, string authenticationType, string nameType, string roleType)
        : base(claims, authenticationType, nameType, roleType) =>
        Caller = caller;

    private GatewayIdentity(GatewayIdentity other)
        : base(other) =>
        Caller = other.Caller;

    public AuthContext Caller { get; }

    /// <summary>A copy that keeps the caller, so a claims transformation that clones the principal does not lose it.</summary>
    public override ClaimsIdentity Clone() => new GatewayIdentity(this);
}
