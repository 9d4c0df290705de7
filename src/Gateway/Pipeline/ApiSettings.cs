using Gateway.Planning;

namespace Gateway.Pipeline;

/// <summary>The operator's switches of the HTTP api: <c>Gateway:ServerTiming</c>, and what planning follows.</summary>
internal sealed record ApiSettings(bool ServerTiming, PlanSettings Planning);
