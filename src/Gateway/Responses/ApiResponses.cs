using System.Globalization;
using System.Text.Json;
using Gateway.Errors;
using Gateway.Execution;
using Gateway.Planning;

namespace Gateway.Responses;

/// <summary>
/// The respond stage: status, <c>Content-Range</c>, <c>Content-Location</c>, <c>Location</c>, <c>Preference-Applied</c>, <c>Warning</c>,
/// the response GUCs (<c>response.headers</c>, <c>response.status</c>) and the body PostgreSQL built, from a plan and
/// what its statement returned. It never decides whether a result may stand (Planning's result rules do) and never
/// touches the database.
/// </summary>
internal static class ApiResponses
{
    public static Task WriteAsync(HttpContext context, ApiPlan plan, Executed executed)
    {
        // The body depends on these request headers: caches must key on them (PostgREST v16).
        context.Response.Headers.Append("Vary", "Accept, Prefer, Range");
        if (executed.Refusal is { } refusal)
        {
            return ErrorResponses.WriteAsync(context, refusal);
        }

        if (plan.Answer.Media.Plan is not null)
        {
            // An execution plan: 200 and the plan, whatever the statement would have answered.
            context.Response.StatusCode = StatusCodes.Status200OK;
            context.Response.ContentType = plan.Answer.Media.ContentType;
            return WriteBodyAsync(context, executed.Result.Body);
        }

        return plan is MutatePlan mutate
            ? WriteMutationAsync(context, mutate, executed.Result)
            : WriteReadAsync(context, plan, executed.Result);
    }

    /// <summary>OPTIONS: 200 with <c>Allow</c> and no body.</summary>
    public static void WriteOptions(HttpContext context, OptionsPlan plan)
    {
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.Headers.Allow = plan.Allow;
        context.Response.ContentLength = 0;
    }

    private static async Task WriteReadAsync(HttpContext context, ApiPlan plan, StatementResult result)
    {
        var response = context.Response;
        var answer = plan.Answer;
        var status = 200;
        var lower = answer.Offset;
        var upper = lower + result.PageCount - 1;
        var total = result.TotalCount?.ToString(CultureInfo.InvariantCulture) ?? "*";
        if (result.TotalCount is { } count)
        {
            if (lower > count)
            {
                response.Headers.ContentRange = $"*/{count}";
                await ErrorResponses.WriteAsync(context, new GatewayError(416, "PGRST103", "Requested range not satisfiable",
                    $"An offset of {lower} was requested, but there are only {count} rows."));
                return;
            }

            if (result.PageCount < count)
            {
                status = 206;
            }
        }

        response.Headers.ContentRange = result.PageCount == 0 ? $"*/{total}" : $"{lower}-{upper}/{total}";
        var path = context.Request.Path.Value ?? "/";
        response.Headers.ContentLocation = answer.CanonicalQuery.Length == 0 ? path : $"{path}?{answer.CanonicalQuery}";
        var responseStatus = ApplyPreferencesAndGucs(response, answer, result);
        if (responseStatus is GatewayError gucError)
        {
            await ErrorResponses.WriteAsync(context, gucError);
            return;
        }

        if (plan is CallPlan { Routine.ReturnsVoid: true })
        {
            response.StatusCode = responseStatus as int? ?? 204;
            return;
        }

        response.StatusCode = responseStatus as int? ?? status;
        response.ContentType = answer.Media.ContentType;
        if (answer.HeadersOnly)
        {
            return;
        }

        await WriteBodyAsync(context, result.Body);
    }

    private static async Task WriteMutationAsync(HttpContext context, MutatePlan plan, StatementResult result)
    {
        var response = context.Response;
        var answer = plan.Answer;
        var total = answer.CountAffected ? result.PageCount.ToString(CultureInfo.InvariantCulture) : "*";
        response.Headers.ContentRange = plan.Mutation is Update && result.PageCount > 0
            ? $"0-{result.PageCount - 1}/{total}"
            : $"*/{total}";
        var responseStatus = ApplyPreferencesAndGucs(response, answer, result);
        if (responseStatus is GatewayError gucError)
        {
            await ErrorResponses.WriteAsync(context, gucError);
            return;
        }

        response.StatusCode = responseStatus as int? ?? StatusOf(plan.Mutation, answer.Representation, result);
        if (answer.LocationKey is { } key)
        {
            if (result.PageCount == 1)
            {
                response.Headers.Location = Location(context.Request.Path.Value ?? "/", key, await result.Body!.ReadTextAsync(context.RequestAborted));
            }

            return;
        }

        if (!answer.Representation)
        {
            return;
        }

        response.ContentType = answer.Media.ContentType;
        // The statement built the body in the negotiated shape (an array, or the one object when singular).
        await WriteBodyAsync(context, result.Body, empty: "[]"u8.ToArray());
    }

    // An upsert that inserted nothing only updated: 200 instead of 201 (PUT with return=minimal: 204).
    private static int StatusOf(Mutation mutation, bool representation, StatementResult result) => mutation switch
    {
        Insert { Put: true } when !representation => 204,
        Insert insert => !(insert.Put || insert.Resolution == Requests.ResolutionPreference.MergeDuplicates) || result.PageCount > (result.TotalCount ?? 0) ? 201 : 200,
        _ => representation ? 200 : 204,
    };

    // The length is known before the first byte (PostgreSQL sends it first), so even a streamed body has its
    // Content-Length; nothing is ever chunked.
    private static async Task WriteBodyAsync(HttpContext context, ResponseBody? body, byte[]? empty = null)
    {
        if (body is null)
        {
            context.Response.ContentLength = empty?.Length ?? 0;
            if (empty is not null)
            {
                await context.Response.Body.WriteAsync(empty, context.RequestAborted);
            }

            return;
        }

        context.Response.ContentLength = body.Length;
        await body.CopyToAsync(context.Response.BodyWriter, context.RequestServices.GetService<ResponseSpill>(), context.RequestAborted);
    }

    // /todos?todo_id=eq.5 — the inserted row's primary key, as PostgREST builds Location for headers-only.
    private static string Location(string path, IReadOnlyList<string> key, string rowsJson)
    {
        using var rows = JsonDocument.Parse(rowsJson);
        var row = rows.RootElement[0];
        return path + "?" + string.Join("&", key.Select(column =>
        {
            var value = row.GetProperty(column);
            var text = value.ValueKind == JsonValueKind.String ? value.GetString()! : value.GetRawText();
            return $"{Uri.EscapeDataString(column)}=eq.{Uri.EscapeDataString(text)}";
        }));
    }

    /// <summary>
    /// <c>Preference-Applied</c> and <c>Warning</c>, then <c>response.headers</c> / <c>response.status</c> set in SQL; returns the status,
    /// null, or a 500 error.
    /// </summary>
    private static object? ApplyPreferencesAndGucs(HttpResponse response, Answer answer, StatementResult result)
    {
        if (answer.PreferenceApplied is { } applied)
        {
            response.Headers["Preference-Applied"] = applied;
        }

        if (answer.Warning is { } warning)
        {
            response.Headers.Warning = warning;
        }

        if (result.ResponseHeaders is { } headersJson)
        {
            try
            {
                using var document = JsonDocument.Parse(headersJson);
                foreach (var item in document.RootElement.EnumerateArray())
                {
                    var property = item.EnumerateObject().Single();
                    response.Headers.Append(property.Name, property.Value.GetString());
                }
            }
            catch (Exception ex) when (ex is JsonException or InvalidOperationException)
            {
                return new GatewayError(500, "PGRST111", "response.headers guc must be a JSON array composed of objects with a single key and a string value");
            }
        }

        if (result.ResponseStatus is { } statusText)
        {
            return int.TryParse(statusText, NumberStyles.None, CultureInfo.InvariantCulture, out var status) && status is >= 100 and <= 599
                ? status
                : new GatewayError(500, "PGRST112", "response.status guc must be a valid status code");
        }

        return null;
    }
}
