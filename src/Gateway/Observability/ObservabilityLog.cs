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
}
