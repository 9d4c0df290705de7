using System.Net.Sockets;
using Gateway.Execution;
using Gateway.Observability;
using Gateway.Tests.Auth;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Gateway.Tests.Execution;

/// <summary>
/// A database that cannot serve answers 503 with <c>Retry-After</c> in PostgREST's shape; the outage is logged when it
/// begins and when it ends, never per request.
/// </summary>
public sealed class DatabaseAvailabilityTests
{
    private static readonly DateTimeOffset Start = new(2025, 1, 1, 12, 0, 0, TimeSpan.Zero);

    private readonly TestClock clock = new(Start);
    private readonly Lines log = new();

    [Fact]
    public void A_refused_connection_is_503_PGRST000_with_retry_after_and_no_internals()
    {
        var error = Availability().Failed(Refused(), opening: true);

        Assert.Equal((503, "PGRST000"), (error.Status, error.Code));
        Assert.Equal("1", error.Headers!["Retry-After"]);
        Assert.Null(error.Details);
        Assert.True(error.LoggedAlready);
    }

    [Theory]
    [InlineData("57P03", "the database system is starting up")]
    [InlineData("08006", "connection failure")]
    [InlineData("28P01", "password authentication failed for user \"authenticator\"")]
    public void Any_failure_to_connect_is_503_PGRST000(string sqlState, string message)
    {
        var error = Availability().Failed(Postgres(sqlState, message), opening: true);

        Assert.Equal((503, "PGRST000"), (error.Status, error.Code));
        Assert.DoesNotContain(message, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("57P01")]
    [InlineData("57P02")]
    [InlineData("57P03")]
    [InlineData("08006")]
    public void A_server_going_away_mid_statement_is_503_with_its_sqlstate(string sqlState)
    {
        var error = Availability().Failed(Postgres(sqlState, "terminating connection due to administrator command"), opening: false);

        Assert.Equal((503, sqlState), (error.Status, error.Code));
        Assert.Equal("The database is unavailable. Retry later.", error.Message);
        Assert.Equal("1", error.Headers!["Retry-After"]);
    }

    [Fact]
    public void No_pooled_connection_within_the_timeout_is_503_PGRST003()
    {
        var error = Availability().Failed(PoolExhausted(), opening: true);

        Assert.Equal((503, "PGRST003", "Timed out acquiring connection from connection pool."), (error.Status, error.Code, error.Message));
        Assert.Equal(DatabaseAvailability.PoolExhausted, DatabaseAvailability.ReasonOf(PoolExhausted(), opening: true));
    }

    [Fact]
    public void Reasons_tell_a_busy_pool_and_a_full_server_from_an_unreachable_one()
    {
        Assert.Equal(DatabaseAvailability.TooManyConnections, DatabaseAvailability.ReasonOf(Postgres("53300", "sorry, too many clients already"), opening: true));
        Assert.Equal(DatabaseAvailability.Unreachable, DatabaseAvailability.ReasonOf(Refused(), opening: true));
        // A connect timeout wraps a TimeoutException too, but it is the server that does not answer.
        Assert.Equal(DatabaseAvailability.Unreachable, DatabaseAvailability.ReasonOf(new NpgsqlException("Failed to connect to 10.0.0.1:5432", new TimeoutException()), opening: true));
    }

    [Fact]
    public void An_outage_is_logged_once_however_many_requests_it_fails()
    {
        var availability = Availability();

        for (var i = 0; i < 100; i++)
        {
            availability.Failed(Refused(), opening: true);
            clock.Now += TimeSpan.FromMilliseconds(10);
        }

        var line = Assert.Single(log.Entries);
        Assert.Equal((LogLevel.Error, EventIds.DatabaseUnavailable), (line.Level, line.Id));
        Assert.Contains("unreachable", line.Message, StringComparison.Ordinal);
        Assert.Contains("Connection refused", line.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_end_of_an_outage_is_logged_once_with_its_length_and_failed_requests()
    {
        var availability = Availability();
        availability.Failed(Refused(), opening: true);
        clock.Now += TimeSpan.FromSeconds(4);
        availability.Failed(Refused(), opening: true);
        clock.Now += TimeSpan.FromSeconds(1.5);

        availability.Answered();
        availability.Answered();

        Assert.Equal(2, log.Entries.Count);
        var back = log.Entries[1];
        Assert.Equal((LogLevel.Information, EventIds.DatabaseAvailable), (back.Level, back.Id));
        Assert.Equal("Database available again after 5.5 s; 2 requests were answered 503 meanwhile", back.Message);
    }

    [Fact]
    public void Answers_between_failures_do_not_end_the_outage()
    {
        // A saturated pool: some requests get a connection, others time out, all within moments.
        var availability = Availability();
        for (var i = 0; i < 20; i++)
        {
            availability.Failed(PoolExhausted(), opening: true);
            clock.Now += TimeSpan.FromMilliseconds(100);
            availability.Answered();
        }

        var line = Assert.Single(log.Entries);
        Assert.Equal(LogLevel.Warning, line.Level);
    }

    [Fact]
    public void A_new_reason_during_an_outage_is_logged_and_the_outage_goes_on()
    {
        var availability = Availability();
        availability.Failed(PoolExhausted(), opening: true);
        availability.Failed(Refused(), opening: true);
        availability.Failed(Refused(), opening: true);
        clock.Now += TimeSpan.FromSeconds(2);
        availability.Answered();

        Assert.Equal([EventIds.DatabaseUnavailable, EventIds.DatabaseUnavailable, EventIds.DatabaseAvailable], log.Entries.Select(e => e.Id));
        Assert.EndsWith("3 requests were answered 503 meanwhile", log.Entries[2].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Retry_after_grows_with_the_outage_up_to_30_seconds_and_is_1_for_a_busy_pool()
    {
        var availability = Availability();
        var seen = new List<string>();
        foreach (var age in new[] { 0, 1, 3, 9, 20, 100 })
        {
            clock.Now = Start + TimeSpan.FromSeconds(age);
            seen.Add(availability.Failed(Refused(), opening: true).Headers!["Retry-After"]);
        }

        Assert.Equal(["1", "1", "2", "8", "16", "30"], seen);
        Assert.Equal(1, DatabaseAvailability.RetryAfterSeconds(DatabaseAvailability.PoolExhausted, TimeSpan.FromMinutes(5)));
    }

    private DatabaseAvailability Availability() => new(new GatewayMetrics(), log, clock);

    private static NpgsqlException Refused() =>
        new("Failed to connect to 127.0.0.1:5432", new SocketException((int)SocketError.ConnectionRefused));

    private static NpgsqlException PoolExhausted() =>
        new("The connection pool has been exhausted, either raise 'Max Pool Size' (currently 3) or 'Timeout' (currently 1 seconds) in your connection string.",
            new TimeoutException());

    private static PostgresException Postgres(string sqlState, string message) => new(message, "FATAL", "FATAL", sqlState);

    private sealed class Lines : ILogger<DatabaseAvailability>
    {
        public List<(LogLevel Level, int Id, string Message)> Entries { get; } = [];

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Entries.Add((logLevel, eventId.Id, formatter(state, exception)));
    }
}
