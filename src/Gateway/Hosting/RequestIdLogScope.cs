using System.Collections;
using Microsoft.Extensions.Configuration.Memory;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Console;

namespace Gateway.Hosting;

/// <summary>
/// The log scope of a request: its id, as answered in the request id header, so that every console line written
/// while the request is handled carries it (<c>"Scopes":[{"Message":"Request abc","RequestId":"abc"}]</c> in JSON).
/// </summary>
internal sealed class RequestIdLogScope(string requestId) : IReadOnlyList<KeyValuePair<string, object?>>
{
    public int Count => 1;

    public KeyValuePair<string, object?> this[int index] =>
        index == 0 ? new("RequestId", requestId) : throw new ArgumentOutOfRangeException(nameof(index));

    public IEnumerator<KeyValuePair<string, object?>> GetEnumerator()
    {
        yield return this[0];
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public override string ToString() => "Request " + requestId;
}

internal static class RequestIdLogging
{
    /// <summary>
    /// Console lines with scopes, but only the request's <see cref="RequestIdLogScope"/>: ASP.NET Core's own (the activity's trace and span ids, the host's
    /// request path and connection-based request id, Kestrel's connection id) would triple a line's length and name a
    /// request id the client never sees.
    /// </summary>
    public static WebApplicationBuilder AddRequestIdLogScope(this WebApplicationBuilder builder)
    {
        builder.Configuration.Sources.Insert(0, new MemoryConfigurationSource
        {
            InitialData = new Dictionary<string, string?> { ["Logging:Console:FormatterOptions:IncludeScopes"] = "true" },
        });
        var formatters = builder.Services.Where(service => service.ServiceType == typeof(ConsoleFormatter) && service.ImplementationType is not null).ToList();
        foreach (var registered in formatters)
        {
            builder.Services.Remove(registered);
            builder.Services.AddSingleton<ConsoleFormatter>(provider =>
                new RequestScopeOnly((ConsoleFormatter)ActivatorUtilities.CreateInstance(provider, registered.ImplementationType!)));
        }

        return builder;
    }

    /// <summary>A console formatter shown only the request's scope.</summary>
    private sealed class RequestScopeOnly(ConsoleFormatter inner) : ConsoleFormatter(inner.Name)
    {
        public override void Write<TState>(in LogEntry<TState> logEntry, IExternalScopeProvider? scopeProvider, TextWriter textWriter) =>
            inner.Write(in logEntry, scopeProvider is null ? null : new Filter(scopeProvider), textWriter);
    }

    private sealed class Filter(IExternalScopeProvider scopes) : IExternalScopeProvider
    {
        public void ForEachScope<TState>(Action<object?, TState> callback, TState state) =>
            scopes.ForEachScope(
                (scope, outer) =>
                {
                    if (scope is RequestIdLogScope)
                    {
                        outer.callback(scope, outer.state);
                    }
                },
                (callback, state));

        public IDisposable Push(object? state) => scopes.Push(state);
    }
}
