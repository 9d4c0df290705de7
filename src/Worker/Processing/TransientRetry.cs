using Npgsql;

namespace Gateway.Worker.Processing;

/// <summary>
/// Retries a database call that failed for a transient reason (a dropped connection, a failover) a few times
/// with growing pauses, for the calls that must not be lost once a task's work is done: handlers and the
/// final fail/complete records. Anything else, or a fourth failure, is thrown to the caller.
/// </summary>
internal static class TransientRetry
{
    private static readonly TimeSpan[] Delays = [TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(3)];

    public static async Task<T> RunAsync<T>(Func<Task<T>> call)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                return await call();
            }
            catch (NpgsqlException error) when (error.IsTransient && attempt < Delays.Length)
            {
                await Task.Delay(Delays[attempt]);
            }
        }
    }

    public static Task RunAsync(Func<Task> call) => RunAsync(async () =>
    {
        await call();
        return true;
    });
}
