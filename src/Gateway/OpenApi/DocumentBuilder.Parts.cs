using System.Text.RegularExpressions;
using Microsoft.OpenApi;

namespace Gateway.OpenApi;

/// <summary>The parameters operations share, and the keys and ids that must be unique in one document.</summary>
internal static partial class DocumentBuilder
{
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
