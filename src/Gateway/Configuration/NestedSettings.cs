using Gateway.OpenApi;

namespace Gateway.Configuration;

/// <summary>
/// Which browser origins CORS answers name, with credentials (<c>Gateway:Cors</c>). Empty, the default, answers any
/// origin with <c>*</c> and no credentials, as PostgREST does.
/// </summary>
internal sealed class CorsSettings
{
    /// <summary>Origins as browsers send them, e.g. <c>https://app.example.com</c>.</summary>
    public List<string> AllowedOrigins { get; set; } = [];
}

/// <summary>The OpenAPI document and Swagger UI (<c>Gateway:OpenApi</c>).</summary>
internal sealed class OpenApiSettings
{
    public OpenApiMode Mode { get; set; } = OpenApiMode.FollowPrivileges;
}

/// <summary>
/// Which proxies may tell the gateway the client's address and scheme (<c>Gateway:ForwardedHeaders</c>). Empty, the
/// default, trusts nobody: <c>X-Forwarded-For</c> and <c>X-Forwarded-Proto</c> are ignored and the connection's
/// own address is the client's.
/// </summary>
internal sealed class ForwardedHeadersSettings
{
    /// <summary>Addresses of trusted proxies, e.g. <c>10.0.0.5</c>.</summary>
    public List<string> KnownProxies { get; set; } = [];

    /// <summary>Networks of trusted proxies in CIDR notation, e.g. <c>10.0.0.0/8</c>.</summary>
    public List<string> KnownNetworks { get; set; } = [];

    public bool IsEnabled => KnownProxies.Count > 0 || KnownNetworks.Count > 0;
}

/// <summary>How many requests one caller of a role may make per window (<c>Gateway:RateLimits:{role}</c>).</summary>
internal sealed class RateLimitSettings
{
    public int PermitLimit { get; set; }

    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(1);
}

/// <summary>
/// Token refresh as the seed system's gateway did it (<c>Gateway:TokenRefresh</c>): a request carrying a refresh
/// token beside an access token that expires within <see cref="Threshold"/> (or has expired) is first given a new
/// pair by <see cref="Function"/>, and runs with the new access token.
/// </summary>
internal sealed class TokenRefreshSettings
{
    public bool Enabled { get; set; }

    /// <summary>The function of the exposed schema that trades a refresh token for a pair; it takes <c>refresh_token</c>.</summary>
    public string Function { get; set; } = "refresh_tokens";

    /// <summary>An access token with less than this left is refreshed (the seed's example was two days: always).</summary>
    public TimeSpan Threshold { get; set; } = TimeSpan.FromMinutes(5);

    public string RefreshTokenHeader { get; set; } = "X-Refresh-Token";

    public string NewAccessTokenHeader { get; set; } = "X-New-Access-Token";

    public string NewRefreshTokenHeader { get; set; } = "X-New-Refresh-Token";
}

/// <summary>
/// Where traces (and metrics) go by OTLP (<c>Gateway:Otlp</c>). Unset, the standard <c>OTEL_EXPORTER_OTLP_*</c>
/// variables are used when present; with neither, nothing is exported and no trace is recorded.
/// </summary>
internal sealed class OtlpSettings
{
    /// <summary>The standard variables naming a collector, which the exporter reads itself when <see cref="Endpoint"/> is unset.</summary>
    public static readonly IReadOnlyList<string> StandardEndpointKeys = ["OTEL_EXPORTER_OTLP_ENDPOINT", "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"];

    /// <summary>The collector, e.g. <c>http://otel-collector:4317</c> (gRPC) or <c>http://otel-collector:4318</c> (HTTP).</summary>
    public string? Endpoint { get; set; }

    /// <summary><c>grpc</c> (the default) or <c>http/protobuf</c>.</summary>
    public string Protocol { get; set; } = "grpc";

    /// <summary>One of <see cref="StandardEndpointKeys"/> is set (found beside the section, never bound from it).</summary>
    public bool StandardEndpointSet { get; internal set; }

    /// <summary>Traces and metrics are exported: a collector is named here or by a standard variable.</summary>
    public bool Exports => !string.IsNullOrWhiteSpace(Endpoint) || StandardEndpointSet;
}
