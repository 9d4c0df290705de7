using static Gateway.Tests.Requests.RequestParsing;

namespace Gateway.Tests.Requests;

public sealed class ColumnsTests
{
    [Fact]
    public void Columns_are_a_comma_list()
    {
        Assert.Equal(["a", "b"], Ok("POST", "/todos", "columns=a,b").Columns);
    }

    [Fact]
    public void Columns_may_be_double_quoted_as_postgrest_js_sends_them()
    {
        Assert.Equal(["id", "first name", "a,b"], Ok("POST", "/todos", "columns=" + Uri.EscapeDataString("\"id\", \"first name\",\"a,b\"")).Columns);
    }

    [Fact]
    public void On_conflict_is_a_comma_list()
    {
        Assert.Equal(["email", "tenant"], Ok("POST", "/todos", "on_conflict=email,tenant").OnConflict);
    }

    [Fact]
    public void Absent_columns_and_on_conflict_are_null()
    {
        var request = Ok("POST", "/todos", "");

        Assert.Null(request.Columns);
        Assert.Null(request.OnConflict);
    }

    [Theory]
    [InlineData("columns=a;b")]
    [InlineData("columns=")]
    [InlineData("columns=a,")]
    [InlineData("on_conflict=a)")]
    [InlineData("on_conflict=%22a")]
    public void Malformed_column_lists_are_400_PGRST100(string query)
    {
        AssertParseError(Error("POST", "/todos", query));
    }
}
