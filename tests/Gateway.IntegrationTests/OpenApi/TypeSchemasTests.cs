using Gateway.OpenApi;
using Microsoft.OpenApi;

namespace Gateway.IntegrationTests.OpenApi;

/// <summary>PostgreSQL types (as <c>format_type</c> spells them) to JSON Schema, with no database: the cases the fixture view lacks.</summary>
public sealed class TypeSchemasTests
{
    [Theory]
    [InlineData("smallint", 'N', JsonSchemaType.Integer, "int32")]
    [InlineData("numeric(10,2)", 'N', JsonSchemaType.Number, null)]
    [InlineData("double precision", 'N', JsonSchemaType.Number, "double")]
    [InlineData("real", 'N', JsonSchemaType.Number, "float")]
    [InlineData("timestamp(3) with time zone", 'D', JsonSchemaType.String, "date-time")]
    [InlineData("timestamp without time zone", 'D', JsonSchemaType.String, "date-time")]
    [InlineData("time without time zone", 'D', JsonSchemaType.String, "time")]
    [InlineData("uuid", 'U', JsonSchemaType.String, "uuid")]
    [InlineData("interval", 'T', JsonSchemaType.String, null)]
    [InlineData("tsrange", 'R', JsonSchemaType.String, null)]
    [InlineData("api.mood", 'E', JsonSchemaType.String, null)]
    [InlineData("api.positive_int", 'N', JsonSchemaType.Number, null)]
    [InlineData("api.address", 'C', JsonSchemaType.Object, null)]
    [InlineData("money", 'N', JsonSchemaType.String, null)]
    [InlineData("something_unknown", 'U', JsonSchemaType.String, null)]
    public void Type_maps_to_a_JSON_Schema_type_and_format(string type, char category, JsonSchemaType expected, string? format)
    {
        var schema = TypeSchemas.For(type, category);

        Assert.Equal(expected, schema.Type);
        Assert.Equal(format, schema.Format);
    }

    [Fact]
    public void Varchar_length_becomes_maxLength()
    {
        var schema = TypeSchemas.For("character varying(20)");

        Assert.Equal(JsonSchemaType.String, schema.Type);
        Assert.Equal(20, schema.MaxLength);
    }

    [Fact]
    public void Array_of_arrays_nests_items()
    {
        var schema = TypeSchemas.For("uuid[][]");

        Assert.Equal(JsonSchemaType.Array, schema.Type);
        Assert.Equal(JsonSchemaType.Array, schema.Items!.Type);
        Assert.Equal("uuid", schema.Items.Items!.Format);
    }

    [Fact]
    public void Json_allows_any_value_even_when_nullable()
    {
        var schema = TypeSchemas.OrNull(TypeSchemas.For("jsonb"));

        Assert.Null(schema.Type);
    }
}
