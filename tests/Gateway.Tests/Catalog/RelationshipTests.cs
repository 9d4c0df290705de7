using Gateway.Catalog;
using static Gateway.Tests.Catalog.RelationshipText;

namespace Gateway.Tests.Catalog;

/// <summary>
/// Relationships in the catalog snapshot, from the facts the catalog query returns (contract §1.3.1): base-table keys
/// in private schemas, carried to the exposed views that show their columns. Each relationship is written as
/// <c>table(columns) kind constraint foreign_table(columns)</c> (<see cref="RelationshipText"/>).
/// </summary>
public sealed class RelationshipTests
{
    private const string ClientsProjects = """
        "column_sources": [
          {"relation": "clients", "column": "id", "table": "demo.client", "table_column": "id"},
          {"relation": "projects", "column": "id", "table": "demo.project", "table_column": "id"},
          {"relation": "projects", "column": "client_id", "table": "demo.project", "table_column": "client_id"}],
        "foreign_keys": [
          {"constraint": "project_client_id_fkey", "table": "demo.project", "columns": ["client_id"],
           "foreign_table": "demo.client", "foreign_columns": ["id"], "one_to_one": false}]
        """;

    [Fact]
    public void A_key_shown_by_views_at_both_ends_is_many_to_one_from_the_referencing_view_and_one_to_many_back()
    {
        var catalog = Catalog(["clients", "projects"], ClientsProjects);

        Assert.Equal(["projects(client_id) many-to-one project_client_id_fkey clients(id)"], Describe(catalog, "projects"));
        Assert.Equal(["clients(id) one-to-many project_client_id_fkey projects(client_id)"], Describe(catalog, "clients"));
    }

    [Fact]
    public void A_key_relationship_names_its_columns_as_the_views_show_them()
    {
        var catalog = Catalog(["clients", "projects"], """
            "column_sources": [
              {"relation": "clients", "column": "client_no", "table": "demo.client", "table_column": "id"},
              {"relation": "projects", "column": "client", "table": "demo.project", "table_column": "client_id"}],
            "foreign_keys": [
              {"constraint": "project_client_id_fkey", "table": "demo.project", "columns": ["client_id"],
               "foreign_table": "demo.client", "foreign_columns": ["id"], "one_to_one": false}]
            """);

        Assert.Equal(["projects(client) many-to-one project_client_id_fkey clients(client_no)"], Describe(catalog, "projects"));
    }

    [Fact]
    public void A_view_that_does_not_show_every_column_of_a_key_has_no_relationship_through_it()
    {
        var catalog = Catalog(["orders", "lines"], """
            "column_sources": [
              {"relation": "orders", "column": "region", "table": "demo.ord", "table_column": "region"},
              {"relation": "orders", "column": "no", "table": "demo.ord", "table_column": "no"},
              {"relation": "lines", "column": "order_no", "table": "demo.line", "table_column": "order_no"}],
            "foreign_keys": [
              {"constraint": "line_order_fkey", "table": "demo.line", "columns": ["order_region", "order_no"],
               "foreign_table": "demo.ord", "foreign_columns": ["region", "no"], "one_to_one": false}]
            """);

        Assert.Empty(catalog.Relationships);
    }

    [Fact]
    public void A_key_to_a_table_no_exposed_relation_shows_has_no_relationship()
    {
        var catalog = Catalog(["projects"], """
            "column_sources": [
              {"relation": "projects", "column": "client_id", "table": "demo.project", "table_column": "client_id"}],
            "foreign_keys": [
              {"constraint": "project_client_id_fkey", "table": "demo.project", "columns": ["client_id"],
               "foreign_table": "demo.client", "foreign_columns": ["id"], "one_to_one": false}]
            """);

        Assert.Empty(catalog.RelationshipsOf("projects"));
    }

    [Fact]
    public void A_multi_column_key_keeps_its_column_order()
    {
        var catalog = Catalog(["orders", "lines"], """
            "column_sources": [
              {"relation": "orders", "column": "region", "table": "demo.ord", "table_column": "region"},
              {"relation": "orders", "column": "no", "table": "demo.ord", "table_column": "no"},
              {"relation": "lines", "column": "order_region", "table": "demo.line", "table_column": "order_region"},
              {"relation": "lines", "column": "order_no", "table": "demo.line", "table_column": "order_no"}],
            "foreign_keys": [
              {"constraint": "line_order_fkey", "table": "demo.line", "columns": ["order_region", "order_no"],
               "foreign_table": "demo.ord", "foreign_columns": ["region", "no"], "one_to_one": false}]
            """);

        Assert.Equal(["lines(order_region, order_no) many-to-one line_order_fkey orders(region, no)"], Describe(catalog, "lines"));
    }

    [Fact]
    public void A_key_whose_columns_are_unique_is_one_to_one_both_ways()
    {
        var catalog = Catalog(["users", "profiles"], """
            "column_sources": [
              {"relation": "users", "column": "id", "table": "accounts.usr", "table_column": "id"},
              {"relation": "profiles", "column": "user_id", "table": "demo.profile", "table_column": "user_id"}],
            "foreign_keys": [
              {"constraint": "profile_user_id_fkey", "table": "demo.profile", "columns": ["user_id"],
               "foreign_table": "accounts.usr", "foreign_columns": ["id"], "one_to_one": true}]
            """);

        Assert.Equal(["profiles(user_id) one-to-one profile_user_id_fkey users(id)"], Describe(catalog, "profiles"));
        Assert.Equal(["users(id) one-to-one profile_user_id_fkey profiles(user_id)"], Describe(catalog, "users"));
        Assert.True(catalog.RelationshipsOf("users")[0].ToOne);
    }

    [Fact]
    public void A_self_reference_is_two_relationships_of_the_view_with_itself()
    {
        var catalog = Catalog(["employees"], """
            "column_sources": [
              {"relation": "employees", "column": "id", "table": "demo.employee", "table_column": "id"},
              {"relation": "employees", "column": "manager_id", "table": "demo.employee", "table_column": "manager_id"}],
            "foreign_keys": [
              {"constraint": "employee_manager_id_fkey", "table": "demo.employee", "columns": ["manager_id"],
               "foreign_table": "demo.employee", "foreign_columns": ["id"], "one_to_one": false}]
            """);

        Assert.Equal(
            [
                "employees(id) one-to-many employee_manager_id_fkey employees(manager_id)",
                "employees(manager_id) many-to-one employee_manager_id_fkey employees(id)",
            ],
            Describe(catalog, "employees"));
        Assert.All(catalog.RelationshipsOf("employees"), r => Assert.True(r.IsSelf));
    }

    [Fact]
    public void Two_keys_to_the_same_table_are_distinct_relationships_told_apart_by_constraint()
    {
        var catalog = Catalog(["users", "messages"], """
            "column_sources": [
              {"relation": "users", "column": "id", "table": "accounts.usr", "table_column": "id"},
              {"relation": "messages", "column": "sender_id", "table": "demo.message", "table_column": "sender_id"},
              {"relation": "messages", "column": "recipient_id", "table": "demo.message", "table_column": "recipient_id"}],
            "foreign_keys": [
              {"constraint": "message_sender_id_fkey", "table": "demo.message", "columns": ["sender_id"],
               "foreign_table": "accounts.usr", "foreign_columns": ["id"], "one_to_one": false},
              {"constraint": "message_recipient_id_fkey", "table": "demo.message", "columns": ["recipient_id"],
               "foreign_table": "accounts.usr", "foreign_columns": ["id"], "one_to_one": false}]
            """);

        Assert.Equal(
            [
                "messages(recipient_id) many-to-one message_recipient_id_fkey users(id)",
                "messages(sender_id) many-to-one message_sender_id_fkey users(id)",
            ],
            Describe(catalog, "messages"));
        Assert.Equal(
            [
                "users(id) one-to-many message_recipient_id_fkey messages(recipient_id)",
                "users(id) one-to-many message_sender_id_fkey messages(sender_id)",
            ],
            Describe(catalog, "users"));
    }

    [Fact]
    public void Every_pair_of_views_showing_a_key_gets_the_relationship()
    {
        var catalog = Catalog(["clients", "projects", "active_projects"], """
            "column_sources": [
              {"relation": "clients", "column": "id", "table": "demo.client", "table_column": "id"},
              {"relation": "projects", "column": "client_id", "table": "demo.project", "table_column": "client_id"},
              {"relation": "active_projects", "column": "client_id", "table": "demo.project", "table_column": "client_id"}],
            "foreign_keys": [
              {"constraint": "project_client_id_fkey", "table": "demo.project", "columns": ["client_id"],
               "foreign_table": "demo.client", "foreign_columns": ["id"], "one_to_one": false}]
            """);

        Assert.Equal(
            [
                "clients(id) one-to-many project_client_id_fkey active_projects(client_id)",
                "clients(id) one-to-many project_client_id_fkey projects(client_id)",
            ],
            Describe(catalog, "clients"));
        Assert.Equal(["active_projects(client_id) many-to-one project_client_id_fkey clients(id)"], Describe(catalog, "active_projects"));
    }

    [Fact]
    public void A_view_showing_a_key_column_twice_has_a_relationship_for_each_name()
    {
        var catalog = Catalog(["clients", "projects"], """
            "column_sources": [
              {"relation": "clients", "column": "id", "table": "demo.client", "table_column": "id"},
              {"relation": "projects", "column": "client_id", "table": "demo.project", "table_column": "client_id"},
              {"relation": "projects", "column": "owner_id", "table": "demo.project", "table_column": "client_id"}],
            "foreign_keys": [
              {"constraint": "project_client_id_fkey", "table": "demo.project", "columns": ["client_id"],
               "foreign_table": "demo.client", "foreign_columns": ["id"], "one_to_one": false}]
            """);

        Assert.Equal(
            [
                "projects(client_id) many-to-one project_client_id_fkey clients(id)",
                "projects(owner_id) many-to-one project_client_id_fkey clients(id)",
            ],
            Describe(catalog, "projects"));
    }

    private const string UsersTasks = """
        "column_sources": [
          {"relation": "users", "column": "id", "table": "accounts.usr", "table_column": "id"},
          {"relation": "tasks", "column": "id", "table": "demo.task", "table_column": "id"},
          {"relation": "users_tasks", "column": "user_id", "table": "demo.user_task", "table_column": "user_id"},
          {"relation": "users_tasks", "column": "task_id", "table": "demo.user_task", "table_column": "task_id"}],
        "foreign_keys": [
          {"constraint": "user_task_user_id_fkey", "table": "demo.user_task", "columns": ["user_id"],
           "foreign_table": "accounts.usr", "foreign_columns": ["id"], "one_to_one": false},
          {"constraint": "user_task_task_id_fkey", "table": "demo.user_task", "columns": ["task_id"],
           "foreign_table": "demo.task", "foreign_columns": ["id"], "one_to_one": false}]
        """;

    [Fact]
    public void A_junction_whose_keys_lie_in_its_primary_key_is_many_to_many_both_ways()
    {
        var catalog = Catalog(["users", "tasks", "users_tasks"], UsersTasks + """
            , "primary_keys": [{"table": "demo.user_task", "columns": ["user_id", "task_id"]}]
            """);

        Assert.Equal(
            [
                "users(id) many-to-many users_tasks(user_id) user_task_user_id_fkey|user_task_task_id_fkey users_tasks(task_id) tasks(id)",
                "users(id) one-to-many user_task_user_id_fkey users_tasks(user_id)",
            ],
            Describe(catalog, "users"));
        Assert.Equal(
            [
                "tasks(id) many-to-many users_tasks(task_id) user_task_task_id_fkey|user_task_user_id_fkey users_tasks(user_id) users(id)",
                "tasks(id) one-to-many user_task_task_id_fkey users_tasks(task_id)",
            ],
            Describe(catalog, "tasks"));
    }

    [Fact]
    public void A_junction_with_a_key_outside_its_primary_key_is_not_many_to_many()
    {
        var catalog = Catalog(["users", "tasks", "users_tasks"], UsersTasks + """
            , "primary_keys": [{"table": "demo.user_task", "columns": ["id"]}]
            """);

        Assert.DoesNotContain(catalog.RelationshipsOf("users"), r => r.Cardinality == Cardinality.ManyToMany);
        Assert.DoesNotContain(catalog.RelationshipsOf("tasks"), r => r.Cardinality == Cardinality.ManyToMany);
    }

    [Fact]
    public void A_junction_view_that_does_not_show_its_whole_primary_key_is_not_many_to_many()
    {
        var catalog = Catalog(["users", "tasks", "users_tasks"], UsersTasks + """
            , "primary_keys": [{"table": "demo.user_task", "columns": ["user_id", "task_id", "day"]}]
            """);

        Assert.DoesNotContain(catalog.RelationshipsOf("users"), r => r.Cardinality == Cardinality.ManyToMany);
    }

    [Fact]
    public void The_ends_of_a_junction_no_view_shows_are_known_without_relationships()
    {
        // PostgREST keeps such ends in its cache with no relationships left, and words a missing embed's hint so.
        var catalog = Catalog(["end_1", "end_2", "loner"], """
            "column_sources": [
              {"relation": "end_1", "column": "id", "table": "demo.end_1", "table_column": "id"},
              {"relation": "end_2", "column": "id", "table": "demo.end_2", "table_column": "id"},
              {"relation": "loner", "column": "id", "table": "demo.loner", "table_column": "id"}],
            "foreign_keys": [
              {"constraint": "junction_end_1_id_fkey", "table": "demo.junction", "columns": ["end_1_id"],
               "foreign_table": "demo.end_1", "foreign_columns": ["id"], "one_to_one": false, "of_private_junction": true},
              {"constraint": "junction_end_2_id_fkey", "table": "demo.junction", "columns": ["end_2_id"],
               "foreign_table": "demo.end_2", "foreign_columns": ["id"], "one_to_one": false, "of_private_junction": true},
              {"constraint": "loner_note_loner_id_fkey", "table": "demo.loner_note", "columns": ["loner_id"],
               "foreign_table": "demo.loner", "foreign_columns": ["id"], "one_to_one": false, "of_private_junction": true}]
            """);

        Assert.Equal(["end_1", "end_2"], catalog.Relationships.Keys.Order(StringComparer.Ordinal));
        Assert.Empty(catalog.RelationshipsOf("end_1"));
    }

    [Fact]
    public void A_junction_of_a_table_with_itself_is_a_self_many_to_many_each_way()
    {
        var catalog = Catalog(["users", "follows"], """
            "column_sources": [
              {"relation": "users", "column": "id", "table": "accounts.usr", "table_column": "id"},
              {"relation": "follows", "column": "follower_id", "table": "demo.follow", "table_column": "follower_id"},
              {"relation": "follows", "column": "followed_id", "table": "demo.follow", "table_column": "followed_id"}],
            "foreign_keys": [
              {"constraint": "follow_follower_id_fkey", "table": "demo.follow", "columns": ["follower_id"],
               "foreign_table": "accounts.usr", "foreign_columns": ["id"], "one_to_one": false},
              {"constraint": "follow_followed_id_fkey", "table": "demo.follow", "columns": ["followed_id"],
               "foreign_table": "accounts.usr", "foreign_columns": ["id"], "one_to_one": false}],
            "primary_keys": [{"table": "demo.follow", "columns": ["follower_id", "followed_id"]}]
            """);

        Assert.Equal(
            [
                "users(id) many-to-many follows(followed_id) follow_followed_id_fkey|follow_follower_id_fkey follows(follower_id) users(id)",
                "users(id) many-to-many follows(follower_id) follow_follower_id_fkey|follow_followed_id_fkey follows(followed_id) users(id)",
            ],
            Describe(catalog, "users").Where(r => r.Contains("many-to-many", StringComparison.Ordinal)));
        Assert.All(catalog.RelationshipsOf("users").Where(r => r.Cardinality == Cardinality.ManyToMany), r => Assert.True(r.IsSelf));
    }

    [Fact]
    public void A_function_from_a_views_rows_to_another_views_set_is_a_to_many_computed_relationship()
    {
        var catalog = Catalog(["clients", "projects"], """
            "routines": [
              {"name": "recent_projects", "volatility": "s", "returns_set": true, "rows": 1000, "return_type": "api.projects",
               "return_type_kind": "c", "comment": null, "settings": [], "return_columns": [],
               "parameters": [{"name": "", "type": "api.clients", "mode": "i", "has_default": false}]}]
            """);

        var computed = Assert.IsType<ComputedRelationship>(Assert.Single(catalog.RelationshipsOf("clients")));
        Assert.Equal(("clients", "projects", "recent_projects", false), (computed.Table, computed.ForeignTable, computed.Function.Name, computed.ToOne));
    }

    [Theory]
    [InlineData(false, 0)]
    [InlineData(true, 1)]
    public void A_function_returning_one_row_or_a_set_of_rows_1_is_a_to_one_computed_relationship(bool returnsSet, int rows)
    {
        var catalog = Catalog(["clients", "projects"], $$"""
            "routines": [
              {"name": "main_client", "volatility": "s", "returns_set": {{(returnsSet ? "true" : "false")}}, "rows": {{rows}},
               "return_type": "api.clients", "return_type_kind": "c", "comment": null, "settings": [], "return_columns": [],
               "parameters": [{"name": "p", "type": "api.projects", "mode": "i", "has_default": false}]}]
            """);

        var computed = Assert.IsType<ComputedRelationship>(Assert.Single(catalog.RelationshipsOf("projects")));
        Assert.Equal(("clients", Cardinality.ManyToOne), (computed.ForeignTable, computed.Cardinality));
    }

    [Fact]
    public void A_function_with_more_than_one_argument_or_not_returning_a_relations_rows_is_no_relationship()
    {
        var catalog = Catalog(["clients", "projects"], """
            "routines": [
              {"name": "two_args", "volatility": "s", "returns_set": true, "rows": 1000, "return_type": "api.projects",
               "return_type_kind": "c", "comment": null, "settings": [], "return_columns": [],
               "parameters": [{"name": "c", "type": "api.clients", "mode": "i", "has_default": false},
                              {"name": "n", "type": "integer", "mode": "i", "has_default": true}]},
              {"name": "project_count", "volatility": "s", "returns_set": false, "rows": 0, "return_type": "integer",
               "return_type_kind": "b", "comment": null, "settings": [], "return_columns": [],
               "parameters": [{"name": "c", "type": "api.clients", "mode": "i", "has_default": false}]}]
            """);

        Assert.Empty(catalog.Relationships);
    }

    [Fact]
    public void A_computed_relationship_named_like_a_related_view_replaces_its_key_relationships()
    {
        var catalog = Catalog(["clients", "projects"], ClientsProjects + """
            , "routines": [
              {"name": "clients", "volatility": "s", "returns_set": false, "rows": 0, "return_type": "api.clients",
               "return_type_kind": "c", "comment": null, "settings": [], "return_columns": [],
               "parameters": [{"name": "p", "type": "api.projects", "mode": "i", "has_default": false}]}]
            """);

        var only = Assert.Single(catalog.RelationshipsOf("projects"));
        Assert.Equal("clients", Assert.IsType<ComputedRelationship>(only).Function.Name);
        Assert.Single(catalog.RelationshipsOf("clients"));
    }

    [Fact]
    public void Relationships_are_listed_in_PostgREST_order_key_ones_first_then_by_foreign_table_cardinality_and_constraint()
    {
        var catalog = Catalog(["users", "messages", "profiles"], """
            "column_sources": [
              {"relation": "users", "column": "id", "table": "accounts.usr", "table_column": "id"},
              {"relation": "users", "column": "best_friend_id", "table": "accounts.usr", "table_column": "best_friend_id"},
              {"relation": "profiles", "column": "user_id", "table": "demo.profile", "table_column": "user_id"},
              {"relation": "messages", "column": "sender_id", "table": "demo.message", "table_column": "sender_id"},
              {"relation": "messages", "column": "recipient_id", "table": "demo.message", "table_column": "recipient_id"}],
            "foreign_keys": [
              {"constraint": "usr_best_friend_id_fkey", "table": "accounts.usr", "columns": ["best_friend_id"],
               "foreign_table": "accounts.usr", "foreign_columns": ["id"], "one_to_one": false},
              {"constraint": "profile_user_id_fkey", "table": "demo.profile", "columns": ["user_id"],
               "foreign_table": "accounts.usr", "foreign_columns": ["id"], "one_to_one": true},
              {"constraint": "message_sender_id_fkey", "table": "demo.message", "columns": ["sender_id"],
               "foreign_table": "accounts.usr", "foreign_columns": ["id"], "one_to_one": false},
              {"constraint": "message_recipient_id_fkey", "table": "demo.message", "columns": ["recipient_id"],
               "foreign_table": "accounts.usr", "foreign_columns": ["id"], "one_to_one": false}],
            "routines": [
              {"name": "inbox", "volatility": "s", "returns_set": true, "rows": 1000, "return_type": "api.messages",
               "return_type_kind": "c", "comment": null, "settings": [], "return_columns": [],
               "parameters": [{"name": "u", "type": "api.users", "mode": "i", "has_default": false}]}]
            """);

        Assert.Equal(
            [
                "users(id) one-to-many message_recipient_id_fkey messages(recipient_id)",
                "users(id) one-to-many message_sender_id_fkey messages(sender_id)",
                "users(id) one-to-one profile_user_id_fkey profiles(user_id)",
                "users(id) one-to-many usr_best_friend_id_fkey users(best_friend_id)",
                "users(best_friend_id) many-to-one usr_best_friend_id_fkey users(id)",
                "users computed inbox() to-many messages",
            ],
            Describe(catalog, "users"));
    }

    [Fact]
    public void A_document_without_relationship_facts_has_no_relationships()
    {
        var catalog = CatalogLoader.Parse("api", """{"relations": [], "routines": [], "role_settings": []}""");

        Assert.Empty(catalog.Relationships);
    }

    // A catalog document with a bare view for each name (row type api.name) and the given relationship facts.
    private static CatalogSnapshot Catalog(string[] views, string facts)
    {
        var relations = string.Join(", ", views.Select(v => $$"""
            {"name": "{{v}}", "kind": "v", "type": "api.{{v}}", "comment": null, "insertable": false, "updatable": false,
             "deletable": false, "columns": []}
            """));
        var routines = facts.Contains("\"routines\"", StringComparison.Ordinal) ? "" : """, "routines": [] """;
        return CatalogLoader.Parse("api", $$"""{"relations": [{{relations}}], "role_settings": [] {{routines}}, {{facts}}}""");
    }
}
