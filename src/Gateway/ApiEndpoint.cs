using System.Globalization;
using System.Text.Json;
using Gateway.Auth;
using Gateway.Catalog;
using Gateway.Errors;
using Gateway.Execution;
using Gateway.Planning;
using Gateway.Requests;
using Gateway.Responses;
using Npgsql;

namespace Gateway;

/// <summary>
/// The request pipeline, stage by stage: auth → parse → plan (against the catalog snapshot) → one transaction
/// → response. Every failure becomes a PostgREST-shaped error; 5xx bodies carry no internals.
/// </summary>
internal static class ApiEndpoint
{
    /// <summary>
    /// Anything unexpected still answers in PostgREST's shape, without internals; the cause is logged once. First in
    /// the pipeline after the request log, so the limits' own handlers (request timeout) see their exceptions before it.
    /// </summary>
    public static WebApplication UseGatewayErrors(this WebApplication app)
    {
        app.UseExceptionHandler(handler => handler.Run(context =>
        {
            var failure = context.Features.Get<Microsoft.AspNetCore.Diagnostics.IExceptionHandlerFeature>()?.Error;
            // The server counts a chunked body while it is read and stops it past Gateway:MaxRequestBodySize.
            if (failure is BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge })
            {
                var limit = context.RequestServices.GetRequiredService<Microsoft.Extensions.Options.IOptions<Configuration.GatewayOptions>>().Value.MaxRequestBodySize;
                return ErrorResponses.WriteAsync(context, Protection.ProtectionErrors.TooLarge(limit));
            }

            return ErrorResponses.WriteAsync(context, new GatewayError(500, "PGRSTX00", "Internal server error")
            {
                LogDetail = failure?.ToString(),
            });
        }));
        return app;
    }

    public static WebApplication MapGatewayApi(this WebApplication app)
    {
        app.Map("/{**path}", HandleAsync);
        return app;
    }

    public static WebApplicationBuilder AddGatewayApi(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<RequestExecutor>();
        builder.Services.AddSingleton(services =>
        {
            var options = services.GetRequiredService<Microsoft.Extensions.Options.IOptions<Configuration.GatewayOptions>>().Value;
            return new ApiSettings(options.ServerTiming, options.AllowTransactionOverride);
        });
        return builder;
    }

    private static async Task HandleAsync(
        HttpContext context,
        Authenticator authenticator,
        CatalogStore catalogStore,
        CatalogSettings catalogSettings,
        RequestExecutor executor,
        ApiSettings settings,
        Microsoft.Extensions.Options.IOptions<Configuration.GatewayOptions> options)
    {
        // Only timed when Server-Timing is on: nothing is measured or allocated for it otherwise.
        var timing = settings.ServerTiming ? new StageTimer() : null;
        if (timing is not null)
        {
            // Registered first, so error responses carry the stages that ran too (PostgREST's ServerTimingSpec).
            context.Response.OnStarting(() =>
            {
                // A response stage only for a response built from a finished transaction, not for an error.
                if (timing.Has("transaction") && context.Response.StatusCode < 400)
                {
                    timing.Mark("response");
                }

                context.Response.Headers["Server-Timing"] = timing.ToString();
                return Task.CompletedTask;
            });
        }

        var http = context.Request;
        var auth = await authenticator.AuthenticateAsync(http, context.RequestAborted);
        timing?.Mark("jwt");
        if (!auth.IsOk)
        {
            await ErrorResponses.WriteAsync(context, auth.Error);
            return;
        }

        var headers = http.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
        var parsed = ApiRequestParser.Parse(http.Method, http.Path.Value ?? "/", http.QueryString.Value, headers);
        timing?.Mark("parse");
        if (!parsed.IsOk)
        {
            await ErrorResponses.WriteAsync(context, parsed.Error);
            return;
        }

        var request = parsed.Value;
        // Only one schema is exposed; a client asking for another by profile gets PostgREST's 406.
        var profile = request.Method is "GET" or "HEAD" ? http.Headers["Accept-Profile"] : http.Headers["Content-Profile"];
        if (profile.Count > 0 && profile.ToString() != catalogSettings.Schema)
        {
            await ErrorResponses.WriteAsync(context, new GatewayError(406, "PGRST106",
                $"The schema must be one of the following: {catalogSettings.Schema}"));
            return;
        }

        if (catalogStore.Current is not { } catalog)
        {
            await ErrorResponses.WriteAsync(context, GatewayError.CatalogNotLoaded);
            return;
        }

        if (request.Action == RequestAction.Info)
        {
            await RespondToOptionsAsync(context, request, catalog);
            return;
        }

        if (request.Target.Kind == TargetKind.Root)
        {
            await Gateway.OpenApi.OpenApiEndpoint.WriteRootAsync(context, catalog, auth.Value);
            return;
        }

        JsonElement? body = null;
        if (request.Method is "POST" or "PATCH" or "PUT")
        {
            using var reader = new StreamReader(http.Body);
            var text = await reader.ReadToEndAsync(context.RequestAborted);
            // An RPC POST without a body is a call without arguments.
            var read = request.Action == RequestAction.Call && string.IsNullOrWhiteSpace(text)
                ? Result<JsonElement>.Ok(RequestBody.EmptyObject)
                : RequestBody.Parse(http.ContentType, text);
            if (!read.IsOk)
            {
                await ErrorResponses.WriteAsync(context, read.Error);
                return;
            }

            body = read.Value;
        }

        var plan = Planner.Plan(request, catalog, body, options.Value.MaxRows);
        timing?.Mark("plan");
        if (!plan.IsOk)
        {
            await ErrorResponses.WriteAsync(context, plan.Error);
            return;
        }

        var transaction = new TransactionContext(
            auth.Value.Role,
            auth.Value.ClaimsJson,
            http.Method,
            http.Path.Value ?? "/",
            JsonSerializer.Serialize(http.Headers
                .Where(h => !h.Key.Equals("cookie", StringComparison.OrdinalIgnoreCase))
                .ToDictionary(h => h.Key.ToLowerInvariant(), h => h.Value.ToString())),
            JsonSerializer.Serialize(http.Cookies.ToDictionary(c => c.Key, c => c.Value)),
            catalogSettings.Schema,
            catalog.SettingsOf(auth.Value.Role),
            plan.Value.ReadOnly,
            request.Preferences.Timezone);

        var singular = request.MediaType.Kind == MediaTypeKind.SingleObject;
        StatementResult result;
        try
        {
            result = await executor.ExecuteAsync(
                transaction,
                new MainStatement(
                    plan.Value.Statement.ToString(),
                    plan.Value.Statement.Parameters,
                    plan.Value.PlannedCount is { } planned ? (planned.ToString(), planned.Parameters) : null),
                CommitCheck(request, plan.Value, singular, RollsBack(request, settings)),
                context.RequestAborted);
        }
        catch (PostgresException error)
        {
            timing?.Mark("transaction");
            await ErrorResponses.WriteAsync(context, PostgresErrors.Map(error, !auth.Value.IsAnonymous));
            return;
        }
        catch (NpgsqlException error) when (error.InnerException is not OperationCanceledException)
        {
            await ErrorResponses.WriteAsync(context, PostgresErrors.ConnectionFailed() with { LogDetail = error.Message });
            return;
        }

        timing?.Mark("transaction");
        // The body depends on these request headers: caches must key on them (PostgREST v16).
        context.Response.Headers.Append("Vary", "Accept, Prefer, Range");

        if (plan.Value.Action is RequestAction.Insert or RequestAction.Update or RequestAction.Delete or RequestAction.Upsert)
        {
            await RespondToWriteAsync(context, request, plan.Value, result, singular,
                settings.AllowTransactionOverride && request.Preferences.Transaction is not null);
            return;
        }

        await RespondAsync(context, request, plan.Value, result, singular);
    }

    // Prefer: tx=rollback is honored only where the operator allows it (PostgREST's db-tx-end *-allow-override).
    private static bool RollsBack(ApiRequest request, ApiSettings settings) =>
        settings.AllowTransactionOverride && request.Preferences.Transaction == TransactionPreference.Rollback;

    /// <summary>
    /// When a write must be undone after seeing its result (a singular response that is not one row, or more
    /// rows than <c>max-affected</c> allows with <c>handling=strict</c>), the transaction is explicit and this
    /// decides commit (true) or rollback. Null: nothing to check, one implicit transaction, one round trip.
    /// </summary>
    private static Func<StatementResult, bool>? CommitCheck(ApiRequest request, Plan plan, bool singular, bool rollback)
    {
        if (plan.ReadOnly)
        {
            return null;
        }

        if (rollback)
        {
            return _ => false;
        }

        var maxAffected = request.Preferences.Handling == HandlingPreference.Strict ? request.Preferences.MaxAffected : null;
        if (!singular && maxAffected is null)
        {
            return null;
        }

        // max-affected on a call counts rows only of a set-returning function; any other call is refused (PGRST128).
        if (maxAffected is not null && plan.Action == RequestAction.Call && !ReturnsSet(plan))
        {
            return _ => false;
        }

        return result => (!singular || result.PageCount == 1) && (maxAffected is not { } max || result.PageCount <= max);
    }

    private static bool ReturnsSet(Plan plan) => plan.Shape is Sql.BodyShape.Rows or Sql.BodyShape.ScalarSet;

    /// <summary>A read-write call whose result broke <c>max-affected</c> (and was rolled back), or null.</summary>
    private static GatewayError? MaxAffectedViolation(ApiRequest request, Plan plan, StatementResult result)
    {
        if (plan.ReadOnly || request.Preferences.Handling != HandlingPreference.Strict || request.Preferences.MaxAffected is not { } max)
        {
            return null;
        }

        if (!ReturnsSet(plan))
        {
            return new GatewayError(400, "PGRST128", "Function must return SETOF or TABLE when max-affected preference is used with handling=strict");
        }

        return result.PageCount > max
            ? new GatewayError(400, "PGRST124", "Query result exceeds max-affected preference constraint", $"The query affects {result.PageCount} rows")
            : null;
    }

    private static async Task RespondToWriteAsync(HttpContext context, ApiRequest request, Plan plan, StatementResult result, bool singular, bool transactionHonored)
    {
        var response = context.Response;
        if (singular && result.PageCount != 1)
        {
            await ErrorResponses.WriteAsync(context, GatewayError.NotSingular(result.PageCount));
            return;
        }

        if (request.Preferences.Handling == HandlingPreference.Strict && request.Preferences.MaxAffected is { } max && result.PageCount > max)
        {
            await ErrorResponses.WriteAsync(context, new GatewayError(400, "PGRST124",
                "Query result exceeds max-affected preference constraint", $"The query affects {result.PageCount} rows"));
            return;
        }

        var total = request.Preferences.Count == CountPreference.Exact ? result.PageCount.ToString(CultureInfo.InvariantCulture) : "*";
        response.Headers.ContentRange = plan.Action == RequestAction.Update && result.PageCount > 0
            ? $"0-{result.PageCount - 1}/{total}"
            : $"*/{total}";
        var applied = PreferenceKinds.Return | PreferenceKinds.Count | PreferenceKinds.Handling | PreferenceKinds.Timezone | PreferenceKinds.MaxAffected;
        if (transactionHonored)
        {
            applied |= PreferenceKinds.Transaction;
        }

        if (plan.Action == RequestAction.Insert)
        {
            applied |= PreferenceKinds.Resolution | PreferenceKinds.Missing;
        }

        if (request.Preferences.FormatApplied(applied) is { } echoed)
        {
            response.Headers["Preference-Applied"] = echoed;
        }

        var responseStatus = ApplyResponseGucs(response, result);
        if (responseStatus is GatewayError gucError)
        {
            await ErrorResponses.WriteAsync(context, gucError);
            return;
        }

        // An upsert that inserted nothing only updated: 200 instead of 201 (PUT with return=minimal: 204).
        var inserted = !plan.Upsert || result.PageCount > (result.TotalCount ?? 0);
        var status = plan.Action switch
        {
            RequestAction.Upsert when !plan.Representation => 204,
            RequestAction.Insert or RequestAction.Upsert => inserted ? 201 : 200,
            _ => plan.Representation ? 200 : 204,
        };
        response.StatusCode = responseStatus as int? ?? status;
        if (plan.LocationKey is { } key)
        {
            if (result.PageCount == 1)
            {
                response.Headers.Location = Location(context.Request.Path.Value ?? "/", key, result.Body!);
            }

            return;
        }

        if (!plan.Representation)
        {
            return;
        }

        response.ContentType = request.MediaType.ContentType;
        // The statement built the body in the negotiated shape (an array, or the one object when singular).
        var bytes = System.Text.Encoding.UTF8.GetBytes(result.Body ?? "[]");
        response.ContentLength = bytes.Length;
        await response.Body.WriteAsync(bytes, context.RequestAborted);
    }

    private static async Task RespondAsync(HttpContext context, ApiRequest request, Plan plan, StatementResult result, bool singular)
    {
        var response = context.Response;
        if (MaxAffectedViolation(request, plan, result) is { } violation)
        {
            await ErrorResponses.WriteAsync(context, violation);
            return;
        }

        if (singular && result.PageCount != 1)
        {
            await ErrorResponses.WriteAsync(context, GatewayError.NotSingular(result.PageCount));
            return;
        }

        var status = 200;
        var lower = plan.Offset;
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
        response.Headers.ContentLocation = request.CanonicalQuery.Length == 0 ? path : $"{path}?{request.CanonicalQuery}";
        if (request.Preferences.FormatApplied(PreferenceKinds.Count | PreferenceKinds.Handling | PreferenceKinds.Timezone) is { } applied)
        {
            response.Headers["Preference-Applied"] = applied;
        }
        var responseStatus = ApplyResponseGucs(response, result);
        if (responseStatus is GatewayError gucError)
        {
            await ErrorResponses.WriteAsync(context, gucError);
            return;
        }

        if (plan.ReturnsVoid)
        {
            response.StatusCode = responseStatus as int? ?? 204;
            return;
        }

        response.StatusCode = responseStatus as int? ?? status;
        response.ContentType = request.MediaType.ContentType;
        if (request.IsHead)
        {
            return;
        }

        var bytes = System.Text.Encoding.UTF8.GetBytes(result.Body ?? "");
        response.ContentLength = bytes.Length;
        await response.Body.WriteAsync(bytes, context.RequestAborted);
    }

    /// <summary>OPTIONS: <c>Allow</c> lists what the view or function permits, as PostgREST computes it.</summary>
    private static async Task RespondToOptionsAsync(HttpContext context, ApiRequest request, CatalogSnapshot catalog)
    {
        string allow;
        switch (request.Target.Kind)
        {
            case TargetKind.Relation when catalog.FindRelation(request.Target.Name) is { } relation:
                var methods = new List<string> { "OPTIONS", "GET", "HEAD" };
                if (relation.Insertable)
                {
                    methods.Add("POST");
                }

                if (relation.Insertable && relation.Updatable && relation.PrimaryKey.Count > 0)
                {
                    methods.Add("PUT");
                }

                if (relation.Updatable)
                {
                    methods.Add("PATCH");
                }

                if (relation.Deletable)
                {
                    methods.Add("DELETE");
                }

                allow = string.Join(",", methods);
                break;
            case TargetKind.Function when catalog.FindRoutines(request.Target.Name) is { Count: > 0 } routines:
                allow = routines.All(r => r.Volatility == Volatility.Volatile) ? "OPTIONS,POST" : "OPTIONS,GET,HEAD,POST";
                break;
            case TargetKind.Root:
                allow = "OPTIONS,GET,HEAD";
                break;
            default:
                var plan = Planner.Plan(request with { Action = request.Target.Kind == TargetKind.Function ? RequestAction.Call : RequestAction.Read, Method = "GET" }, catalog, null);
                await ErrorResponses.WriteAsync(context, plan.Error ?? new GatewayError(404, "PGRST125", "Invalid path specified in request URL"));
                return;
        }

        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.Headers.Allow = allow;

        context.Response.ContentLength = 0;
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

    /// <summary>Applies <c>response.headers</c> / <c>response.status</c> set in SQL; returns the status, null, or a 500 error.</summary>
    private static object? ApplyResponseGucs(HttpResponse response, StatementResult result)
    {
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

/// <summary>Switches of the HTTP api: <c>Gateway:ServerTiming</c> and <c>Gateway:AllowTransactionOverride</c>.</summary>
internal sealed record ApiSettings(bool ServerTiming, bool AllowTransactionOverride);

/// <summary>Durations of the pipeline's stages, for the <c>Server-Timing</c> header (PostgREST's names).</summary>
internal sealed class StageTimer
{
    private readonly List<(string Stage, double Milliseconds)> stages = [];
    private long last = System.Diagnostics.Stopwatch.GetTimestamp();

    public void Mark(string stage)
    {
        var now = System.Diagnostics.Stopwatch.GetTimestamp();
        stages.Add((stage, System.Diagnostics.Stopwatch.GetElapsedTime(last, now).TotalMilliseconds));
        last = now;
    }

    public bool Has(string stage) => stages.Exists(s => s.Stage == stage);

    public override string ToString() => string.Join(", ", stages.Select(s =>
        $"{s.Stage};dur={s.Milliseconds.ToString("0.0", CultureInfo.InvariantCulture)}"));
}
