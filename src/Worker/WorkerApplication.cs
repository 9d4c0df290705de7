using Gateway.Shared;
using Gateway.Worker.Configuration;
using Gateway.Worker.Health;
using Gateway.Worker.Metrics;
using Gateway.Worker.Processing;
using Gateway.Worker.Queue;

namespace Gateway.Worker;

/// <summary>
/// The queue worker: logged in only as <c>worker_service_user</c>, it claims tasks, processes them by type
/// (<c>db_function</c>, <c>email</c>) and records each outcome, with health and Prometheus metrics on a small private
/// HTTP endpoint. This is its table of contents; each part is wired beside the code it wires.
/// </summary>
internal static class WorkerApplication
{
    /// <summary>The worker, ready to run; or null and every configuration problem, each naming the key to fix.</summary>
    public static WebApplication? Create(string[] args, out IReadOnlyList<string> problems)
    {
        var builder = WebApplication.CreateSlimBuilder(args);
        builder.Configuration.AddWorkerDefaults();
        builder.AddJsonConsoleLogging();
        var (options, found) = WorkerOptions.Load(builder.Configuration);
        problems = found;
        if (options is null)
        {
            return null;
        }

        builder.AddWorkerOptions(options);
        builder.AddWorkerQueue(options);
        builder.AddWorkerProcessing();
        builder.AddWorkerHealth();
        builder.AddWorkerMetrics();

        var app = builder.Build();

        app.MapWorkerHealth();
        app.MapWorkerMetrics();
        return app;
    }
}
