using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Configuration.Memory;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;

namespace Gateway.Shared;

/// <summary>
/// How the gateway and the worker log (compiled into each, linked from src/Shared): one JSON object per line on stdout,
/// ASP.NET Core's JSON console format (<c>Timestamp</c> in UTC, <c>EventId</c>, <c>LogLevel</c>, <c>Category</c>,
/// <c>Message</c>, <c>State</c>, an <c>Exception</c> as one string), so both programs' lines read alike.
/// <c>Logging:Console:FormatterName=simple</c> gives the multi-line format for people.
/// </summary>
internal static class ConsoleLogging
{
    /// <summary>Below every other source: appsettings.json, environment variables and the command line override them.</summary>
    private static readonly Dictionary<string, string?> Defaults = new(StringComparer.Ordinal)
    {
        ["Logging:Console:FormatterName"] = "json",
        ["Logging:Console:FormatterOptions:TimestampFormat"] = "yyyy-MM-ddTHH:mm:ss.fffZ",
        ["Logging:Console:FormatterOptions:UseUtcTimestamp"] = "true",
    };

    /// <summary>
    /// The JSON console, with these defaults and the program's own <paramref name="defaults"/> (its log levels) as the
    /// lowest configuration source: they hold wherever the program is started from, where appsettings.json is read from
    /// the working directory only.
    /// </summary>
    public static WebApplicationBuilder AddJsonConsoleLogging(
        this WebApplicationBuilder builder, IReadOnlyDictionary<string, string?>? defaults = null)
    {
        builder.Configuration.Sources.Insert(0, new MemoryConfigurationSource { InitialData = defaults is null ? Defaults : Defaults.Concat(defaults) });

        // The slim builder (the worker's) adds the console logger with the simple format forced over the configured
        // one; adding it anew, without that, lets Logging:Console:FormatterName choose, as the full builder does.
        builder.Services.RemoveAll<IConfigureOptions<ConsoleLoggerOptions>>();
        builder.Logging.AddConsole();
        return builder;
    }
}
