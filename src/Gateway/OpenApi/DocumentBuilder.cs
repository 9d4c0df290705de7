using System.Text.RegularExpressions;
using Gateway.Catalog;
using Microsoft.OpenApi;

namespace Gateway.OpenApi;

/// <summary>
/// Builds the OpenAPI 3 description of the exposed schema from a catalog snapshot, as one role sees it: a path per
/// view the role may use (GET with the filter, select, order and paging parameters; POST, PATCH, DELETE, and PUT
/// with a primary key, where the view allows them and the role holds the privileges) and a path per function it may execute (<c>/rpc/name</c>:
/// POST with a body schema of its arguments, GET for stable and immutable ones, and a response schema typed from
/// its return type). It reads only the snapshot; it never touches the database or the request.
/// </summary>
internal static partial class DocumentBuilder
{
    public const string Version = "1.0.0";

    /// <summary>The security scheme's key, which Swagger UI also uses to keep the token.</summary>
    public const string BearerScheme = "bearer";
    private const string ErrorKey = "Error";
    private const string RpcTag = "rpc";

    /// <summary>Query keys the gateway always reads as its own, never as a filter or a function argument.</summary>
    private static readonly HashSet<string> ReservedKeys = new(StringComparer.Ordinal) { "select", "columns", "on_conflict", "order", "limit", "offset", "and", "or" };

    private const string OperatorSyntax =
        "`operator.value`, for example `eq.5`. Operators: `eq`, `neq`, `gt`, `gte`, `lt`, `lte`, `like`, `ilike`, " +
        "`match`, `imatch` (with `*` as the wildcard of like), `in.(a,b)`, `is.null|true|false|unknown`, `isdistinct`, " +
        "`fts`, `plfts`, `phfts`, `wfts` (full-text search, optionally `fts(config)`), `cs`, `cd`, `ov` (contains, " +
        "contained, overlaps: `{a,b}` or a range), `sl`, `sr`, `nxr`, `nxl`, `adj` (ranges); `not.` before an operator " +
        "negates it, and `(any)`/`(all)` after eq, gt, gte, lt, lte, like, ilike, match or imatch takes a list `{a,b}`.";

    /// <summary>
    /// The document for <paramref name="role"/>, listing only what it may read, write or call; with a null role,
    /// everything in the catalog.
    /// </summary>
    public static OpenApiDocument Build(CatalogSnapshot catalog, string? role)
    {
        var document = new OpenApiDocument
        {
            Info = new OpenApiInfo
            {
                Title = $"Gateway: the {catalog.Schema} schema",
                Version = Version,
                Description = catalog.Comment,
            },
            Paths = new OpenApiPaths(),
            Components = new OpenApiComponents
            {
                Schemas = new Dictionary<string, IOpenApiSchema>(StringComparer.Ordinal),
                Parameters = new Dictionary<string, IOpenApiParameter>(StringComparer.Ordinal),
                Responses = new Dictionary<string, IOpenApiResponse>(StringComparer.Ordinal),
                SecuritySchemes = new Dictionary<string, IOpenApiSecurityScheme>(StringComparer.Ordinal),
            },
            Tags = new HashSet<OpenApiTag>(),
        };

        var context = new Context(document);
        AddCommonComponents(context);

        foreach (var relation in catalog.Relations.Values.OrderBy(r => r.Name, StringComparer.Ordinal))
        {
            var privileges = role is null ? TablePrivileges.Select | TablePrivileges.Insert | TablePrivileges.Update | TablePrivileges.Delete : relation.PrivilegesOf(role);
            AddRelation(context, relation, privileges);
        }

        foreach (var (name, overloads) in catalog.Routines.OrderBy(r => r.Key, StringComparer.Ordinal))
        {
            var callable = overloads
                .Where(r => role is null || r.IsExecutableBy(role))
                .Where(r => r.TakesWholeBody || r.Inputs.All(p => p.Name.Length > 0))
                .ToList();
            if (callable.Count > 0)
            {
                AddFunction(context, name, callable);
            }
        }

        return document;
    }

    private static void AddCommonComponents(Context context)
    {
        var components = context.Document.Components!;
        components.SecuritySchemes![BearerScheme] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "bearer",
            BearerFormat = "JWT",
            Description = "A JWT whose role claim names the database role the request runs as; without a token, requests run as the anonymous role.",
        };
        context.Document.Security =
        [
            new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(BearerScheme, context.Document)] = [] },
            // Anonymous requests are allowed too (as far as the anonymous role's privileges go).
            new OpenApiSecurityRequirement(),
        ];

        components.Schemas![context.SchemaKey(ErrorKey)] = new OpenApiSchema
        {
            Type = JsonSchemaType.Object,
            Description = "An error, in PostgREST's shape.",
            Required = new HashSet<string>(StringComparer.Ordinal) { "code", "message" },
            Properties = new Dictionary<string, IOpenApiSchema>(StringComparer.Ordinal)
            {
                ["code"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "A PostgreSQL SQLSTATE or a PGRSTnnn code." },
                ["message"] = new OpenApiSchema { Type = JsonSchemaType.String },
                ["details"] = new OpenApiSchema { Type = JsonSchemaType.String | JsonSchemaType.Null },
                ["hint"] = new OpenApiSchema { Type = JsonSchemaType.String | JsonSchemaType.Null },
            },
        };
        components.Responses![ErrorKey] = new OpenApiResponse
        {
            Description = "Error",
            Content = Json(new OpenApiSchemaReference(ErrorKey, context.Document)),
        };
    }

    private static void AddRelation(Context context, Relation relation, TablePrivileges privileges)
    {
        var canRead = privileges.HasFlag(TablePrivileges.Select);
        var canInsert = relation.Insertable && privileges.HasFlag(TablePrivileges.Insert);
        var canUpdate = relation.Updatable && privileges.HasFlag(TablePrivileges.Update);
        var canDelete = relation.Deletable && privileges.HasFlag(TablePrivileges.Delete);
        // PUT upserts one row by its primary key: it inserts or updates.
        var canPut = canInsert && canUpdate && relation.PrimaryKey.Count > 0;
        if (!(canRead || canInsert || canUpdate || canDelete))
        {
            return;
        }

        var document = context.Document;
        var tag = context.Tag(relation.Name, relation.Comment);
        var rowKey = context.SchemaKey(relation.Name);
        document.Components!.Schemas![rowKey] = new OpenApiSchema
        {
            Type = JsonSchemaType.Object,
            Description = relation.Comment,
            Properties = relation.Columns.ToDictionary(
                c => c.Name,
                c => (IOpenApiSchema)Described(c.Nullable ? TypeSchemas.OrNull(TypeSchemas.For(c.Type, c.TypeCategory)) : TypeSchemas.For(c.Type, c.TypeCategory), c.Comment),
                StringComparer.Ordinal),
        };
        IOpenApiSchema Row() => new OpenApiSchemaReference(rowKey, document);
        IOpenApiSchema Rows() => new OpenApiSchema { Type = JsonSchemaType.Array, Items = Row() };

        var filters = new List<IOpenApiParameter>();
        foreach (var column in relation.Columns.Where(c => !ReservedKeys.Contains(c.Name)))
        {
            var key = context.ParameterKey($"rowFilter.{relation.Name}.{column.Name}");
            document.Components.Parameters![key] = new OpenApiParameter
            {
                Name = column.Name,
                In = ParameterLocation.Query,
                Description = $"Filter on {column.Name} ({column.Type}): {OperatorSyntax}" + (column.Comment is { } comment ? $"\n\n{comment}" : ""),
                Schema = new OpenApiSchema { Type = JsonSchemaType.String },
            };
            filters.Add(new OpenApiParameterReference(key, document));
        }

        var item = new OpenApiPathItem { Operations = new Dictionary<HttpMethod, OpenApiOperation>() };
        if (canRead)
        {
            item.Operations[HttpMethod.Get] = Operation(context, $"get_{relation.Name}", tag, $"Read {relation.Name}", relation.Comment,
                [.. filters, .. Refs(context, Common.Select, Common.Order, Common.Limit, Common.Offset, Common.Or, Common.And, Common.Range, Common.PreferRead)],
                null,
                new OpenApiResponses
                {
                    ["200"] = new OpenApiResponse
                    {
                        Description = "The rows (all of them, or the range asked for)",
                        Headers = ContentRange(),
                        Content = new Dictionary<string, IOpenApiMediaType>(StringComparer.Ordinal)
                        {
                            ["application/json"] = new OpenApiMediaType { Schema = Rows() },
                            ["application/vnd.pgrst.object+json"] = new OpenApiMediaType { Schema = Row() },
                            ["text/csv"] = new OpenApiMediaType { Schema = new OpenApiSchema { Type = JsonSchemaType.String } },
                        },
                    },
                    ["206"] = new OpenApiResponse
                    {
                        Description = "Part of the rows, when a count was asked for and more rows exist",
                        Headers = ContentRange(),
                        Content = Json(Rows()),
                    },
                });
        }

        if (canInsert)
        {
            item.Operations[HttpMethod.Post] = Operation(context, $"post_{relation.Name}", tag, $"Insert into {relation.Name}", relation.Comment,
                Refs(context, Common.Select, Common.Columns, Common.OnConflict, Common.PreferInsert),
                new OpenApiRequestBody
                {
                    Required = true,
                    Description = "One row, or an array of rows with the same keys.",
                    Content = Json(new OpenApiSchema { OneOf = [Row(), Rows()] }),
                },
                new OpenApiResponses
                {
                    ["201"] = new OpenApiResponse
                    {
                        Description = "Created; the body holds the inserted rows with `Prefer: return=representation`",
                        Content = Json(Rows()),
                    },
                });
        }

        if (canPut)
        {
            var key = relation.PrimaryKey.Select(k => (IOpenApiParameter)new OpenApiParameter
            {
                Name = k,
                In = ParameterLocation.Query,
                Required = true,
                Description = $"`eq.value`: the row's {k}, part of its primary key (the body must carry the same value).",
                Schema = new OpenApiSchema { Type = JsonSchemaType.String, Pattern = "^eq\\." },
            });
            item.Operations[HttpMethod.Put] = Operation(context, $"put_{relation.Name}", tag, $"Insert or replace one row of {relation.Name}", relation.Comment,
                [.. key, .. Refs(context, Common.Select, Common.Columns, Common.PreferWrite)],
                new OpenApiRequestBody { Required = true, Description = "The whole row, its primary key as in the query string.", Content = Json(Row()) },
                new OpenApiResponses
                {
                    ["200"] = new OpenApiResponse { Description = "Replaced; the row, with `Prefer: return=representation`", Content = Json(Rows()) },
                    ["201"] = new OpenApiResponse { Description = "Created; the row, with `Prefer: return=representation`", Content = Json(Rows()) },
                    ["204"] = new OpenApiResponse { Description = "Done" },
                });
        }

        if (canUpdate)
        {
            item.Operations[HttpMethod.Patch] = Operation(context, $"patch_{relation.Name}", tag, $"Update {relation.Name}", relation.Comment,
                [.. filters, .. Refs(context, Common.Select, Common.Columns, Common.Or, Common.And, Common.PreferWrite)],
                new OpenApiRequestBody { Required = true, Description = "The columns to change in every matching row.", Content = Json(Row()) },
                Changed(Rows()));
        }

        if (canDelete)
        {
            item.Operations[HttpMethod.Delete] = Operation(context, $"delete_{relation.Name}", tag, $"Delete from {relation.Name}", relation.Comment,
                [.. filters, .. Refs(context, Common.Select, Common.Or, Common.And, Common.PreferWrite)],
                null,
                Changed(Rows()));
        }

        document.Paths[$"/{relation.Name}"] = item;
    }

    private static OpenApiResponses Changed(IOpenApiSchema rows) => new()
    {
        ["200"] = new OpenApiResponse { Description = "The affected rows, with `Prefer: return=representation`", Content = Json(rows) },
        ["204"] = new OpenApiResponse { Description = "Done" },
    };

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

    private static OpenApiOperation Operation(
        Context context,
        string operationId,
        OpenApiTagReference tag,
        string summary,
        string? description,
        List<IOpenApiParameter> parameters,
        OpenApiRequestBody? body,
        OpenApiResponses responses)
    {
        responses["default"] = new OpenApiResponseReference(ErrorKey, context.Document);
        return new OpenApiOperation
        {
            OperationId = context.OperationId(operationId),
            Tags = new HashSet<OpenApiTagReference> { tag },
            Summary = summary,
            Description = description,
            Parameters = parameters,
            RequestBody = body,
            Responses = responses,
        };
    }

    /// <summary>References to shared parameters, each added to <c>components/parameters</c> when first used.</summary>
    private static List<IOpenApiParameter> Refs(Context context, params string[] keys)
    {
        var parameters = context.Document.Components!.Parameters!;
        foreach (var key in keys.Where(k => !parameters.ContainsKey(k)))
        {
            parameters[key] = Common.Create(key);
        }

        return [.. keys.Select(k => (IOpenApiParameter)new OpenApiParameterReference(k, context.Document))];
    }

    private static Dictionary<string, IOpenApiMediaType> Json(IOpenApiSchema schema) => new(StringComparer.Ordinal)
    {
        ["application/json"] = new OpenApiMediaType { Schema = schema },
    };

    private static Dictionary<string, IOpenApiHeader> ContentRange() => new(StringComparer.Ordinal)
    {
        ["Content-Range"] = new OpenApiHeader
        {
            Description = "The rows returned and the total when counted: `0-24/100`, `0-24/*`, `*/0`.",
            Schema = new OpenApiSchema { Type = JsonSchemaType.String },
        },
    };

    private static OpenApiSchema Described(OpenApiSchema schema, string? description)
    {
        schema.Description = description;
        return schema;
    }

    /// <summary>The first line of a comment of several lines, as PostgREST uses it; a one-line comment stays a description only.</summary>
    private static string? Summary(string? comment) =>
        comment?.Trim().Split('\n', 2) is [{ Length: > 0 } first, _] ? first.Trim() : null;

    /// <summary>The parameters many operations share, under <c>components/parameters</c>.</summary>
    private static class Common
    {
        public const string Select = "select";
        public const string Order = "order";
        public const string Limit = "limit";
        public const string Offset = "offset";
        public const string Or = "or";
        public const string And = "and";
        public const string Columns = "columns";
        public const string OnConflict = "on_conflict";
        public const string Range = "range";
        public const string PreferRead = "preferRead";
        public const string PreferInsert = "preferInsert";
        public const string PreferWrite = "preferWrite";
        public const string PreferCall = "preferCall";

        public static OpenApiParameter Create(string key) => key switch
        {
            Select => Query("select",
                "The columns to return, comma-separated, each optionally renamed (`alias:column`), cast (`column::text`) or a JSON path (`data->key`, `data->>key`); `*` for all."),
            Order => Query("order", "Ordering, comma-separated: `column`, `column.desc`, `column.asc.nullslast`, `column.desc.nullsfirst`."),
            Limit => Query("limit", "At most this many rows.", new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int64", Minimum = "0" }),
            Offset => Query("offset", "Skip this many rows.", new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int64", Minimum = "0" }),
            Or => Query("or",
                "Rows matching any of the filters: `(column.operator.value,column.operator.value)`, nestable with `and(...)`, `or(...)`, `not.or(...)`."),
            And => Query("and", "Rows matching all of the filters: `(column.operator.value,column.operator.value)`, nestable like `or`."),
            Columns => Query("columns", "The body keys to use, comma-separated; other keys of the body are ignored."),
            OnConflict => Query("on_conflict", "The unique columns an upsert (`Prefer: resolution=...`) resolves conflicts on, comma-separated."),
            Range => Header("Range", "Rows to return, zero-based and inclusive: `first-last` or `first-` (combined with limit and offset)."),
            PreferRead => Header("Prefer",
                "Comma-separated: `count=exact|planned|estimated` (total in Content-Range), `timezone=...`, `handling=strict|lenient`."),
            PreferInsert => Header("Prefer",
                "Comma-separated: `return=minimal|headers-only|representation`, `resolution=merge-duplicates|ignore-duplicates` (upsert), " +
                "`missing=default|null`, `count=exact`, `handling=strict|lenient`."),
            PreferWrite => Header("Prefer", "Comma-separated: `return=minimal|headers-only|representation`, `count=exact`, `handling=strict|lenient`."),
            PreferCall => Header("Prefer",
                "Comma-separated: `count=exact|planned|estimated` (for functions returning a set), `timezone=...`, `handling=strict|lenient`."),
            _ => throw new ArgumentOutOfRangeException(nameof(key), key, "not a shared parameter"),
        };

        private static OpenApiParameter Query(string name, string description, OpenApiSchema? schema = null) =>
            new() { Name = name, In = ParameterLocation.Query, Description = description, Schema = schema ?? new OpenApiSchema { Type = JsonSchemaType.String } };

        private static OpenApiParameter Header(string name, string description) =>
            new() { Name = name, In = ParameterLocation.Header, Description = description, Schema = new OpenApiSchema { Type = JsonSchemaType.String } };
    }

    /// <summary>The document being built, with the names handed out so far: component keys and operation ids stay unique and valid.</summary>
    private sealed class Context(OpenApiDocument document)
    {
        private readonly HashSet<string> operationIds = new(StringComparer.Ordinal);
        private readonly HashSet<string> schemaKeys = new(StringComparer.Ordinal);
        private readonly HashSet<string> parameterKeys = new(StringComparer.Ordinal)
        {
            Common.Select, Common.Order, Common.Limit, Common.Offset, Common.Or, Common.And, Common.Columns, Common.OnConflict,
            Common.Range, Common.PreferRead, Common.PreferInsert, Common.PreferWrite, Common.PreferCall,
        };

        public OpenApiDocument Document { get; } = document;

        public OpenApiTagReference Tag(string name, string? description)
        {
            if (!Document.Tags!.Any(t => t.Name == name))
            {
                Document.Tags!.Add(new OpenApiTag { Name = name, Description = description });
            }

            return new OpenApiTagReference(name, Document);
        }

        /// <summary>Component keys allow only <c>[a-zA-Z0-9._-]</c>; other characters of a name become <c>_</c>.</summary>
        public string SchemaKey(string name) => Unique(schemaKeys, InvalidKeyCharacters().Replace(name, "_"));

        /// <summary>A key for a parameter of one relation; the shared parameters' keys are taken from the start.</summary>
        public string ParameterKey(string name) => Unique(parameterKeys, InvalidKeyCharacters().Replace(name, "_"));

        public string OperationId(string id) => Unique(operationIds, id);

        private static string Unique(HashSet<string> taken, string candidate)
        {
            var unique = candidate;
            for (var n = 2; !taken.Add(unique); n++)
            {
                unique = $"{candidate}_{n}";
            }

            return unique;
        }
    }

    [GeneratedRegex("[^a-zA-Z0-9._-]")]
    private static partial Regex InvalidKeyCharacters();
}
