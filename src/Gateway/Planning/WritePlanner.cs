using System.Text.Json;
using Gateway.Catalog;
using Gateway.Errors;
using Gateway.Requests;
using Gateway.Sql;

namespace Gateway.Planning;

/// <summary>
/// Plans POST (insert, bulk insert, upsert with <c>Prefer: resolution</c>), PATCH and DELETE on a view of the
/// catalog: the body's keys (or <c>?columns=</c>) must be columns of the view (400 PGRST204), a bulk body's
/// objects must share their keys (400 PGRST102).
/// </summary>
internal static class WritePlanner
{
    public static Result<Plan> Plan(ApiRequest request, CatalogSnapshot catalog, JsonElement? body)
    {
        var relation = catalog.FindRelation(request.Target.Name);
        if (relation is null)
        {
            return Planner.RelationNotFound(catalog, request.Target.Name);
        }

        var representation = request.Preferences.Return == ReturnPreference.Representation;
        // headers-only: the body is not sent, but the inserted row's key builds the Location header.
        var headersOnly = request.Action == RequestAction.Insert && request.Preferences.Return == ReturnPreference.HeadersOnly
            && relation.PrimaryKey.Count > 0;
        if (headersOnly)
        {
            request = request with
            {
                Select = relation.PrimaryKey.Select(k => (SelectItem)new SelectField(new Field(k), null, null)).ToList(),
                MediaType = MediaType.Json,
            };
            representation = true;
        }

        Result<SqlText> statement;
        switch (request.Action)
        {
            case RequestAction.Upsert:
                return PlanPut(request, relation, body, representation);

            case RequestAction.Insert:
                // With ?columns= the keys are named up front, so objects may differ (postgrest-js sends columns
                // for every bulk insert for exactly this); without it they must all match.
                var rows = Rows(body, keysMustMatch: request.Columns is null);
                if (!rows.IsOk)
                {
                    return rows.Error;
                }

                var insertColumns = Columns(relation, request, rows.Value);
                if (!insertColumns.IsOk)
                {
                    return insertColumns.Error;
                }

                statement = WriteQuery.Insert(relation, request, rows.Value, insertColumns.Value,
                    request.OnConflict ?? (relation.PrimaryKey.Count > 0 ? relation.PrimaryKey : null),
                    request.Preferences.Resolution, representation);
                break;

            case RequestAction.Update:
                if (body is not { ValueKind: JsonValueKind.Object } row)
                {
                    return new GatewayError(400, "PGRST102", "Empty or invalid json", "PATCH needs a JSON object of the columns to change.");
                }

                var updateColumns = Columns(relation, request, JsonSerializer.SerializeToElement(new[] { row }));
                if (!updateColumns.IsOk)
                {
                    return updateColumns.Error;
                }

                // {} changes nothing: PostgREST answers 204 without touching a row.
                statement = updateColumns.Value.Count == 0
                    ? WriteQuery.Nothing(relation, request, representation)
                    : WriteQuery.Update(relation, request, row, updateColumns.Value, representation);
                break;

            default:
                statement = WriteQuery.Delete(relation, request, representation);
                break;
        }

        return statement.IsOk
            ? new Plan(statement.Value, false, BodyShape.Rows, false, 0)
            {
                Action = request.Action,
                Representation = representation,
                // ignore-duplicates answers 201 like a plain insert (PostgREST); merge-duplicates 200 when it only updated.
                Upsert = request.Preferences.Resolution == ResolutionPreference.MergeDuplicates,
                LocationKey = headersOnly ? relation.PrimaryKey : null,
            }
            : statement.Error;
    }

    // PUT: a single-row upsert addressed by eq filters on exactly the primary key columns.
    private static Result<Plan> PlanPut(ApiRequest request, Relation relation, JsonElement? body, bool representation)
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

        var statement = WriteQuery.Insert(relation, request with { Filters = [] }, rows, columns.Value, relation.PrimaryKey,
            ResolutionPreference.MergeDuplicates, representation);
        return statement.IsOk
            ? new Plan(statement.Value, false, BodyShape.Rows, false, 0) { Action = RequestAction.Upsert, Representation = representation, Upsert = true }
            : statement.Error;
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

    private static Result<IReadOnlyList<string>> Columns(Relation relation, ApiRequest request, JsonElement rows)
    {
        IReadOnlyList<string> names = request.Columns
            ?? (rows.GetArrayLength() == 0
                ? relation.Columns.Select(c => c.Name).ToList()
                : rows[0].EnumerateObject().Select(p => p.Name).ToList());
        foreach (var name in names)
        {
            if (relation.FindColumn(name) is null)
            {
                return new GatewayError(400, "PGRST204", $"Could not find the '{name}' column of '{relation.Name}' in the schema cache");
            }
        }

        return Result<IReadOnlyList<string>>.Ok(names);
    }
}
