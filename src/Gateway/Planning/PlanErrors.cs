using Gateway.Errors;

namespace Gateway.Planning;

/// <summary>The 4xx the planner decides about embeds and aggregates, in PostgREST's words.</summary>
internal static class PlanErrors
{
    public static GatewayError NotEmbedded(string name) =>
        new(400, "PGRST108", $"'{Requests.RequestErrors.Echo(name)}' is not an embedded resource in this request",
            Hint: $"Verify that '{Requests.RequestErrors.Echo(name)}' is included in the 'select' query parameter.");

    /// <summary>A parameter names an embed by its relation when the select gave it an alias (PostgREST's wording).</summary>
    public static GatewayError NotEmbeddedUnderAlias(string name, string alias) =>
        new(400, "PGRST108", $"'{Requests.RequestErrors.Echo(name)}' is not an embedded resource in this request",
            "Target names are not allowed in filters if they have an alias",
            $"Change '{Requests.RequestErrors.Echo(name)}' to '{Requests.RequestErrors.Echo(alias)}' in filters, orders or limits.");

    public static GatewayError AggregatesNotAllowed { get; } = new(400, "PGRST123", "Use of aggregate functions is not allowed");

    public static GatewayError ToManySpreadAggregates { get; } =
        new(400, "PGRST127", "Feature not implemented", "Aggregates are not implemented for one-to-many or many-to-many spreads.");
}
