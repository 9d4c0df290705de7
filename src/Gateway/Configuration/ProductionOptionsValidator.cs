using System.Net;
using Npgsql;
using StackExchange.Redis;

namespace Gateway.Configuration;

/// <summary>
/// Checks the settings of limits, proxies, observability and token refresh, adding one problem per bad key (named as
/// its environment variable) to the list <see cref="GatewayOptionsValidator"/> reports at start-up.
/// </summary>
internal static class ProductionOptionsValidator
{
    /// <summary>The longest a <see cref="CancellationTokenSource.CancelAfter(TimeSpan)"/> timer runs: 2^32 - 2 ms, ~49.7 days.</summary>
    private static readonly TimeSpan LongestTimer = TimeSpan.FromMilliseconds(uint.MaxValue - 1);

    public static void Validate(GatewayOptions options, List<string> problems)
    {
        problems.AddRange(options.BindingProblems);
        ValidateConnectionString(options.ConnectionString, problems);
        ValidateLimits(options, problems);
        ValidatePaths(options, problems);
        ValidateForwardedHeaders(options.ForwardedHeaders, problems);
        ValidateRateLimits(options.RateLimits, problems);
        ValidateRedis(options.RedisConnectionString, problems);
        ValidateTokenRefresh(options.TokenRefresh, problems);
        ValidateOtlp(options.Otlp, problems);
    }

    private static void ValidateConnectionString(string? connectionString, List<string> problems)
    {
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            return;
        }

        NpgsqlConnectionStringBuilder parsed;
        try
        {
            parsed = new NpgsqlConnectionStringBuilder(connectionString);
        }
        catch (ArgumentException)
        {
            // Not the message: it may quote the string, password included.
            problems.Add("ConnectionStrings__Gateway is not a valid Npgsql connection string.");
            return;
        }

        if (parsed.Host?.Contains(',', StringComparison.Ordinal) == true && parsed.TargetSessionAttributes is not null)
        {
            problems.Add("ConnectionStrings__Gateway names several hosts and sets Target Session Attributes: remove it; the gateway sends writes to the primary and reads preferably to standbys.");
        }

        // Npgsql refuses multiplexing on the gateway's own unpooled connections (the schema-change listener, the
        // readiness check), so the gateway would start but never become ready.
        if (parsed.Multiplexing)
        {
            problems.Add("ConnectionStrings__Gateway sets Multiplexing: remove it; the gateway keeps connections of its own (the schema-change listener) that Npgsql cannot multiplex, and each request already sends its statements in one round trip.");
        }
    }

    private static void ValidateLimits(GatewayOptions options, List<string> problems)
    {
        if (options.MaxRequestBodySize < 1)
        {
            problems.Add("Gateway__MaxRequestBodySize must be at least 1 (bytes; default 1048576).");
        }

        if (options.RequestTimeout <= TimeSpan.Zero)
        {
            problems.Add("Gateway__RequestTimeout must be a positive duration, e.g. 00:00:30.");
        }
        else if (options.RequestTimeout > LongestTimer)
        {
            problems.Add("Gateway__RequestTimeout must be at most 49 days (the longest timer .NET keeps), e.g. 00:00:30.");
        }

        if (options.MaxRows is < 1)
        {
            problems.Add("Gateway__MaxRows must be at least 1, or unset for no cap.");
        }

        if (options.ShutdownTimeout < TimeSpan.Zero)
        {
            problems.Add("Gateway__ShutdownTimeout must not be negative, e.g. 00:00:30.");
        }
    }

    private static void ValidatePaths(GatewayOptions options, List<string> problems)
    {
        if (!string.IsNullOrEmpty(options.PathBase) && !IsPathBase(options.PathBase))
        {
            problems.Add("Gateway__PathBase must start with '/', not end with '/', and hold no '?', '#' or spaces, e.g. /api.");
        }

        // Braces would make it a route template rather than a path.
        if (!options.MetricsPath.StartsWith('/') || options.MetricsPath.Length < 2
            || options.MetricsPath.Any(c => c is '?' or '#' or '{' or '}' || char.IsWhiteSpace(c) || char.IsControl(c)))
        {
            problems.Add("Gateway__MetricsPath must be a path such as /metrics.");
        }

        if (options.SpillDirectory is { } spill && (spill.Length == 0 || !Path.IsPathFullyQualified(spill)))
        {
            problems.Add("Gateway__SpillDirectory must be an absolute directory path such as /tmp, or unset for the temporary directory.");
        }

        if (!IsHeaderName(options.RequestIdHeader))
        {
            problems.Add("Gateway__RequestIdHeader must be a header name such as X-Request-Id.");
        }
    }

    private static void ValidateForwardedHeaders(ForwardedHeadersSettings forwarded, List<string> problems)
    {
        foreach (var proxy in forwarded.KnownProxies)
        {
            if (!IPAddress.TryParse(proxy, out _))
            {
                problems.Add($"Gateway__ForwardedHeaders__KnownProxies has '{proxy}', which is not an IP address.");
            }
        }

        foreach (var network in forwarded.KnownNetworks)
        {
            if (!IPNetwork.TryParse(network, out _))
            {
                problems.Add($"Gateway__ForwardedHeaders__KnownNetworks has '{network}', which is not a network in CIDR notation such as 10.0.0.0/8.");
            }
        }
    }

    private static void ValidateRateLimits(Dictionary<string, RateLimitSettings> limits, List<string> problems)
    {
        foreach (var (role, limit) in limits)
        {
            if (limit.PermitLimit < 1)
            {
                problems.Add($"Gateway__RateLimits__{role}__PermitLimit must be at least 1 (requests per window).");
            }

            if (limit.Window <= TimeSpan.Zero)
            {
                problems.Add($"Gateway__RateLimits__{role}__Window must be a positive duration, e.g. 00:01:00.");
            }
        }
    }

    /// <summary>
    /// The string must parse and name hosts; whether Redis answers is not checked here: the gateway starts without it
    /// and counts in-process until it does. No message quotes the string, which may hold a password.
    /// </summary>
    private static void ValidateRedis(string? connectionString, List<string> problems)
    {
        if (!string.IsNullOrWhiteSpace(connectionString))
        {
            ValidateRedisString(connectionString, problems);
        }
    }

    // Apart, so that without Redis nothing compiled at start-up refers to StackExchange.Redis, which is then never loaded.
    private static void ValidateRedisString(string connectionString, List<string> problems)
    {
        const string Key = "ConnectionStrings__Redis";
        const string Form = "write host:port[,host:port...][,option=value...], e.g. redis:6379,password=...";
        ConfigurationOptions parsed;
        try
        {
            parsed = ConfigurationOptions.Parse(connectionString);
        }
        catch (ArgumentException ex)
        {
            var reason = ex.ParamName is { Length: > 0 } option ? $"'{option}' is not an option or has a bad value" : "it cannot be read";
            problems.Add($"{Key} is not a StackExchange.Redis configuration string: {reason} ({Form}).");
            return;
        }

        if (parsed.EndPoints.Count == 0)
        {
            problems.Add($"{Key} names no host ({Form}).");
        }
        else if (parsed.EndPoints.Any(endpoint => endpoint is DnsEndPoint dns && Uri.CheckHostName(dns.Host) == UriHostNameType.Unknown))
        {
            problems.Add($"{Key} names a host that is neither a host name nor an address; a URL such as redis://... is not understood ({Form}).");
        }
    }

    private static void ValidateTokenRefresh(TokenRefreshSettings refresh, List<string> problems)
    {
        if (!refresh.Enabled)
        {
            return;
        }

        if (string.IsNullOrWhiteSpace(refresh.Function))
        {
            problems.Add("Gateway__TokenRefresh__Function is empty: name the function of the exposed schema that refreshes tokens.");
        }

        if (refresh.Threshold < TimeSpan.Zero)
        {
            problems.Add("Gateway__TokenRefresh__Threshold must not be negative, e.g. 00:05:00.");
        }

        foreach (var (key, name) in new[]
        {
            ("RefreshTokenHeader", refresh.RefreshTokenHeader),
            ("NewAccessTokenHeader", refresh.NewAccessTokenHeader),
            ("NewRefreshTokenHeader", refresh.NewRefreshTokenHeader),
        })
        {
            if (!IsHeaderName(name))
            {
                problems.Add($"Gateway__TokenRefresh__{key} must be a header name such as X-Refresh-Token.");
            }
        }
    }

    private static void ValidateOtlp(OtlpSettings otlp, List<string> problems)
    {
        if (!string.IsNullOrWhiteSpace(otlp.Endpoint)
            && (!Uri.TryCreate(otlp.Endpoint, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)))
        {
            problems.Add("Gateway__Otlp__Endpoint is not an absolute http(s) URL, e.g. http://otel-collector:4317.");
        }

        if (otlp.Protocol is not ("grpc" or "http/protobuf"))
        {
            problems.Add("Gateway__Otlp__Protocol must be grpc or http/protobuf.");
        }
    }

    /// <summary>What <c>UsePathBase</c> accepts, and what a proxy can send: <c>/a</c> or <c>/a/b</c>.</summary>
    private static bool IsPathBase(string value) =>
        value.Length > 1 && value[0] == '/' && value[^1] != '/' && !value.Any(c => c is '?' or '#' || char.IsWhiteSpace(c) || char.IsControl(c));

    /// <summary>An RFC 9110 token: the characters a header name may have.</summary>
    private static bool IsHeaderName(string? name) =>
        !string.IsNullOrEmpty(name) && name.All(c => char.IsAsciiLetterOrDigit(c) || "!#$%&'*+-.^_`|~".Contains(c, StringComparison.Ordinal));
}
