using System.Text.Json;
using System.Text.Json.Nodes;

namespace Gateway.IntegrationTests.Infrastructure;

/// <summary>A program's console output in the JSON format, read as a log shipper reads it: one object per line.</summary>
public static class ConsoleJson
{
    /// <summary>Every line of <paramref name="output"/>, each of which must be a JSON object.</summary>
    public static List<JsonObject> Lines(string output) => output
        .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
        .Select(Parse)
        .ToList();

    public static int? EventId(JsonObject line) => line["EventId"]?.GetValue<int>();

    /// <summary>The line's scopes, each as the names of its fields; none when scopes are off or empty.</summary>
    public static List<JsonObject> Scopes(JsonObject line) =>
        line["Scopes"] is JsonArray scopes ? scopes.Select(scope => scope as JsonObject ?? throw new Xunit.Sdk.XunitException("A scope that is not an object: " + line)).ToList() : [];

    private static JsonObject Parse(string line)
    {
        try
        {
            if (JsonNode.Parse(line) is JsonObject e)
            {
                return e;
            }
        }
        catch (JsonException)
        {
        }

        throw new Xunit.Sdk.XunitException("Not a line of one JSON object: " + line);
    }
}
