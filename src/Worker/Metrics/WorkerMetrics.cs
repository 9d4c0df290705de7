using System.Diagnostics;
using System.Diagnostics.Metrics;
using Gateway.Worker.Queue;

namespace Gateway.Worker.Metrics;

/// <summary>
/// The worker's instruments (meter <c>Gateway.Worker</c>), exported for Prometheus on <c>/metrics</c> as
/// <c>gateway_worker_tasks_processed_total</c>, <c>gateway_worker_tasks_failed_total</c>,
/// <c>gateway_worker_tasks_released_total</c>, <c>gateway_worker_task_duration_seconds</c>,
/// <c>gateway_worker_lease_renewals_total</c>, <c>gateway_worker_queue_depth</c> and
/// <c>gateway_worker_queue_lag_seconds</c>. The queue gauges read the sampler's latest snapshot, never the database.
/// </summary>
internal sealed class WorkerMetrics
{
    public const string MeterName = "Gateway.Worker";

    /// <summary>Seconds: from a no-op function (milliseconds) to a slow SMTP server (the 30 s timeout).</summary>
    private static readonly double[] DurationBuckets = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

    private static readonly string[] Processed = ["db_function", "email"];

    private readonly Counter<long> completed;
    private readonly Counter<long> failed;
    private readonly Counter<long> released;
    private readonly Counter<long> renewals;
    private readonly Histogram<double> duration;

    public WorkerMetrics(IMeterFactory meterFactory, QueueStatsSnapshot stats)
    {
        var meter = meterFactory.Create(MeterName);
        completed = meter.CreateCounter<long>(
            "gateway.worker.tasks.processed", "{task}", "Tasks completed by this worker (succeeded or failed), by task type.");
        failed = meter.CreateCounter<long>(
            "gateway.worker.tasks.failed", "{task}", "Tasks this worker recorded as failed with queues.fail_task, by task type.");
        released = meter.CreateCounter<long>(
            "gateway.worker.tasks.released", "{task}", "Tasks handed back unfinished, by task type and reason (shutdown, database).");
        renewals = meter.CreateCounter<long>(
            "gateway.worker.lease.renewals", "{renewal}", "Lease renewals of long tasks, by outcome (renewed, lost, error).");
        duration = meter.CreateHistogram(
            "gateway.worker.task.duration", "s", "Time from claiming a task to completing it, by task type and outcome.",
            tags: null, advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = DurationBuckets });
        meter.CreateObservableGauge(
            "gateway.worker.queue.depth", () => Depth(stats.Current), "{task}",
            "Pending tasks by task type and state: due (waiting for a worker), leased (being processed), scheduled (not due yet).");
        meter.CreateObservableGauge(
            "gateway.worker.queue.lag", () => Lag(stats.Current), "s",
            "How long the oldest due task of each type has been waiting for a worker.");
    }

    public void Completed(string taskType, bool succeeded, TimeSpan elapsed)
    {
        var type = new KeyValuePair<string, object?>("task_type", taskType);
        completed.Add(1, type);
        if (!succeeded)
        {
            failed.Add(1, type);
        }

        duration.Record(elapsed.TotalSeconds, type, new KeyValuePair<string, object?>("outcome", succeeded ? "succeeded" : "failed"));
    }

    public void Released(string taskType, string reason) =>
        released.Add(1, new KeyValuePair<string, object?>("task_type", taskType), new KeyValuePair<string, object?>("reason", reason));

    public void LeaseRenewal(string outcome) => renewals.Add(1, new KeyValuePair<string, object?>("outcome", outcome));

    private static IEnumerable<Measurement<long>> Depth(IReadOnlyList<QueueStats> stats)
    {
        foreach (var row in WithEveryProcessedType(stats))
        {
            yield return new Measurement<long>(row.Due, Tags(row.TaskType, "due"));
            yield return new Measurement<long>(row.Leased, Tags(row.TaskType, "leased"));
            yield return new Measurement<long>(row.Scheduled, Tags(row.TaskType, "scheduled"));
        }
    }

    private static IEnumerable<Measurement<double>> Lag(IReadOnlyList<QueueStats> stats) =>
        WithEveryProcessedType(stats).Select(row => new Measurement<double>(row.OldestDueAgeSeconds, new KeyValuePair<string, object?>("task_type", row.TaskType)));

    /// <summary>queue_stats has rows only for types with pending tasks; an empty queue still reports zeros.</summary>
    private static IEnumerable<QueueStats> WithEveryProcessedType(IReadOnlyList<QueueStats> stats) =>
        stats.Concat(Processed
            .Where(type => !stats.Any(row => row.TaskType == type))
            .Select(type => new QueueStats(type, 0, 0, 0, 0, null)));

    private static TagList Tags(string taskType, string state) => new() { { "task_type", taskType }, { "state", state } };
}
