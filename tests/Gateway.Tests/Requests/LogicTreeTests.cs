using Gateway.Requests;
using static Gateway.Tests.Requests.RequestParsing;

namespace Gateway.Tests.Requests;

public sealed class LogicTreeTests
{
    [Fact]
    public void Or_combines_filters()
    {
        var tree = SingleTree("or=(age.lt.18,age.gt.65)");

        Assert.Equal(LogicOperator.Or, tree.Operator);
        Assert.False(tree.Negated);
        Assert.Equal(["18", "65"], Leaves(tree).Select(f => ((CompareOperation)f.Operation).Value));
    }

    [Fact]
    public void And_combines_filters()
    {
        var tree = SingleTree("and=(a.eq.1,b.eq.2)");

        Assert.Equal(LogicOperator.And, tree.Operator);
        Assert.Equal(["a", "b"], Leaves(tree).Select(f => f.Field.Column));
    }

    [Theory]
    [InlineData("not.or=(a.eq.1,b.eq.2)", "Or")]
    [InlineData("not.and=(a.eq.1,b.eq.2)", "And")]
    public void Not_negates_the_whole_tree(string query, string op)
    {
        var tree = SingleTree(query);

        Assert.True(tree.Negated);
        Assert.Equal(Enum.Parse<LogicOperator>(op), tree.Operator);
    }

    [Fact]
    public void Trees_nest()
    {
        var tree = SingleTree("or=(a.eq.1,and(b.eq.2,not.or(c.eq.3,d.eq.4)))");

        var and = Assert.IsType<LogicExpression>(tree.Children[1]);
        Assert.Equal(LogicOperator.And, and.Operator);
        var notOr = Assert.IsType<LogicExpression>(and.Children[1]);
        Assert.True(notOr.Negated);
        Assert.Equal(LogicOperator.Or, notOr.Operator);
        Assert.Equal(["c", "d"], Leaves(notOr).Select(f => f.Field.Column));
    }

    [Fact]
    public void Items_may_negate_their_operator()
    {
        var filter = Assert.Single(Leaves(SingleTree("or=(a.not.eq.1)")));

        Assert.True(filter.Negated);
    }

    [Fact]
    public void Items_may_carry_a_json_path()
    {
        var leaves = Leaves(SingleTree("or=(data->>key.eq.1,data->0.gt.2)"));

        Assert.Equal("data", leaves[0].Field.Column);
        Assert.Equal("key", Assert.Single(leaves[0].Field.JsonPath).Key);
        Assert.Equal(0, Assert.Single(leaves[1].Field.JsonPath).Index);
    }

    [Fact]
    public void Whitespace_around_items_is_allowed()
    {
        var tree = SingleTree("or=(+a.eq.1+,+b.eq.2+,+and(+c.eq.3+)+)");

        Assert.Equal(3, tree.Children.Count);
        Assert.Equal(["1", "2", "3"], Leaves(tree).Select(f => ((CompareOperation)f.Operation).Value));
    }

    [Fact]
    public void Double_quoted_values_may_hold_reserved_characters()
    {
        var filter = Assert.Single(Leaves(SingleTree("or=" + Uri.EscapeDataString("(name.eq.\"a,b.c:(d)\\\"e\")"))));

        Assert.Equal("a,b.c:(d)\"e", Assert.IsType<CompareOperation>(filter.Operation).Value);
    }

    [Fact]
    public void Array_literals_are_kept_whole()
    {
        var leaves = Leaves(SingleTree("or=" + Uri.EscapeDataString("(tags.cs.{a,b},grid.eq.{{1,2},{3,4}},id.eq.1)")));

        Assert.Equal(["{a,b}", "{{1,2},{3,4}}", "1"], leaves.Select(f => ((CompareOperation)f.Operation).Value));
    }

    [Fact]
    public void In_lists_and_is_work_inside_trees()
    {
        var leaves = Leaves(SingleTree("or=" + Uri.EscapeDataString("(id.in.(1,\"2,3\"),name.is.NULL,id.not.in.())")));

        Assert.Equal(["1", "2,3"], Assert.IsType<InOperation>(leaves[0].Operation).Values);
        Assert.Equal(IsValue.Null, Assert.IsType<IsOperation>(leaves[1].Operation).Value);
        Assert.Empty(Assert.IsType<InOperation>(leaves[2].Operation).Values);
        Assert.True(leaves[2].Negated);
    }

    [Fact]
    public void Quantified_and_full_text_operators_work_inside_trees()
    {
        var leaves = Leaves(SingleTree("or=" + Uri.EscapeDataString("(name.like(any).{a*,b*},body.fts(english).cat)")));

        Assert.Equal(new CompareOperation(CompareOperator.Like, Quantifier.Any, "{a%,b%}"), leaves[0].Operation);
        Assert.Equal(new FullTextOperation(FullTextOperator.Fts, "english", "cat"), leaves[1].Operation);
    }

    [Fact]
    public void Columns_named_like_logic_words_are_filters()
    {
        var leaves = Leaves(SingleTree("or=(and.eq.1,or.eq.2,not.eq.3)"));

        Assert.Equal(["and", "or", "not"], leaves.Select(f => f.Field.Column));
    }

    [Fact]
    public void Several_trees_are_all_kept()
    {
        Assert.Equal(2, Get("or=(a.eq.1,b.eq.2)&or=(c.eq.3,d.eq.4)").Logic.Count);
    }

    [Theory]
    [InlineData("or=()")]
    [InlineData("and=()")]
    [InlineData("or=(a.eq.1")]
    [InlineData("or=a.eq.1")]
    [InlineData("or=(a.eq.1,)")]
    [InlineData("or=(a.eq.1)x")]
    [InlineData("or=(a.noop.1)")]
    [InlineData("or=(a.eq.1,xor(b.eq.2))")]
    [InlineData("or=(a)")]
    [InlineData("or=(a.is.maybe)")]
    [InlineData("or=(a.in.1,2)")]
    [InlineData("or=")]
    public void Malformed_trees_are_400_PGRST100(string query)
    {
        var error = GetError(query);

        AssertParseError(error);
        Assert.StartsWith("\"failed to parse logic tree", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Empty_or_error_points_at_the_closing_parenthesis()
    {
        var error = GetError("or=()");

        Assert.Equal("\"failed to parse logic tree (())\" (line 1, column 2)", error.Message);
        Assert.StartsWith("unexpected \")\" expecting", error.Details, StringComparison.Ordinal);
    }

    [Fact]
    public void Tree_on_an_embedded_resource_is_kept_for_its_path()
    {
        var request = Get("child.or=(a.eq.1)");

        Assert.Empty(request.Logic);
        var embed = Assert.Single(request.Embedded);
        Assert.Equal(["child"], embed.Path);
        Assert.Equal(LogicOperator.Or, Assert.Single(embed.Logic).Operator);
    }

    [Fact]
    public void Nesting_up_to_the_cap_parses()
    {
        var tree = SingleTree("or=" + Nested(QueryGrammar.MaxLogicDepth - 1));

        var depth = 1;
        for (var node = tree; node.Children[0] is LogicExpression child; node = child)
        {
            depth++;
        }

        Assert.Equal(QueryGrammar.MaxLogicDepth, depth);
    }

    [Fact]
    public void Nesting_beyond_the_cap_is_400_PGRST100()
    {
        var error = GetError("or=" + Nested(QueryGrammar.MaxLogicDepth));

        AssertParseError(error);
        Assert.Contains("nest at most 32 levels", error.Details, StringComparison.Ordinal);
    }

    /// <summary><c>(and(and(...(a.eq.1))))</c> with <paramref name="levels"/> nested <c>and</c>s.</summary>
    internal static string Nested(int levels) =>
        "(" + string.Concat(Enumerable.Repeat("and(", levels)) + "a.eq.1" + new string(')', levels) + ")";

    private static List<Filter> Leaves(LogicExpression tree)
    {
        var leaves = new List<Filter>();
        foreach (var child in tree.Children)
        {
            if (child is LogicFilter leaf)
            {
                leaves.Add(leaf.Filter);
            }
            else
            {
                leaves.AddRange(Leaves((LogicExpression)child));
            }
        }

        return leaves;
    }
}
