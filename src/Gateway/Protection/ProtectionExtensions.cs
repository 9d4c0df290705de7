using Gateway.Errors;
using System.Threading.RateLimiting;
using Gateway.Auth;
using Gateway.Configuration;
using Gateway.Observability;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace Gateway.Protection;

internal static class ProtectionExtensions
{
    /// <summary>
    /// ASP.NET Core's rate limiter, partitioned by <see cref="RateLimits"/> (off until a role has a limit) and counted
    /// in Redis when <c>ConnectionStrings:Redis</c> is set (<see cref="SharedRateLimiter"/>), in-process otherwise. (The
    /// request timeout, <see cref="RequestTimeoutMiddleware"/>, has nothing to register.)
    /// </summary>
    public static WebApplicationBuilder AddGatewayProtection(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton(services => new RateLimits(services.GetRequiredService<IOptions<GatewayOptions>>().Value));
        builder.Services.AddSingleton<RedisWindowCounter>();
        builder.Services.AddHostedService(services => services.GetRequiredService<RedisWindowCounter>());
        builder.Services.AddRateLimiter(_ => { });
        builder.Services.AddOptions<RateLimiterOptions>()
            .Configure<RateLimits, GatewayMetrics, IOptions<GatewayOptions>, RedisWindowCounter>(ConfigureRateLimiter);

        return builder;
    }

    private static void ConfigureRateLimiter(
        RateLimiterOptions limiter, RateLimits limits, GatewayMetrics metrics, IOptions<GatewayOptions> gateway, RedisWindowCounter redis)
    {
        if (!limits.IsEnabled)
        {
            return;
        }

        var local = PartitionedRateLimiter.Create<HttpContext, string>(limits.PartitionOf);
        limiter.GlobalLimiter = string.IsNullOrWhiteSpace(gateway.Value.RedisConnectionString) ? local : new SharedRateLimiter(local, limits, redis);
        limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
        limiter.OnRejected = (rejected, _) =>
        {
            var role = limits.RoleOf(rejected.HttpContext);
            metrics.RateLimited(role);
            var retryAfter = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : limits.WindowOf(role);
            return new ValueTask(ErrorResponses.WriteAsync(rejected.HttpContext, ProtectionErrors.RateLimited(retryAfter)));
        };
    }

    /// <summary>
    /// The body size limit, then, with rate limits configured, the rate limiter (which partitions by
    /// <c>HttpContext.User</c>, so the caller is authenticated first; the api endpoint reuses that verdict), then the
    /// request timeout.
    /// </summary>
    public static WebApplication UseGatewayProtection(this WebApplication app)
    {
        app.UseMiddleware<BodySizeLimitMiddleware>();
        // Without limits the rate limiter has no global limiter and no endpoint carries a policy: it would only pass
        // every request on.
        if (app.Services.GetRequiredService<RateLimits>().IsEnabled)
        {
            app.UseMiddleware<CallerIdentityMiddleware>();
            app.UseRateLimiter();
        }

        app.UseMiddleware<RequestTimeoutMiddleware>();
        return app;
    }
}

/// <summary>
/// Authenticates the request before the rate limiter picks its partition (in the pipeline only when rate limits are
/// configured): it runs before token refresh and <c>UseAuthentication</c>, so it sets <c>HttpContext.User</c> itself.
/// The verdict stays on the request (<see cref="AuthenticationOutcome"/>), so the api endpoint does not verify twice.
/// </summary>
internal sealed class CallerIdentityMiddleware(RequestDelegate next, Authenticator authenticator)
{
    public async Task InvokeAsync(HttpContext context)
    {
        if (RequestRecord.Of(context) is not { Kind: RequestRecord.Health or RequestRecord.Metrics })
        {
            await authenticator.AuthenticateAsync(context.Request, context.RequestAborted);
        }

        await next(context);
    }
}
