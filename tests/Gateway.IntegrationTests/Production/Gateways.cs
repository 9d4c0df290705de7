using System.Collections.Concurrent;
using System.Net;
using Gateway.IntegrationTests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Logging;

namespace Gateway.IntegrationTests.Production;

/// <summary>
/// The fixture's gateway with some settings changed, in memory or on a real Kestrel socket of 127.0.0.1 (where
/// the client's address, forwarded headers and the server's body limit are real), with its logs captured.
/// </summary>
internal static class Gateways
{
    public static WebApplicationFactory<Program> With(
        ApiFixture api, IReadOnlyDictionary<string, string?> settings, StructuredLogs? logs = null, bool kestrel = false)
    {
        var factory = api.Factory.WithWebHostBuilder(builder =>
        {
            foreach (var (key, value) in settings)
            {
                builder.UseSetting(key, value);
            }

            if (logs is not null)
            {
                builder.ConfigureLogging(logging => logging.AddProvider(logs));
            }
        });
        if (kestrel)
        {
            factory.UseKestrel(server => server.Listen(IPAddress.Loopback, 0));
        }

        return factory;
    }

    /// <summary>
    /// How many calls of the fixture's <c>api.sleep</c> the gateway is running in the test's database, found in
    /// <c>pg_stat_activity</c> (run on an admin connection to that database).
    /// </summary>
    public const string RunningSleeps = """
        select count(*) from pg_stat_activity
        where datname = current_database() and state = 'active' and pid <> pg_backend_pid()
          and query like '%"sleep"(%' and usename = 'authenticator'
        """;

    /// <summary>A client of a started gateway whose catalog is loaded.</summary>
    public static async Task<HttpClient> ReadyClientAsync(WebApplicationFactory<Program> factory)
    {
        var client = factory.CreateClient();
        await ApiFixture.WaitUntilReadyAsync(client);
        return client;
    }
}

/// <summary>A logger provider that keeps each entry's structured fields as well as its text.</summary>
public sealed class StructuredLogs : ILoggerProvider
{
    private readonly ConcurrentQueue<Entry> entries = new();

    public IReadOnlyList<Entry> Entries => entries.ToList();

    /// <summary>The request log's lines (event 3001).</summary>
    public IReadOnlyList<Entry> Requests => Entries.Where(e => e.Category == "Gateway.Requests" && e.Event.Id == 3001).ToList();

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose()
    {
    }

    public sealed record Entry(string Category, LogLevel Level, EventId Event, string Message, IReadOnlyDictionary<string, object?> Fields)
    {
        public string? Field(string name) =>
            Fields.TryGetValue(name, out var value) && value is not null ? Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture) : null;

        /// <summary>Everything the entry carries, as text, to look for what must never be logged.</summary>
        public string AllText => Message + " " + string.Join(" ", Fields.Values.Select(v => Convert.ToString(v, System.Globalization.CultureInfo.InvariantCulture)));
    }

    private sealed class Logger(StructuredLogs owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var fields = state is IEnumerable<KeyValuePair<string, object?>> pairs
                ? pairs.GroupBy(p => p.Key).ToDictionary(g => g.Key, g => g.First().Value)
                : new Dictionary<string, object?>();
            owner.entries.Enqueue(new Entry(category, logLevel, eventId, formatter(state, exception), fields));
        }
    }
}
