using Gateway.Requests;
using static Gateway.Tests.Requests.RequestParsing;

namespace Gateway.Tests.Requests;

public sealed class OrderTests
{
    [Fact]
    public void Order_with_directions_nulls_and_json_paths_parses()
    {
        var order = Get("order=c1.desc.nullslast,c2,data->>id.asc").Order;

        Assert.Equal(3, order.Count);
        Assert.Equal("c1", order[0].Field.Column);
        Assert.Equal(OrderDirection.Descending, order[0].Direction);
        Assert.Equal(OrderNulls.Last, order[0].Nulls);
        Assert.Equal("c2", order[1].Field.Column);
        Assert.Null(order[1].Direction);
        Assert.Null(order[1].Nulls);
        Assert.Equal("data", order[2].Field.Column);
        Assert.Equal("->>id", Assert.Single(order[2].Field.JsonPath).ToString());
        Assert.Equal(OrderDirection.Ascending, order[2].Direction);
    }

    [Theory]
    [InlineData("id", null, null)]
    [InlineData("id.asc", "Ascending", null)]
    [InlineData("id.desc", "Descending", null)]
    [InlineData("id.nullsfirst", null, "First")]
    [InlineData("id.nullslast", null, "Last")]
    [InlineData("id.asc.nullsfirst", "Ascending", "First")]
    [InlineData("id.desc.nullslast", "Descending", "Last")]
    [InlineData("+id.desc+", "Descending", null)]
    public void Direction_and_nulls_are_optional(string order, string? direction, string? nulls)
    {
        var term = Assert.Single(Get("order=" + order).Order);

        Assert.Equal("id", term.Field.Column);
        Assert.Equal(direction is null ? null : Enum.Parse<OrderDirection>(direction), term.Direction);
        Assert.Equal(nulls is null ? null : Enum.Parse<OrderNulls>(nulls), term.Nulls);
    }

    [Fact]
    public void Order_by_json_index_parses()
    {
        var term = Assert.Single(Get("order=data->0.desc").Order);

        Assert.Equal(0, Assert.Single(term.Field.JsonPath).Index);
        Assert.Equal(OrderDirection.Descending, term.Direction);
    }

    [Theory]
    [InlineData("id.ac")]
    [InlineData("id.descc")]
    [InlineData("id.asc.desc")]
    [InlineData("id.nullsfirst.asc")]
    [InlineData("id.asc.nullslasttt")]
    [InlineData("id.")]
    [InlineData("id,")]
    [InlineData("")]
    [InlineData("id;drop")]
    public void Malformed_order_is_400_PGRST100(string order)
    {
        var error = GetError("order=" + order);

        AssertParseError(error);
        Assert.StartsWith("\"failed to parse order", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Order_error_lists_the_expected_words()
    {
        var error = GetError("order=id.smth");

        Assert.Equal("\"failed to parse order (id.smth)\" (line 1, column 4)", error.Message);
        Assert.Equal("unexpected \"smth\" expecting \"asc\", \"desc\", \"nullsfirst\" or \"nullslast\"", error.Details);
    }

    [Fact]
    public void Order_by_an_embedded_column_parses_as_a_related_order()
    {
        var term = Assert.Single(Get("order=clients(name).desc").Order);

        Assert.Equal("clients", term.Embed);
        Assert.Equal("name", term.Field.Column);
        Assert.Equal(OrderDirection.Descending, term.Direction);
    }

    [Fact]
    public void Related_order_takes_a_json_path_directions_and_nulls()
    {
        var term = Assert.Single(Get("order=clients(json_col->key).desc.nullsfirst").Order);

        Assert.Equal("clients", term.Embed);
        Assert.Equal("json_col", term.Field.Column);
        Assert.Equal("->key", Assert.Single(term.Field.JsonPath).ToString());
        Assert.Equal(OrderDirection.Descending, term.Direction);
        Assert.Equal(OrderNulls.First, term.Nulls);
    }

    [Fact]
    public void Related_and_plain_order_terms_mix()
    {
        var order = Get("order=name,clients(name),id").Order;

        Assert.Equal([null, "clients", null], order.Select(term => term.Embed));
        Assert.Equal(["name", "name", "id"], order.Select(term => term.Field.Column));
    }

    [Theory]
    [InlineData("clients(name,id)")]
    [InlineData("clients(name")]
    [InlineData("clients()")]
    [InlineData("clients(name)x")]
    [InlineData("clients->x(name)")]
    [InlineData("clients(name(id))")]
    public void Malformed_related_order_is_400_PGRST100(string order)
    {
        AssertParseError(GetError("order=" + order));
    }

    [Fact]
    public void Order_of_an_embedded_resource_is_kept_for_its_path()
    {
        var request = Get("clients.order=name");

        Assert.Empty(request.Order);
        var embed = Assert.Single(request.Embedded);
        Assert.Equal(["clients"], embed.Path);
        Assert.Equal("name", Assert.Single(embed.Order).Field.Column);
    }
}
