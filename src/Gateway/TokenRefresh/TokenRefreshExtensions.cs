using Gateway.Configuration;
using Gateway.Observability;
using Microsoft.Extensions.Options;

namespace Gateway.TokenRefresh;

internal static class TokenRefreshExtensions
{
    public static WebApplicationBuilder AddGatewayTokenRefresh(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<TokenRefresher>();
        return builder;
    }

    /// <summary>
    /// Token refresh, inside the request timeout, only while <c>Gateway:TokenRefresh:Enabled</c> (off by default):
    /// otherwise it would only pass every request on.
    /// </summary>
    public static WebApplication UseGatewayTokenRefresh(this WebApplication app)
    {
        if (app.Services.GetRequiredService<IOptions<GatewayOptions>>().Value.TokenRefresh.Enabled)
        {
            app.UseMiddleware<TokenRefreshMiddleware>();
        }

        return app;
    }
}

/// <summary>
/// With a refresh token header beside a bearer token that is due (see <see cref="TokenRefresher"/>): refreshes, runs
/// the request with the new access token, and returns the new pair in response headers, which clients adopt. Any
/// failure lets the request go on with its own token (so the client may get 401 and log in again).
/// </summary>
internal sealed class TokenRefreshMiddleware(RequestDelegate next, TokenRefresher refresher, IOptions<GatewayOptions> options, ILoggerFactory loggers)
{
    private readonly TokenRefreshSettings settings = options.Value.TokenRefresh;
    private readonly ILogger logger = loggers.CreateLogger("Gateway.TokenRefresh");

    // Not async when there is nothing to refresh: every request passes here.
    public Task InvokeAsync(HttpContext context) =>
        context.Request.Headers[settings.RefreshTokenHeader] is [{ Length: > 0 } refreshToken]
        && context.Request.Headers.Authorization is [{ Length: > 0 } authorization]
            ? RefreshAsync(context, authorization, refreshToken)
            : next(context);

    private async Task RefreshAsync(HttpContext context, string authorization, string refreshToken)
    {
        var (pair, reason) = await refresher.TryRefreshAsync(authorization, refreshToken, context.RequestAborted);
        if (pair is not null)
        {
            context.Request.Headers.Authorization = "Bearer " + pair.AccessToken;
            context.Response.OnStarting(() =>
            {
                context.Response.Headers[settings.NewAccessTokenHeader] = pair.AccessToken;
                context.Response.Headers[settings.NewRefreshTokenHeader] = pair.RefreshToken;
                return Task.CompletedTask;
            });
            ObservabilityLog.TokenRefreshed(logger, context.TraceIdentifier);
        }
        else if (reason is not null)
        {
            ObservabilityLog.TokenRefreshFailed(logger, context.TraceIdentifier, reason);
        }

        await next(context);
    }
}
