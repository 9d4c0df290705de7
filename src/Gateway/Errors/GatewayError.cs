namespace Gateway.Errors;

/// <summary>
/// A failure the client is told about, in PostgREST's shape: HTTP status plus the body
/// <c>{code, details, hint, message}</c>. Stages return it as a value; exceptions are for the unexpected.
/// <paramref name="Headers"/> are response headers the error brings with it, e.g. <c>WWW-Authenticate</c> on a 401.
/// </summary>
internal sealed record GatewayError(
    int Status,
    string Code,
    string Message,
    string? Details = null,
    string? Hint = null,
    IReadOnlyDictionary<string, string>? Headers = null,
    string? ReasonPhrase = null,
    string? LogDetail = null)
{
    /// <summary><c>details</c> as JSON rather than text (PGRST201 lists the candidate relationships); wins over <see cref="Details"/>.</summary>
    public System.Text.Json.Nodes.JsonNode? DetailsJson { get; init; }

    /// <summary>
    /// The failure was logged where it was understood, so the error response logs it at Debug only: a database outage
    /// is logged once when it starts and once when it ends, not once per request that it fails.
    /// </summary>
    public bool LoggedAlready { get; init; }

    /// <summary>
    /// 503 PGRST002: the catalog has not been loaded yet (start-up, or the database was unreachable). Expected while
    /// starting, and a load that fails is the catalog listener's to log, so it is not logged again per request.
    /// </summary>
    public static GatewayError CatalogNotLoaded { get; } =
        new(503, "PGRST002", "Could not query the database for the schema cache. Retrying.") { LoggedAlready = true };

    /// <summary>406 PGRST116: a singular response (<c>application/vnd.pgrst.object+json</c>) needs exactly one row.</summary>
    public static GatewayError NotSingular(long rows) =>
        new(406, "PGRST116", "Cannot coerce the result to a single JSON object", $"The result contains {rows} rows");
}
