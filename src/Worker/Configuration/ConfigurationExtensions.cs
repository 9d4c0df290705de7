using Microsoft.Extensions.Configuration.Memory;

namespace Gateway.Worker.Configuration;

internal static class ConfigurationExtensions
{
    /// <summary>
    /// Defaults below every other source (so appsettings.json, environment variables and the command line override
    /// them): the JSON logs' scopes, so each task's messages carry its id, and quiet framework categories (the health
    /// check service's own lines are turned off by <see cref="Shared.LoggedHealthChecks"/>, which logs readiness instead).
    /// </summary>
    private static readonly Dictionary<string, string?> Defaults = new(StringComparer.Ordinal)
    {
        ["Logging:LogLevel:Default"] = "Information",
        ["Logging:LogLevel:Microsoft.AspNetCore"] = "Warning",
        ["Logging:LogLevel:Microsoft.Hosting.Lifetime"] = "Information",
        ["Logging:LogLevel:Npgsql"] = "Warning",
        ["Logging:Console:FormatterOptions:IncludeScopes"] = "true",
    };

    public static void AddWorkerDefaults(this IConfigurationBuilder configuration) =>
        configuration.Sources.Insert(0, new MemoryConfigurationSource { InitialData = Defaults });

    /// <summary>Registers the validated options, binds the health endpoint and sizes the host's own shutdown wait.</summary>
    public static WebApplicationBuilder AddWorkerOptions(this WebApplicationBuilder builder, WorkerOptions options)
    {
        builder.Services.AddSingleton(options);
        builder.WebHost.UseUrls([.. options.HealthUrls]);
        // The host must wait for the in-flight tasks' bound, plus releasing or recording them.
        builder.Services.Configure<HostOptions>(host => host.ShutdownTimeout = options.ShutdownTimeout + TimeSpan.FromSeconds(15));
        return builder;
    }
}
