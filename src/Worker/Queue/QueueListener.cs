using Gateway.Worker.Configuration;
using Npgsql;

namespace Gateway.Worker.Queue;

/// <summary>
/// Listens on <c>queues_task_enqueued</c> (sent by <c>queues.enqueue</c> at commit) on a connection of its own, and
/// wakes one idle loop per notification. When the connection drops it reconnects with a growing delay; meanwhile
/// the loops' poll finds every task, so a lost notification only delays a task by one poll interval.
/// </summary>
internal sealed class QueueListener(
    WorkerOptions options,
    WakeSignal signal,
    WorkerState state,
    ILogger<QueueListener> logger) : BackgroundService
{
    public const string Channel = "queues_task_enqueued";

    private static readonly TimeSpan FirstRetryDelay = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan LastRetryDelay = TimeSpan.FromSeconds(30);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Not pooled: the connection lives as long as the listener, and a LISTEN must never go back to a pool.
        // Keepalive makes a silently dead connection fail the wait instead of hanging it.
        var connectionString = new NpgsqlConnectionStringBuilder(options.ConnectionString)
        {
            Pooling = false,
            KeepAlive = 15,
            ApplicationName = "gateway-worker-listener",
        }.ConnectionString;

        var retryDelay = FirstRetryDelay;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = new NpgsqlConnection(connectionString);
                connection.Notification += (_, _) => signal.Wake();
                await connection.OpenAsync(stoppingToken);
                await using (var listen = new NpgsqlCommand($"listen {Channel}", connection))
                {
                    await listen.ExecuteNonQueryAsync(stoppingToken);
                }

                state.Listening = true;
                retryDelay = FirstRetryDelay;
                WorkerLog.Listening(logger, Channel);
                // Tasks enqueued while nobody listened sent their notifications to no one: look once now.
                signal.Wake();
                while (true)
                {
                    await connection.WaitAsync(stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception error) when (error is NpgsqlException or IOException or TimeoutException or InvalidOperationException)
            {
                state.Listening = false;
                WorkerLog.ListenerLost(logger, retryDelay, error);
                try
                {
                    await Task.Delay(retryDelay, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    break;
                }

                retryDelay = TimeSpan.FromTicks(Math.Min(retryDelay.Ticks * 2, LastRetryDelay.Ticks));
            }
        }

        state.Listening = false;
    }
}
