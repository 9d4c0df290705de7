using System.Text;
using System.Text.Json;
using Gateway.Catalog;
using Gateway.Errors;
using Gateway.Requests;

namespace Gateway.Planning;

/// <summary>
/// Plans <c>/rpc/{name}</c>: chooses the overload the argument names (query string on GET/HEAD, body keys or
/// <c>?columns=</c> on POST) and the body's media type mean (<see cref="Overloads"/>), then reads its result like a
/// relation.
/// </summary>
internal static class CallPlanner
{
    public static Result<ApiPlan> Plan(ApiRequest request, CatalogSnapshot catalog, Payload? body, PlanSettings settings)
    {
        var name = request.Target.Name;
        var isPost = request.Method == "POST";
        // A JSON array body calls with its first element (PostgREST); ?columns= names the keys to use, so
        // other keys of the body are ignored instead of making the call unmatched. A raw body names no arguments.
        var argumentsBody = (body as JsonPayload)?.Value;
        if (isPost && argumentsBody is { ValueKind: JsonValueKind.Array } array)
        {
            argumentsBody = array.GetArrayLength() > 0 ? array[0] : RequestBody.EmptyObject;
        }

        IEnumerable<string> given = !isPost
            ? request.Arguments.Select(a => a.Name)
            : body is RawPayload
                ? []
                : request.Columns ?? (argumentsBody is { ValueKind: JsonValueKind.Object } b ? b.EnumerateObject().Select(p => p.Name) : []);
        var keys = given.ToHashSet(StringComparer.Ordinal);

        var chosen = Overloads.Choose(catalog, name, keys, isPost ? request.ContentType : null);
        if (!chosen.IsOk)
        {
            return chosen.Error;
        }

        var routine = chosen.Value;
        var arguments = Arguments(routine, request, body, argumentsBody, keys, isPost);
        var (limit, offset) = Planner.Page(request, settings.MaxRows);
        var count = Planner.CountOf(request);
        var resultRelation = ResultRelation(catalog, routine);
        // Rows of a relation have its computed fields too.
        var scope = resultRelation is null ? new ColumnScope(name, routine.ResultColumns) : ColumnScope.Of(resultRelation) with { SourceName = name };
        // A counted call filters its rows once, before it selects them (see the SQL stage).
        var tree = new ReadTree(catalog, request, settings);
        var result = tree.Root(new CallSource(routine, arguments), scope,
            resultRelation, NodeQuery.Of(request, limit, offset), whereFirst: count == CountMode.Exact);
        if (!result.IsOk)
        {
            return result.Error;
        }

        // GET/HEAD always run read-only, POST only for functions that declare they do not write.
        var readOnly = !isPost || routine.Volatility != Volatility.Volatile;
        return new CallPlan(routine, arguments, result.Value, count)
        {
            ReadOnly = readOnly,
            Rules = Planner.Rules(request, readOnly, settings, returnsSet: routine.ReturnsSet),
            Answer = Planner.ReadAnswer(request, offset) with { Warning = tree.Warning },
        };
    }

    /// <summary>The relation of the exposed schema whose rows the function returns, so its result can embed; null otherwise.</summary>
    private static Relation? ResultRelation(CatalogSnapshot catalog, Routine routine) =>
        routine.ReturnTypeKind == 'c' && routine.ReturnsComposite ? catalog.FindRelationOfType(routine.ReturnType) : null;

    // Named arguments of a POST come from one json_to_record of the body (PostgreSQL converts each field to the
    // parameter's type); query-string arguments are cast one by one. A single unnamed parameter is passed positionally.
    private static CallArguments Arguments(Routine routine, ApiRequest request, Payload? body, JsonElement? argumentsBody, IReadOnlySet<string> keys, bool isPost)
    {
        if (routine.SingleUnnamed is { } only)
        {
            return new PositionalArgument(only, WholeBody(request, body, isPost));
        }

        var parameters = routine.Inputs.Where(p => keys.Contains(p.Name)).ToList();
        if (isPost && parameters.Count > 0)
        {
            return new BodyArguments(parameters, argumentsBody!.Value);
        }

        return new QueryArguments(parameters.Select(p => (p, request.Arguments.First(a => a.Name == p.Name))).ToList());
    }

    // What PostgREST passes a single unnamed parameter: the body as it came (a JSON body whole, an array too, even when
    // it matched by its "" key), or on GET the query-string arguments as a JSON object.
    private static byte[] WholeBody(ApiRequest request, Payload? body, bool isPost) => body switch
    {
        RawPayload raw => raw.Bytes,
        JsonPayload json when isPost => Encoding.UTF8.GetBytes(json.Value.GetRawText()),
        _ => JsonSerializer.SerializeToUtf8Bytes(request.Arguments.ToDictionary(a => a.Name, a => a.Value, StringComparer.Ordinal)),
    };
}
