using Gateway.Configuration;
using Gateway.Errors;
using Microsoft.Extensions.Options;

namespace Gateway.Protection;

/// <summary>
/// <c>Gateway:RequestTimeout</c> for every request: past it the request's token (<see cref="HttpContext.RequestAborted"/>)
/// is cancelled, which the executor passes to Npgsql, which cancels the statement in PostgreSQL; a response not
/// started by then is 504 <c>PGRSTX04</c>. What ASP.NET Core's request timeouts do with one default policy, without
/// what only their other uses need (per-endpoint policies and metadata, the timeout feature, a pool of timer
/// sources with a disposal registration on each response): one linked source with its timer per request.
/// </summary>
internal sealed class RequestTimeoutMiddleware(RequestDelegate next, IOptions<GatewayOptions> options)
{
    private readonly TimeSpan limit = options.Value.RequestTimeout;

    public Task InvokeAsync(HttpContext context) =>
        context.RequestAborted.IsCancellationRequested ? next(context) : RunAsync(context);

    private async Task RunAsync(HttpContext context)
    {
        var aborted = context.RequestAborted;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(aborted);
        timeout.CancelAfter(limit);
        context.RequestAborted = timeout.Token;
        try
        {
            await next(context);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !aborted.IsCancellationRequested && !context.Response.HasStarted)
        {
            // The token that just fired cannot write the answer; the client's own still can.
            context.RequestAborted = aborted;
            context.Response.Clear();
            await ErrorResponses.WriteAsync(context, ProtectionErrors.Timeout(limit));
        }
        finally
        {
            context.RequestAborted = aborted;
        }
    }
}
