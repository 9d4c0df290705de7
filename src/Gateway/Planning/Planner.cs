using Gateway.Catalog;
using Gateway.Errors;
using Gateway.Requests;

namespace Gateway.Planning;

/// <summary>The operator's switches that planning follows.</summary>
/// <param name="MaxRows">PostgREST's <c>db-max-rows</c>: reads and calls return at most this many rows.</param>
/// <param name="AllowTransactionOverride">Whether <c>Prefer: tx=commit|rollback</c> is honoured.</param>
/// <param name="AggregatesEnabled">Whether <c>count()</c>, <c>sum()</c> and the like may be selected (PostgREST's db-aggregates-enabled).</param>
/// <param name="PlanEnabled">Whether <c>application/vnd.pgrst.plan</c> may be answered (PostgREST's db-plan-enabled).</param>
internal sealed record PlanSettings(long? MaxRows = null, bool AllowTransactionOverride = false, bool AggregatesEnabled = false, bool PlanEnabled = false)
{
    public static PlanSettings Default { get; } = new();
}

/// <summary>
/// The plan stage: a parsed request and the catalog snapshot in, a typed plan (or the 4xx that stops the request)
/// out. Unknown views, columns and functions are decided here, function overloads are chosen by argument names,
/// limit and offset are intersected with the Range header, and the result rules are set. Planning never opens a
/// connection and never writes SQL.
/// </summary>
internal static class Planner
{
    public static Result<ApiPlan> Plan(ApiRequest request, CatalogSnapshot catalog, Payload? body, PlanSettings? settings = null)
    {
        settings ??= PlanSettings.Default;
        var negotiated = Negotiate(request, catalog, settings);
        if (!negotiated.IsOk)
        {
            return negotiated.Error;
        }

        request = request with { MediaType = negotiated.Value };

        return (request.Target.Kind, request.Action) switch
        {
            (_, RequestAction.Info) => PlanOptions(request, catalog),
            (TargetKind.Relation, RequestAction.Read) => PlanRead(request, catalog, settings),
            (TargetKind.Function, RequestAction.Call) => CallPlanner.Plan(request, catalog, body, settings),
            (TargetKind.Relation, RequestAction.Insert or RequestAction.Update or RequestAction.Delete or RequestAction.Upsert) =>
                WritePlanner.Plan(request, catalog, (body as JsonPayload)?.Value, settings),
            _ => new GatewayError(501, "PGRST127", "Feature not implemented", $"{request.Method} on this path is not supported by the gateway yet."),
        };
    }

    // The request stage chose from what it can parse; some of that only some requests can have: plans when enabled
    // (PostgREST's db-plan-enabled), GeoJSON for rows with a PostGIS column. Otherwise the next acceptable type wins.
    private static Result<MediaType> Negotiate(ApiRequest request, CatalogSnapshot catalog, PlanSettings settings)
    {
        bool Available(MediaType media) =>
            (media.Plan is null || settings.PlanEnabled) && (media.Kind != MediaTypeKind.GeoJson || IsSpatial(request.Target, catalog));

        var media = Available(request.MediaType) ? request.MediaType : MediaType.Negotiate(request.Accept, request.Target.Kind, Available);
        if (!media.IsOk)
        {
            return media;
        }

        return media.Value.Kind == MediaTypeKind.GeoJson ? media.Value with { GeoJsonSchema = catalog.Postgis!.Schema } : media;
    }

    // A relation, or some overload of a function, whose rows have a geometry or geography column.
    private static bool IsSpatial(Target target, CatalogSnapshot catalog)
    {
        if (catalog.Postgis is not { } postgis)
        {
            return false;
        }

        var columns = target.Kind == TargetKind.Function
            ? catalog.FindRoutines(target.Name).SelectMany(routine => routine.ResultColumns.Values)
            : catalog.FindRelation(target.Name)?.Columns ?? [];
        return columns.Any(column => postgis.IsSpatial(column.Type));
    }

    /// <summary>Only one schema is exposed; a client asking for another by profile gets PostgREST's 406.</summary>
    public static GatewayError? CheckProfile(ApiRequest request, string schema) =>
        request.Profile is { } profile && profile != schema
            ? new GatewayError(406, "PGRST106", $"The schema must be one of the following: {schema}")
            : null;

    private static Result<ApiPlan> PlanRead(ApiRequest request, CatalogSnapshot catalog, PlanSettings settings)
    {
        var relation = catalog.FindRelation(request.Target.Name);
        if (relation is null)
        {
            return Hints.RelationNotFound(catalog, request.Target.Name);
        }

        var (limit, offset) = Page(request, settings.MaxRows);
        var tree = new ReadTree(catalog, request, settings);
        var node = tree.Root(new RelationSource(relation), ColumnScope.Of(relation), relation, NodeQuery.Of(request, limit, offset));
        if (!node.IsOk)
        {
            return node.Error;
        }

        return new ReadPlan(node.Value, CountOf(request))
        {
            ReadOnly = true,
            Rules = Rules(request, readOnly: true, settings),
            Answer = ReadAnswer(request, offset) with { Warning = tree.Warning },
        };
    }

    internal static CountMode CountOf(ApiRequest request) => request.Preferences.Count switch
    {
        // "estimated" is exact here even with Gateway:MaxRows set (PostgREST switches to the planned count beyond that cap).
        CountPreference.Exact or CountPreference.Estimated => CountMode.Exact,
        CountPreference.Planned => CountMode.Planned,
        _ => CountMode.None,
    };

    /// <summary>
    /// The result rules of a request. Max-affected binds only what can write; tx=rollback only where the operator
    /// allows it (PostgREST's db-tx-end *-allow-override). A plan is not a result, so no rule judges its rows, and
    /// whatever <c>analyze</c> wrote is always rolled back.
    /// </summary>
    internal static ResultRules Rules(ApiRequest request, bool readOnly, PlanSettings settings, bool returnsSet = true)
    {
        var preferences = request.Preferences;
        if (request.MediaType.Plan is not null)
        {
            return ResultRules.None with { AlwaysRollBack = !readOnly };
        }

        var maxAffected = !readOnly && preferences.Handling == HandlingPreference.Strict ? preferences.MaxAffected : null;
        var rollback = !readOnly && settings.AllowTransactionOverride && preferences.Transaction == TransactionPreference.Rollback;
        return new ResultRules(request.MediaType.Kind == MediaTypeKind.SingleObject, maxAffected, !returnsSet, rollback);
    }

    internal static Answer ReadAnswer(ApiRequest request, long offset) => new(request.MediaType)
    {
        PreferenceApplied = request.Preferences.FormatApplied(PreferenceKinds.Count | PreferenceKinds.Handling | PreferenceKinds.Timezone),
        CanonicalQuery = request.CanonicalQuery,
        HeadersOnly = request.IsHead,
        Offset = offset,
    };

    /// <summary>OPTIONS: <c>Allow</c> lists what the view or function permits, as PostgREST computes it.</summary>
    private static Result<ApiPlan> PlanOptions(ApiRequest request, CatalogSnapshot catalog)
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
            case TargetKind.Function when catalog.FindCallable(request.Target.Name) is { Count: > 0 } routines:
                allow = routines.All(r => r.Volatility == Volatility.Volatile) ? "OPTIONS,POST" : "OPTIONS,GET,HEAD,POST";
                break;
            case TargetKind.Root:
                allow = "OPTIONS,GET,HEAD";
                break;
            default:
                // Unknown: the same 404 (and hint) a GET of it would get.
                var asGet = request with { Action = request.Target.Kind == TargetKind.Function ? RequestAction.Call : RequestAction.Read, Method = "GET" };
                return Plan(asGet, catalog, null).Error ?? new GatewayError(404, "PGRST125", "Invalid path specified in request URL");
        }

        return new OptionsPlan(allow) { ReadOnly = true, Answer = new Answer(MediaType.Json) };
    }

    internal static (long? Limit, long Offset) Page(ApiRequest request, long? maxRows)
    {
        // Saturating arithmetic: a client may send offsets and ranges up to long.MaxValue.
        long lower = request.Offset;
        long? upper = request.Limit is { } limit ? (limit > long.MaxValue - request.Offset ? long.MaxValue : request.Offset + limit - 1) : null;
        if (request.Range is { } range && request.Method == "GET")
        {
            lower = Math.Max(lower, range.First);
            upper = (upper, range.Last) switch
            {
                ({ } a, { } b) => Math.Min(a, b),
                ({ } a, null) => a,
                (null, { } b) => b,
                _ => null,
            };
        }

        long? rows = upper is { } u ? (u < lower ? 0 : u - lower == long.MaxValue ? long.MaxValue : u - lower + 1) : null;
        // The cap applies silently; with a count asked for, the total shows the rest (206).
        if (maxRows is { } cap && (rows is null || rows > cap))
        {
            rows = cap;
        }

        return (rows, lower);
    }
}
