using System.Text.Json;
using Gateway.Catalog;
using Gateway.Errors;
using Gateway.Requests;

namespace Gateway.Planning;

/// <summary>
/// Plans <c>/rpc/{name}</c>: chooses the overload whose parameters match the given argument names (query string on
/// GET/HEAD, body keys or <c>?columns=</c> on POST), 404 PGRST202 with a hint when none does, 300 PGRST203 when
/// several do; then reads its result like a relation.
/// </summary>
internal static class CallPlanner
{
    public static Result<ApiPlan> Plan(ApiRequest request, CatalogSnapshot catalog, JsonElement? body, PlanSettings settings)
    {
        var name = request.Target.Name;
        var isPost = request.Method == "POST";
        // A JSON array body calls with its first element (PostgREST); ?columns= names the keys to use, so
        // other keys of the body are ignored instead of making the call unmatched.
        var argumentsBody = body;
        if (isPost && body is { ValueKind: JsonValueKind.Array } array)
        {
            argumentsBody = array.GetArrayLength() > 0 ? array[0] : RequestBody.EmptyObject;
        }

        var given = !isPost
            ? request.Arguments.Select(a => a.Name).ToList()
            : request.Columns is { } columnsParameter
                ? columnsParameter.ToList()
                : argumentsBody is { ValueKind: JsonValueKind.Object } b ? b.EnumerateObject().Select(p => p.Name).ToList() : [];

        var candidates = catalog.FindRoutines(name).Where(r => Accepts(r, given)).ToList();
        if (candidates.Count == 0 && isPost)
        {
            candidates = catalog.FindRoutines(name).Where(r => r.TakesWholeBody).ToList();
        }

        if (candidates.Count == 0)
        {
            return Hints.FunctionNotFound(catalog, name, given, isPost);
        }

        if (candidates.Count > 1)
        {
            return new GatewayError(300, "PGRST203",
                $"Could not choose the best candidate function between: {string.Join(", ", candidates.Select(c => $"{catalog.Schema}.{name}({string.Join(", ", c.Inputs.Select(p => p.Name + " => " + p.Type))})"))}",
                null, "Try renaming the parameters or the function itself in the database so function overloading can be resolved");
        }

        var routine = candidates[0];
        var arguments = Arguments(routine, request, body, argumentsBody, given, isPost);
        var (limit, offset) = Planner.Page(request, settings.MaxRows);
        var count = Planner.CountOf(request);
        // A counted call filters its rows once, before it selects them (see the SQL stage).
        var tree = new ReadTree(catalog, request, settings);
        var result = tree.Root(new CallSource(routine, arguments), new ColumnScope(name, routine.ResultColumns),
            ResultRelation(catalog, routine), NodeQuery.Of(request, limit, offset), whereFirst: count == CountMode.Exact);
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
        routine.ReturnTypeKind == 'c' && routine.ReturnsComposite
            ? catalog.Relations.Values.FirstOrDefault(r => routine.ReturnType == $"{TypeName(r.Schema)}.{TypeName(r.Name)}")
            : null;

    // A name as format_type writes it: quoted unless it is a plain lower-case identifier.
    private static string TypeName(string name) =>
        name.Length > 0 && (char.IsAsciiLetterLower(name[0]) || name[0] == '_') && name.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '_' or '$')
            ? name
            : "\"" + name.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    private static bool Accepts(Routine routine, IReadOnlyList<string> given)
    {
        var inputs = routine.Inputs;
        if (inputs.Any(p => p.Name.Length == 0))
        {
            return false;
        }

        return given.All(g => inputs.Any(p => p.Name == g))
            && inputs.All(p => p.HasDefault || given.Contains(p.Name));
    }

    // Named arguments of a POST come from one json_to_record of the body (PostgreSQL converts each field to the
    // parameter's type); query-string arguments are cast one by one.
    private static CallArguments Arguments(Routine routine, ApiRequest request, JsonElement? body, JsonElement? argumentsBody, IReadOnlyList<string> given, bool isPost)
    {
        if (isPost && routine.TakesWholeBody)
        {
            return new WholeBodyArgument(routine.Inputs[0], body);
        }

        var parameters = routine.Inputs.Where(p => given.Contains(p.Name)).ToList();
        if (isPost && parameters.Count > 0)
        {
            return new BodyArguments(parameters, argumentsBody!.Value);
        }

        return new QueryArguments(parameters.Select(p => (p, request.Arguments.First(a => a.Name == p.Name))).ToList());
    }
}
