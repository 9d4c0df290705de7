using System.Text;
using Gateway.Auth;
using Microsoft.Extensions.Options;

namespace Gateway.Configuration;

/// <summary>
/// The gateway's settings (section <c>Gateway</c>, environment <c>Gateway__...</c>) and its database login
/// (<c>ConnectionStrings:Gateway</c>, the <c>authenticator</c> role). Validated at start-up: a bad or missing
/// value stops the process with one message naming every key to fix.
/// </summary>
internal sealed class GatewayOptions
{
    public const string Section = "Gateway";
    public const string ConnectionStringName = "Gateway";
    public const string RedisConnectionStringName = "Redis";

    /// <summary>HS256 needs a key of at least 256 bits.</summary>
    public const int MinimumJwtSecretBytes = 32;

    public string? ConnectionString { get; set; }

    /// <summary>
    /// A StackExchange.Redis configuration string (<c>ConnectionStrings:Redis</c>, e.g. <c>redis:6379,password=...</c>):
    /// when set, <see cref="RateLimits"/> are counted in Redis, so every replica sharing it enforces one limit.
    /// </summary>
    public string? RedisConnectionString { get; set; }

    /// <summary>The role a request without a token (or with a token lacking the role claim) runs as.</summary>
    public string AnonRole { get; set; } = "anon";

    /// <summary>
    /// <c>false</c> turns requests that would run as <see cref="AnonRole"/> into 401 PGRST302, PostgREST's
    /// behaviour when <c>db-anon-role</c> is unset. A switch rather than an empty <see cref="AnonRole"/>, because an
    /// empty value is easy to set by accident and hard to see in environment variables.
    /// </summary>
    public bool AllowAnonymous { get; set; } = true;

    public JwtOptions Jwt { get; set; } = new();

    /// <summary>The schema whose views and functions are served (PostgREST's <c>db-schemas</c>, with one schema).</summary>
    public string Schema { get; set; } = "api";

    /// <summary>Adds a <c>Server-Timing</c> header with the pipeline's stages to every response.</summary>
    public bool ServerTiming { get; set; }

    /// <summary>Honours <c>Prefer: tx=rollback</c> (PostgREST's <c>db-tx-end = commit-allow-override</c>).</summary>
    public bool AllowTransactionOverride { get; set; }

    /// <summary>
    /// Allows <c>count()</c>, <c>sum()</c>, <c>avg()</c>, <c>min()</c> and <c>max()</c> in <c>select</c> (PostgREST's
    /// <c>db-aggregates-enabled</c>); off, they answer 400 PGRST123. An aggregate over a large view scans all of it:
    /// bound it with <c>RequestTimeout</c> and the role's <c>statement_timeout</c>.
    /// </summary>
    public bool AggregatesEnabled { get; set; }

    /// <summary>
    /// Answers <c>Accept: application/vnd.pgrst.plan[+json|+text]</c> with the statement's execution plan (PostgREST's
    /// <c>db-plan-enabled</c>); off, those types are not acceptable (406 PGRST107 unless another type is). A plan shows
    /// what the api's views hide (private table and index names, row estimates) and <c>options=analyze</c> runs the
    /// statement (its writes are rolled back): enable it for development or behind an operator-only route.
    /// </summary>
    public bool PlanEnabled { get; set; }

    public CorsSettings Cors { get; set; } = new();

    public OpenApiSettings OpenApi { get; set; } = new();

    /// <summary>
    /// <c>true</c> undoes, at the start of every transaction, what functions may have left on their pooled session:
    /// session settings (<c>set_config(..., false)</c>, <c>SET</c>), held cursors, <c>LISTEN</c>s, temporary tables and
    /// sequence values (<see cref="Execution.SessionReset"/>). Off by default, as PostgREST and PgBouncer's transaction
    /// mode have it: what a transaction sets itself (role, claims, request settings) is always transaction-local and
    /// cannot leak, and session advisory locks are always released, but anything else a function leaves on its session
    /// reaches the next request on that connection, whoever sends it. The reset costs five statements per request:
    /// about 4-5% of throughput on a one-row read, and more where it pushes PostgreSQL's per-transaction memory over
    /// glibc's trim threshold (README, Performance).
    /// </summary>
    public bool SessionReset { get; set; }

    /// <summary>The largest request body in bytes; a larger one is refused with 413.</summary>
    public long MaxRequestBodySize { get; set; } = 1024 * 1024;

    /// <summary>The longest a request may take, its statement included (cancelled in PostgreSQL); then 504.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The most rows a read or a function call returns (PostgREST's <c>db-max-rows</c>); null for no cap.</summary>
    public long? MaxRows { get; set; }

    /// <summary>A prefix the gateway is mounted under behind a proxy, e.g. <c>/api</c>.</summary>
    public string? PathBase { get; set; }

    /// <summary>After SIGTERM, how long in-flight requests may take to finish.</summary>
    public TimeSpan ShutdownTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The header carrying the request id from the proxy, echoed on the response.</summary>
    public string RequestIdHeader { get; set; } = "X-Request-Id";

    /// <summary>Where Prometheus scrapes the metrics.</summary>
    public string MetricsPath { get; set; } = "/metrics";

    /// <summary>
    /// Where the rest of a large response goes when its client reads more slowly than the database produces it, so the
    /// connection returns to the pool (<see cref="Execution.ResponseSpill"/>); the temporary directory when unset.
    /// </summary>
    public string? SpillDirectory { get; set; }

    public ForwardedHeadersSettings ForwardedHeaders { get; set; } = new();

    /// <summary>Requests per window for each role that has a limit; no entry, no limit.</summary>
    public Dictionary<string, RateLimitSettings> RateLimits { get; set; } = new(StringComparer.Ordinal);

    public TokenRefreshSettings TokenRefresh { get; set; } = new();

    public OtlpSettings Otlp { get; set; } = new();

    /// <summary>Values that could not be converted to their type, found while binding (see <see cref="SettingsBinder"/>).</summary>
    internal List<string> BindingProblems { get; } = [];

    internal sealed class JwtOptions
    {
        /// <summary>Roles a token may name when <see cref="AllowedRoles"/> is left empty.</summary>
        public static readonly IReadOnlyList<string> DefaultAllowedRoles = ["authenticated"];

        /// <summary>The HS256 secret; optional when <see cref="JwksUrl"/> or <see cref="Authority"/> provides keys.</summary>
        public string? Secret { get; set; }

        /// <summary>A JWKS document of asymmetric keys, fetched and refreshed automatically.</summary>
        public string? JwksUrl { get; set; }

        /// <summary>An OpenID Connect issuer: keys come from its discovery document, and tokens must carry its <c>iss</c>.</summary>
        public string? Authority { get; set; }

        /// <summary>When set, a token's <c>aud</c> (string or array) must contain it; a token without <c>aud</c> passes, as in PostgREST.</summary>
        public string? Audience { get; set; }

        /// <summary>Where the role is in the claims: a name (<c>role</c>), a dotted path (<c>a.b</c>) or a JSONPath (<c>$.a.b</c>, <c>$['x']</c>, <c>$.a[0]</c>).</summary>
        public string RoleClaim { get; set; } = "role";

        /// <summary>
        /// Roles a token may name; empty means <see cref="DefaultAllowedRoles"/>. (A default written here would be
        /// appended to, not replaced, by configured items: that is how the configuration binder fills lists.)
        /// </summary>
        public List<string> AllowedRoles { get; set; } = [];

        /// <summary>
        /// Claims a token must carry with exactly these values. The default keeps the refresh tokens minted in SQL
        /// from being used as bearer tokens. Configured entries add to it; an empty value drops a requirement.
        /// </summary>
        public Dictionary<string, string> RequiredClaims { get; set; } = new(StringComparer.Ordinal) { ["token_use"] = "access" };

        /// <summary>How many verified HS256 tokens to remember (0 turns the cache off).</summary>
        public int CacheMaxEntries { get; set; } = 1000;

        public bool RequireHttpsMetadata { get; set; } = true;

        /// <summary>How often keys are fetched again from <see cref="JwksUrl"/> or <see cref="Authority"/> (at least 5 minutes).</summary>
        public TimeSpan KeysRefreshInterval { get; set; } = TimeSpan.FromHours(1);

        /// <summary>The shortest time between two fetches caused by tokens with an unknown <c>kid</c> (at least 1 second).</summary>
        public TimeSpan KeysMinimumRefreshInterval { get; set; } = TimeSpan.FromMinutes(1);

        public IReadOnlyList<string> EffectiveAllowedRoles => AllowedRoles.Count == 0 ? DefaultAllowedRoles : AllowedRoles;

        public bool HasKeySource => !string.IsNullOrWhiteSpace(JwksUrl) || !string.IsNullOrWhiteSpace(Authority);
    }
}

internal sealed class GatewayOptionsValidator : IValidateOptions<GatewayOptions>
{
    /// <summary>Logins and owners a token must never become, whatever the allow-list says.</summary>
    private static readonly string[] ReservedRoles = ["postgres", "authenticator", "gateway_owner", "worker_service_user"];

    /// <summary>PostgreSQL's longest name (<c>NAMEDATALEN</c> - 1); a longer one is truncated.</summary>
    private const int MaxIdentifierBytes = 63;

    public ValidateOptionsResult Validate(string? name, GatewayOptions options)
    {
        var problems = new List<string>();
        if (string.IsNullOrWhiteSpace(options.ConnectionString))
        {
            problems.Add("ConnectionStrings__Gateway is missing: the connection string of the authenticator login.");
        }

        ValidateAnonymous(options, problems);
        ValidateJwt(options.Jwt, problems);
        ValidateApi(options, problems);
        ProductionOptionsValidator.Validate(options, problems);
        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }

    private static void ValidateAnonymous(GatewayOptions options, List<string> problems)
    {
        if (string.IsNullOrWhiteSpace(options.AnonRole))
        {
            problems.Add("Gateway__AnonRole is empty: name the role of requests without a token (set Gateway__AllowAnonymous=false to refuse them).");
        }
        else if (IsReserved(options.AnonRole))
        {
            problems.Add($"Gateway__AnonRole must not be '{options.AnonRole}': anonymous requests must not run as a login or owner role.");
        }
    }

    private static void ValidateJwt(GatewayOptions.JwtOptions jwt, List<string> problems)
    {
        if (string.IsNullOrEmpty(jwt.Secret))
        {
            if (!jwt.HasKeySource)
            {
                problems.Add("Gateway__Jwt__Secret is missing: the HS256 secret that signs and verifies JWTs (or set Gateway__Jwt__JwksUrl or Gateway__Jwt__Authority for asymmetric keys).");
            }
        }
        else if (Encoding.UTF8.GetByteCount(jwt.Secret) < GatewayOptions.MinimumJwtSecretBytes)
        {
            problems.Add($"Gateway__Jwt__Secret is shorter than {GatewayOptions.MinimumJwtSecretBytes} bytes; HS256 needs at least 256 bits.");
        }

        if (!string.IsNullOrWhiteSpace(jwt.JwksUrl) && !string.IsNullOrWhiteSpace(jwt.Authority))
        {
            problems.Add("Gateway__Jwt__JwksUrl and Gateway__Jwt__Authority are both set: set one (the authority's discovery document names its JWKS).");
        }

        ValidateUrl("Gateway__Jwt__JwksUrl", jwt.JwksUrl, jwt.RequireHttpsMetadata, problems);
        ValidateUrl("Gateway__Jwt__Authority", jwt.Authority, jwt.RequireHttpsMetadata, problems);

        if (!RoleClaimPath.TryParse(jwt.RoleClaim, out _, out var pathProblem))
        {
            problems.Add($"Gateway__Jwt__RoleClaim '{jwt.RoleClaim}' is not a claim name or path: {pathProblem}");
        }

        foreach (var role in jwt.EffectiveAllowedRoles)
        {
            if (string.IsNullOrWhiteSpace(role))
            {
                problems.Add("Gateway__Jwt__AllowedRoles has an empty entry.");
            }
            else if (IsReserved(role))
            {
                problems.Add($"Gateway__Jwt__AllowedRoles must not contain '{role}': a token must never name a login or owner role.");
            }
        }

        if (jwt.RequiredClaims.Keys.Any(string.IsNullOrWhiteSpace))
        {
            problems.Add("Gateway__Jwt__RequiredClaims has an entry with an empty claim name.");
        }

        if (jwt.CacheMaxEntries < 0)
        {
            problems.Add("Gateway__Jwt__CacheMaxEntries must be 0 (no cache) or more.");
        }

        if (jwt.KeysRefreshInterval < TimeSpan.FromMinutes(5))
        {
            problems.Add("Gateway__Jwt__KeysRefreshInterval must be at least 00:05:00.");
        }

        if (jwt.KeysMinimumRefreshInterval < TimeSpan.FromSeconds(1))
        {
            problems.Add("Gateway__Jwt__KeysMinimumRefreshInterval must be at least 00:00:01.");
        }
    }

    private static void ValidateUrl(string key, string? value, bool requireHttps, List<string> problems)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return;
        }

        if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
        {
            problems.Add($"{key} is not an absolute http(s) URL.");
        }
        else if (requireHttps && uri.Scheme != Uri.UriSchemeHttps)
        {
            problems.Add($"{key} must use https (or set Gateway__Jwt__RequireHttpsMetadata=false, for development only).");
        }
    }

    private static void ValidateApi(GatewayOptions options, List<string> problems)
    {
        if (string.IsNullOrWhiteSpace(options.Schema))
        {
            problems.Add("Gateway__Schema is empty: name the schema to serve (default api).");
        }
        else if (options.Schema.Contains('\0', StringComparison.Ordinal))
        {
            problems.Add("Gateway__Schema contains a NUL character, which no PostgreSQL name can hold.");
        }
        else if (Encoding.UTF8.GetByteCount(options.Schema) > MaxIdentifierBytes)
        {
            problems.Add($"Gateway__Schema is longer than {MaxIdentifierBytes} bytes: PostgreSQL would cut it short and look for another schema.");
        }

        foreach (var origin in options.Cors.AllowedOrigins)
        {
            if (!IsOrigin(origin))
            {
                problems.Add($"Gateway__Cors__AllowedOrigins has '{origin}', which is not an origin as a browser sends it: http(s), the host, "
                    + "and the port unless it is the scheme's default, e.g. https://app.example.com:8443 (no path, no '/' at the end; "
                    + "leave the list empty to allow any origin).");
            }
        }
    }

    /// <summary>
    /// An origin written as browsers send it in <c>Origin</c>, the only form that can ever match: origins are compared
    /// as text (without regard to case), so a path, a trailing '/' or a default port would silently match nothing.
    /// </summary>
    private static bool IsOrigin(string value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri)
        && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
        && uri.UserInfo.Length == 0
        && string.Equals(uri.GetLeftPart(UriPartial.Authority), value, StringComparison.OrdinalIgnoreCase);

    private static bool IsReserved(string role) =>
        ReservedRoles.Contains(role, StringComparer.Ordinal) || role.StartsWith("pg_", StringComparison.Ordinal);
}

internal static class GatewayOptionsExtensions
{
    /// <summary>
    /// Binds and validates <see cref="GatewayOptions"/>. The server's body limit and the host's shutdown bound need them
    /// while the app is built, so a bad value is found there, and stops the process as <see cref="InvalidSettings"/> says.
    /// </summary>
    public static WebApplicationBuilder AddGatewayOptions(this WebApplicationBuilder builder)
    {
        InvalidSettings.ExitWhenUnhandled();
        builder.Services.AddOptions<GatewayOptions>()
            .Configure(options => Bind(builder.Configuration, options))
            .ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<GatewayOptions>, GatewayOptionsValidator>();
        return builder;
    }

    /// <summary>
    /// The options as configured, not validated, for the few choices made while services are still being registered
    /// (which exporters exist). An unreadable value is left at its default here; the validator names it at start-up.
    /// </summary>
    public static GatewayOptions ReadGatewayOptions(this IConfiguration configuration)
    {
        var options = new GatewayOptions();
        Bind(configuration, options);
        return options;
    }

    private static void Bind(IConfiguration configuration, GatewayOptions options)
    {
        SettingsBinder.Bind(configuration.GetSection(GatewayOptions.Section), options);
        options.ConnectionString ??= configuration.GetConnectionString(GatewayOptions.ConnectionStringName);
        options.RedisConnectionString ??= configuration.GetConnectionString(GatewayOptions.RedisConnectionStringName);
        options.Otlp.StandardEndpointSet = OtlpSettings.StandardEndpointKeys.Any(key => !string.IsNullOrWhiteSpace(configuration[key]));
    }
}
