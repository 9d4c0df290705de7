using System.Threading.RateLimiting;

namespace Gateway.Protection;

/// <summary>
/// The gateway's limiter when Redis is configured: a limited caller's request is counted in Redis
/// (<see cref="RedisWindowCounter"/>), the same fixed window as in-process, shared by every replica; while Redis does
/// not answer, it is counted by <paramref name="local"/>, the limiter the gateway uses without Redis. Unlimited
/// requests never reach Redis.
/// </summary>
internal sealed class SharedRateLimiter(PartitionedRateLimiter<HttpContext> local, RateLimits limits, RedisWindowCounter counter)
    : PartitionedRateLimiter<HttpContext>
{
    public override RateLimiterStatistics? GetStatistics(HttpContext resource) => local.GetStatistics(resource);

    /// <summary>
    /// ASP.NET Core's middleware tries this first, which must not wait, and awaits <see cref="AcquireAsyncCore"/> when it
    /// is declined: a limited request is declined here uncounted, and counted there.
    /// </summary>
    protected override RateLimitLease AttemptAcquireCore(HttpContext resource, int permitCount) =>
        limits.LimitOf(resource) is null ? local.AttemptAcquire(resource, permitCount) : WindowLease.Deferred;

    protected override async ValueTask<RateLimitLease> AcquireAsyncCore(HttpContext resource, int permitCount, CancellationToken cancellationToken)
    {
        if (limits.LimitOf(resource) is { } limit && await counter.CountAsync(limit.Key, limit.Window, cancellationToken) is { } window)
        {
            return window.Count <= limit.PermitLimit ? WindowLease.Acquired : new WindowLease(acquired: false, window.Left);
        }

        return await local.AcquireAsync(resource, permitCount, cancellationToken);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            local.Dispose();
        }

        base.Dispose(disposing);
    }

    protected override ValueTask DisposeAsyncCore() => local.DisposeAsync();

    /// <summary>A Redis count's verdict; a refusal carries the time left in the window as <c>Retry-After</c>.</summary>
    private sealed class WindowLease(bool acquired, TimeSpan? retryAfter) : RateLimitLease
    {
        public static readonly WindowLease Acquired = new(acquired: true, retryAfter: null);

        /// <summary>Not acquired yet: the middleware goes on to <see cref="AcquireAsyncCore"/>.</summary>
        public static readonly WindowLease Deferred = new(acquired: false, retryAfter: null);

        public override bool IsAcquired => acquired;

        public override IEnumerable<string> MetadataNames => retryAfter is null ? [] : [MetadataName.RetryAfter.Name];

        public override bool TryGetMetadata(string metadataName, out object? metadata)
        {
            metadata = retryAfter is { } wait && metadataName == MetadataName.RetryAfter.Name ? wait : null;
            return metadata is not null;
        }
    }
}
