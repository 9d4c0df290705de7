using Gateway.Requests;
using static Gateway.Tests.Requests.RequestParsing;

namespace Gateway.Tests.Requests;

public sealed class RoutingTests
{
    [Theory]
    [InlineData("/", "Root", "")]
    [InlineData("", "Root", "")]
    [InlineData("/todos", "Relation", "todos")]
    [InlineData("/rpc", "Relation", "rpc")]
    [InlineData("/rpc/hello_world", "Function", "hello_world")]
    [InlineData("/my view", "Relation", "my view")]
    public void Path_names_the_target(string path, string kind, string name)
    {
        var request = Ok("GET", path, "");

        Assert.Equal(Enum.Parse<TargetKind>(kind), request.Target.Kind);
        Assert.Equal(name, request.Target.Name);
    }

    [Theory]
    [InlineData("/todos/")]
    [InlineData("/api/todos")]
    [InlineData("/rpc/fn/extra")]
    [InlineData("/rpc/")]
    [InlineData("//")]
    public void Any_other_path_is_404_PGRST125(string path)
    {
        var error = Error("GET", path, "");

        Assert.Equal(404, error.Status);
        Assert.Equal("PGRST125", error.Code);
        Assert.Equal("Invalid path specified in request URL", error.Message);
    }

    [Theory]
    [InlineData("GET", "Read")]
    [InlineData("HEAD", "Read")]
    [InlineData("POST", "Insert")]
    [InlineData("PUT", "Upsert")]
    [InlineData("PATCH", "Update")]
    [InlineData("DELETE", "Delete")]
    [InlineData("OPTIONS", "Info")]
    public void Relation_methods_map_to_actions(string method, string action)
    {
        Assert.Equal(Enum.Parse<RequestAction>(action), Ok(method, "/todos", "").Action);
    }

    [Theory]
    [InlineData("GET", "Call")]
    [InlineData("HEAD", "Call")]
    [InlineData("POST", "Call")]
    [InlineData("OPTIONS", "Info")]
    public void Function_methods_map_to_actions(string method, string action)
    {
        Assert.Equal(Enum.Parse<RequestAction>(action), Ok(method, "/rpc/fn", "").Action);
    }

    [Theory]
    [InlineData("GET", "Read")]
    [InlineData("HEAD", "Read")]
    [InlineData("OPTIONS", "Info")]
    public void Root_methods_map_to_actions(string method, string action)
    {
        Assert.Equal(Enum.Parse<RequestAction>(action), Ok(method, "/", "").Action);
    }

    [Fact]
    public void Head_is_a_read_flagged_as_head()
    {
        Assert.True(Ok("HEAD", "/todos", "").IsHead);
        Assert.False(Ok("GET", "/todos", "").IsHead);
    }

    [Theory]
    [InlineData("TRACE", "/todos")]
    [InlineData("CONNECT", "/todos")]
    [InlineData("get", "/todos")]
    [InlineData("POST", "/")]
    [InlineData("DELETE", "/")]
    public void Unsupported_method_is_405_PGRST117(string method, string path)
    {
        var error = Error(method, path, "");

        Assert.Equal(405, error.Status);
        Assert.Equal("PGRST117", error.Code);
        Assert.Equal($"Unsupported HTTP method: {method}", error.Message);
    }

    [Theory]
    [InlineData("PATCH")]
    [InlineData("PUT")]
    [InlineData("DELETE")]
    [InlineData("TRACE")]
    public void Other_methods_on_rpc_are_405_PGRST101(string method)
    {
        var error = Error(method, "/rpc/fn", "");

        Assert.Equal(405, error.Status);
        Assert.Equal("PGRST101", error.Code);
        Assert.Equal($"Cannot use the {method} method on RPC", error.Message);
    }

    [Fact]
    public void Bad_path_is_reported_before_bad_method_and_bad_query()
    {
        Assert.Equal("PGRST125", Error("TRACE", "/a/b", "id=bogus").Code);
    }

    [Fact]
    public void Bad_method_is_reported_before_bad_query()
    {
        Assert.Equal("PGRST117", Error("TRACE", "/todos", "id=bogus").Code);
    }
}
