namespace Gateway.IntegrationTests.Worker;

/// <summary>
/// Waiting on a condition with a bound, never sleeping for a fixed time as synchronisation: the probe runs every
/// 50 ms until the condition holds, and the test fails with the last value seen when the bound passes.
/// </summary>
public static class Eventually
{
    public static readonly TimeSpan DefaultBound = TimeSpan.FromSeconds(30);

    public static async Task<T> ValueAsync<T>(Func<Task<T>> probe, Func<T, bool> done, TimeSpan bound, string what)
    {
        var deadline = DateTime.UtcNow + bound;
        while (true)
        {
            var value = await probe();
            if (done(value))
            {
                return value;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new Xunit.Sdk.XunitException($"Waited {bound} for {what}; last seen: {Describe(value)}");
            }

            await Task.Delay(50);
        }
    }

    public static Task TrueAsync(Func<Task<bool>> probe, string what, TimeSpan? bound = null) =>
        ValueAsync(probe, value => value, bound ?? DefaultBound, what);

    private static string Describe<T>(T value) => value switch
    {
        System.Collections.ICollection collection => $"{collection.Count} item(s)",
        null => "null",
        _ => value.ToString() ?? "",
    };
}
