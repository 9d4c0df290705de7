namespace Gateway.Auth;

/// <summary>Auth's log messages (event ids 1100-1199). None carries a token; a refused role's name is the only claim value that can appear.</summary>
internal static partial class AuthLog
{
    [LoggerMessage(Observability.EventIds.TokenRefused, LogLevel.Debug, "Token refused: {Code} {Reason}")]
    public static partial void TokenRefused(ILogger logger, string code, string reason);

    [LoggerMessage(Observability.EventIds.UnknownKeyId, LogLevel.Information, "A token names a key id not in the key set from {Address}; asking for a refresh")]
    public static partial void UnknownKeyId(ILogger logger, string address);

    [LoggerMessage(Observability.EventIds.KeysUnavailable, LogLevel.Error, "No signing keys could be fetched from {Address}; tokens signed with them are refused with 500")]
    public static partial void KeysUnavailable(ILogger logger, string address, Exception exception);

    [LoggerMessage(Observability.EventIds.TokenValidationFailed, LogLevel.Error, "Token validation failed unexpectedly; the request is refused with 401")]
    public static partial void ValidationFailed(ILogger logger, Exception exception);
}
