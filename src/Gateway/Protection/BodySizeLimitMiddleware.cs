using Gateway.Errors;
using Gateway.Configuration;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;

namespace Gateway.Protection;

/// <summary>
/// Refuses a body larger than <c>Gateway:MaxRequestBodySize</c> with 413 before anything reads it, when
/// <c>Content-Length</c> says so. A chunked body is counted by the server while it is read, which throws
/// <see cref="BadHttpRequestException"/> past the limit; the error handler answers that with the same 413.
/// (PostgREST has no limit and reads the whole body into memory.)
/// </summary>
internal sealed class BodySizeLimitMiddleware(RequestDelegate next, IOptions<GatewayOptions> options)
{
    private readonly long limit = options.Value.MaxRequestBodySize;

    public Task InvokeAsync(HttpContext context)
    {
        if (context.Request.ContentLength > limit)
        {
            return ErrorResponses.WriteAsync(context, ProtectionErrors.TooLarge(limit));
        }

        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } server)
        {
            server.MaxRequestBodySize = limit;
        }

        return next(context);
    }
}
