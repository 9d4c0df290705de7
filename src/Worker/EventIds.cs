namespace Gateway.Worker;

/// <summary>
/// Every event id the worker logs with (5000-5999), in one place so none is used twice. The gateway's stay within
/// 1000-4999 (<c>Gateway.Observability.EventIds</c>), so an id alone tells which program logged it.
/// </summary>
internal static class EventIds
{
    // Start and stop: 5000-5009.
    public const int Started = 5000;
    public const int LoginRefused = 5001;
    public const int DatabaseUnavailable = 5002;
    public const int Stopping = 5003;
    public const int Stopped = 5004;
    public const int QueueUnavailable = 5005;

    // Tasks: 5010-5019.
    public const int TaskSucceeded = 5010;
    public const int TaskFailed = 5011;
    public const int TaskReleased = 5012;
    public const int ReleaseFailed = 5013;
    public const int ProcessorCrashed = 5014;

    // The db_function processor: 5020-5029.
    public const int FunctionStatus = 5020;

    // The notification listener: 5030-5039.
    public const int Listening = 5030;
    public const int ListenerLost = 5031;

    // Leases: 5040-5049.
    public const int LeaseRenewed = 5040;
    public const int LeaseLost = 5041;
    public const int LeaseRenewalFailed = 5042;

    // The email processor: 5050-5059.
    public const int EmailSent = 5050;

    // Queue statistics: 5060-5069.
    public const int StatsUnavailable = 5060;

    // Readiness: 5070-5079.
    public const int ReadinessChanged = 5070;
    public const int ReadinessLost = 5071;
    public const int ReadinessProbed = 5072;
}
