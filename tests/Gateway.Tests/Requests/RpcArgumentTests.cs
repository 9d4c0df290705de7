using Gateway.Requests;
using static Gateway.Tests.Requests.RequestParsing;

namespace Gateway.Tests.Requests;

public sealed class RpcArgumentTests
{
    [Fact]
    public void Non_operator_values_on_rpc_get_are_arguments_in_order()
    {
        var request = Get("name=world&greeting=hello+there", "/rpc/hello");

        Assert.Equal(["name", "greeting"], request.Arguments.Select(a => a.Name));
        Assert.Equal(["world", "hello there"], request.Arguments.Select(a => a.Value));
        Assert.Empty(request.Filters);
    }

    [Fact]
    public void Rpc_argument_and_filter_on_the_same_key_are_split()
    {
        var request = Get("id=5&id=gt.2", "/rpc/items");

        var argument = Assert.Single(request.Arguments);
        Assert.Equal(("id", "5"), (argument.Name, argument.Value));
        var filter = Assert.Single(request.Filters);
        Assert.Equal(new CompareOperation(CompareOperator.GreaterThan, Quantifier.None, "2"), filter.Operation);
    }

    [Fact]
    public void Repeated_argument_keeps_every_value_for_variadic_functions()
    {
        var argument = Assert.Single(Get("v=a&other=x&v=b&v=c", "/rpc/concat").Arguments, a => a.Name == "v");

        Assert.Equal(["a", "b", "c"], argument.Values);
        Assert.Equal("c", argument.Value);
    }

    [Fact]
    public void Head_splits_arguments_like_get()
    {
        var request = Ok("HEAD", "/rpc/items", "id=5&id=gt.2");

        Assert.Single(request.Arguments);
        Assert.Single(request.Filters);
    }

    [Theory]
    [InlineData("a=eq")]
    [InlineData("a=hello.world")]
    [InlineData("a=eq5")]
    [InlineData("a=eq(some).x")]
    [InlineData("a=fts(english")]
    [InlineData("a=")]
    [InlineData("a={1,2}")]
    public void Values_that_never_commit_to_an_operator_are_arguments(string query)
    {
        Assert.Single(Get(query, "/rpc/f").Arguments);
    }

    [Theory]
    [InlineData("a=not.sure")]
    [InlineData("a=in.nope")]
    [InlineData("a=is.maybe")]
    [InlineData("a=eq(any).5")]
    public void Values_that_commit_to_an_operator_and_then_fail_are_400_PGRST100(string query)
    {
        AssertParseError(GetError(query, "/rpc/f"));
    }

    [Fact]
    public void Reserved_keys_are_never_arguments()
    {
        var request = Get("select=a&order=a&limit=1&offset=2&x=1", "/rpc/f");

        Assert.Equal(["x"], request.Arguments.Select(a => a.Name));
    }

    [Fact]
    public void Rpc_post_query_parameters_must_be_filters()
    {
        AssertParseError(Error("POST", "/rpc/f", "id=5"));
    }

    [Fact]
    public void Relation_get_has_no_arguments()
    {
        AssertParseError(GetError("id=5"));
    }

    [Fact]
    public void Argument_key_with_a_json_path_is_400_PGRST100()
    {
        AssertParseError(GetError("data->a=5", "/rpc/f"));
    }
}
