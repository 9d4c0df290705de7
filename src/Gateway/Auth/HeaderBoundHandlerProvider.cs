using Microsoft.AspNetCore.Authentication;

namespace Gateway.Auth;

/// <summary>
/// ASP.NET Core's per-request authentication handlers, as its own provider hands them out, except that a handler
/// made before the request's <c>Authorization</c> header changed is replaced by a new one. A handler authenticates
/// once and keeps its verdict; token refresh rewrites the header after the rate limiter has authenticated the
/// request, which must then be judged, and <c>HttpContext.User</c> set, by its new token.
/// </summary>
internal sealed class HeaderBoundHandlerProvider(IAuthenticationSchemeProvider schemes) : IAuthenticationHandlerProvider
{
    private readonly Dictionary<string, (Task<IAuthenticationHandler?> Handler, string? Authorization)> _handlers = new(StringComparer.Ordinal);

    public Task<IAuthenticationHandler?> GetHandlerAsync(HttpContext context, string authenticationScheme)
    {
        var authorization = BearerToken.HeaderOf(context.Request);
        if (_handlers.TryGetValue(authenticationScheme, out var known) && string.Equals(known.Authorization, authorization, StringComparison.Ordinal))
        {
            return known.Handler;
        }

        return CreateAsync(context, authenticationScheme, authorization);
    }

    private async Task<IAuthenticationHandler?> CreateAsync(HttpContext context, string name, string? authorization)
    {
        if (await schemes.GetSchemeAsync(name) is not { } scheme)
        {
            return null;
        }

        var handler = (context.RequestServices.GetService(scheme.HandlerType)
            ?? ActivatorUtilities.CreateInstance(context.RequestServices, scheme.HandlerType)) as IAuthenticationHandler;
        if (handler is not null)
        {
            await handler.InitializeAsync(scheme, context);
            _handlers[name] = (Task.FromResult<IAuthenticationHandler?>(handler), authorization);
        }

        return handler;
    }
}
