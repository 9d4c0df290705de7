using System.Globalization;
using System.Text.Json;
using Npgsql;

namespace Gateway.Errors;

/// <summary>
/// The one table from a PostgreSQL error to an HTTP status and body, as PostgREST's <c>Error.hs</c> maps it.
/// 4xx bodies carry the database's message, detail and hint (they are meant for the client); 5xx bodies never
/// carry internal details — the full error is logged instead.
/// </summary>
internal static class PostgresErrors
{
    public static GatewayError Map(PostgresException error, bool authenticated)
    {
        var state = error.SqlState;
        if (state == "PGRST")
        {
            return FromRaisedPgrst(error);
        }

        if (state.StartsWith("PT", StringComparison.Ordinal))
        {
            var status = int.TryParse(state.AsSpan(2), NumberStyles.None, CultureInfo.InvariantCulture, out var custom) && custom is >= 100 and <= 599
                ? custom
                : 500;
            return Passthrough(error, status);
        }

        var mapped = StatusOf(error, authenticated);
        if (mapped == 401)
        {
            return Passthrough(error, 401) with { Headers = BearerChallenge };
        }

        return mapped >= 500
            ? Hidden(state, mapped) with { LogDetail = $"{state}: {error.MessageText}" }
            : Passthrough(error, mapped);
    }

    /// <summary>The connection to PostgreSQL failed (not a PostgreSQL error): 503 PGRST000.</summary>
    public static GatewayError ConnectionFailed() =>
        new(503, "PGRST000", "Database connection error. Retrying the connection.");

    /// <summary>
    /// No pooled connection came free within the pool's <c>Timeout</c>: PostgREST's PGRST003, with its message. PostgREST
    /// answers it 504; here it is 503, like the other "not now" answers, so clients and load balancers retry.
    /// </summary>
    public static GatewayError PoolExhausted() =>
        new(503, "PGRST003", "Timed out acquiring connection from connection pool.");

    /// <summary>
    /// SQLSTATEs that say the server cannot serve right now rather than that the statement is wrong: class 08
    /// (connection exception), 57P01-57P03 (shutting down, crashed, starting up) and 53300 (too many connections).
    /// </summary>
    public static bool MeansUnavailable(string sqlState) =>
        sqlState.StartsWith("08", StringComparison.Ordinal) || sqlState is "57P01" or "57P02" or "57P03" or "53300";

    public static readonly IReadOnlyDictionary<string, string> BearerChallenge =
        new Dictionary<string, string> { ["WWW-Authenticate"] = "Bearer" };

    internal static int StatusOf(PostgresException error, bool authenticated)
    {
        var state = error.SqlState;
        return state switch
        {
            _ when state.StartsWith("08", StringComparison.Ordinal) => 503,
            _ when state.StartsWith("09", StringComparison.Ordinal) => 500,
            _ when state.StartsWith("0L", StringComparison.Ordinal) || state.StartsWith("0P", StringComparison.Ordinal) => 403,
            "23503" or "23505" => 409,
            "25006" => 405,
            "21000" => error.MessageText.EndsWith("requires a WHERE clause", StringComparison.Ordinal) ? 400 : 500,
            "22023" => error.MessageText.StartsWith("role ", StringComparison.Ordinal) && error.MessageText.EndsWith(" does not exist", StringComparison.Ordinal) ? 401 : 400,
            _ when state.StartsWith("25", StringComparison.Ordinal) => 500,
            _ when state.StartsWith("28", StringComparison.Ordinal) => 403,
            _ when state.StartsWith("2D", StringComparison.Ordinal) || state.StartsWith("38", StringComparison.Ordinal)
                || state.StartsWith("39", StringComparison.Ordinal) || state.StartsWith("3B", StringComparison.Ordinal)
                || state.StartsWith("40", StringComparison.Ordinal) => 500,
            "53400" => 500,
            _ when state.StartsWith("53", StringComparison.Ordinal) => 503,
            _ when state.StartsWith("54", StringComparison.Ordinal) || state.StartsWith("55", StringComparison.Ordinal) => 500,
            // PostgREST maps only 57P01 to 503; it meets 57P02 and 57P03 while connecting, where any failure is 503.
            "57P01" or "57P02" or "57P03" => 503,
            "57014" => 504,
            _ when state.StartsWith("57", StringComparison.Ordinal) || state.StartsWith("58", StringComparison.Ordinal)
                || state.StartsWith("F0", StringComparison.Ordinal) || state.StartsWith("HV", StringComparison.Ordinal) => 500,
            "P0001" => 400,
            _ when state.StartsWith("P0", StringComparison.Ordinal) || state.StartsWith("XX", StringComparison.Ordinal) => 500,
            "42883" => error.MessageText.StartsWith("function xmlagg(", StringComparison.Ordinal) ? 406 : 404,
            "42P01" => 404,
            "42P17" => 500,
            "42501" => authenticated ? 403 : 401,
            _ => 400,
        };
    }

    private static GatewayError Passthrough(PostgresException error, int status) =>
        new(status, error.SqlState, error.MessageText, error.Detail, error.Hint);

    // 5xx: the client learns that it failed and the stable code, not the database's internals.
    private static GatewayError Hidden(string state, int status) => state switch
    {
        "57014" => new(status, state, "The statement took too long and was cancelled (statement timeout)."),
        _ when status == 503 => new(status, state, "The database is unavailable. Retry later."),
        _ => new(status, state, "The database could not complete the request."),
    };

    private const string MessageHint = "MESSAGE must be a JSON object with obligatory keys: 'code', 'message' and optional keys: 'details', 'hint'.";
    private const string DetailHint = "DETAIL must be a JSON object with obligatory keys: 'status', 'headers' and optional key: 'status_text'.";

    // RAISE SQLSTATE 'PGRST' USING message = '{"code":..,"message":..}', detail = '{"status":..,"headers":{..}}'
    private static GatewayError FromRaisedPgrst(PostgresException error)
    {
        JsonElement body;
        try
        {
            using var message = JsonDocument.Parse(error.MessageText);
            body = message.RootElement.Clone();
            _ = body.GetProperty("code").GetString() ?? throw new InvalidOperationException();
            _ = body.GetProperty("message").GetString() ?? throw new InvalidOperationException();
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            return InvalidRaise($"Invalid JSON value for MESSAGE: '{Truncate(error.MessageText)}'", MessageHint);
        }

        if (error.Detail is null)
        {
            return InvalidRaise("DETAIL is missing in the RAISE statement", DetailHint);
        }

        try
        {
            using var detail = JsonDocument.Parse(error.Detail);
            var meta = detail.RootElement;
            var headers = meta.GetProperty("headers").EnumerateObject()
                .ToDictionary(h => h.Name, h => h.Value.ValueKind == JsonValueKind.String ? h.Value.GetString()! : h.Value.GetRawText());
            return new GatewayError(
                meta.GetProperty("status").GetInt32(),
                body.GetProperty("code").GetString()!,
                body.GetProperty("message").GetString()!,
                body.TryGetProperty("details", out var d) ? d.GetString() : null,
                body.TryGetProperty("hint", out var h) ? h.GetString() : null,
                headers,
                meta.TryGetProperty("status_text", out var reason) ? reason.GetString() : null);
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            return InvalidRaise($"Invalid JSON value for DETAIL: '{Truncate(error.Detail)}'", DetailHint);
        }
    }

    private static GatewayError InvalidRaise(string details, string hint) =>
        new(500, "PGRST121", "Could not parse JSON in the \"RAISE SQLSTATE 'PGRST'\" error", details, hint);

    private static string Truncate(string text) => ClientText.Shorten(text);
}
