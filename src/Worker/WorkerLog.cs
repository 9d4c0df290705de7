namespace Gateway.Worker;

/// <summary>
/// Every log message of the worker, with its id from <see cref="EventIds"/>. Messages carry task ids, task types,
/// function names and error messages (a database error's SQLSTATE and message, an SMTP server's reply) — never a
/// payload, a message body, a credential or a connection string. Each task's messages also carry the scope
/// <c>TaskId</c>/<c>TaskType</c>.
/// </summary>
internal static partial class WorkerLog
{
    [LoggerMessage(EventIds.Started, LogLevel.Information, "Worker started: {Concurrency} loops for task types {TaskTypes}, poll interval {PollInterval}, lease {Lease}")]
    public static partial void Started(ILogger logger, int concurrency, string taskTypes, TimeSpan pollInterval, TimeSpan lease);

    [LoggerMessage(EventIds.LoginRefused, LogLevel.Critical, "The worker refuses to run: {Reason}")]
    public static partial void LoginRefused(ILogger logger, string reason);

    [LoggerMessage(EventIds.DatabaseUnavailable, LogLevel.Warning, "The database is not available yet; trying again in {Delay}")]
    public static partial void DatabaseUnavailable(ILogger logger, TimeSpan delay, Exception exception);

    [LoggerMessage(EventIds.Stopping, LogLevel.Information, "Stopping: no new tasks; {InFlight} in flight get up to {ShutdownTimeout} to finish")]
    public static partial void Stopping(ILogger logger, int inFlight, TimeSpan shutdownTimeout);

    [LoggerMessage(EventIds.Stopped, LogLevel.Information, "Worker stopped")]
    public static partial void Stopped(ILogger logger);

    [LoggerMessage(EventIds.QueueUnavailable, LogLevel.Warning, "The queue is not reachable; trying again in {Delay}")]
    public static partial void QueueUnavailable(ILogger logger, TimeSpan delay, Exception exception);

    [LoggerMessage(EventIds.TaskSucceeded, LogLevel.Debug, "Task {TaskId} ({TaskType}) succeeded in {ElapsedMilliseconds:0.0} ms")]
    public static partial void TaskSucceeded(ILogger logger, long taskId, string taskType, double elapsedMilliseconds);

    [LoggerMessage(EventIds.TaskFailed, LogLevel.Warning, "Task {TaskId} ({TaskType}) failed: {Error}")]
    public static partial void TaskFailed(ILogger logger, long taskId, string taskType, string error);

    [LoggerMessage(EventIds.TaskReleased, LogLevel.Warning, "Task {TaskId} ({TaskType}) handed back unfinished ({Reason}); it will run again")]
    public static partial void TaskReleased(ILogger logger, long taskId, string taskType, string reason, Exception? exception);

    [LoggerMessage(EventIds.ReleaseFailed, LogLevel.Warning, "Could not release the lease of task {TaskId}; it runs again when the lease runs out")]
    public static partial void ReleaseFailed(ILogger logger, long taskId, Exception exception);

    [LoggerMessage(EventIds.ProcessorCrashed, LogLevel.Error, "The processor of task {TaskId} failed unexpectedly")]
    public static partial void ProcessorCrashed(ILogger logger, long taskId, Exception exception);

    [LoggerMessage(EventIds.FunctionStatus, LogLevel.Information, "{Function} answered {Status}")]
    public static partial void FunctionStatus(ILogger logger, string function, string status);

    [LoggerMessage(EventIds.Listening, LogLevel.Information, "Listening for new tasks on {Channel}")]
    public static partial void Listening(ILogger logger, string channel);

    [LoggerMessage(EventIds.ListenerLost, LogLevel.Warning, "The notification listener lost its connection; reconnecting in {Delay} (polling meanwhile)")]
    public static partial void ListenerLost(ILogger logger, TimeSpan delay, Exception exception);

    [LoggerMessage(EventIds.LeaseRenewed, LogLevel.Debug, "Lease of task {TaskId} renewed until {ExpiresAt:O}")]
    public static partial void LeaseRenewed(ILogger logger, long taskId, DateTimeOffset expiresAt);

    [LoggerMessage(EventIds.LeaseLost, LogLevel.Warning, "Task {TaskId} lost its lease before it finished; another worker may be running it too")]
    public static partial void LeaseLost(ILogger logger, long taskId);

    [LoggerMessage(EventIds.LeaseRenewalFailed, LogLevel.Warning, "Could not renew the lease of task {TaskId}; trying again at the next interval")]
    public static partial void LeaseRenewalFailed(ILogger logger, long taskId, Exception exception);

    [LoggerMessage(EventIds.EmailSent, LogLevel.Information, "Email message {MessageId} handed to the SMTP server")]
    public static partial void EmailSent(ILogger logger, long? messageId);

    [LoggerMessage(EventIds.StatsUnavailable, LogLevel.Debug, "Queue statistics unavailable")]
    public static partial void StatsUnavailable(ILogger logger, Exception exception);

    [LoggerMessage(EventIds.ReadinessChanged, LogLevel.Information, "Readiness is {Status} while {Phase}: {Checks}")]
    public static partial void ReadinessChanged(ILogger logger, string status, string phase, string checks);

    [LoggerMessage(EventIds.ReadinessLost, LogLevel.Warning, "Not ready any more (503): {Checks}")]
    public static partial void ReadinessLost(ILogger logger, string checks);

    [LoggerMessage(EventIds.ReadinessProbed, LogLevel.Debug, "Readiness probe answered {Status}")]
    public static partial void ReadinessProbed(ILogger logger, string status);
}
