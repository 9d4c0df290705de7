using Gateway.Errors;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;

namespace Gateway.Auth;

/// <summary>
/// JwtBearer's events for the gateway: the token is found by PostgREST's rules (<see cref="BearerToken"/>: any-case
/// <c>Bearer</c>, any other scheme is no token, an empty one is 401 PGRST301), no token is the anon role (no result)
/// or 401 PGRST302, and a challenge, the gateway's or a host endpoint's <c>RequireAuthorization()</c>, is answered
/// with PostgREST's error body and <c>WWW-Authenticate</c>; a host policy's refusal of a valid token is 403 42501.
/// </summary>
internal sealed class BearerEvents(GatewayTokenHandler tokens, ClaimsPolicy policy, ILogger<BearerEvents> logger) : JwtBearerEvents
{
    public override Task MessageReceived(MessageReceivedContext context)
    {
        if (!BearerToken.TryFind(BearerToken.HeaderOf(context.Request), out var token))
        {
            var anonymous = policy.Anonymous;
            if (anonymous.IsOk)
            {
                context.NoResult();
            }
            else
            {
                context.Fail(new TokenRefusedException(anonymous.Error));
            }
        }
        else if (token.IsEmpty)
        {
            context.Fail(new TokenRefusedException(tokens.Refuse(AuthErrors.EmptyToken)));
        }
        else
        {
            context.Token = tokens.TextOf(token);
        }

        return Task.CompletedTask;
    }

    /// <summary>
    /// What <see cref="MessageReceived"/> decides for a request without a bearer token, for the handler to answer
    /// without JwtBearer's contexts: no result for an anonymous caller, or the refusal when anonymous access is off.
    /// </summary>
    public AuthenticateResult WithoutToken() =>
        policy.Anonymous is { IsOk: false } anonymous ? AuthenticateResult.Fail(new TokenRefusedException(anonymous.Error)) : AuthenticateResult.NoResult();

    /// <summary>
    /// A failure that is no refusal of ours (a fault in a token handler) is still a 401, as JwtBearer makes it, but
    /// logged as an error: JwtBearer's own line for it is quieted with the refusals (see <see cref="AuthExtensions"/>).
    /// </summary>
    public override Task AuthenticationFailed(AuthenticationFailedContext context)
    {
        if (!TokenRefusedException.IsRefusal(context.Exception))
        {
            AuthLog.ValidationFailed(logger, context.Exception);
        }

        return Task.CompletedTask;
    }

    /// <summary>The refusal's own error; without one (no token where a host endpoint requires one), 401 PGRST302.</summary>
    public override Task Challenge(JwtBearerChallengeContext context)
    {
        context.HandleResponse();
        var error = TokenRefusedException.ErrorOf(context.AuthenticateFailure) ?? AuthErrors.AnonymousDisabled;
        return ErrorResponses.WriteAsync(context.HttpContext, error);
    }

    /// <summary>
    /// A valid token a host endpoint's authorization policy refuses: 403 in PostgREST's shape, with the code PostgREST
    /// gives an authenticated role that lacks a privilege (42501), instead of an empty body.
    /// </summary>
    public override Task Forbidden(ForbiddenContext context) =>
        ErrorResponses.WriteAsync(context.HttpContext, AuthErrors.PolicyRefused);
}
