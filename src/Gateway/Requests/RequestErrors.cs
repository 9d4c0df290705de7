using System.Globalization;
using System.Text;
using Gateway.Errors;

namespace Gateway.Requests;

/// <summary>The errors the parse stage raises, worded as PostgREST words them (contract §4).</summary>
internal static class RequestErrors
{
    /// <summary>Client text echoed in an error is cut to this many characters.</summary>
    public const int EchoLimit = 200;

    public static GatewayError InvalidPath() =>
        new(404, "PGRST125", "Invalid path specified in request URL");

    public static GatewayError UnsupportedMethod(string method) =>
        new(405, "PGRST117", $"Unsupported HTTP method: {Echo(method)}");

    public static GatewayError InvalidRpcMethod(string method) =>
        new(405, "PGRST101", $"Cannot use the {Echo(method)} method on RPC");

    /// <summary>PGRST100 in PostgREST's shape: <c>"failed to parse filter (x)" (line 1, column 3)</c>, details <c>unexpected ... expecting ...</c>.</summary>
    public static GatewayError ParseFailure(string what, string input, int column, string details) =>
        new(400, "PGRST100", $"\"failed to parse {what} ({Echo(input)})\" (line 1, column {column})", details);

    public static GatewayError NegativeLimit() =>
        new(416, "PGRST103", "Requested range not satisfiable", "Limit should be greater than or equal to zero.");

    public static GatewayError ReversedRange() =>
        new(416, "PGRST103", "Requested range not satisfiable",
            "The lower boundary must be lower than or equal to the upper boundary in the Range header.");

    public static GatewayError InvalidPreferences(IEnumerable<string> invalid) =>
        new(400, "PGRST122", "Invalid preferences given with handling=strict",
            Echo("Invalid preferences: " + string.Join(", ", invalid)));

    public static GatewayError NotAcceptable(string accept) =>
        new(406, "PGRST107", $"None of these media types are available: {Echo(accept)}");

    /// <summary>Client text as it may appear in an error: at most <see cref="EchoLimit"/> characters.</summary>
    public static string Echo(string text) => ClientText.Shorten(text, EchoLimit);

    /// <summary>One character or word of client text, quoted, with control characters escaped.</summary>
    public static string Quote(string token)
    {
        var quoted = new StringBuilder("\"");
        foreach (var ch in Echo(token))
        {
            quoted.Append(char.IsControl(ch) ? "\\u" + ((int)ch).ToString("x4", CultureInfo.InvariantCulture) : ch.ToString());
        }

        return quoted.Append('"').ToString();
    }
}
