using System.Threading.RateLimiting;
using Gateway.Auth;
using Gateway.Configuration;
using Gateway.Hosting;
using Gateway.Observability;

namespace Gateway.Protection;

/// <summary>
/// The rate limiter's partitions: one fixed window per caller and role with a configured limit
/// (<c>Gateway:RateLimits:{role}</c>). A caller is the token's <c>sub</c> when it has one, otherwise the client
/// address (after forwarded headers from trusted proxies). A refused token counts as the anon role by address, so
/// guessing tokens is limited too. Health checks and metrics are never limited; neither is a role without a limit.
/// </summary>
internal sealed class RateLimits(GatewayOptions options)
{
    private readonly Dictionary<string, RateLimitSettings> limits = new(options.RateLimits, StringComparer.Ordinal);

    public bool IsEnabled => limits.Count > 0;

    /// <summary>The in-process partition of a request: its caller's fixed window, or no limit.</summary>
    public RateLimitPartition<string> PartitionOf(HttpContext context)
    {
        if (LimitOf(context) is not { } limit)
        {
            return RateLimitPartition.GetNoLimiter("");
        }

        return RateLimitPartition.GetFixedWindowLimiter(limit.Key, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = limit.PermitLimit,
            Window = limit.Window,
            QueueLimit = 0,
            AutoReplenishment = true,
        });
    }

    /// <summary>The limit of the request's caller and role, keyed by both; null when the request is not limited.</summary>
    public CallerLimit? LimitOf(HttpContext context)
    {
        if (RequestRecord.Of(context) is { Kind: RequestRecord.Health or RequestRecord.Metrics })
        {
            return null;
        }

        var role = RoleOf(context);
        if (!limits.TryGetValue(role, out var limit))
        {
            return null;
        }

        var caller = SubjectOf(context) is { } subject ? "sub:" + subject : "address:" + context.Connection.RemoteIpAddress;
        return new CallerLimit(role + "\n" + caller, limit.PermitLimit, limit.Window);
    }

    /// <summary>The role the request runs as (<c>HttpContext.User</c>); the anon role without a caller or when its token was refused.</summary>
    public string RoleOf(HttpContext context) => context.User.Identity is GatewayIdentity identity ? identity.Caller.Role : options.AnonRole;

    public TimeSpan WindowOf(string role) => limits.TryGetValue(role, out var limit) ? limit.Window : TimeSpan.FromSeconds(1);

    private static string? SubjectOf(HttpContext context) =>
        context.User.Identity is GatewayIdentity { Caller.IsAnonymous: false } identity ? identity.FindFirst("sub")?.Value : null;
}

/// <summary>A caller's limit: <see cref="PermitLimit"/> requests per <see cref="Window"/>, counted under <see cref="Key"/>.</summary>
internal sealed record CallerLimit(string Key, int PermitLimit, TimeSpan Window);
