using Gateway.Errors;

namespace Gateway.Auth;

/// <summary>
/// A token whose signature checked out, judged once: everything about it that does not depend on the clock is in
/// the verdict, and only the time claims are checked again on each use, so it can be cached (PostgREST's JWT cache).
/// </summary>
internal sealed class VerifiedToken(TimeClaim expires, TimeClaim notBefore, TimeClaim issuedAt, Result<AuthContext> verdict)
{
    /// <summary>PostgREST allows 30 seconds of clock difference between the token's issuer and us.</summary>
    public const long ClockSkewSeconds = 30;

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
}
