using Gateway.Configuration;
using Microsoft.Extensions.Options;

namespace Gateway.Hosting;

/// <summary>
/// Gives each request an id: the proxy's <c>X-Request-Id</c> when it looks like one (at most
/// <see cref="MaxLength"/> visible ASCII characters, so it cannot break a log line or a header), otherwise a new one.
/// It becomes <see cref="HttpContext.TraceIdentifier"/> and is echoed on the response; the request log makes it the
/// request's log scope (<see cref="RequestIdLogScope"/>), so every log line of the request carries it.
/// </summary>
internal sealed class RequestIds
{
    public const int MaxLength = 128;

    private readonly string header;

    // One delegate for every request, with the request as its state: no closure to allocate each time.
    private readonly Func<object, Task> echo;

    public RequestIds(IOptions<GatewayOptions> options)
    {
        header = options.Value.RequestIdHeader;
        echo = Echo;
    }

    /// <summary>The request's id, set as its trace identifier and answered in the response header.</summary>
    public string Assign(HttpContext context)
    {
        var given = context.Request.Headers[header];
        var id = given.Count == 1 && IsAcceptable(given[0]) ? given[0]! : NewId();
        context.TraceIdentifier = id;
        // On starting, not now: a timeout or an error response clears the headers set so far.
        context.Response.OnStarting(echo, context);
        return id;
    }

    private Task Echo(object state)
    {
        var context = (HttpContext)state;
        context.Response.Headers[header] = context.TraceIdentifier;
        return Task.CompletedTask;
    }

    /// <summary>
    /// 32 hex digits, as a GUID's "N" format: unique, not secret, so from <see cref="Random.Shared"/> (seeded by the
    /// OS once) rather than <see cref="Guid.NewGuid"/>, which reads <c>/dev/urandom</c> on every request here.
    /// </summary>
    public static string NewId()
    {
        Span<byte> bytes = stackalloc byte[16];
        Random.Shared.NextBytes(bytes);
        return Convert.ToHexStringLower(bytes);
    }

    public static bool IsAcceptable(string? id) =>
        id is { Length: > 0 and <= MaxLength } && !id.AsSpan().ContainsAnyExceptInRange('!', '~');
}
