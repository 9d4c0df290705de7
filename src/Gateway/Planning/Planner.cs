using Gateway.Catalog;
using Gateway.Errors;
using Gateway.Requests;
using Gateway.Sql;
using NpgsqlTypes;

namespace Gateway.Planning;

/// <summary>What to run for one request: the main statement, its transaction mode and how to shape the reply.</summary>
internal sealed record Plan(SqlText Statement, bool ReadOnly, BodyShape Shape, bool ReturnsVoid, long Offset, SqlText? PlannedCount = null)
{
    /// <summary>Insert, Update or Delete for writes through a view; Read or Call otherwise.</summary>
    public RequestAction Action { get; init; } = RequestAction.Read;

    /// <summary>Prefer: return=representation — the affected rows are the body.</summary>
    public bool Representation { get; init; }

    /// <summary>An upsert: the statement's second column counts the rows that already existed (200 vs 201).</summary>
    public bool Upsert { get; init; }

    /// <summary>For return=headers-only: the primary key columns whose values build <c>Location</c>.</summary>
    public IReadOnlyList<string>? LocationKey { get; init; }
}

/// <summary>
/// Matches a parsed request against the catalog snapshot: unknown views and functions are 404 with a hint,
/// function overloads are chosen by argument names, and limit/offset are intersected with the Range header.
/// Plans never touch the database.
/// </summary>
internal static class Planner
{
    /// <param name="maxRows">PostgREST's <c>db-max-rows</c>: reads and calls return at most this many rows.</param>
    public static Result<Plan> Plan(ApiRequest request, CatalogSnapshot catalog, System.Text.Json.JsonElement? body, long? maxRows = null)
    {
        var (limit, offset, pageError) = Page(request, maxRows);
        if (pageError is not null)
        {
            return pageError;
        }

        // Exact counts run in the main statement; planned ones read PostgreSQL's estimate. "estimated" is exact
        // here even with Gateway:MaxRows set (PostgREST switches to the planned count beyond that cap).
        var count = request.Preferences.Count is CountPreference.Exact or CountPreference.Estimated;
        var planned = request.Preferences.Count == CountPreference.Planned;
        switch (request.Target.Kind)
        {
            case TargetKind.Relation when request.Action == RequestAction.Read:
                var relation = catalog.FindRelation(request.Target.Name);
                if (relation is null)
                {
                    return RelationNotFound(catalog, request.Target.Name);
                }

                void Source(SqlText sql) => sql.Identifier(relation.Schema).Append(".").Identifier(relation.Name);
                var read = ReadQuery.Build(Source, relation.Name, relation.ColumnsByName, request, limit, offset, count, BodyShape.Rows);
                if (!read.IsOk)
                {
                    return read.Error;
                }

                return new Plan(read.Value, true, BodyShape.Rows, false, offset,
                    planned ? ReadQuery.BuildPlannedCount(Source, relation.Name, relation.ColumnsByName, request).Value : null);

            case TargetKind.Function when request.Action == RequestAction.Call:
                return PlanCall(request, catalog, body, limit, offset, count, planned);

            case TargetKind.Relation when request.Action is RequestAction.Insert or RequestAction.Update or RequestAction.Delete or RequestAction.Upsert:
                return WritePlanner.Plan(request, catalog, body);

            default:
                return new GatewayError(501, "PGRST127", "Feature not implemented",
                    $"{request.Method} on this path is not supported by the gateway yet.");
        }
    }

    private static Result<Plan> PlanCall(ApiRequest request, CatalogSnapshot catalog, System.Text.Json.JsonElement? body, long? limit, long offset, bool count, bool planned)
    {
        var schema = catalog.Schema;
        var name = request.Target.Name;
        var isPost = request.Method == "POST";
        // A JSON array body calls with its first element (PostgREST); ?columns= names the keys to use, so
        // other keys of the body are ignored instead of making the call unmatched.
        var argumentsBody = body;
        if (isPost && body is { ValueKind: System.Text.Json.JsonValueKind.Array } array)
        {
            argumentsBody = array.GetArrayLength() > 0 ? array[0] : RequestBody.EmptyObject;
        }

        var given = !isPost
            ? request.Arguments.Select(a => a.Name).ToList()
            : request.Columns is { } columnsParameter
                ? columnsParameter.ToList()
                : argumentsBody is { ValueKind: System.Text.Json.JsonValueKind.Object } b ? b.EnumerateObject().Select(p => p.Name).ToList() : [];

        var candidates = catalog.FindRoutines(name)
            .Where(r => Accepts(r, given))
            .ToList();
        if (candidates.Count == 0 && isPost)
        {
            candidates = catalog.FindRoutines(name).Where(r => r.TakesWholeBody).ToList();
        }

        if (candidates.Count == 0)
        {
            return FunctionNotFound(catalog, name, given, isPost);
        }

        if (candidates.Count > 1)
        {
            return new GatewayError(300, "PGRST203",
                $"Could not choose the best candidate function between: {string.Join(", ", candidates.Select(c => $"{schema}.{name}({string.Join(", ", c.Inputs.Select(p => p.Name + " => " + p.Type))})"))}",
                null, "Try renaming the parameters or the function itself in the database so function overloading can be resolved");
        }

        var routine = candidates[0];
        var shape = routine.ReturnsComposite
            ? routine.ReturnsSet ? BodyShape.Rows : BodyShape.Object
            : routine.ReturnsSet ? BodyShape.ScalarSet : BodyShape.Scalar;
        var columns = routine.ResultColumns;

        // Named arguments of a POST come from one json_to_record of the body (PostgreSQL converts each field to
        // the parameter's type); query-string arguments are cast one by one.
        var arguments = routine.Inputs.Where(p => given.Contains(p.Name)).ToList();
        var fromBody = isPost && !routine.TakesWholeBody && arguments.Count > 0;
        void Source(SqlText sql)
        {
            if (routine.ReturnsComposite)
            {
                if (fromBody)
                {
                    AppendBodyRecord(sql, arguments, argumentsBody!.Value);
                    sql.Append(" cross join lateral ");
                }

                AppendCall(sql, routine, request, body, arguments, fromBody);
            }
            else
            {
                sql.Append("(select ");
                AppendCall(sql, routine, request, body, arguments, fromBody);
                sql.Append(" as pgrst_scalar");
                if (fromBody)
                {
                    sql.Append(" from ");
                    AppendBodyRecord(sql, arguments, argumentsBody!.Value);
                }

                sql.Append(")");
            }
        }

        var read = ReadQuery.Build(Source, name, columns, request, limit, offset, count, shape, evaluateSourceOnce: true);
        if (!read.IsOk)
        {
            return read.Error;
        }

        // GET/HEAD always run read-only, POST only for functions that declare they do not write.
        var readOnly = !isPost || routine.Volatility != Volatility.Volatile;
        return new Plan(read.Value, readOnly, shape, routine.ReturnsVoid, offset,
            planned ? ReadQuery.BuildPlannedCount(Source, name, columns, request).Value : null)
        {
            Action = RequestAction.Call,
        };
    }

    private static bool Accepts(Routine routine, IReadOnlyList<string> given)
    {
        var inputs = routine.Inputs.ToList();
        if (inputs.Any(p => p.Name.Length == 0))
        {
            return false;
        }

        return given.All(g => inputs.Any(p => p.Name == g))
            && inputs.All(p => p.HasDefault || given.Contains(p.Name));
    }

    // Arguments are always parameters: the body (one json parameter), or each query-string value cast to the
    // parameter's declared type (a catalog name).
    private static void AppendCall(SqlText sql, Routine routine, ApiRequest request, System.Text.Json.JsonElement? body, IReadOnlyList<RoutineParameter> arguments, bool fromBody)
    {
        sql.Identifier(routine.Schema).Append(".").Identifier(routine.Name).Append("(");
        if (routine.TakesWholeBody && request.Method == "POST")
        {
            sql.TypedParameter(body?.GetRawText() ?? "{}", NpgsqlDbType.Text).Append("::").Append(routine.Inputs.First().Type).Append(")");
            return;
        }

        for (var i = 0; i < arguments.Count; i++)
        {
            var parameter = arguments[i];
            sql.Append(i == 0 ? "" : ", ").Append(parameter.IsVariadic ? "variadic " : "").Identifier(parameter.Name).Append(" := ");
            if (fromBody)
            {
                sql.Append("_b.").Identifier(parameter.Name);
            }
            else
            {
                var argument = request.Arguments.First(a => a.Name == parameter.Name);
                var value = parameter.IsVariadic ? SqlText.ArrayLiteral(argument.Values) : argument.Value;
                sql.Append("cast(").Parameter(value).Append(" as ").Append(parameter.Type).Append(")");
            }
        }

        sql.Append(")");
    }

    private static void AppendBodyRecord(SqlText sql, IReadOnlyList<RoutineParameter> arguments, System.Text.Json.JsonElement body)
    {
        sql.Append("json_to_record(").TypedParameter(body.GetRawText(), NpgsqlDbType.Text).Append("::json) as _b(");
        for (var i = 0; i < arguments.Count; i++)
        {
            sql.Append(i == 0 ? "" : ", ").Identifier(arguments[i].Name).Append(" ").Append(arguments[i].Type);
        }

        sql.Append(")");
    }

    private static (long? Limit, long Offset, GatewayError? Error) Page(ApiRequest request, long? maxRows)
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

        return (rows, lower, null);
    }

    private static GatewayError FunctionNotFound(CatalogSnapshot catalog, string name, IReadOnlyList<string> given, bool jsonBody)
    {
        // A body may carry thousands of keys: the error names at most 20 of them, each cut to an identifier's length.
        const int Shown = 20;
        given = given.Take(Shown).Select(g => ClientText.Shorten(g, 63)).Concat(given.Count > Shown ? ["…"] : []).ToList();
        var schema = catalog.Schema;
        var list = string.Join(", ", given);
        var searched = given.Count switch
        {
            0 => "without parameters",
            1 => $"with parameter {list}",
            _ => $"with parameters {list}",
        };
        var orWholeBody = jsonBody ? " or with a single unnamed json/jsonb parameter" : "";
        // A function of that name: suggest its closest argument list; otherwise the closest function name.
        var sameName = catalog.FindRoutines(name);
        string? hint = sameName.Count > 0
            ? $"Perhaps you meant to call the function {schema}.{name}({ClosestArguments(sameName, given)})"
            : Suggest(catalog.Routines.Keys, name) is { } near ? $"Perhaps you meant to call the function {schema}.{near}" : null;
        return new GatewayError(404, "PGRST202",
            given.Count == 0
                ? $"Could not find the function {schema}.{name} without parameters in the schema cache"
                : $"Could not find the function {schema}.{name}({list}) in the schema cache",
            $"Searched for the function {schema}.{name} {searched}{orWholeBody}, but no matches were found in the schema cache.",
            hint);
    }

    private static string ClosestArguments(IReadOnlyList<Routine> overloads, IReadOnlyList<string> given)
    {
        var wanted = string.Join(", ", given.Order(StringComparer.Ordinal));
        return overloads
            .Select(r => string.Join(", ", r.Inputs.Select(p => p.Name).Order(StringComparer.Ordinal)))
            .OrderByDescending(candidate => Similarity(candidate, wanted))
            .First();
    }

    internal static GatewayError RelationNotFound(CatalogSnapshot catalog, string name) =>
        new(404, "PGRST205", $"Could not find the table '{catalog.Schema}.{name}' in the schema cache", null,
            Suggest(catalog.Relations.Keys, name) is { } s ? $"Perhaps you meant the table '{catalog.Schema}.{s}'" : null);

    /// <summary>The closest known name when it is at least 75% similar (PostgREST's fuzzy hint).</summary>
    private static string? Suggest(IEnumerable<string> names, string wanted) => names
        .Select(n => (Name: n, Score: Similarity(n, wanted)))
        .Where(x => x.Score >= 0.75)
        .OrderByDescending(x => x.Score)
        .Select(x => x.Name)
        .FirstOrDefault();

    // Levenshtein similarity on two rows of the table; names past 200 characters are not worth a hint (and must
    // not cost a client-chosen amount of memory or time).
    private static double Similarity(string a, string b)
    {
        if (a.Length > 200 || b.Length > 200)
        {
            return 0;
        }

        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                current[j] = Math.Min(Math.Min(previous[j] + 1, current[j - 1] + 1), previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            }

            (previous, current) = (current, previous);
        }

        var longest = Math.Max(a.Length, b.Length);
        return longest == 0 ? 1 : 1 - (double)previous[b.Length] / longest;
    }
}
