using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Options;

namespace Gateway.Auth;

/// <summary>
/// JwtBearer's handler for the gateway's scheme, with short ways for the two common cases: a request without a bearer
/// token gets what the gateway's <see cref="BearerEvents.MessageReceived"/> would decide (no result, or the refusal
/// when anonymous access is off) without JwtBearer's context; a bearer token the
/// <see cref="GatewayTokenHandler"/> verified before (HS256, cached) and the clock still accepts becomes the same
/// ticket JwtBearer would make of it (the handler's identity, <c>ExpiresUtc</c>/<c>IssuedUtc</c> from the token),
/// without the events' contexts, a copy of the validation parameters or a validation result on every request. Any
/// other request takes JwtBearer's whole way, as does every request when the scheme's events are not the gateway's
/// own (a host replaced them), and every token when its token handlers are not either or it keeps tokens (<c>SaveToken</c>).
/// </summary>
internal sealed class GatewayBearerHandler(IOptionsMonitor<JwtBearerOptions> options, ILoggerFactory logger, UrlEncoder encoder)
    : JwtBearerHandler(options, logger, encoder)
{
    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        // No bearer token (an anonymous call): what the gateway's MessageReceived would decide, without its context.
        if (Events is BearerEvents events && !BearerToken.IsIn(Request))
        {
            return Task.FromResult(events.WithoutToken());
        }

        if (Events.GetType() == typeof(BearerEvents)
            && !Options.SaveToken
            && !Options.UseSecurityTokenValidators
            && Options.TokenHandlers is [GatewayTokenHandler tokens]
            && Request.Headers.Authorization is [var authorization]
            && BearerToken.TryFind(authorization, out var token)
            && tokens.CachedIdentity(token, Options.TokenValidationParameters, out var verified) is { } identity)
        {
            var properties = new AuthenticationProperties
            {
                ExpiresUtc = verified!.ValidTo == DateTime.MinValue ? null : verified.ValidTo,
                IssuedUtc = verified.ValidFrom == DateTime.MinValue ? null : verified.ValidFrom,
            };
            return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new(identity), properties, Scheme.Name)));
        }

        return base.HandleAuthenticateAsync();
    }
}
