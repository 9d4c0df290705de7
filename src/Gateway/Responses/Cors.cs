using Gateway.Configuration;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;

namespace Gateway.Responses;

/// <summary>
/// CORS as PostgREST answers it (its <c>Cors.hs</c>): active only when the request has <c>Origin</c>. With no
/// <c>Gateway:Cors:AllowedOrigins</c> configured, any origin (<c>*</c>, no credentials); with a list, the
/// matching origin is echoed with <c>Access-Control-Allow-Credentials: true</c> and other origins get no CORS
/// headers. Preflights are answered here, before authentication.
/// </summary>
internal sealed class Cors(RequestDelegate next, IOptions<GatewayOptions> options)
{
    // PostgREST's list, plus the gateway's own response headers a browser client needs to read: the request id
    // and the token pair that token refresh (Gateway:TokenRefresh) returns.
    private const string ExposedHeaders =
        "Content-Encoding, Content-Location, Content-Range, Content-Type, Date, Location, Server, Transfer-Encoding, Range-Unit, "
        + "X-Request-Id, X-New-Access-Token, X-New-Refresh-Token";

    private readonly HashSet<string>? allowedOrigins = options.Value.Cors.AllowedOrigins is { Count: > 0 } origins
        ? origins.ToHashSet(StringComparer.OrdinalIgnoreCase)
        : null;

    public Task InvokeAsync(HttpContext context)
    {
        var request = context.Request;
        var origin = request.Headers.Origin;
        if (StringValues.IsNullOrEmpty(origin))
        {
            // PostgREST's OPTIONS answer lets any origin read it, CORS request or not — unless origins are listed.
            if (allowedOrigins is null && HttpMethods.IsOptions(request.Method))
            {
                context.Response.Headers.AccessControlAllowOrigin = "*";
            }

            return next(context);
        }

        var headers = context.Response.Headers;
        if (allowedOrigins is null)
        {
            headers.AccessControlAllowOrigin = "*";
        }
        else if (allowedOrigins.Contains(origin.ToString()))
        {
            headers.AccessControlAllowOrigin = origin;
            headers.AccessControlAllowCredentials = "true";
            headers.Append("Vary", "Origin");
        }
        else
        {
            return next(context);
        }

        var preflight = HttpMethods.IsOptions(request.Method) && !StringValues.IsNullOrEmpty(request.Headers.AccessControlRequestMethod);
        if (!preflight)
        {
            headers.AccessControlExposeHeaders = ExposedHeaders;
            return next(context);
        }

        headers.AccessControlAllowMethods = "GET, POST, PATCH, PUT, DELETE, OPTIONS, HEAD";
        var requested = request.Headers.AccessControlRequestHeaders.ToString()
            .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        headers.AccessControlAllowHeaders = string.Join(", ", ["Authorization", .. requested, "Accept", "Accept-Language", "Content-Language"]);
        headers.AccessControlMaxAge = "86400";
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentLength = 0;
        return Task.CompletedTask;
    }
}

internal static class CorsExtensions
{
    /// <summary>Early in the pipeline, so the limits' answers (413, 429, 504) carry CORS headers too.</summary>
    public static WebApplication UseGatewayCors(this WebApplication app)
    {
        app.UseMiddleware<Cors>();
        return app;
    }
}
