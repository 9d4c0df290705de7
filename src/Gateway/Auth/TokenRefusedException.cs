using Gateway.Errors;
using Microsoft.IdentityModel.Tokens;

namespace Gateway.Auth;

/// <summary>
/// A token refused by <see cref="GatewayTokenHandler"/> or <see cref="BearerEvents"/>, carrying the error the client
/// gets (PostgREST's code, message and <c>WWW-Authenticate</c>). It travels as JwtBearer's authentication failure and
/// is never thrown. Its message is the error's, which never quotes the token.
/// </summary>
internal sealed class TokenRefusedException(GatewayError error) : SecurityTokenValidationException(error.Message)
{
    public GatewayError Error { get; } = error;

    /// <summary>
    /// The error for an authentication failure: ours wherever it sits (alone, as the inner exception of IdentityModel's
    /// own, or among several handlers' failures); 401 PGRST301 for any other; null for no failure.
    /// </summary>
    public static GatewayError? ErrorOf(Exception? failure) => failure is null ? null : Find(failure) ?? AuthErrors.CryptographyFailed;

    /// <summary>Whether <paramref name="failure"/> is a refusal of ours rather than something that went wrong.</summary>
    public static bool IsRefusal(Exception failure) => Find(failure) is not null;

    private static GatewayError? Find(Exception failure) => failure switch
    {
        TokenRefusedException refused => refused.Error,
        AggregateException many => many.InnerExceptions.Select(Find).FirstOrDefault(error => error is not null),
        { InnerException: { } inner } => Find(inner),
        _ => null,
    };
}
