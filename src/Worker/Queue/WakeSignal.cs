namespace Gateway.Worker.Queue;

/// <summary>
/// Wakes idle loops when a task may be waiting: once per notification, up to one wake-up per loop. A wake-up that
/// arrives while no loop is waiting is kept until one waits, so a notification that lands between a loop's empty
/// dequeue and its wait is never lost.
/// </summary>
internal sealed class WakeSignal(int loops) : IDisposable
{
    private readonly SemaphoreSlim pending = new(0, loops);
    private readonly Lock gate = new();

    public void Wake()
    {
        // Only Wake releases, under the lock, so the count can never pass the loop count (which would throw).
        lock (gate)
        {
            if (pending.CurrentCount < loops)
            {
                pending.Release();
            }
        }
    }

    /// <summary>Waits for a wake-up or the timeout, whichever comes first.</summary>
    public Task WaitAsync(TimeSpan timeout, CancellationToken cancellationToken) => pending.WaitAsync(timeout, cancellationToken);

    public void Dispose() => pending.Dispose();
}
