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
            AddRelation(context, relation, privileges, catalog.RelationshipsOf(relation.Name));
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

    private static void AddRelation(Context context, Relation relation, TablePrivileges privileges, IReadOnlyList<Relationship> relationships)
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
            // Computed fields too: selectable by name, never written (readOnly).
            Properties = relation.Columns.Concat(relation.ComputedFields).ToDictionary(
                c => c.Name,
                c => (IOpenApiSchema)ColumnSchema(c),
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
                [.. filters, SelectOf(context, relation, relationships), .. Refs(context, Common.Order, Common.Limit, Common.Offset, Common.Or, Common.And, Common.Range, Common.PreferRead)],
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

    /// <summary>
    /// The <c>select</c> of a relation's GET: the shared one, or for a relation with relationships its own, naming
    /// what it can embed and the hint that picks each relationship.
    /// </summary>
    private static IOpenApiParameter SelectOf(Context context, Relation relation, IReadOnlyList<Relationship> relationships)
    {
        if (relationships.Count == 0)
        {
            return Refs(context, Common.Select)[0];
        }

        var embeddable = string.Join(", ", relationships.Select(r => $"`{Embedding(r)}` ({r.CardinalityName})"));
        var select = Common.Create(Common.Select);
        select.Description += $" Related rows embed as `relation(columns)` (aliased `alias:relation(...)`, filtered with `!inner`, spread with `...relation(...)`): {embeddable}.";
        var key = context.ParameterKey("select_" + relation.Name);
        context.Document.Components!.Parameters![key] = select;
        return new OpenApiParameterReference(key, context.Document);
    }

    private static string Embedding(Relationship relationship) => relationship switch
    {
        KeyRelationship key => $"{key.ForeignTable}!{key.Constraint}",
        JunctionRelationship junction => $"{junction.ForeignTable}!{junction.Junction}",
        ComputedRelationship computed => computed.Function.Name,
        _ => relationship.ForeignTable,
    };

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

    // A column's type, null when nullable; an identity column "generated always" is read-only (PostgreSQL refuses
    // any value a client writes into it), and so is a computed field.
    private static OpenApiSchema ColumnSchema(Column column)
    {
        var type = TypeSchemas.For(column.Type, column.TypeCategory);
        var schema = Described(column.Nullable ? TypeSchemas.OrNull(type) : type, column.Comment);
        schema.ReadOnly = column.Identity == IdentityKind.Always || column.ComputedBy is not null;
        return schema;
    }

    private static OpenApiSchema Described(OpenApiSchema schema, string? description)
    {
        schema.Description = description;
        return schema;
    }

    /// <summary>The first line of a comment of several lines, as PostgREST uses it; a one-line comment stays a description only.</summary>
    private static string? Summary(string? comment) =>
        comment?.Trim().Split('\n', 2) is [{ Length: > 0 } first, _] ? first.Trim() : null;
}
