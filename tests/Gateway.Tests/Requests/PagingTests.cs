using Gateway.Requests;
using static Gateway.Tests.Requests.RequestParsing;

namespace Gateway.Tests.Requests;

public sealed class PagingTests
{
    [Fact]
    public void Limit_and_offset_parse()
    {
        var request = Get("limit=10&offset=20");

        Assert.Equal(10, request.Limit);
        Assert.Equal(20, request.Offset);
    }

    [Fact]
    public void Without_limit_and_offset_nothing_is_cut()
    {
        var request = Get("");

        Assert.Null(request.Limit);
        Assert.Equal(0, request.Offset);
        Assert.Null(request.Range);
    }

    [Fact]
    public void Limit_zero_is_allowed()
    {
        Assert.Equal(0, Get("limit=0").Limit);
    }

    [Fact]
    public void Negative_limit_is_416_PGRST103()
    {
        var error = GetError("limit=-1");

        Assert.Equal(416, error.Status);
        Assert.Equal("PGRST103", error.Code);
        Assert.Equal("Requested range not satisfiable", error.Message);
        Assert.Equal("Limit should be greater than or equal to zero.", error.Details);
    }

    [Fact]
    public void Negative_offset_is_ignored()
    {
        Assert.Equal(0, Get("offset=-5").Offset);
    }

    [Theory]
    [InlineData("limit=ten")]
    [InlineData("limit=1.5")]
    [InlineData("limit=")]
    [InlineData("offset=x")]
    [InlineData("limit=99999999999999999999")]
    public void Non_integer_limit_or_offset_is_400_PGRST100(string query)
    {
        AssertParseError(GetError(query));
    }

    [Theory]
    [InlineData("child.limit=1", 1L, 0L)]
    [InlineData("child.offset=1", null, 1L)]
    public void Limit_and_offset_of_an_embedded_resource_are_kept_for_its_path(string query, long? limit, long offset)
    {
        var request = Get(query);

        Assert.Null(request.Limit);
        Assert.Equal(0, request.Offset);
        var embed = Assert.Single(request.Embedded);
        Assert.Equal(["child"], embed.Path);
        Assert.Equal(limit, embed.Limit);
        Assert.Equal(offset, embed.Offset);
    }

    [Theory]
    [InlineData("0-19", 0L, 19L)]
    [InlineData("10-", 10L, null)]
    [InlineData("5-5", 5L, 5L)]
    public void Range_header_is_parsed_on_get(string header, long first, long? last)
    {
        var request = Ok("GET", "/todos", "", $"Range: {header}");

        Assert.Equal(new RangeHeader(first, last), request.Range);
    }

    [Theory]
    [InlineData("items=0-1")]
    [InlineData("bytes=0-1")]
    [InlineData("-5")]
    [InlineData("a-b")]
    [InlineData("1-2-3")]
    [InlineData("99999999999999999999-")]
    [InlineData("")]
    public void Other_range_shapes_are_ignored(string header)
    {
        Assert.Null(Ok("GET", "/todos", "", $"Range: {header}").Range);
    }

    [Fact]
    public void Reversed_range_is_416_PGRST103()
    {
        var error = Error("GET", "/todos", "", "Range: 1-0");

        Assert.Equal(416, error.Status);
        Assert.Equal("PGRST103", error.Code);
        Assert.Equal("Requested range not satisfiable", error.Message);
        Assert.Equal("The lower boundary must be lower than or equal to the upper boundary in the Range header.", error.Details);
    }

    [Theory]
    [InlineData("HEAD")]
    [InlineData("POST")]
    [InlineData("PATCH")]
    public void Range_is_honored_only_on_get(string method)
    {
        Assert.Null(Ok(method, "/todos", "", "Range: 1-0").Range);
    }

    [Fact]
    public void Range_header_name_is_case_insensitive()
    {
        Assert.NotNull(Ok("GET", "/todos", "", "range: 0-1").Range);
    }

    [Fact]
    public void Range_and_limit_are_kept_apart_for_the_planner()
    {
        var request = Ok("GET", "/todos", "limit=5&offset=1", "Range: 0-9");

        Assert.Equal((5L, 1L), (request.Limit!.Value, request.Offset));
        Assert.Equal(new RangeHeader(0, 9), request.Range);
    }

    [Fact]
    public void Range_applies_to_rpc_get()
    {
        Assert.NotNull(Ok("GET", "/rpc/f", "", "Range: 0-1").Range);
    }
}
