using Gateway.Errors;
using Gateway.Requests;

namespace Gateway.Tests.Requests;

/// <summary>Shorthands for the parser tests: a request in, the parsed request or the error out.</summary>
internal static class RequestParsing
{
    /// <summary>Parses a request that must succeed; headers are given as <c>"Name: value"</c>.</summary>
    public static ApiRequest Ok(string method, string path, string query, params string[] headers)
    {
        var result = ApiRequestParser.Parse(method, path, query, Headers(headers));
        Assert.True(result.IsOk, $"expected success, got {result.Error}");
        return result.Value;
    }

    /// <summary>Parses a request that must fail.</summary>
    public static GatewayError Error(string method, string path, string query, params string[] headers)
    {
        var result = ApiRequestParser.Parse(method, path, query, Headers(headers));
        Assert.False(result.IsOk, "expected an error, got a request");
        return result.Error;
    }

    public static ApiRequest Get(string query, string path = "/todos") => Ok("GET", path, query);

    public static GatewayError GetError(string query, string path = "/todos") => Error("GET", path, query);

    /// <summary>The single filter of <c>GET /todos?{query}</c>.</summary>
    public static Filter SingleFilter(string query) => Assert.Single(Get(query).Filters);

    /// <summary>The single logic tree of <c>GET /todos?{query}</c>.</summary>
    public static LogicExpression SingleTree(string query) => Assert.Single(Get(query).Logic);

    public static void AssertParseError(GatewayError error)
    {
        Assert.Equal(400, error.Status);
        Assert.Equal("PGRST100", error.Code);
    }

    private static Dictionary<string, string> Headers(string[] headers) =>
        headers.Select(header => header.Split(':', 2)).ToDictionary(parts => parts[0], parts => parts[1].Trim(), StringComparer.OrdinalIgnoreCase);
}
