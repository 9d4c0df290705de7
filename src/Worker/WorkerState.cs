namespace Gateway.Worker;

/// <summary>What the health checks and the exit code need to know about the running worker.</summary>
internal sealed class WorkerState
{
    /// <summary>The exit code when the login was refused (2 is the migrator's and the worker's "misconfigured").</summary>
    public const int RefusedLoginExitCode = 3;

    private volatile bool running;
    private volatile bool listening;
    private volatile string? refusal;
    private int inFlight;

    /// <summary>The loops are claiming tasks: false before the login check passes, and from the moment shutdown begins.</summary>
    public bool Running
    {
        get => running;
        set => running = value;
    }

    /// <summary>The notification listener is connected.</summary>
    public bool Listening
    {
        get => listening;
        set => listening = value;
    }

    /// <summary>Why the worker refused to run with its login, or null.</summary>
    public string? Refusal => refusal;

    public int InFlight => Volatile.Read(ref inFlight);

    public int ExitCode => refusal is null ? 0 : RefusedLoginExitCode;

    public void Refuse(string reason) => refusal = reason;

    public void TaskStarted() => Interlocked.Increment(ref inFlight);

    public void TaskEnded() => Interlocked.Decrement(ref inFlight);
}
