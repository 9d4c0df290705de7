using System.Text.Json.Nodes;
using Gateway.Catalog;
using Gateway.Planning;
using Gateway.Requests;
using Gateway.Sql;

namespace Gateway.Tests.Planning;

/// <summary>How the planner finds each embed's relationship and shapes the read tree, against a snapshot built by hand.</summary>
public sealed class EmbedPlanningTests
{
    private static readonly CatalogSnapshot Catalog = BuildCatalog();

    [Fact]
    public void A_many_to_one_embed_is_a_to_one_child_under_its_alias()
    {
        var plan = Read("projects", [Field("id"), Embed("clients", [Field("name")], alias: "client")]);

        var embed = Assert.Single(plan.Root.Children);
        Assert.True(embed.ToOne);
        Assert.Equal("client", embed.OutputName);
        Assert.Equal("projects_client_id_fkey", Assert.IsType<KeyRelationship>(embed.Relationship).Constraint);
    }

    [Fact]
    public void A_one_to_many_embed_is_a_to_many_child()
    {
        var plan = Read("clients", [Field("name"), Embed("projects", [Field("name")])]);

        Assert.False(Assert.Single(plan.Root.Children).ToOne);
    }

    [Fact]
    public void Two_keys_to_the_same_relation_are_300_PGRST201_listing_both_with_hints()
    {
        var error = Planner.Plan(Request("messages", [Embed("users", [Field("name")])]), Catalog, null).Error!;

        Assert.Equal((300, "PGRST201"), (error.Status, error.Code));
        Assert.Equal("Could not embed because more than one relationship was found for 'messages' and 'users'", error.Message);
        Assert.Equal(
            "Try changing 'users' to one of the following: 'users!messages_sender_id_fkey', 'users!messages_recipient_id_fkey'. Find the desired relationship in the 'details' key.",
            error.Hint);
        var details = Assert.IsType<JsonArray>(error.DetailsJson);
        Assert.Equal(
            """{"cardinality":"many-to-one","embedding":"messages with users","relationship":"messages_sender_id_fkey using messages(sender_id) and users(id)"}""",
            details[0]!.ToJsonString());
    }

    [Theory]
    [InlineData("messages_sender_id_fkey")]
    [InlineData("sender_id")]
    public void A_hint_by_key_name_or_column_picks_one_relationship(string hint)
    {
        var plan = Read("messages", [Embed("users", [Field("name")], hint: hint)]);

        Assert.Equal("messages_sender_id_fkey", ((KeyRelationship)Assert.Single(plan.Root.Children).Relationship).Constraint);
    }

    [Fact]
    public void No_relationship_is_400_PGRST200_suggesting_the_closest_relation()
    {
        var error = Planner.Plan(Request("projects", [Embed("client", [Field("name")])]), Catalog, null).Error!;

        Assert.Equal((400, "PGRST200"), (error.Status, error.Code));
        Assert.Equal("Could not find a relationship between 'projects' and 'client' in the schema cache", error.Message);
        Assert.Equal("Searched for a foreign key relationship between 'projects' and 'client' in the schema 'api', but no matches were found.", error.Details);
        Assert.Equal("Perhaps you meant 'clients' instead of 'client'.", error.Hint);
    }

    [Fact]
    public void No_relationship_from_a_relation_without_any_suggests_the_closest_relation_with_some()
    {
        var error = Planner.Plan(Request("clientz", [Embed("projects", [Field("name")])]), Catalog, null).Error!;

        Assert.Equal((400, "PGRST200"), (error.Status, error.Code));
        Assert.Equal("Perhaps you meant 'clients' instead of 'clientz'.", error.Hint);
    }

    [Fact]
    public void No_relationship_from_a_relation_known_without_relationships_has_no_hint()
    {
        var error = Planner.Plan(Request("end_1", [Embed("end_2", [Field("name")])]), Catalog, null).Error!;

        Assert.Equal((400, "PGRST200"), (error.Status, error.Code));
        Assert.Null(error.Hint);
    }

    [Fact]
    public void A_junction_relates_many_to_many_and_its_name_is_a_hint()
    {
        var plan = Read("users", [Embed("tasks", [Field("title")], hint: "users_tasks")]);

        Assert.Equal("users_tasks", Assert.IsType<JunctionRelationship>(Assert.Single(plan.Root.Children).Relationship).Junction);
    }

    [Fact]
    public void A_self_reference_is_the_parent_by_its_column_and_the_children_by_the_table()
    {
        var plan = Read("employees", [Embed("manager_id", [Field("name")], alias: "manager"), Embed("employees", [Field("name")], alias: "reports")]);

        Assert.Equal([true, false], plan.Root.Children.Select(c => c.ToOne));
    }

    [Fact]
    public void A_filter_on_a_resource_that_is_not_embedded_is_400_PGRST108()
    {
        var request = Request("clients", [Field("name")]) with { Embedded = [new EmbedQuery(["projects"]) { Limit = 1 }] };

        var error = Planner.Plan(request, Catalog, null).Error!;

        Assert.Equal((400, "PGRST108"), (error.Status, error.Code));
    }

    [Fact]
    public void Embedded_filters_order_and_limit_go_to_the_child()
    {
        var request = Request("clients", [Embed("projects", [Field("name")])]) with
        {
            Embedded =
            [
                new EmbedQuery(["projects"])
                {
                    Filters = [new Filter(new Field("name"), false, new CompareOperation(CompareOperator.Equal, Quantifier.None, "x"))],
                    Order = [new OrderTerm(new Field("id"), OrderDirection.Descending, null)],
                    Limit = 2,
                },
            ],
        };

        var child = Assert.Single(Assert.IsType<ReadPlan>(Planner.Plan(request, Catalog, null).Value).Root.Children).Node;

        Assert.Equal((1, 1, 2L), (child.Where.Count, child.Order.Count, child.Limit));
    }

    [Fact]
    public void Ordering_by_a_to_many_embed_is_400_PGRST118()
    {
        var request = Request("clients", [Embed("projects", [Field("name")])]) with
        {
            Order = [new OrderTerm(new Field("name"), null, null) { Embed = "projects" }],
        };

        var error = Planner.Plan(request, Catalog, null).Error!;

        Assert.Equal((400, "PGRST118", "A related order on 'projects' is not possible"), (error.Status, error.Code, error.Message));
    }

    [Fact]
    public void Not_is_null_on_an_embed_filters_by_its_presence()
    {
        var request = Request("clients", [Embed("projects", [Field("name")])]) with
        {
            Filters = [new Filter(new Field("projects"), true, new IsOperation(IsValue.Null))],
        };

        var plan = Assert.IsType<ReadPlan>(Planner.Plan(request, Catalog, null).Value);

        Assert.True(Assert.IsType<EmbedPresence>(Assert.Single(plan.Root.Where)).Present);
    }

    [Fact]
    public void Aggregates_are_400_PGRST123_unless_enabled()
    {
        var request = Request("projects", [new SelectCount(null, null)]);

        Assert.Equal("PGRST123", Planner.Plan(request, Catalog, null).Error!.Code);
        Assert.IsType<CountTerm>(Assert.Single(Assert.IsType<ReadPlan>(Planner.Plan(request, Catalog, null, new PlanSettings(AggregatesEnabled: true)).Value).Root.Select));
    }

    [Fact]
    public void Count_as_a_column_counts_the_rows_with_aggregates_off()
    {
        var plan = Read("clients", [Field("name"), Embed("projects", [Field("count")])]);

        var count = Assert.IsType<CountTerm>(Assert.Single(Assert.Single(plan.Root.Children).Node.Select));
        Assert.True(count.Legacy);
        Assert.Equal("count", count.OutputName);
        Assert.Contains("pg_catalog.count(*) as \"count\" from \"api\".\"projects\"", Statement.For(plan).Main.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Count_as_a_column_groups_nothing_and_is_not_hoisted_from_a_to_one_spread()
    {
        var plan = Read("projects", [Field("name"), new SelectEmbed("clients", null, null, EmbedJoin.Left, true, [Field("count")])]);

        Assert.False(plan.Root.Aggregates);
        Assert.Empty(Assert.Single(plan.Root.Children).Hoisted);
        Assert.DoesNotContain("group by", Statement.For(plan).Main.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Count_is_the_column_where_a_column_has_that_name()
    {
        var plan = Read("tallies", [Field("count")]);

        Assert.Equal("count", Assert.IsType<ColumnTerm>(Assert.Single(plan.Root.Select)).Field.Column.Name);
    }

    [Fact]
    public void A_to_many_embed_is_one_lateral_json_agg_in_the_same_statement()
    {
        var sql = Statement.For(Read("clients", [Field("name"), Embed("projects", [Field("name")])])).Main.ToString();

        Assert.Contains("left join lateral (select json_agg(_e1)::jsonb as _e1 from (select _c2.\"name\" as \"name\" from \"api\".\"projects\" as _c2 where _c2.\"client_id\" = _src.\"id\") as _e1) as _e1 on true", sql, StringComparison.Ordinal);
        Assert.Contains("coalesce(_e1._e1, '[]') as \"projects\"", sql, StringComparison.Ordinal);
    }

    [Fact]
    public void An_inner_to_one_embed_joins_inner()
    {
        var sql = Statement.For(Read("projects", [Field("name"), Embed("clients", [Field("name")], join: EmbedJoin.Inner)])).Main.ToString();

        Assert.Contains("inner join lateral (select _c2.\"name\" as \"name\" from \"api\".\"clients\" as _c2 where _c2.\"id\" = _src.\"client_id\") as _e1 on true", sql, StringComparison.Ordinal);
        Assert.Contains("row_to_json(_e1.*)::jsonb as \"clients\"", sql, StringComparison.Ordinal);
    }

    [Fact]
    public void An_embed_whose_embeds_select_nothing_shows_nothing_in_its_parent()
    {
        var sql = Statement.For(Read("clients", [Field("name"), Embed("projects", [Embed("tasks", [])])])).Main.ToString();

        Assert.DoesNotContain("as \"projects\"", sql, StringComparison.Ordinal);
        Assert.DoesNotContain("as \"tasks\"", sql, StringComparison.Ordinal);
    }

    [Fact]
    public void The_representation_of_a_write_is_sorted_by_the_root_order()
    {
        var request = Request("projects", [Field("id"), Embed("tasks", [Field("title")])]) with
        {
            Method = "DELETE",
            Action = RequestAction.Delete,
            Order = [new OrderTerm(new Field("id"), OrderDirection.Descending, null)],
        };

        var sql = Statement.For(Assert.IsType<MutatePlan>(Planner.Plan(request, Catalog, null).Value)).Main.ToString();

        Assert.Contains("order by _src.\"id\" desc) select", sql, StringComparison.Ordinal);
    }

    [Fact]
    public void A_to_one_spread_aggregate_is_hoisted_to_group_the_parent()
    {
        var sum = new SelectField(new Field("id"), null, null) { Aggregate = AggregateFunction.Sum };
        var request = Request("projects", [Field("name"), new SelectEmbed("clients", null, null, EmbedJoin.Left, true, [sum])]);

        var plan = Assert.IsType<ReadPlan>(Planner.Plan(request, Catalog, null, new PlanSettings(AggregatesEnabled: true)).Value);
        var sql = Statement.For(plan).Main.ToString();

        Assert.Contains("pg_catalog.sum(_e1.\"_h1\") as \"sum\"", sql, StringComparison.Ordinal);
        Assert.Contains("group by _src.\"name\"", sql, StringComparison.Ordinal);
    }

    [Fact]
    public void A_count_in_a_to_one_spread_counts_the_parent_rows_that_have_the_spread_row()
    {
        var request = Request("projects", [Field("name"), new SelectEmbed("clients", null, null, EmbedJoin.Left, true, [new SelectCount(null, null)])]);

        var plan = Assert.IsType<ReadPlan>(Planner.Plan(request, Catalog, null, new PlanSettings(AggregatesEnabled: true)).Value);
        var sql = Statement.For(plan).Main.ToString();

        Assert.Contains("true as \"_h1\"", sql, StringComparison.Ordinal);
        Assert.Contains("pg_catalog.count(_e1.\"_h1\") as \"count\"", sql, StringComparison.Ordinal);
        Assert.Contains("group by _src.\"name\"", sql, StringComparison.Ordinal);
    }

    [Fact]
    public void An_aggregate_in_a_to_many_spread_is_400_PGRST127()
    {
        var request = Request("clients", [Field("name"), new SelectEmbed("projects", null, null, EmbedJoin.Left, true, [new SelectCount(null, null)])]);

        var error = Planner.Plan(request, Catalog, null, new PlanSettings(AggregatesEnabled: true)).Error!;

        Assert.Equal(("PGRST127", "Aggregates are not implemented for one-to-many or many-to-many spreads."), (error.Code, error.Details));
    }

    private static ReadPlan Read(string relation, IReadOnlyList<SelectItem> select)
    {
        var plan = Planner.Plan(Request(relation, select), Catalog, null);
        Assert.True(plan.IsOk, plan.Error?.Message);
        return Assert.IsType<ReadPlan>(plan.Value);
    }

    private static ApiRequest Request(string relation, IReadOnlyList<SelectItem> select) =>
        new() { Method = "GET", Target = Target.Relation(relation), Action = RequestAction.Read, Select = select };

    private static SelectField Field(string column) => new(new Field(column), null, null);

    private static SelectEmbed Embed(string relation, IReadOnlyList<SelectItem> select, string? alias = null, string? hint = null, EmbedJoin join = EmbedJoin.Left) =>
        new(relation, alias, hint, join, false, select);

    private static CatalogSnapshot BuildCatalog()
    {
        Relation View(string name, params string[] columns) => new("api", name, 'v',
            [.. columns.Select(c => new Column(c, c == "name" || c == "title" ? "text" : "integer", c == "name" || c == "title" ? 'S' : 'N', true, false, null))],
            null, true, true, true);

        var relations = new[]
        {
            View("clients", "id", "name"), View("projects", "id", "name", "client_id"), View("tasks", "id", "title", "project_id"),
            View("users", "id", "name"), View("users_tasks", "user_id", "task_id"), View("messages", "id", "sender_id", "recipient_id"),
            View("employees", "id", "name", "manager_id"), View("tallies", "id", "count"), View("end_1", "id"), View("clientz", "id"),
        }.ToDictionary(r => r.Name, StringComparer.Ordinal);

        IEnumerable<Relationship> Key(string table, string column, string foreign, string constraint) =>
        [
            new KeyRelationship(table, foreign, Cardinality.ManyToOne, constraint, [column], ["id"]),
            new KeyRelationship(foreign, table, Cardinality.OneToMany, constraint, ["id"], [column]),
        ];

        var all = Key("projects", "client_id", "clients", "projects_client_id_fkey")
            .Concat(Key("tasks", "project_id", "projects", "tasks_project_id_fkey"))
            .Concat(Key("users_tasks", "user_id", "users", "users_tasks_user_id_fkey"))
            .Concat(Key("users_tasks", "task_id", "tasks", "users_tasks_task_id_fkey"))
            .Concat(Key("messages", "sender_id", "users", "messages_sender_id_fkey"))
            .Concat(Key("messages", "recipient_id", "users", "messages_recipient_id_fkey"))
            .Concat(Key("employees", "manager_id", "employees", "employees_manager_id_fkey"))
            .Append(new JunctionRelationship("users", "tasks", "users_tasks", "users_tasks_user_id_fkey", ["id"], ["user_id"], "users_tasks_task_id_fkey", ["task_id"], ["id"]))
            .Append(new JunctionRelationship("tasks", "users", "users_tasks", "users_tasks_task_id_fkey", ["id"], ["task_id"], "users_tasks_user_id_fkey", ["user_id"], ["id"]));

        return new CatalogSnapshot("api", relations, new Dictionary<string, IReadOnlyList<Routine>>(), new Dictionary<string, IReadOnlyList<RoleSetting>>(), DateTimeOffset.UnixEpoch)
        {
            // end_1's only relationships ran through a junction no view shows: known, with none left.
            Relationships = all.GroupBy(r => r.Table)
                .Select(g => KeyValuePair.Create(g.Key, (IReadOnlyList<Relationship>)[.. g]))
                .Append(KeyValuePair.Create("end_1", (IReadOnlyList<Relationship>)[]))
                .ToDictionary(StringComparer.Ordinal),
        };
    }
}
