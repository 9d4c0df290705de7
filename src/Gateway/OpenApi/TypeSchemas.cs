using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.OpenApi;

namespace Gateway.OpenApi;

/// <summary>
/// PostgreSQL types, as <c>format_type</c> spells them, to the JSON Schema of their values as PostgreSQL's JSON
/// functions write them (what the gateway sends, and what it reads from a body): JSON numbers for the integer and
/// numeric types, strings for dates, times, uuids, ranges, text search and anything unknown, arrays of the
/// element type, and any JSON for json/jsonb.
/// </summary>
internal static partial class TypeSchemas
{
    /// <summary>The schema of one value of <paramref name="type"/>; <paramref name="category"/> (pg_type.typcategory) decides for types not named here.</summary>
    public static OpenApiSchema For(string type, char category = 'X')
    {
        if (type.EndsWith("[]", StringComparison.Ordinal))
        {
            return new OpenApiSchema { Type = JsonSchemaType.Array, Items = For(type[..^2]) };
        }

        // "character varying(20)", "numeric(10,2)", "timestamp(3) with time zone": the modifier may sit inside.
        var modifier = Modifier().Match(type);
        var name = modifier.Success ? type.Remove(modifier.Index, modifier.Length) : type;
        return name switch
        {
            "smallint" or "integer" => Scalar(JsonSchemaType.Integer, "int32"),
            "bigint" => Scalar(JsonSchemaType.Integer, "int64"),
            "numeric" => Scalar(JsonSchemaType.Number),
            "real" => Scalar(JsonSchemaType.Number, "float"),
            "double precision" => Scalar(JsonSchemaType.Number, "double"),
            "boolean" => Scalar(JsonSchemaType.Boolean),
            "character varying" or "character" => new OpenApiSchema
            {
                Type = JsonSchemaType.String,
                MaxLength = modifier.Success ? int.Parse(modifier.Groups[1].ValueSpan, CultureInfo.InvariantCulture) : null,
            },
            "date" => Scalar(JsonSchemaType.String, "date"),
            "timestamp with time zone" or "timestamp without time zone" => Scalar(JsonSchemaType.String, "date-time"),
            "time with time zone" or "time without time zone" => Scalar(JsonSchemaType.String, "time"),
            "uuid" => Scalar(JsonSchemaType.String, "uuid"),
            "json" or "jsonb" => new OpenApiSchema(),
            // PostgreSQL writes money with its currency symbol: "$1.00".
            "money" => Scalar(JsonSchemaType.String),
            "record" => new OpenApiSchema { Type = JsonSchemaType.Object },
            _ => category switch
            {
                'N' => Scalar(JsonSchemaType.Number),
                'B' => Scalar(JsonSchemaType.Boolean),
                'C' => new OpenApiSchema { Type = JsonSchemaType.Object },
                _ => Scalar(JsonSchemaType.String),
            },
        };
    }

    /// <summary>The same schema, allowing null as well (<c>nullable: true</c> in OpenAPI 3.0); "any JSON" already does.</summary>
    public static OpenApiSchema OrNull(OpenApiSchema schema)
    {
        if (schema.Type is { } type)
        {
            schema.Type = type | JsonSchemaType.Null;
        }

        return schema;
    }

    /// <summary>Whether a value of <paramref name="schema"/> is written as it is in a query string (numbers, booleans, text).</summary>
    public static bool IsPlain(OpenApiSchema schema) =>
        schema.Type is { } type && (type & ~JsonSchemaType.Null) is JsonSchemaType.Integer or JsonSchemaType.Number or JsonSchemaType.Boolean or JsonSchemaType.String;

    private static OpenApiSchema Scalar(JsonSchemaType type, string? format = null) => new() { Type = type, Format = format };

    [GeneratedRegex(@"\((\d+)(?:,\d+)?\)")]
    private static partial Regex Modifier();
}
