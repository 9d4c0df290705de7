using System.Globalization;
using System.Numerics;
using Gateway.Errors;
using Gateway.Observability;
using Npgsql;

namespace Gateway.Execution;

/// <summary>
/// Whether the database can serve requests right now, as the requests themselves find out. A request it cannot serve
/// (a refused or broken connection, a server shutting down or starting up, too many connections, no pooled connection
/// free within the pool's <c>Timeout</c>) answers 503 with <c>Retry-After</c> in PostgREST's shape, never 500, and is
/// counted in <c>gateway_database_unavailable_total</c>. The outage is logged twice, when it begins and when it ends
/// (with how long it lasted and how many requests it failed), never once per request. A failure that is the
/// statement's own (a constraint, a permission) is not this class's business.
/// </summary>
internal sealed partial class DatabaseAvailability(GatewayMetrics metrics, ILogger<DatabaseAvailability> logger, TimeProvider? clock = null)
{
    public const string Unreachable = "unreachable";
    public const string PoolExhausted = "pool_exhausted";
    public const string TooManyConnections = "too_many_connections";

    /// <summary>A success this long after the last failure ends an outage; a shorter lull is the same outage.</summary>
    public static readonly TimeSpan Settle = TimeSpan.FromSeconds(1);

    /// <summary>The longest <c>Retry-After</c>, as long as the longest backoff of the catalog listener's reconnects.</summary>
    public const int MaxRetryAfterSeconds = 30;

    // Npgsql's words when no pooled connection came free within Timeout; a connect timeout also wraps a TimeoutException.
    private const string PoolExhaustedMessage = "The connection pool has been exhausted";

    private readonly TimeProvider time = clock ?? TimeProvider.System;
    private readonly Lock gate = new();
    private Outage? outage;

    /// <summary>
    /// The error to answer for a request the database could not serve, after counting it and, when an outage begins,
    /// logging it. <paramref name="error"/> is any failure to get a connection (PostgREST's PGRST000 covers them all, a
    /// wrong password included: the operator must act, the client can only wait), or, once connected, a lost connection
    /// or a server going away (<see cref="PostgresErrors.MeansUnavailable"/>).
    /// </summary>
    /// <param name="opening">The failure came while getting a connection, before any statement was sent.</param>
    public GatewayError Failed(NpgsqlException error, bool opening)
    {
        var reason = ReasonOf(error, opening);
        metrics.DatabaseUnavailable(reason);
        var now = time.GetUtcNow();
        bool began;
        TimeSpan age;
        lock (gate)
        {
            began = outage is null || outage.Reason != reason;
            outage = began ? new Outage(reason, outage?.Since ?? now, outage?.Requests ?? 0) : outage;
            outage!.LastFailure = now;
            outage.FirstSuccess = null;
            outage.Requests++;
            age = now - outage.Since;
        }

        if (began)
        {
            // Busy is the operator's to tune; a database that cannot be reached at all is an error.
            LogUnavailable(logger, reason == PoolExhausted ? LogLevel.Warning : LogLevel.Error, reason, Describe(error));
        }

        var answer = reason switch
        {
            PoolExhausted => PostgresErrors.PoolExhausted(),
            // Mid-statement, PostgREST answers with the server's SQLSTATE (57P01); 5xx bodies hide its message.
            _ when !opening && error is PostgresException failure => PostgresErrors.Map(failure, authenticated: true),
            _ => PostgresErrors.ConnectionFailed(),
        };
        return answer with
        {
            Headers = new Dictionary<string, string> { ["Retry-After"] = RetryAfterSeconds(reason, age).ToString(CultureInfo.InvariantCulture) },
            LogDetail = null,
            LoggedAlready = true,
        };
    }

    /// <summary>The database answered a request (whatever it answered); ends an outage once failures have stopped.</summary>
    public void Answered()
    {
        // The common case, without the lock: no outage.
        if (Volatile.Read(ref outage) is null)
        {
            return;
        }

        var now = time.GetUtcNow();
        Outage? ended = null;
        lock (gate)
        {
            if (outage is not null)
            {
                outage.FirstSuccess ??= now;
                if (now - outage.LastFailure >= Settle)
                {
                    ended = outage;
                    outage = null;
                }
            }
        }

        if (ended is not null)
        {
            LogAvailable(logger, Math.Round((ended.FirstSuccess!.Value - ended.Since).TotalSeconds, 1), ended.Requests);
        }
    }

    /// <summary>Why the database could not serve: the label of the metric and of the log line.</summary>
    internal static string ReasonOf(NpgsqlException error, bool opening) => error switch
    {
        { InnerException: TimeoutException } when opening && error.Message.StartsWith(PoolExhaustedMessage, StringComparison.Ordinal) => PoolExhausted,
        PostgresException { SqlState: "53300" } => TooManyConnections,
        _ => Unreachable,
    };

    /// <summary>
    /// Soon when only the pool is busy; otherwise as long as the outage has lasted so far (a short blip is retried at
    /// once, a long outage is not hammered), rounded down to a power of two, from 1 to <see cref="MaxRetryAfterSeconds"/>.
    /// </summary>
    internal static int RetryAfterSeconds(string reason, TimeSpan age) =>
        reason == PoolExhausted || age.TotalSeconds < 2
            ? 1
            : Math.Min(MaxRetryAfterSeconds, 1 << BitOperations.Log2((uint)Math.Min(age.TotalSeconds, 1 << 16)));

    // What the operator needs to act: SQLSTATE and message, or the socket's complaint; never the connection string.
    private static string Describe(NpgsqlException error) => error switch
    {
        PostgresException failure => $"{failure.SqlState}: {failure.MessageText}",
        { InnerException: { } inner } => $"{error.Message} ({inner.Message})",
        _ => error.Message,
    };

    private sealed class Outage(string reason, DateTimeOffset since, long requests)
    {
        public string Reason { get; } = reason;

        public DateTimeOffset Since { get; } = since;

        public DateTimeOffset LastFailure { get; set; }

        public DateTimeOffset? FirstSuccess { get; set; }

        public long Requests { get; set; } = requests;
    }

    [LoggerMessage(EventId = EventIds.DatabaseUnavailable, Message = "Database unavailable ({Reason}): {Detail}; requests answer 503 until it is back")]
    private static partial void LogUnavailable(ILogger logger, LogLevel level, string reason, string detail);

    [LoggerMessage(EventId = EventIds.DatabaseAvailable, Level = LogLevel.Information,
        Message = "Database available again after {DownSeconds} s; {FailedRequests} requests were answered 503 meanwhile")]
    private static partial void LogAvailable(ILogger logger, double downSeconds, long failedRequests);
}
