using Gateway.Catalog;

namespace Gateway.Tests.Catalog;

/// <summary>
/// A view's primary key as PostgREST infers it from column dependencies (SchemaCache.hs, addViewPrimaryKeys): the
/// view's columns showing every column of a base table's primary key, under whatever names the view gives them. It
/// decides PUT, upserts' default conflict target, Location headers and the OpenAPI document's key markers.
/// </summary>
public sealed class ViewPrimaryKeyTests
{
    [Fact]
    public void A_view_showing_a_key_under_other_names_has_that_key_under_its_own_names()
    {
        var catalog = Catalog("""
            {"relation": "renamed", "column": "myId", "table": "demo.task", "table_column": "id"}
            """, """{"table": "demo.task", "columns": ["id"]}""");

        Assert.Equal(["myId"], catalog.Relations["renamed"].PrimaryKey);
    }

    [Fact]
    public void A_composite_key_keeps_the_key_order_not_the_view_order()
    {
        var catalog = Catalog("""
            {"relation": "pairs", "column": "a_task", "table": "demo.user_task", "table_column": "task_id"},
            {"relation": "pairs", "column": "b_user", "table": "demo.user_task", "table_column": "user_id"}
            """, """{"table": "demo.user_task", "columns": ["user_id", "task_id"]}""");

        Assert.Equal(["b_user", "a_task"], catalog.Relations["pairs"].PrimaryKey);
    }

    [Fact]
    public void A_view_showing_part_of_a_key_has_no_key()
    {
        var catalog = Catalog("""
            {"relation": "pairs", "column": "user_id", "table": "demo.user_task", "table_column": "user_id"}
            """, """{"table": "demo.user_task", "columns": ["user_id", "task_id"]}""");

        Assert.Empty(catalog.Relations["pairs"].PrimaryKey);
    }

    [Fact]
    public void A_view_joining_two_tables_has_both_keys()
    {
        var catalog = Catalog("""
            {"relation": "joined", "column": "task", "table": "demo.task", "table_column": "id"},
            {"relation": "joined", "column": "project", "table": "demo.project", "table_column": "id"}
            """, """{"table": "demo.task", "columns": ["id"]}, {"table": "demo.project", "columns": ["id"]}""");

        Assert.Equal(["project", "task"], catalog.Relations["joined"].PrimaryKey);
    }

    [Fact]
    public void A_key_column_shown_twice_is_in_the_key_once()
    {
        var catalog = Catalog("""
            {"relation": "twice", "column": "id", "table": "demo.task", "table_column": "id"},
            {"relation": "twice", "column": "id_again", "table": "demo.task", "table_column": "id"}
            """, """{"table": "demo.task", "columns": ["id"]}""");

        Assert.Equal(["id"], catalog.Relations["twice"].PrimaryKey);
    }

    [Fact]
    public void A_view_over_a_table_without_a_key_has_none()
    {
        var catalog = Catalog("""
            {"relation": "renamed", "column": "myId", "table": "demo.task", "table_column": "id"}
            """, "");

        Assert.Empty(catalog.Relations["renamed"].PrimaryKey);
    }

    // A catalog document whose views are those the sources name, with the given base-table primary keys.
    private static CatalogSnapshot Catalog(string sources, string primaryKeys)
    {
        var names = new[] { "renamed", "pairs", "joined", "twice" };
        var relations = string.Join(", ", names.Select(v => $$"""
            {"name": "{{v}}", "kind": "v", "type": "api.{{v}}", "comment": null, "insertable": false, "updatable": false,
             "deletable": false, "columns": []}
            """));
        return CatalogLoader.Parse("api", $$"""
            {"relations": [{{relations}}], "routines": [], "role_settings": [],
             "column_sources": [{{sources}}], "foreign_keys": [], "primary_keys": [{{primaryKeys}}]}
            """);
    }
}
