using System.Net;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Gateway.IntegrationTests.Worker;

/// <summary>The worker's private endpoint: liveness, readiness with its checks, and Prometheus metrics.</summary>
[Collection(WorkerQueueCollection.Name)]
public sealed class HealthAndMetricsTests(WorkerQueueFixture database) : IAsyncLifetime
{
    public Task InitializeAsync() => database.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Live_answers_and_ready_reports_the_database_the_loops_and_the_listener()
    {
        await using var worker = await RunningWorker.StartAsync(database, smtp: null);

        using var live = await worker.Http.GetAsync("/health/live");
        var ready = await worker.ReadinessAsync();

        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        Assert.NotNull(ready);
        foreach (var check in new[] { "database", "loops", "listener" })
        {
            Assert.Equal("Healthy", ready["checks"]![check]!["status"]!.GetValue<string>());
        }
    }

    [Fact]
    public async Task Readiness_turns_unhealthy_once_shutdown_has_begun()
    {
        await using var worker = await RunningWorker.StartAsync(database, smtp: null);
        await using var admin = await database.OpenAdminAsync();
        await WorkerDatabase.EnqueueAsync(admin, [WorkerDatabase.RecordCall(1, sleepSeconds: 2)]);
        await Eventually.TrueAsync(() => Task.FromResult(worker.State.InFlight == 1), "the task to be in flight");

        var stopping = worker.StopAsync();
        await Eventually.TrueAsync(() => Task.FromResult(!worker.State.Running), "the worker to stop claiming");
        // Asked of the health checks directly: Kestrel may already have stopped answering.
        var report = await worker.CheckReadinessAsync();
        await stopping.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(HealthStatus.Unhealthy, report.Status);
        Assert.Equal(HealthStatus.Unhealthy, report.Entries["loops"].Status);
        Assert.Equal(HealthStatus.Healthy, report.Entries["database"].Status);
    }

    [Fact]
    public async Task Metrics_count_processed_and_failed_tasks_by_type_and_report_duration_depth_and_lag()
    {
        await using var worker = await RunningWorker.StartAsync(database, smtp: null);
        await using var admin = await database.OpenAdminAsync();
        var taskIds = await WorkerDatabase.EnqueueAsync(admin, [WorkerDatabase.RecordCall(1), new { db_function = "worker_test.fail" }]);
        await Eventually.TrueAsync(() => WorkerDatabase.AllCompletedAsync(admin, taskIds), "both tasks to be completed");

        // A task is completed in the database just before the runner counts it, so wait for both counts.
        const string processedBoth = "gateway_worker_tasks_processed_total{otel_scope_name=\"Gateway.Worker\",task_type=\"db_function\"} 2";
        var metrics = await Eventually.ValueAsync(
            () => worker.Http.GetStringAsync("/metrics"),
            text => text.Contains(processedBoth, StringComparison.Ordinal) && text.Contains("gateway_worker_tasks_failed_total", StringComparison.Ordinal),
            Eventually.DefaultBound,
            "both tasks counted in the metrics");

        Assert.Contains(processedBoth, metrics, StringComparison.Ordinal);
        Assert.Contains("gateway_worker_tasks_failed_total{otel_scope_name=\"Gateway.Worker\",task_type=\"db_function\"} 1", metrics, StringComparison.Ordinal);
        Assert.Contains("gateway_worker_task_duration_seconds_count{otel_scope_name=\"Gateway.Worker\",outcome=\"failed\",task_type=\"db_function\"} 1", metrics, StringComparison.Ordinal);
        Assert.Contains("gateway_worker_queue_depth{otel_scope_name=\"Gateway.Worker\",state=\"due\",task_type=\"email\"} 0", metrics, StringComparison.Ordinal);
        Assert.Contains("gateway_worker_queue_lag_seconds{otel_scope_name=\"Gateway.Worker\",task_type=\"db_function\"}", metrics, StringComparison.Ordinal);
    }
}
