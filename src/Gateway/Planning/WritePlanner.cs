using System.Text.Json;
using Gateway.Catalog;
using Gateway.Errors;
using Gateway.Requests;

namespace Gateway.Planning;

/// <summary>
/// Plans POST (insert, bulk insert, upsert with <c>Prefer: resolution</c>), PUT, PATCH and DELETE on a view of the
/// catalog: the body's keys (or <c>?columns=</c>) must be columns of the view (400 PGRST204), a bulk body's
/// objects must share their keys (400 PGRST102).
/// </summary>
internal static class WritePlanner
{
    public static Result<ApiPlan> Plan(ApiRequest request, CatalogSnapshot catalog, JsonElement? body, PlanSettings settings)
    {
        var relation = catalog.FindRelation(request.Target.Name);
        if (relation is null)
        {
            return Hints.RelationNotFound(catalog, request.Target.Name);
        }

        var answer = WriteAnswer(request, settings);
        // headers-only: the body is not sent, but the inserted row's key builds the Location header.
        var select = request.Select;
        if (request.Action == RequestAction.Insert && request.Preferences.Return == ReturnPreference.HeadersOnly && relation.PrimaryKey.Count > 0)
        {
            select = relation.PrimaryKey.Select(k => (SelectItem)new SelectField(new Field(k), null, null)).ToList();
            answer = answer with { Media = MediaType.Json with { Plan = request.MediaType.Plan }, Representation = true, LocationKey = relation.PrimaryKey };
        }

        var scope = ColumnScope.Of(relation);
        var mutation = request.Action switch
        {
            RequestAction.Upsert => PlanPut(request, relation, body),
            RequestAction.Insert => PlanInsert(request, relation, body),
            RequestAction.Update => PlanUpdate(request, relation, scope, body),
            _ => PlanDelete(request, scope),
        };
        if (!mutation.IsOk)
        {
            return mutation.Error;
        }

        // The representation reads the affected rows: root filters chose them, the root order sorts them (as PostgREST
        // orders a representation), embedded parameters shape their embeds.
        var tree = new ReadTree(catalog, request, settings);
        var returning = tree.Root(new WrittenRows(relation), scope, relation, new NodeQuery([], [], request.Order, null, 0), select: select);
        if (!returning.IsOk)
        {
            return returning.Error;
        }

        return new MutatePlan(relation, mutation.Value, returning.Value)
        {
            ReadOnly = false,
            Rules = Planner.Rules(request, readOnly: false, settings),
            Answer = answer with { Warning = tree.Warning },
        };
    }

    private static Answer WriteAnswer(ApiRequest request, PlanSettings settings)
    {
        var applied = PreferenceKinds.Return | PreferenceKinds.Count | PreferenceKinds.Handling | PreferenceKinds.Timezone | PreferenceKinds.MaxAffected;
        if (settings.AllowTransactionOverride && request.Preferences.Transaction is not null)
        {
            applied |= PreferenceKinds.Transaction;
        }

        if (request.Action == RequestAction.Insert)
        {
            applied |= PreferenceKinds.Resolution | PreferenceKinds.Missing;
        }

        return new Answer(request.MediaType)
        {
            PreferenceApplied = request.Preferences.FormatApplied(applied),
            Representation = request.Preferences.Return == ReturnPreference.Representation,
            CountAffected = request.Preferences.Count == CountPreference.Exact,
        };
    }

    private static Result<Mutation> PlanInsert(ApiRequest request, Relation relation, JsonElement? body)
    {
        // With ?columns= the keys are named up front, so objects may differ (postgrest-js sends columns for every
        // bulk insert for exactly this); without it they must all match.
        var rows = Rows(body, keysMustMatch: request.Columns is null);
        if (!rows.IsOk)
        {
            return rows.Error;
        }

        var columns = Columns(relation, request, rows.Value);
        if (!columns.IsOk)
        {
            return columns.Error;
        }

        return new Insert(rows.Value, columns.Value, request.OnConflict ?? (relation.PrimaryKey.Count > 0 ? relation.PrimaryKey : null),
            request.Preferences.Resolution, request.Preferences.Missing == MissingPreference.Default);
    }

    private static Result<Mutation> PlanUpdate(ApiRequest request, Relation relation, ColumnScope scope, JsonElement? body)
    {
        if (body is not { ValueKind: JsonValueKind.Object } row)
        {
            return new GatewayError(400, "PGRST102", "Empty or invalid json", "PATCH needs a JSON object of the columns to change.");
        }

        var columns = Columns(relation, request, JsonSerializer.SerializeToElement(new[] { row }));
        if (!columns.IsOk)
        {
            return columns.Error;
        }

        // {} changes nothing: PostgREST answers 204 without touching a row.
        if (columns.Value.Count == 0)
        {
            return NoChange.Instance;
        }

        var where = scope.Where(request.Filters, request.Logic);
        return where.IsOk ? new Update(row, columns.Value.Select(c => c.Name).ToList(), where.Value) : where.Error;
    }

    private static Result<Mutation> PlanDelete(ApiRequest request, ColumnScope scope)
    {
        var where = scope.Where(request.Filters, request.Logic);
        return where.IsOk ? new Delete(where.Value) : where.Error;
    }

    // PUT: a single-row upsert addressed by eq filters on exactly the primary key columns.
    private static Result<Mutation> PlanPut(ApiRequest request, Relation relation, JsonElement? body)
    {
        if (request.Limit is not null || request.Offset > 0)
        {
            return new GatewayError(400, "PGRST114", "limit/offset querystring parameters are not allowed for PUT");
        }

        var keyFilters = request.Filters
            .Where(f => !f.Negated && f.Field.JsonPath.Count == 0 && f.Operation is CompareOperation { Operator: CompareOperator.Equal, Quantifier: Quantifier.None })
            .ToList();
        if (relation.PrimaryKey.Count == 0 || request.Logic.Count > 0 || keyFilters.Count != request.Filters.Count
            || !keyFilters.Select(f => f.Field.Column).Order(StringComparer.Ordinal).SequenceEqual(relation.PrimaryKey.Order(StringComparer.Ordinal)))
        {
            return new GatewayError(405, "PGRST105", "Filters must include all and only primary key columns with 'eq' operators");
        }

        // One object, or (as PostgREST's own tests send it) an array holding exactly one.
        if (body is { ValueKind: JsonValueKind.Array } wrapped && wrapped.GetArrayLength() == 1)
        {
            body = wrapped[0];
        }

        if (body is not { ValueKind: JsonValueKind.Object } row)
        {
            return new GatewayError(400, "PGRST102", "Empty or invalid json", "PUT needs one JSON object: the whole row.");
        }

        foreach (var filter in keyFilters)
        {
            var expected = ((CompareOperation)filter.Operation).Value;
            if (!row.TryGetProperty(filter.Field.Column, out var given)
                || (given.ValueKind == JsonValueKind.String ? given.GetString() : given.GetRawText()) != expected)
            {
                return new GatewayError(400, "PGRST115", "Payload values do not match URL in primary key column(s)");
            }
        }

        var rows = JsonSerializer.SerializeToElement(new[] { row });
        var columns = Columns(relation, request, rows);
        if (!columns.IsOk)
        {
            return columns.Error;
        }

        return new Insert(rows, columns.Value, relation.PrimaryKey, ResolutionPreference.MergeDuplicates,
            request.Preferences.Missing == MissingPreference.Default) { Put = true };
    }

    // An object is one row; an array is a bulk insert whose objects must all have the same keys.
    private static Result<JsonElement> Rows(JsonElement? body, bool keysMustMatch)
    {
        if (body is { ValueKind: JsonValueKind.Object } one)
        {
            return JsonSerializer.SerializeToElement(new[] { one });
        }

        if (body is not { ValueKind: JsonValueKind.Array } many)
        {
            return new GatewayError(400, "PGRST102", "Empty or invalid json", "The body must be a JSON object or an array of objects.");
        }

        if (many.EnumerateArray().Any(e => e.ValueKind != JsonValueKind.Object))
        {
            // PostgREST reports an array holding something other than objects as keys that do not match.
            return new GatewayError(400, "PGRST102", "All object keys must match");
        }

        var keys = many.EnumerateArray().Select(o => string.Join('\u0001', o.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal))).Distinct().Count();
        return keys > 1 && keysMustMatch ? new GatewayError(400, "PGRST102", "All object keys must match") : many;
    }

    private static Result<IReadOnlyList<Column>> Columns(Relation relation, ApiRequest request, JsonElement rows)
    {
        IReadOnlyList<string> names = request.Columns
            ?? (rows.GetArrayLength() == 0
                ? relation.Columns.Select(c => c.Name).ToList()
                : rows[0].EnumerateObject().Select(p => p.Name).ToList());
        var columns = new List<Column>(names.Count);
        foreach (var name in names)
        {
            if (relation.FindColumn(name) is not { } column)
            {
                return new GatewayError(400, "PGRST204", $"Could not find the '{name}' column of '{relation.Name}' in the schema cache");
            }

            columns.Add(column);
        }

        return Result<IReadOnlyList<Column>>.Ok(columns);
    }
}
