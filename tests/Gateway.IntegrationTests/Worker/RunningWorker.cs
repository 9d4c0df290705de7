using System.Globalization;
using System.Text.Json.Nodes;
using Gateway.IntegrationTests.Infrastructure;
using Gateway.Worker;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Gateway.IntegrationTests.Worker;

/// <summary>
/// The real worker service, hosted in the test process exactly as <c>Program</c> builds it, logged in as
/// <c>worker_service_user</c> to the fixture's database, sending to an <see cref="SmtpSink"/>, with its health and
/// metrics endpoint on a free port of 127.0.0.1. Disposing it stops it as SIGTERM would.
/// </summary>
public sealed class RunningWorker : IAsyncDisposable
{
    private readonly WebApplication app;
    private bool stopped;

    private RunningWorker(WebApplication app, Uri address)
    {
        this.app = app;
        Http = new HttpClient { BaseAddress = address };
    }

    /// <summary>A client for the worker's health and metrics endpoint.</summary>
    public HttpClient Http { get; }

    internal WorkerState State => app.Services.GetRequiredService<WorkerState>();

    /// <summary>The readiness checks, run in process (what <c>/health/ready</c> reports).</summary>
    public Task<HealthReport> CheckReadinessAsync() =>
        app.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync(check => check.Tags.Contains("ready"));

    /// <summary>
    /// The settings every test worker has (fast poll, plain SMTP to the sink, a free port), overridden by
    /// <paramref name="settings"/> given as <c>Worker:Concurrency</c>-style keys.
    /// </summary>
    public static Dictionary<string, string> Settings(string connectionString, SmtpSink? smtp, IReadOnlyDictionary<string, string>? settings = null)
    {
        var all = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["ConnectionStrings:Worker"] = connectionString,
            ["Worker:Smtp:Host"] = "127.0.0.1",
            ["Worker:Smtp:Port"] = (smtp?.Port ?? 25).ToString(CultureInfo.InvariantCulture),
            ["Worker:Smtp:Security"] = "none",
            ["Worker:Smtp:Timeout"] = "00:00:10",
            ["Worker:HealthUrls"] = "http://127.0.0.1:0",
            ["Worker:PollInterval"] = "00:00:00.200",
            ["Worker:StatsInterval"] = "00:00:00.500",
            ["Logging:LogLevel:Default"] = "Warning",
            ["Logging:Console:FormatterName"] = "simple",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            all[key] = value;
        }

        return all;
    }

    public static async Task<RunningWorker> StartAsync(MigratedDatabase database, SmtpSink? smtp, IReadOnlyDictionary<string, string>? settings = null) =>
        await StartAsync(database.WorkerConnectionString, smtp, settings);

    public static async Task<RunningWorker> StartAsync(string connectionString, SmtpSink? smtp, IReadOnlyDictionary<string, string>? settings = null, bool waitUntilReady = true)
    {
        var args = Settings(connectionString, smtp, settings).Select(setting => $"--{setting.Key}={setting.Value}").ToArray();
        var app = WorkerApplication.Create(args, out var problems)
            ?? throw new InvalidOperationException("The worker refused its test configuration: " + string.Join(" ", problems));
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var worker = new RunningWorker(app, new Uri(address));
        if (waitUntilReady)
        {
            await worker.WaitUntilReadyAsync();
        }

        return worker;
    }

    /// <summary>Waits until every readiness check is healthy, the notification listener included.</summary>
    public Task WaitUntilReadyAsync() =>
        Eventually.TrueAsync(async () => await ReadinessAsync() is { } ready && ready["status"]?.GetValue<string>() == "Healthy", "the worker to be ready");

    public async Task<JsonObject?> ReadinessAsync()
    {
        using var response = await Http.GetAsync("/health/ready");
        return JsonNode.Parse(await response.Content.ReadAsStringAsync()) as JsonObject;
    }

    /// <summary>Stops the worker as SIGTERM does, and waits for the host to finish stopping.</summary>
    public async Task StopAsync()
    {
        stopped = true;
        await app.StopAsync(CancellationToken.None);
    }

    public async ValueTask DisposeAsync()
    {
        if (!stopped)
        {
            await StopAsync();
        }

        Http.Dispose();
        await app.DisposeAsync();
    }
}
