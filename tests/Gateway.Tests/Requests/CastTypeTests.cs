using Gateway.Requests;

namespace Gateway.Tests.Requests;

public sealed class CastTypeTests
{
    [Theory]
    [InlineData("id::text", "text")]
    [InlineData("id::double precision", "double precision")]
    [InlineData("id::int[]", "int[]")]
    [InlineData("id::my$type", "my$type")]
    public void Cast_types_of_letters_digits_spaces_and_inner_dollars_parse(string select, string type)
    {
        var request = ApiRequestParser.Parse("GET", "/items", "select=" + Uri.EscapeDataString(select), new Dictionary<string, string>()).Value!;

        Assert.Equal(type, Assert.IsType<SelectField>(Assert.Single(request.Select)).Cast);
    }

    [Theory]
    [InlineData("id::$1")]
    [InlineData("id::text $$")]
    [InlineData("id::text $x$ $x$")]
    [InlineData("id::int);drop table t")]
    [InlineData("id::1$$")]
    [InlineData("id::int 1$x$")]
    public void A_cast_type_that_postgresql_could_read_as_a_parameter_or_a_quote_is_400_PGRST100(string select)
    {
        var result = ApiRequestParser.Parse("GET", "/items", "select=" + Uri.EscapeDataString(select), new Dictionary<string, string>());

        Assert.Equal((400, "PGRST100"), (result.Error!.Status, result.Error.Code));
    }
}
