using Gateway.Catalog;

namespace Gateway.Tests.Catalog;

/// <summary>
/// Which functions the catalog makes computed fields (PostgREST's virtual columns): one argument of an exposed
/// relation's row type and one value back that is not another relation's row.
/// </summary>
public sealed class ComputedFieldTests
{
    [Fact]
    public void A_function_of_a_row_returning_one_value_is_a_computed_field_of_that_relation()
    {
        var catalog = Catalog(Function("full_name", "api.people", "text", category: "S"));

        var field = Assert.Single(catalog.Relations["people"].ComputedFields);
        Assert.Equal(("full_name", "text", 'S', "full_name"), (field.Name, field.Type, field.TypeCategory, field.ComputedBy!.Name));
        Assert.Empty(catalog.Relations["pets"].ComputedFields);
    }

    [Theory]
    [InlineData("setof", "api.people", "text")]
    [InlineData("rows", "api.people", "api.pets")]
    [InlineData("void", "api.people", "void")]
    [InlineData("scalar", "text", "text")]
    public void Other_functions_are_no_computed_fields(string kind, string argument, string returns)
    {
        var catalog = Catalog(Function("f_" + kind, argument, returns, returnsSet: kind == "setof"));

        Assert.All(catalog.Relations.Values, relation => Assert.Empty(relation.ComputedFields));
    }

    [Fact]
    public void A_stored_column_of_the_same_name_wins()
    {
        var catalog = Catalog(Function("name", "api.people", "text"));

        Assert.Empty(catalog.Relations["people"].ComputedFields);
        Assert.Null(catalog.Relations["people"].FindColumn("name")!.ComputedBy);
    }

    private static string Function(string name, string argument, string returns, bool returnsSet = false, string category = "S") => $$"""
        {"name": "{{name}}", "volatility": "s", "returns_set": {{(returnsSet ? "true" : "false")}}, "rows": 1, "return_type": "{{returns}}",
         "return_type_kind": "{{(returns.StartsWith("api.", StringComparison.Ordinal) ? "c" : "b")}}", "return_category": "{{category}}",
         "comment": null, "settings": [], "return_columns": [],
         "parameters": [{"name": "p", "type": "{{argument}}", "mode": "i", "has_default": false}]}
        """;

    // Two views, people (with a column "name") and pets, and the given function.
    private static CatalogSnapshot Catalog(string function) => CatalogLoader.Parse("api", $$"""
        {"relations": [
           {"name": "people", "kind": "v", "type": "api.people", "comment": null, "insertable": false, "updatable": false,
            "deletable": false, "columns": [{"name": "name", "type": "text", "category": "S", "nullable": true,
            "has_default": false, "comment": null}]},
           {"name": "pets", "kind": "v", "type": "api.pets", "comment": null, "insertable": false, "updatable": false,
            "deletable": false, "columns": []}],
         "routines": [{{function}}], "role_settings": []}
        """);
}
