namespace Gateway.Observability;

/// <summary>
/// Log messages of the request log, token refresh and rate limiting (event ids 3000-3099). None carries a token,
/// a query string, a header value or a body.
/// </summary>
internal static partial class ObservabilityLog
{
    [LoggerMessage(EventId = EventIds.RequestAnswered, Message =
        "{Method} {Kind} {Target} answered {Status} {ErrorCode} as {Role} in {DurationMs} ms (request {RequestId} from {Client})")]
    public static partial void RequestAnswered(
        ILogger logger, LogLevel level, string method, string kind, string? target, int status, string? errorCode,
        string? role, double durationMs, string requestId, string? client);

    [LoggerMessage(EventId = EventIds.TokenRefreshed, Level = LogLevel.Debug, Message = "Token refreshed for request {RequestId}")]
    public static partial void TokenRefreshed(ILogger logger, string requestId);

    [LoggerMessage(EventId = EventIds.TokenRefreshFailed, Level = LogLevel.Information,
        Message = "Token refresh for request {RequestId} did not succeed ({Reason}); the request goes on with its token")]
    public static partial void TokenRefreshFailed(ILogger logger, string requestId, string reason);

    [LoggerMessage(EventId = EventIds.RateLimitsShared, Level = LogLevel.Information,
        Message = "Rate limits are counted in Redis ({Endpoints}), shared by every replica that uses it")]
    public static partial void RateLimitsShared(ILogger logger, string endpoints);

    [LoggerMessage(EventId = EventIds.RateLimitsLocal, Level = LogLevel.Warning,
        Message = "Redis does not answer ({Reason}): rate limits are counted in this process, per replica, until it does")]
    public static partial void RateLimitsLocal(ILogger logger, string reason);

    [LoggerMessage(EventId = EventIds.RateLimitsSharedAgain, Level = LogLevel.Information,
        Message = "Redis answers again after {DownSeconds:0.0} s: rate limits are counted there, shared by every replica")]
    public static partial void RateLimitsSharedAgain(ILogger logger, double downSeconds);
}
