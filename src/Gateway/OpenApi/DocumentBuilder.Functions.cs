using Gateway.Catalog;
using Microsoft.OpenApi;

namespace Gateway.OpenApi;

/// <summary>The paths of functions: <c>/rpc/name</c> with its arguments and a result typed from its return type.</summary>
internal static partial class DocumentBuilder
{
    private static void AddFunction(Context context, string name, IReadOnlyList<Routine> overloads)
    {
        var document = context.Document;
        var tag = context.Tag(RpcTag, "Functions: POST with the arguments as a JSON object; GET with them in the query string for stable and immutable functions.");
        var comment = overloads.Select(o => o.Comment).FirstOrDefault(c => c is not null);
        var returnsSet = overloads.All(o => o.ReturnsSet);
        var paging = returnsSet ? Refs(context, Common.Select, Common.Order, Common.Limit, Common.Offset, Common.Range) : [];
        var responses = CallResponses(overloads);
        var item = new OpenApiPathItem { Operations = new Dictionary<HttpMethod, OpenApiOperation>() };

        var bodies = overloads.Select(ArgumentsSchema).ToList();
        item.Operations[HttpMethod.Post] = Operation(context, $"post_rpc_{name}", tag, Summary(comment) ?? $"Call {name}", comment,
            [.. paging, .. Refs(context, Common.PreferCall)],
            new OpenApiRequestBody
            {
                // Required only when no overload can be called without arguments.
                Required = overloads.All(o => o.TakesWholeBody || o.Inputs.Any(p => !p.HasDefault)),
                Content = Json(bodies.Count == 1 ? bodies[0] : new OpenApiSchema { OneOf = bodies }),
            },
            responses);

        // GET runs read-only: only functions that cannot write, called with arguments a query string can name.
        var readable = overloads.Where(o => o.Volatility != Volatility.Volatile && !o.TakesWholeBody && !o.Inputs.Any(p => !p.HasDefault && ReservedKeys.Contains(p.Name))).ToList();
        if (readable.Count > 0)
        {
            var arguments = readable
                .SelectMany(o => o.Inputs)
                .Where(p => !ReservedKeys.Contains(p.Name))
                .DistinctBy(p => p.Name)
                .Select(p => (IOpenApiParameter)QueryArgument(p, required: readable.All(o => o.Inputs.Any(i => i.Name == p.Name && !i.HasDefault))))
                .ToList();
            item.Operations[HttpMethod.Get] = Operation(context, $"get_rpc_{name}", tag, Summary(comment) ?? $"Call {name}", comment,
                [.. arguments, .. paging, .. Refs(context, Common.PreferCall)],
                null,
                CallResponses(readable));
        }

        document.Paths[$"/rpc/{name}"] = item;
    }

    /// <summary>The body of a POST: an object of the named arguments, required when they have no default; or any JSON for a single unnamed json parameter.</summary>
    private static IOpenApiSchema ArgumentsSchema(Routine routine)
    {
        if (routine.TakesWholeBody)
        {
            return new OpenApiSchema { Description = "Any JSON: the whole body is the function's argument." };
        }

        var inputs = routine.Inputs.ToList();
        return new OpenApiSchema
        {
            Type = JsonSchemaType.Object,
            Properties = inputs.ToDictionary(p => p.Name, p => (IOpenApiSchema)TypeSchemas.For(p.Type), StringComparer.Ordinal),
            Required = inputs.Where(p => !p.HasDefault).Select(p => p.Name).ToHashSet(StringComparer.Ordinal),
        };
    }

    /// <summary>
    /// A query-string argument. A variadic one repeats its key (<c>?v=1&amp;v=2</c>); arrays, JSON and composite values
    /// are written as PostgreSQL literals (<c>{1,2}</c>), so they are strings here.
    /// </summary>
    private static OpenApiParameter QueryArgument(RoutineParameter parameter, bool required)
    {
        var schema = TypeSchemas.For(parameter.Type);
        if (parameter.IsVariadic && schema.Items is OpenApiSchema element && TypeSchemas.IsPlain(element))
        {
            return new OpenApiParameter
            {
                Name = parameter.Name,
                In = ParameterLocation.Query,
                Required = required,
                Style = ParameterStyle.Form,
                Explode = true,
                Description = $"{parameter.Type}, variadic: repeat the key for each value.",
                Schema = schema,
            };
        }

        return new OpenApiParameter
        {
            Name = parameter.Name,
            In = ParameterLocation.Query,
            Required = required,
            Description = TypeSchemas.IsPlain(schema) ? parameter.Type : $"{parameter.Type}, as a PostgreSQL literal.",
            Schema = TypeSchemas.IsPlain(schema) ? schema : new OpenApiSchema { Type = JsonSchemaType.String },
        };
    }

    private static OpenApiResponses CallResponses(IReadOnlyList<Routine> overloads)
    {
        var responses = new OpenApiResponses();
        var results = overloads.Where(o => !o.ReturnsVoid)
            .DistinctBy(o => (o.ReturnType, o.ReturnsSet, o.ReturnsComposite))
            .Select(ResultSchema)
            .ToList();
        if (results.Count > 0)
        {
            responses["200"] = new OpenApiResponse
            {
                Description = "The function's result",
                Content = Json(results.Count == 1 ? results[0] : new OpenApiSchema { AnyOf = results }),
            };
        }

        if (overloads.Any(o => o.ReturnsVoid))
        {
            responses["204"] = new OpenApiResponse { Description = "Done (the function returns void)" };
        }

        return responses;
    }

    /// <summary>
    /// What a call answers: the scalar's type; an object of the columns for a composite type, a row type, OUT
    /// parameters or RETURNS TABLE; an array of either for SETOF.
    /// </summary>
    private static IOpenApiSchema ResultSchema(Routine routine)
    {
        var one = routine.ReturnsComposite
            ? new OpenApiSchema
            {
                Type = JsonSchemaType.Object,
                Properties = routine.ReturnColumns.ToDictionary(
                    c => c.Name,
                    c => (IOpenApiSchema)Described(c.Nullable ? TypeSchemas.OrNull(TypeSchemas.For(c.Type, c.TypeCategory)) : TypeSchemas.For(c.Type, c.TypeCategory), c.Comment),
                    StringComparer.Ordinal),
            }
            : TypeSchemas.OrNull(TypeSchemas.For(routine.ReturnType, routine.ReturnTypeKind == 'c' ? 'C' : 'X'));
        return routine.ReturnsSet ? new OpenApiSchema { Type = JsonSchemaType.Array, Items = one } : one;
    }
}
