using System.Security.Claims;
using Gateway.Errors;
using Microsoft.IdentityModel.Tokens;

namespace Gateway.Auth;

/// <summary>
/// A token whose signature checked out, judged once: everything about it that does not depend on the clock is in
/// the verdict, and only the time claims are checked again on each use, so it can be cached (PostgREST's JWT cache).
/// It is the <see cref="SecurityToken"/> JwtBearer's events see, and holds the claims every request's identity is made of,
/// so a cached token is never parsed again.
/// </summary>
internal sealed class VerifiedToken(
    TimeClaim expires,
    TimeClaim notBefore,
    TimeClaim issuedAt,
    Result<AuthContext> verdict,
    IReadOnlyList<Claim>? claims = null,
    string? issuer = null,
    string? id = null) : SecurityToken
{
    /// <summary>PostgREST allows 30 seconds of clock difference between the token's issuer and us.</summary>
    public const long ClockSkewSeconds = 30;

    /// <summary>The token's claims as .NET claims, <c>role</c> being the role the request runs as; empty when refused.</summary>
    public IReadOnlyList<Claim> Claims { get; } = claims ?? [];

    /// <summary>Who the token's bearer runs as, when its claims passed; the clock may still refuse it (<see cref="Check"/>).</summary>
    public AuthContext? Caller => verdict.IsOk ? verdict.Value : null;

    public override string Id => id ?? string.Empty;

    public override string Issuer => issuer ?? string.Empty;

    public override SecurityKey? SecurityKey => null;

    public override SecurityKey? SigningKey { get; set; }

    public override DateTime ValidFrom => notBefore.Kind == TimeClaimKind.Number ? notBefore.ToDateTime() : DateTime.MinValue;

    public override DateTime ValidTo => expires.Kind == TimeClaimKind.Number ? expires.ToDateTime() : DateTime.MinValue;

    /// <summary>The verdict at <paramref name="nowSeconds"/> (Unix time), checking <c>exp</c>, <c>nbf</c>, <c>iat</c> in PostgREST's order.</summary>
    public Result<AuthContext> Check(long nowSeconds)
    {
        if (expires.Kind == TimeClaimKind.NotNumber)
        {
            return AuthErrors.ExpNotNumber;
        }

        if (expires.Kind == TimeClaimKind.Number && expires.Seconds < nowSeconds - ClockSkewSeconds)
        {
            return AuthErrors.Expired;
        }

        if (notBefore.Kind == TimeClaimKind.NotNumber)
        {
            return AuthErrors.NbfNotNumber;
        }

        if (notBefore.Kind == TimeClaimKind.Number && notBefore.Seconds > nowSeconds + ClockSkewSeconds)
        {
            return AuthErrors.NotYetValid;
        }

        if (issuedAt.Kind == TimeClaimKind.NotNumber)
        {
            return AuthErrors.IatNotNumber;
        }

        if (issuedAt.Kind == TimeClaimKind.Number && issuedAt.Seconds > nowSeconds + ClockSkewSeconds)
        {
            return AuthErrors.IssuedInFuture;
        }

        return verdict;
    }

    // Never the claims: they are the caller's.
    public override string ToString() => nameof(VerifiedToken);
}

internal enum TimeClaimKind
{
    Absent,
    Number,
    NotNumber,
}

/// <summary>One of <c>exp</c>, <c>nbf</c>, <c>iat</c>: absent (or null), a number of Unix seconds, or something else.</summary>
internal readonly record struct TimeClaim(TimeClaimKind Kind, long Seconds)
{
    public static readonly TimeClaim Absent = new(TimeClaimKind.Absent, 0);

    private static readonly long MinUnixSeconds = DateTimeOffset.MinValue.ToUnixTimeSeconds();
    private static readonly long MaxUnixSeconds = DateTimeOffset.MaxValue.ToUnixTimeSeconds();

    /// <summary>As a UTC time, clamped to what <see cref="DateTime"/> can hold.</summary>
    public DateTime ToDateTime() => DateTimeOffset.FromUnixTimeSeconds(Math.Clamp(Seconds, MinUnixSeconds, MaxUnixSeconds)).UtcDateTime;
}
