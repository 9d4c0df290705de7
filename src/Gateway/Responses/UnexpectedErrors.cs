using Gateway.Configuration;
using Gateway.Errors;
using Gateway.Protection;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.Extensions.Options;

namespace Gateway.Responses;

internal static class UnexpectedErrors
{
    /// <summary>
    /// Anything unexpected still answers in PostgREST's shape, without internals; the cause is logged once. First in
    /// the pipeline after the request log, so the limits' own handlers (request timeout) see their exceptions before it.
    /// </summary>
    public static WebApplication UseGatewayErrors(this WebApplication app)
    {
        app.UseExceptionHandler(handler => handler.Run(context =>
        {
            var failure = context.Features.Get<IExceptionHandlerFeature>()?.Error;
            // The server counts a chunked body while it is read and stops it past Gateway:MaxRequestBodySize.
            if (failure is BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge })
            {
                var limit = context.RequestServices.GetRequiredService<IOptions<GatewayOptions>>().Value.MaxRequestBodySize;
                return ErrorResponses.WriteAsync(context, ProtectionErrors.TooLarge(limit));
            }

            return ErrorResponses.WriteAsync(context, new GatewayError(500, "PGRSTX00", "Internal server error")
            {
                LogDetail = failure?.ToString(),
            });
        }));
        return app;
    }
}
