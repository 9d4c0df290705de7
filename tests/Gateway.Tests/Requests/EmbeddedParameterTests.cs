using Gateway.Requests;
using static Gateway.Tests.Requests.RequestParsing;

namespace Gateway.Tests.Requests;

/// <summary>
/// Filters, logic trees, order, limit and offset addressed to an embed by its path of output names
/// (<c>tasks.done=eq.false</c>, <c>clients.projects.order=name</c>). The parser keeps them per path; whether the path
/// names an embed of the select is the planner's question.
/// </summary>
public sealed class EmbeddedParameterTests
{
    [Fact]
    public void A_filter_on_an_embed_is_kept_for_its_path_and_not_on_the_root()
    {
        var request = Get("select=id,tasks(id,done)&tasks.done=eq.false");

        Assert.Empty(request.Filters);
        var embed = Assert.Single(request.Embedded);
        Assert.Equal(["tasks"], embed.Path);
        var filter = Assert.Single(embed.Filters);
        Assert.Equal("done", filter.Field.Column);
        Assert.Equal(new CompareOperation(CompareOperator.Equal, Quantifier.None, "false"), filter.Operation);
    }

    [Fact]
    public void A_nested_path_names_the_embed_inside_an_embed()
    {
        var embed = Assert.Single(Get("clients.projects.name=eq.x").Embedded);

        Assert.Equal(["clients", "projects"], embed.Path);
        Assert.Equal("name", Assert.Single(embed.Filters).Field.Column);
    }

    [Fact]
    public void A_filter_on_an_embed_may_use_a_json_path_and_negation()
    {
        var filter = Assert.Single(Assert.Single(Get("tasks.data->>a=not.eq.1").Embedded).Filters);

        Assert.Equal("->>a", Assert.Single(filter.Field.JsonPath).ToString());
        Assert.True(filter.Negated);
    }

    [Fact]
    public void Filters_on_the_same_embed_accumulate_in_order()
    {
        var embed = Assert.Single(Get("tasks.id=gt.1&tasks.id=lt.5").Embedded);

        Assert.Equal(["1", "5"], embed.Filters.Select(filter => ((CompareOperation)filter.Operation).Value));
    }

    [Fact]
    public void A_logic_tree_on_an_embed_parses()
    {
        var tree = Assert.Single(Assert.Single(Get("tasks.or=(done.eq.true,id.gt.2)").Embedded).Logic);

        Assert.Equal(LogicOperator.Or, tree.Operator);
        Assert.False(tree.Negated);
        Assert.Equal(2, tree.Children.Count);
    }

    [Theory]
    [InlineData("tasks.not.and=(a.eq.1,b.eq.2)", "And")]
    [InlineData("tasks.not.or=(a.eq.1,b.eq.2)", "Or")]
    public void Not_before_the_operator_negates_an_embedded_tree(string query, string logicOperator)
    {
        var embed = Assert.Single(Get(query).Embedded);
        var tree = Assert.Single(embed.Logic);

        Assert.Equal(["tasks"], embed.Path);
        Assert.True(tree.Negated);
        Assert.Equal(Enum.Parse<LogicOperator>(logicOperator), tree.Operator);
    }

    [Fact]
    public void Order_of_an_embed_parses_with_directions_and_json_paths()
    {
        var order = Assert.Single(Get("factory_buildings.order=inspections->pending.asc.nullsfirst,name.desc").Embedded).Order;

        Assert.Equal(2, order.Count);
        Assert.Equal("->pending", Assert.Single(order[0].Field.JsonPath).ToString());
        Assert.Equal(OrderNulls.First, order[0].Nulls);
        Assert.Equal(OrderDirection.Descending, order[1].Direction);
    }

    [Fact]
    public void Order_of_an_embed_may_order_by_its_own_embed()
    {
        var term = Assert.Single(Assert.Single(Get("processes.order=process_costs(cost)").Embedded).Order);

        Assert.Equal("process_costs", term.Embed);
        Assert.Equal("cost", term.Field.Column);
    }

    [Fact]
    public void Limit_and_offset_of_an_embed_parse()
    {
        var embed = Assert.Single(Get("tasks.limit=2&tasks.offset=1").Embedded);

        Assert.Equal(2, embed.Limit);
        Assert.Equal(1, embed.Offset);
    }

    [Fact]
    public void Only_the_first_order_limit_and_offset_of_an_embed_count()
    {
        var embed = Assert.Single(Get("tasks.order=a&tasks.order=b;junk&tasks.limit=1&tasks.limit=x&tasks.offset=3&tasks.offset=4").Embedded);

        Assert.Equal("a", Assert.Single(embed.Order).Field.Column);
        Assert.Equal(1, embed.Limit);
        Assert.Equal(3, embed.Offset);
    }

    [Fact]
    public void Each_path_gets_one_entry_in_the_order_paths_first_appear()
    {
        var embedded = Get("b.x=eq.1&a.limit=2&b.order=id&a.y=eq.2&a.b.z=eq.3&b.or=(k.eq.1)").Embedded;

        Assert.Equal([["b"], ["a"], ["a", "b"]], embedded.Select(embed => embed.Path));
        Assert.Single(embedded[0].Filters);
        Assert.Single(embedded[0].Order);
        Assert.Single(embedded[0].Logic);
        Assert.Equal(2, embedded[1].Limit);
        Assert.Equal("y", Assert.Single(embedded[1].Filters).Field.Column);
        Assert.Equal("z", Assert.Single(embedded[2].Filters).Field.Column);
    }

    [Fact]
    public void Root_and_embedded_parameters_stay_apart()
    {
        var request = Get("id=eq.1&tasks.id=eq.2&order=id&tasks.order=id.desc&limit=5&tasks.limit=2&or=(a.eq.1)&tasks.or=(b.eq.2)");

        Assert.Equal("1", ((CompareOperation)Assert.Single(request.Filters).Operation).Value);
        Assert.Null(Assert.Single(request.Order).Direction);
        Assert.Equal(5, request.Limit);
        Assert.Single(request.Logic);
        var embed = Assert.Single(request.Embedded);
        Assert.Equal("2", ((CompareOperation)Assert.Single(embed.Filters).Operation).Value);
        Assert.Equal(OrderDirection.Descending, Assert.Single(embed.Order).Direction);
        Assert.Equal(2, embed.Limit);
        Assert.Single(embed.Logic);
    }

    [Fact]
    public void An_embed_without_a_given_order_limit_or_offset_has_none()
    {
        var embed = Assert.Single(Get("tasks.done=is.true").Embedded);

        Assert.Empty(embed.Order);
        Assert.Empty(embed.Logic);
        Assert.Null(embed.Limit);
        Assert.Equal(0, embed.Offset);
    }

    [Theory]
    [InlineData("%22my.tasks%22.done=eq.true")]
    [InlineData("%22my.tasks%22.limit=1")]
    [InlineData("%22my.tasks%22.order=id")]
    [InlineData("%22my.tasks%22.or=(a.eq.1)")]
    public void A_quoted_name_on_the_path_may_hold_dots(string query)
    {
        Assert.Equal(["my.tasks"], Assert.Single(Get(query).Embedded).Path);
    }

    [Theory]
    [InlineData("tasks=not.is.null", true)]
    [InlineData("tasks=is.null", false)]
    public void A_null_test_on_an_embed_name_is_a_root_filter(string query, bool negated)
    {
        var request = Get("select=id,tasks()&" + query);

        Assert.Empty(request.Embedded);
        var filter = Assert.Single(request.Filters);
        Assert.Equal("tasks", filter.Field.Column);
        Assert.Equal(negated, filter.Negated);
        Assert.Equal(new IsOperation(IsValue.Null), filter.Operation);
    }

    [Fact]
    public void A_request_without_embedded_parameters_has_none()
    {
        Assert.Empty(Get("select=id,tasks(*)&id=eq.1&order=id&limit=1&or=(a.eq.1)").Embedded);
    }

    [Fact]
    public void Negative_embedded_limit_is_416_PGRST103()
    {
        var error = GetError("tasks.limit=-1");

        Assert.Equal(416, error.Status);
        Assert.Equal("PGRST103", error.Code);
        Assert.Equal("Limit should be greater than or equal to zero.", error.Details);
    }

    [Fact]
    public void Negative_embedded_offset_is_ignored()
    {
        Assert.Equal(0, Assert.Single(Get("tasks.offset=-3").Embedded).Offset);
    }

    [Fact]
    public void Non_integer_embedded_limit_is_400_PGRST100_naming_the_key()
    {
        var error = GetError("tasks.limit=two");

        AssertParseError(error);
        Assert.Equal("\"failed to parse tasks.limit parameter (two)\" (line 1, column 1)", error.Message);
    }

    [Theory]
    [InlineData("tasks;x.limit=1")]
    [InlineData(".limit=1")]
    [InlineData("tasks..order=id")]
    [InlineData("tasks->x.order=id")]
    [InlineData("not..or=(a.eq.1)")]
    [InlineData("tasks..done=eq.1")]
    public void Malformed_embed_path_is_400_PGRST100(string query)
    {
        var error = GetError(query);

        AssertParseError(error);
    }

    [Theory]
    [InlineData("tasks.order=id.ac", "order")]
    [InlineData("tasks.or=()", "logic tree")]
    [InlineData("tasks.done=maybe", "filter")]
    public void Malformed_embedded_value_is_400_PGRST100(string query, string what)
    {
        var error = GetError(query);

        AssertParseError(error);
        Assert.StartsWith($"\"failed to parse {what}", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_key_with_an_embed_path_is_never_a_function_argument()
    {
        AssertParseError(Error("GET", "/rpc/fn", "tasks.x=5"));
    }

    [Fact]
    public void Embedded_parameters_apply_to_function_results_too()
    {
        var request = Ok("GET", "/rpc/fn", "select=id,tasks(*)&tasks.done=eq.true&n=5");

        Assert.Equal(["tasks"], Assert.Single(request.Embedded).Path);
        Assert.Equal("n", Assert.Single(request.Arguments).Name);
    }
}
