namespace Gateway.Errors;

/// <summary>
/// A failure the client is told about, in PostgREST's shape: HTTP status plus the body
/// <c>{code, details, hint, message}</c>. Stages return it as a value; exceptions are for the unexpected.
/// <paramref name="Headers"/> are response headers the error brings with it, e.g. <c>WWW-Authenticate</c> on a 401.
/// </summary>
internal sealed record GatewayError(
    int Status,
    string Code,
    string Message,
    string? Details = null,
    string? Hint = null,
    IReadOnlyDictionary<string, string>? Headers = null,
    string? ReasonPhrase = null,
    string? LogDetail = null);
