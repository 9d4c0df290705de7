using System.Globalization;
using Gateway.Errors;

namespace Gateway.Protection;

/// <summary>
/// The errors of the gateway's own limits, in PostgREST's shape. PostgREST has no such limits (its users put them
/// in a proxy), so the codes are the gateway's: <c>PGRSTX</c> and the status's last two digits, like
/// <c>PGRSTX00</c> for an unexpected failure.
/// </summary>
internal static class ProtectionErrors
{
    public const string TooLargeCode = "PGRSTX13";
    public const string RateLimitedCode = "PGRSTX29";
    public const string TimeoutCode = "PGRSTX04";

    public static GatewayError TooLarge(long limit) => new(
        StatusCodes.Status413PayloadTooLarge,
        TooLargeCode,
        "Request body too large",
        string.Create(CultureInfo.InvariantCulture, $"The body may have at most {limit} bytes."));

    /// <param name="retryAfter">When the caller may try again; it becomes <c>Retry-After</c> in whole seconds, at least 1.</param>
    public static GatewayError RateLimited(TimeSpan retryAfter)
    {
        var seconds = Math.Max(1, (long)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        return new GatewayError(
            StatusCodes.Status429TooManyRequests,
            RateLimitedCode,
            "Too many requests",
            $"Retry after {seconds} seconds.",
            Headers: new Dictionary<string, string> { ["Retry-After"] = seconds });
    }

    /// <summary>The request ran out of time; whatever it ran in the database was cancelled.</summary>
    public static GatewayError Timeout(TimeSpan limit) => new(
        StatusCodes.Status504GatewayTimeout,
        TimeoutCode,
        "The request took too long and was cancelled",
        string.Create(CultureInfo.InvariantCulture, $"A request may take at most {limit.TotalSeconds:0.###} seconds."));
}
