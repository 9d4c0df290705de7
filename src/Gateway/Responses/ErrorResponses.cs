using System.Text.Encodings.Web;
using System.Text.Json;
using Gateway.Errors;

namespace Gateway.Responses;

/// <summary>Writes a <see cref="GatewayError"/> as PostgREST does: compact JSON with keys code, details, hint, message.</summary>
internal static class ErrorResponses
{
    public static async Task WriteAsync(HttpContext context, GatewayError error)
    {
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

        // PostgREST writes characters such as < > & ' and non-ASCII text as they are, not as \u escapes.
        await using var json = new Utf8JsonWriter(response.Body, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        json.WriteStartObject();
        json.WriteString("code", error.Code);
        WriteNullable(json, "details", error.Details);
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
}
