using System.Text.Encodings.Web;
using System.Text.Json;

namespace Gateway.Errors;

/// <summary>Writes a <see cref="GatewayError"/> as PostgREST does: compact JSON with keys code, details, hint, message.</summary>
internal static partial class ErrorResponses
{
    /// <summary>When a 503 does not say otherwise: soon, since such failures are transient (PostgREST adds it to every 503).</summary>
    public const string DefaultRetryAfter = "1";

    /// <summary>
    /// Writes the error and logs it once, with the request id (4xx at Information, 5xx at Error, at Debug when the
    /// failure was <see cref="GatewayError.LoggedAlready">logged already</see>). Every 503 carries <c>Retry-After</c>.
    /// </summary>
    public static async Task WriteAsync(HttpContext context, GatewayError error)
    {
        var logger = context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("Gateway.Errors");
        Observability.RequestRecord.Of(context)?.ErrorCode = error.Code;
        if (error.LoggedAlready)
        {
            LogKnownFailure(logger, error.Status, error.Code, context.TraceIdentifier);
        }
        else if (error.Status >= 500)
        {
            LogServerError(logger, error.Status, error.Code, error.LogDetail ?? error.Message, context.TraceIdentifier);
        }
        else
        {
            // Not the message: it may quote what the client sent (values, names).
            LogClientError(logger, error.Status, error.Code, context.TraceIdentifier);
        }

        var response = context.Response;
        response.StatusCode = error.Status;
        response.ContentType = "application/json; charset=utf-8";
        response.Headers["Proxy-Status"] = $"PostgREST; error={error.Code}";
        if (error.ReasonPhrase is { } reason)
        {
            context.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpResponseFeature>()!.ReasonPhrase = reason;
        }
        if (error.Headers is not null)
        {
            foreach (var (name, value) in error.Headers)
            {
                response.Headers[name] = value;
            }
        }

        if (error.Status == StatusCodes.Status503ServiceUnavailable && !response.Headers.ContainsKey("Retry-After"))
        {
            response.Headers.RetryAfter = DefaultRetryAfter;
        }

        // PostgREST writes characters such as < > & ' and non-ASCII text as they are, not as \u escapes.
        await using var json = new Utf8JsonWriter(response.Body, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        json.WriteStartObject();
        json.WriteString("code", error.Code);
        if (error.DetailsJson is { } details)
        {
            json.WritePropertyName("details");
            details.WriteTo(json);
        }
        else
        {
            WriteNullable(json, "details", error.Details);
        }

        WriteNullable(json, "hint", error.Hint);
        json.WriteString("message", error.Message);
        json.WriteEndObject();
        await json.FlushAsync(context.RequestAborted);
    }

    private static void WriteNullable(Utf8JsonWriter json, string name, string? value)
    {
        if (value is null)
        {
            json.WriteNull(name);
        }
        else
        {
            json.WriteString(name, value);
        }
    }

    [LoggerMessage(EventId = Observability.EventIds.RequestRefused, Level = LogLevel.Information, Message = "Request {RequestId} refused: {Status} {Code}")]
    private static partial void LogClientError(ILogger logger, int status, string code, string requestId);

    [LoggerMessage(EventId = Observability.EventIds.RequestFailedKnown, Level = LogLevel.Debug, Message = "Request {RequestId} failed: {Status} {Code} (logged when it began)")]
    private static partial void LogKnownFailure(ILogger logger, int status, string code, string requestId);

    [LoggerMessage(EventId = Observability.EventIds.RequestFailed, Level = LogLevel.Error, Message = "Request {RequestId} failed: {Status} {Code} {Detail}")]
    private static partial void LogServerError(ILogger logger, int status, string code, string detail, string requestId);
}
