using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Gateway.IntegrationTests.Infrastructure;

/// <summary>A logger provider that keeps every formatted log line, so tests can assert what operators see.</summary>
public sealed class CapturedLogs : ILoggerProvider
{
    private readonly ConcurrentQueue<(string Category, LogLevel Level, EventId Event, string Message)> entries = new();

    public IReadOnlyList<(string Category, LogLevel Level, EventId Event, string Message)> Entries => entries.ToList();

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose()
    {
    }

    private sealed class Logger(CapturedLogs owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            owner.entries.Enqueue((category, logLevel, eventId, formatter(state, exception)));
    }
}
