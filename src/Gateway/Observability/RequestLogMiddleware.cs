using System.Diagnostics;
using Gateway.Auth;
using Gateway.Configuration;
using Gateway.Hosting;
using Microsoft.Extensions.Options;

namespace Gateway.Observability;

/// <summary>
/// Around every request, first after routing: gives it its id (<see cref="RequestIds"/>), the log scope of every
/// line logged while it is handled; counts it in flight; and when it is answered records its duration by kind and
/// status, counts a refused bearer token by reason, and writes one log line with the method, route kind, target,
/// status, error code, role, duration, request id and client address. The line never holds the query string,
/// headers, body or token: those carry client values. (The id and the log are one frame, not two middleware:
/// every request passes here.)
/// </summary>
internal sealed class RequestLogMiddleware(
    RequestDelegate next, RequestIds requestIds, GatewayMetrics metrics, IOptions<GatewayOptions> options, ILoggerFactory loggers)
{
    private readonly ILogger logger = loggers.CreateLogger("Gateway.Requests");
    private readonly string metricsPath = options.Value.MetricsPath;

    public async Task InvokeAsync(HttpContext context)
    {
        var started = Stopwatch.GetTimestamp();
        var id = requestIds.Assign(context);
        var record = RequestRecord.For(context, metricsPath);
        context.Features.Set(record);
        metrics.RequestStarted();
        var completed = false;
        using var scope = logger.BeginScope(new RequestIdLogScope(id));
        try
        {
            await next(context);
            completed = true;
        }
        finally
        {
            var elapsed = Stopwatch.GetElapsedTime(started);
            // An exception that escaped everything becomes a 500 (or a closed connection) without passing here again.
            var status = completed || context.Response.HasStarted ? context.Response.StatusCode : StatusCodes.Status500InternalServerError;
            metrics.RequestFinished(record.Kind, status, elapsed);
            var outcome = context.Features.Get<AuthenticationOutcome>();
            if (outcome is { Result.IsOk: false } refused && BearerToken.TryFind(refused.Authorization, out _))
            {
                metrics.JwtRefused(refused.Result.Error);
            }

            var level = record.Kind is RequestRecord.Health or RequestRecord.Metrics ? LogLevel.Debug : LogLevel.Information;
            if (logger.IsEnabled(level))
            {
                // A host endpoint authenticated by UseAuthentication alone has a caller but no outcome.
                var role = outcome is not null
                    ? outcome.Result.Value?.Role
                    : (context.User.Identity as GatewayIdentity)?.Caller.Role;
                ObservabilityLog.RequestAnswered(
                    logger,
                    level,
                    context.Request.Method,
                    record.Kind,
                    record.Target,
                    status,
                    record.ErrorCode,
                    role,
                    Math.Round(elapsed.TotalMilliseconds, 2),
                    context.TraceIdentifier,
                    context.Connection.RemoteIpAddress?.ToString());
            }
        }
    }
}
