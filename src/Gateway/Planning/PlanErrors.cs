using Gateway.Errors;

namespace Gateway.Planning;

/// <summary>The 4xx the planner decides about embeds and aggregates, in PostgREST's words.</summary>
internal static class PlanErrors
{
    public static GatewayError NotEmbedded(string name) =>
        new(400, "PGRST108", $"'{Requests.RequestErrors.Echo(name)}' is not an embedded resource in this request",
            Hint: $"Verify that '{Requests.RequestErrors.Echo(name)}' is included in the 'select' query parameter.");

    public static GatewayError AggregatesNotAllowed { get; } = new(400, "PGRST123", "Use of aggregate functions is not allowed");

    public static GatewayError ToManySpreadAggregates { get; } =
        new(400, "PGRST127", "Feature not implemented", "Aggregates are not implemented for one-to-many or many-to-many spreads.");
}
