using Gateway.Auth;
using Gateway.Catalog;
using Gateway.Errors;
using Gateway.Execution;
using Gateway.Planning;
using Gateway.Requests;
using Gateway.Responses;
using Gateway.Sql;

namespace Gateway.Pipeline;

/// <summary>
/// The one request pipeline, for every caller (the HTTP endpoint, token refresh, the OpenAPI endpoint's checks):
/// Auth → Requests (parse) → Planning → Sql → Execution → Responses. Each stage takes one value and hands one value
/// (or the <see cref="GatewayError"/> that stops the request) to the next; no stage catches another's exceptions,
/// and anything unexpected is left to the exception handler (500 PGRSTX00 without internals).
/// </summary>
internal sealed class ApiPipeline(
    Authenticator authenticator,
    CatalogStore catalogs,
    CatalogSettings catalogSettings,
    RequestExecutor executor,
    ApiSettings settings)
{
    /// <summary>Every stage for one HTTP request; the response is written.</summary>
    public async Task HandleAsync(HttpContext context)
    {
        var timing = settings.ServerTiming ? StageTimer.Start(context) : null;
        var http = context.Request;
        var auth = await authenticator.AuthenticateAsync(http, context.RequestAborted);
        timing?.Mark("jwt");
        if (!auth.IsOk)
        {
            await ErrorResponses.WriteAsync(context, auth.Error);
            return;
        }

        var parsed = ApiRequestParser.Parse(http.Method, http.Path.Value ?? "/", http.QueryString.Value, RequestFacts.Headers(http));
        timing?.Mark("parse");
        if (!parsed.IsOk)
        {
            await ErrorResponses.WriteAsync(context, parsed.Error);
            return;
        }

        var request = parsed.Value;
        if (Planner.CheckProfile(request, catalogSettings.Schema) is { } otherSchema)
        {
            await ErrorResponses.WriteAsync(context, otherSchema);
            return;
        }

        if (catalogs.Current is not { } catalog)
        {
            await ErrorResponses.WriteAsync(context, GatewayError.CatalogNotLoaded);
            return;
        }

        if (request.Action == RequestAction.Info)
        {
            var options = Planner.Plan(request, catalog, null);
            if (options is { IsOk: true, Value: OptionsPlan allow })
            {
                ApiResponses.WriteOptions(context, allow);
                return;
            }

            await ErrorResponses.WriteAsync(context, options.Error!);
            return;
        }

        if (request.Target.Kind == TargetKind.Root)
        {
            await OpenApi.OpenApiEndpoint.WriteRootAsync(context, catalog, auth.Value);
            return;
        }

        var body = await RequestBody.ReadAsync(http, request, context.RequestAborted);
        if (!body.IsOk)
        {
            await ErrorResponses.WriteAsync(context, body.Error);
            return;
        }

        var caller = new Caller(auth.Value, http.Method, http.Path.Value ?? "/", RequestFacts.HeadersJson(http), RequestFacts.CookiesJson(http));
        var ran = await RunAsync(request, body.Value, catalog, caller, timing, context.RequestAborted);
        if (!ran.IsOk)
        {
            await ErrorResponses.WriteAsync(context, ran.Error);
            return;
        }

        await using var executed = ran.Value.Executed;
        await ApiResponses.WriteAsync(context, ran.Value.Plan, executed);
    }

    /// <summary>The caller and the catalog snapshot, which every use of the api needs first (the OpenAPI endpoint stops here).</summary>
    public async ValueTask<Result<(AuthContext Caller, CatalogSnapshot Catalog)>> AdmitAsync(HttpContext context)
    {
        var auth = await authenticator.AuthenticateAsync(context.Request, context.RequestAborted);
        if (!auth.IsOk)
        {
            return auth.Error;
        }

        return catalogs.Current is { } catalog ? (auth.Value, catalog) : GatewayError.CatalogNotLoaded;
    }

    /// <summary>
    /// Plan, SQL and execution of a parsed request on behalf of <paramref name="caller"/>: what the HTTP endpoint runs
    /// after parsing, and what token refresh runs for its own call.
    /// </summary>
    public async Task<Result<(ApiPlan Plan, Executed Executed)>> RunAsync(
        ApiRequest request, Payload? body, CatalogSnapshot catalog, Caller caller, StageTimer? timing, CancellationToken cancellationToken)
    {
        var plan = Planner.Plan(request, catalog, body, settings.Planning);
        timing?.Mark("plan");
        if (!plan.IsOk)
        {
            return plan.Error;
        }

        var statement = Statement.For(plan.Value);
        var transaction = new TransactionContext(
            caller.Auth.Role,
            caller.Auth.ClaimsJson,
            caller.Method,
            caller.Path,
            caller.HeadersJson,
            caller.CookiesJson,
            catalogSettings.Schema,
            catalog.SettingsOf(caller.Auth.Role),
            plan.Value.ReadOnly,
            request.Preferences.Timezone)
        {
            IsAnonymous = caller.Auth.IsAnonymous,
        };
        var executed = await executor.ExecuteAsync(transaction, statement, plan.Value.Rules, cancellationToken);
        timing?.Mark("transaction");
        return executed.IsOk ? (plan.Value, executed.Value) : executed.Error;
    }
}

/// <summary>Who runs a request, and the request facts PostgreSQL sees as <c>request.*</c> settings.</summary>
internal sealed record Caller(AuthContext Auth, string Method, string Path, string HeadersJson, string CookiesJson);
