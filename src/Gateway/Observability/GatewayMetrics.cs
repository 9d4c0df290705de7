using System.Diagnostics.Metrics;
using Gateway.Auth;
using Gateway.Errors;

namespace Gateway.Observability;

/// <summary>
/// The gateway's instruments (meter <c>Gateway</c>), exported for Prometheus on <c>/metrics</c> as
/// <c>gateway_request_duration_seconds</c> (by <c>kind</c> and <c>status</c>), <c>gateway_requests_in_flight</c>,
/// <c>gateway_catalog_reloads_total</c> (by <c>outcome</c>), <c>gateway_catalog_load_duration_seconds</c>,
/// <c>gateway_jwt_failures_total</c> (by <c>reason</c>), <c>gateway_rate_limit_rejections_total</c> (by
/// <c>role</c>), <c>gateway_database_unavailable_total</c> (by <c>reason</c>), <c>gateway_responses_spilled_total</c> and, with Redis configured,
/// <c>gateway_rate_limit_shared</c>. Labels have few values: never a name, an address or a subject.
/// </summary>
internal sealed class GatewayMetrics
{
    public const string MeterName = "Gateway";

    /// <summary>Seconds: from a cached one-row read (a millisecond) to the default request timeout.</summary>
    private static readonly double[] DurationBuckets = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

    // HTTP's statuses boxed once, not on every request.
    private static readonly object[] Statuses = [.. Enumerable.Range(0, 600).Select(static status => (object)status)];

    /// <summary>
    /// One meter and one set of instruments for the process, never disposed, as Npgsql's. A meter from the host's
    /// <c>IMeterFactory</c> is disposed with its host, and OpenTelemetry then drops the series it shares by name with
    /// any other host of the process (integration tests run many): static instruments keep every host's series.
    /// </summary>
    private static readonly Meter Meter = new(MeterName);

    private static readonly Histogram<double> RequestDuration = Meter.CreateHistogram(
        "gateway.request.duration", "s", "Time to answer a request, by route kind (relation, rpc, root, health, metrics, other) and status.",
        tags: null, advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = DurationBuckets });

    // Counted here and read when metrics are collected: an instrument's Add costs an aggregator lookup on every call,
    // twice per request, where this is one interlocked add.
    private static long inFlight;

    private static readonly ObservableUpDownCounter<long> InFlight = Meter.CreateObservableUpDownCounter(
        "gateway.requests.in_flight", static () => Volatile.Read(ref inFlight), "{request}", "Requests being answered now.");

    private static readonly Counter<long> CatalogReloads = Meter.CreateCounter<long>(
        "gateway.catalog.reloads", "{reload}", "Loads of the exposed schema's catalog (at start, on NOTIFY, after reconnecting), by outcome.");

    private static readonly Histogram<double> CatalogLoadDuration = Meter.CreateHistogram(
        "gateway.catalog.load.duration", "s", "Time to load the catalog of the exposed schema.",
        tags: null, advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = DurationBuckets });

    private static readonly Counter<long> JwtFailures = Meter.CreateCounter<long>(
        "gateway.jwt.failures", "{request}", "Requests whose bearer token was refused, by reason.");

    private static readonly Counter<long> RateLimitRejections = Meter.CreateCounter<long>(
        "gateway.rate_limit.rejections", "{request}", "Requests refused with 429 by the rate limiter, by role.");

    private static readonly UpDownCounter<int> RateLimitsShared = Meter.CreateUpDownCounter<int>(
        "gateway.rate_limit.shared", "{replica}",
        "1 while Redis counts the rate limits; 0 while Redis is configured but does not answer and this process counts them.");

    private static readonly Counter<long> DatabaseUnavailableRequests = Meter.CreateCounter<long>(
        "gateway.database.unavailable", "{request}",
        "Requests answered 503 because the database could not serve them, by reason (unreachable, pool_exhausted, too_many_connections).");

    private static readonly Counter<long> SpilledResponses = Meter.CreateCounter<long>(
        "gateway.responses.spilled", "{response}",
        "Large responses whose client fell behind: the rest went to a temporary file so the connection could return to the pool.");

    public void ResponseSpilled() => SpilledResponses.Add(1);

    public void RequestStarted() => Interlocked.Increment(ref inFlight);

    public void RequestFinished(string kind, int status, TimeSpan elapsed)
    {
        Interlocked.Decrement(ref inFlight);
        RequestDuration.Record(
            elapsed.TotalSeconds,
            new KeyValuePair<string, object?>("kind", kind),
            new KeyValuePair<string, object?>("status", StatusTag(status)));
    }

    private static object StatusTag(int status) => (uint)status < (uint)Statuses.Length ? Statuses[status] : status;

    public void CatalogLoaded(bool succeeded, TimeSpan elapsed)
    {
        CatalogReloads.Add(1, new KeyValuePair<string, object?>("outcome", succeeded ? "loaded" : "failed"));
        if (succeeded)
        {
            CatalogLoadDuration.Record(elapsed.TotalSeconds);
        }
    }

    public void JwtRefused(GatewayError error) => JwtFailures.Add(1, new KeyValuePair<string, object?>("reason", ReasonOf(error)));

    public void RateLimited(string role) => RateLimitRejections.Add(1, new KeyValuePair<string, object?>("role", role));

    /// <summary>+1 when Redis takes over counting, -1 when it stops; 0 makes the series appear before either.</summary>
    public void RateLimitsSharedChanged(int change) => RateLimitsShared.Add(change);

    public void DatabaseUnavailable(string reason) => DatabaseUnavailableRequests.Add(1, new KeyValuePair<string, object?>("reason", reason));

    /// <summary>A short, stable label for one of Auth's refusals (their messages may quote claim values).</summary>
    public static string ReasonOf(GatewayError error)
    {
        if (ReferenceEquals(error, AuthErrors.Expired))
        {
            return "expired";
        }

        if (ReferenceEquals(error, AuthErrors.NotYetValid) || ReferenceEquals(error, AuthErrors.IssuedInFuture))
        {
            return "not_yet_valid";
        }

        if (ReferenceEquals(error, AuthErrors.SignatureInvalid))
        {
            return "signature";
        }

        if (ReferenceEquals(error, AuthErrors.AlgorithmNotAccepted) || ReferenceEquals(error, AuthErrors.UnsupportedAlgorithm) || ReferenceEquals(error, AuthErrors.Unsecured))
        {
            return "algorithm";
        }

        if (ReferenceEquals(error, AuthErrors.NotInAudience) || ReferenceEquals(error, AuthErrors.AudienceNotStringOrArray))
        {
            return "audience";
        }

        if (ReferenceEquals(error, AuthErrors.IssuerNotTrusted))
        {
            return "issuer";
        }

        if (ReferenceEquals(error, AuthErrors.EmptyToken))
        {
            return "empty";
        }

        return error.Code switch
        {
            AuthErrors.NoKeysCode => "keys_unavailable",
            AuthErrors.AnonymousDisabledCode => "anonymous_disabled",
            AuthErrors.ClaimsCode when error.Message.StartsWith("JWT role ", StringComparison.Ordinal) => "role_not_allowed",
            AuthErrors.ClaimsCode when error.Message.StartsWith("JWT lacks ", StringComparison.Ordinal)
                || error.Message.StartsWith("JWT claim ", StringComparison.Ordinal) => "required_claim",
            AuthErrors.ClaimsCode => "claims",
            _ => "malformed",
        };
    }
}
